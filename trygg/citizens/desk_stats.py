"""Monthly statistics of a Trygghetscenter (issue 12, point 6): how many came about each topic
and each area in each month of a year, how many cases each partner took on, how many of those
are closed and the median number of days from the visit to the close.

These are staff figures for the centre and its partners, so small counts are shown as they
are (the public summary suppresses them; nothing here is public). Days to close count from the
visit day to the local day the case was closed; a case settled at the desk counts 0 days, unless
a partner had sent it back first (then it waited, and counts from the visit).
The CSV holds the same tables as the page, in the project's CSV dialect (see walks/export.py).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from trygg.citizens.models import Centre, DeskCase, DeskTopic

MONTHS = range(1, 13)
# Characters a spreadsheet reads as the start of a formula (OWASP: CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class Row:
    """One line of a topic × month or area × month table."""

    label: str
    months: list[int]

    @property
    def total(self) -> int:
        return sum(self.months)


@dataclass
class PartnerRow:
    label: str
    taken: int
    closed: int
    median_days: float | None

    @property
    def open(self) -> int:
        return self.taken - self.closed


@dataclass
class YearStats:
    centre: Centre
    year: int
    topics: list[Row] = field(default_factory=list)
    areas: list[Row] = field(default_factory=list)
    partners: list[PartnerRow] = field(default_factory=list)
    month_totals: list[int] = field(default_factory=lambda: [0] * 12)

    @property
    def total(self) -> int:
        return sum(self.month_totals)


def _month_rows(counts: dict[str, Counter], order: list[str]) -> list[Row]:
    return [Row(label, [counts[label][month] for month in MONTHS]) for label in order]


def days_to_close(case: DeskCase) -> int:
    if case.taken_by_id is None and case.returned_at is None:
        return 0  # settled at the desk, whenever it was written down
    # A case a partner sent back and the desk then settled waited like any other.
    closed_on = timezone.localtime(case.closed_at).date()
    return max(0, (closed_on - case.visited_on).days)


def _centre_cases(centre: Centre):
    """The centre's cases, naming its municipality so that Citus reads one shard."""
    return DeskCase.objects.filter(municipality_id=centre.municipality_id, centre=centre)


def year_stats(centre: Centre, year: int) -> YearStats:
    """The centre's figures for the cases visited in `year` (see the module docstring)."""
    cases = list(
        _centre_cases(centre)
        .filter(
            visited_on__gte=dt.date(year, 1, 1),
            visited_on__lte=dt.date(year, 12, 31),
        )
        .select_related("area", "taken_by")
    )
    stats = YearStats(centre=centre, year=year)
    by_topic: dict[str, Counter] = defaultdict(Counter)
    by_area: dict[str, Counter] = defaultdict(Counter)
    days_by_partner: dict[str, list[int]] = defaultdict(list)
    taken: Counter = Counter()
    no_area, at_desk = _("utan område"), _("klart vid disken")
    for case in cases:
        month = case.visited_on.month
        stats.month_totals[month - 1] += 1
        by_topic[str(case.get_topic_display())][month] += 1
        by_area[case.area.name if case.area else no_area][month] += 1
        partner = case.taken_by.name if case.taken_by else at_desk
        taken[partner] += 1
        if case.state == DeskCase.State.CLOSED and case.closed_at is not None:
            days_by_partner[partner].append(days_to_close(case))
    topic_order = [str(label) for _value, label in DeskTopic.choices]
    stats.topics = _month_rows(by_topic, topic_order)
    area_names = sorted(name for name in by_area if name != no_area)
    stats.areas = _month_rows(by_area, area_names + ([no_area] if no_area in by_area else []))
    partner_names = sorted(name for name in taken if name != at_desk)
    partner_names += [at_desk] if at_desk in taken else []
    stats.partners = [
        PartnerRow(
            label=name,
            taken=taken[name],
            closed=len(days_by_partner[name]),
            median_days=statistics.median(days_by_partner[name]) if days_by_partner[name] else None,
        )
        for name in partner_names
    ]
    return stats


def years_with_cases(centre: Centre) -> list[int]:
    """The years the centre has cases in, newest first (this year always included)."""
    dates = _centre_cases(centre).dates("visited_on", "year", order="DESC")
    years = {day.year for day in dates} | {timezone.localdate().year}
    return sorted(years, reverse=True)


# --- CSV ----------------------------------------------------------------------------------


def _cell(value) -> str:
    text = "" if value is None else str(value)
    if isinstance(value, float):
        text = f"{value:g}".replace(".", ",")
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_text(stats: YearStats) -> str:
    """The three tables one after another, each with its own header line."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    month_header = [f"{stats.year}-{month:02d}" for month in MONTHS]
    for heading, rows in ((_("ämne"), stats.topics), (_("område"), stats.areas)):
        writer.writerow([_("tabell"), heading, *month_header, _("totalt")])
        for row in rows:
            writer.writerow([heading, _cell(row.label), *row.months, row.total])
        writer.writerow([])
    partner = _("organisation")
    writer.writerow(
        [_("tabell"), partner, _("tagna"), _("avslutade"), _("öppna"), _("median dagar")]
    )
    for prow in stats.partners:
        writer.writerow(
            [
                partner,
                _cell(prow.label),
                prow.taken,
                prow.closed,
                prow.open,
                _cell(prow.median_days),
            ]
        )
    return out.getvalue()
