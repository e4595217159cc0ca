"""The accessibility statement (tillgänglighetsredogörelse) that the law on accessibility of
digital public services (lag 2018:1937) asks every public body to publish, following the model
of the agency that supervises it (DIGG).

Its list of known gaps is not written by hand: it is the result of the project's own axe-core
checks (WCAG 2.1 A and AA rules, in headless Chromium), which `trygg/tests/test_accessibility_
browser.py` runs over `CHECKED_PAGES` and writes to `RESULTS_FILE` (with
TRYGG_WRITE_ACCESSIBILITY=1); without that variable the same test fails when what axe finds
differs from the file, so the statement can neither hide a gap nor keep one that was fixed.

Who to tell about a problem is the installation's own: `TRYGG_ACCESSIBILITY_*` settings."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

StrOrPromise = str | Promise

RESULTS_FILE = Path(__file__).resolve().parent / "data" / "accessibility_checks.json"
# The axe-core rule tags run: WCAG 2.0 and 2.1, levels A and AA, which EN 301 549 (the standard
# the law points to) asks of web pages.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@dataclass(frozen=True)
class CheckedPage:
    """A page the checks open: its path, what it is, and who opens it (None: not logged in)."""

    path: str
    name: StrOrPromise
    persona: str | None = None


# The pages a resident meets without logging in, then the staff's main pages (as the
# municipality's coordinator, who sees the most).
CHECKED_PAGES = (
    CheckedPage("/konto/logga-in/", _("Logga in")),
    CheckedPage("/tillganglighet/", _("Tillgänglighetsredogörelse")),
    CheckedPage("/oppen/lagesbild/?kommun=1780", _("Öppen lägesbild")),
    CheckedPage("/oppen/sverige/", _("Öppen lägesbild för hela Sverige")),
    CheckedPage("/oppen/vandringar/", _("Publicerade trygghetsvandringar")),
    CheckedPage("/oppen/rapporter/", _("Invånarnas rapporter")),
    CheckedPage("/oppen/loften/", _("Medborgarlöftet")),
    CheckedPage("/rapportera/", _("Rapportera till kommunen")),
    CheckedPage("/handelser/", _("Händelser"), "coordinator"),
    CheckedPage("/handelser/rapportera/", _("Rapportera en händelse"), "coordinator"),
    CheckedPage("/handelser/karta/?kommun=1780", _("Karta"), "coordinator"),
    CheckedPage("/lagesbild/", _("Lägesbild"), "coordinator"),
    CheckedPage("/atgarder/", _("Åtgärder"), "coordinator"),
    CheckedPage("/vandringar/", _("Trygghetsvandringar"), "coordinator"),
    CheckedPage("/matningar/", _("Trygghetsmätningar"), "coordinator"),
    CheckedPage("/invanare/", _("Invånare"), "coordinator"),
    CheckedPage("/loften/", _("Medborgarlöfte"), "coordinator"),
    CheckedPage("/narvaro/", _("Närvaro: kalendern"), "coordinator"),
    CheckedPage("/narvaro/ordningsvakter/", _("Ordningsvakter"), "coordinator"),
    CheckedPage("/narvaro/krogtillsyn/", _("Krogtillsyn"), "coordinator"),
    CheckedPage("/purple-flag/", _("Purple Flag"), "coordinator"),
)


@dataclass(frozen=True)
class Gap:
    """One axe rule broken on one page: the rule, how grave axe rates it, its own short
    description (English, as axe writes it), the WCAG criteria it maps to, and how many
    elements break it."""

    page: str
    name: str
    rule: str
    impact: str
    help: str
    criteria: tuple[str, ...]
    elements: int


@dataclass(frozen=True)
class CheckResults:
    checked_on: dt.date | None
    axe_version: str
    browser: str
    pages: tuple[str, ...]
    gaps: tuple[Gap, ...] = field(default_factory=tuple)

    @property
    def checked(self) -> bool:
        return self.checked_on is not None

    @property
    def rules(self) -> list[RuleGaps]:
        """The gaps by rule, the gravest first, each with the pages it was found on."""
        by_rule: dict[str, list[Gap]] = {}
        for gap in self.gaps:
            by_rule.setdefault(gap.rule, []).append(gap)
        rules = [RuleGaps(rule, gaps) for rule, gaps in by_rule.items()]
        return sorted(rules, key=lambda r: (IMPACTS.index(r.impact), r.rule))


# axe's ratings, gravest first, and how the statement says them.
IMPACTS = ["critical", "serious", "moderate", "minor", ""]
IMPACT_NAMES = {
    "critical": _("kritisk"),
    "serious": _("allvarlig"),
    "moderate": _("måttlig"),
    "minor": _("mindre"),
    "": _("ej angiven"),
}
# What the rules the checks have met mean, in the page's language; axe's own English sentence
# is shown for a rule not named here.
RULE_NAMES = {
    "aria-allowed-attr": _("Element har ARIA-attribut som inte är tillåtna för deras roll."),
    "aria-required-children": _("En ARIA-roll saknar de delar den kräver."),
    "aria-valid-attr-value": _("Ett ARIA-attribut har ett ogiltigt värde."),
    "button-name": _("Knappar saknar en text som skärmläsare kan läsa upp."),
    "color-contrast": _("Text har för låg kontrast mot bakgrunden."),
    "definition-list": _("Definitionslistor är inte rätt uppbyggda."),
    "duplicate-id-aria": _("Samma id används flera gånger av element som hänvisas till."),
    "empty-table-header": _("Tabellrubriker saknar text."),
    "frame-title": _("Inbäddade ramar saknar titel."),
    "heading-order": _("Rubriknivåer hoppar över en nivå."),
    "image-alt": _("Bilder saknar textalternativ."),
    "label": _("Formulärfält saknar etikett."),
    "link-name": _("Länkar saknar en text som skärmläsare kan läsa upp."),
    "list": _("Listor innehåller annat än listpunkter."),
    "listitem": _("Listpunkter står utanför en lista."),
    "nested-interactive": _("Klickbara element ligger inuti andra klickbara element."),
    "region": _("Innehåll ligger utanför sidans landmärken."),
    "scrollable-region-focusable": _("Ett rullbart område kan inte nås med tangentbordet."),
    "select-name": _("Listrutor saknar etikett."),
    "td-headers-attr": _("Tabellceller hänvisar till rubriker som inte finns."),
}


@dataclass(frozen=True)
class RuleGaps:
    rule: str
    gaps: list[Gap]

    @property
    def impact(self) -> str:
        return min((gap.impact for gap in self.gaps), key=IMPACTS.index)

    @property
    def impact_name(self) -> str:
        return str(IMPACT_NAMES[self.impact])

    @property
    def description(self) -> str:
        return str(RULE_NAMES.get(self.rule, ""))

    @property
    def help(self) -> str:
        return self.gaps[0].help

    @property
    def criteria(self) -> tuple[str, ...]:
        return self.gaps[0].criteria

    @property
    def elements(self) -> int:
        return sum(gap.elements for gap in self.gaps)


def criteria_of(tags: list[str]) -> tuple[str, ...]:
    """axe's tags 'wcag143', 'wcag1410' -> WCAG criteria '1.4.3', '1.4.10'."""
    found = []
    for tag in tags:
        digits = tag.removeprefix("wcag")
        if tag.startswith("wcag") and digits.isdigit() and len(digits) >= 3:
            found.append(f"{digits[0]}.{digits[1]}.{digits[2:]}")
    return tuple(found)


def read_results(path: Path | None = None) -> CheckResults:
    """The last run of the checks, or an empty result (checked_on None) when none is stored."""
    path = path or RESULTS_FILE
    if not path.exists():
        return CheckResults(None, "", "", ())
    data = json.loads(path.read_text(encoding="utf-8"))
    names = {page.path: str(page.name) for page in CHECKED_PAGES}
    gaps = tuple(
        Gap(
            page=page["path"],
            name=names.get(page["path"], page["path"]),
            rule=violation["id"],
            impact=violation["impact"] if violation["impact"] in IMPACTS else "",
            help=violation["help"],
            criteria=criteria_of(violation["tags"]),
            elements=violation["elements"],
        )
        for page in data["pages"]
        for violation in page["violations"]
    )
    return CheckResults(
        checked_on=dt.date.fromisoformat(data["checked_on"]),
        axe_version=data["axe_version"],
        browser=data["browser"],
        pages=tuple(page["path"] for page in data["pages"]),
        gaps=gaps,
    )


@dataclass(frozen=True)
class Contact:
    """Who publishes the statement and how to reach them (settings, per installation)."""

    organisation: str
    email: str
    phone: str
    response_days: int


def contact() -> Contact:
    return Contact(
        organisation=settings.TRYGG_ACCESSIBILITY_ORGANISATION or "",
        email=settings.TRYGG_ACCESSIBILITY_EMAIL or "",
        phone=settings.TRYGG_ACCESSIBILITY_PHONE or "",
        response_days=settings.TRYGG_ACCESSIBILITY_RESPONSE_DAYS,
    )
