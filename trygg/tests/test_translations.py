"""The English translation: pages in English when asked for, Swedish otherwise, and a catalogue
that is complete, keeps its placeholders and is compiled (the .mo is committed, so a machine
with only Python gets English without GNU gettext). See docs/decisions/0001."""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from trygg.events.models import Source

LOCALE = Path(settings.LOCALE_PATHS[0])
EN_PO = LOCALE / "en" / "LC_MESSAGES" / "django.po"
EN_MO = EN_PO.with_suffix(".mo")
LOGIN = "/konto/logga-in/"
LIST = "/handelser/"
REPORT = "/handelser/rapportera/"

ENGLISH_HEADERS = ["Time", "Category", "Place / area", "Organisation", "Source", "Visibility"]
SWEDISH_HEADERS = ["Tid", "Kategori", "Plats / område", "Organisation", "Källa", "Synlighet"]


@pytest.fixture(autouse=True)
def _back_to_the_default_language():
    """LocaleMiddleware leaves the request's language active in the thread: reset it so an
    English request here cannot make a later test's gettext English."""
    yield
    translation.deactivate()


def read_po(path: Path) -> list[dict]:
    """Entries of a .po file: msgid, msgid_plural (if any), msgstr by index, flags.
    Comments and obsolete (#~) entries are skipped; the header (msgid "") is included."""
    entries: list[dict] = []
    entry: dict | None = None
    flags: set[str] = set()
    key: tuple[str, int | None] | None = None
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            entry, flags, key = None, set(), None
            continue
        if line.startswith("#,"):
            flags |= {flag.strip() for flag in line[2:].split(",")}
            continue
        if line.startswith("#"):
            continue
        if line.startswith('"'):
            text = ast.literal_eval(line)
            assert entry is not None and key is not None, f"continuation without a keyword: {raw}"
            if key[0] == "msgstr":
                entry["msgstr"][key[1]] += text
            else:
                entry[key[0]] += text
            continue
        keyword, _, value = line.partition(" ")
        text = ast.literal_eval(value)
        if keyword == "msgid":
            entry = {"msgid": text, "msgstr": {}, "flags": flags}
            entries.append(entry)
            key = ("msgid", None)
        elif keyword == "msgid_plural":
            assert entry is not None, f"msgid_plural without a msgid in {path.name}: {raw}"
            entry["msgid_plural"] = text
            key = ("msgid_plural", None)
        else:
            match = re.fullmatch(r"msgstr(?:\[(\d+)\])?", keyword)
            assert match and entry is not None, f"unexpected line in {path.name}: {raw}"
            index = int(match.group(1) or 0)
            entry["msgstr"][index] = text
            key = ("msgstr", index)
    return entries


def messages(path: Path = EN_PO) -> list[dict]:
    return [entry for entry in read_po(path) if entry["msgid"]]


def placeholders(text: str) -> list[str]:
    """%(name)s-style and {name}-style placeholders, sorted."""
    return sorted(re.findall(r"%\(\w+\)[sdrf]|\{\w+\}", text))


def page(client, url: str, **headers) -> str:
    response = client.get(url, **headers)
    assert response.status_code == 200
    return response.content.decode()


# --- Pages --------------------------------------------------------------------------------


def test_the_login_page_is_in_english_for_a_browser_that_asks_for_english(client, db):
    html = page(client, LOGIN, HTTP_ACCEPT_LANGUAGE="en")

    assert '<html lang="en">' in html
    assert "<h1>Log in to Trygg</h1>" in html
    assert "Skip to main content" in html
    assert "Logga in i Trygg" not in html


def test_the_login_page_is_in_swedish_by_default_and_for_a_browser_that_asks_for_swedish(
    client, db
):
    for headers in ({}, {"HTTP_ACCEPT_LANGUAGE": "sv"}, {"HTTP_ACCEPT_LANGUAGE": "de"}):
        html = page(client, LOGIN, **headers)

        assert '<html lang="sv">' in html
        assert "<h1>Logga in i Trygg</h1>" in html
        assert "Log in to Trygg" not in html


def test_the_language_switch_sets_english_and_back_to_swedish_for_the_following_pages(client, db):
    response = client.post("/i18n/setlang/", {"language": "en", "next": LOGIN})
    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "<h1>Log in to Trygg</h1>" in page(client, LOGIN, HTTP_ACCEPT_LANGUAGE="sv")

    client.post("/i18n/setlang/", {"language": "sv", "next": LOGIN})
    assert "<h1>Logga in i Trygg</h1>" in page(client, LOGIN, HTTP_ACCEPT_LANGUAGE="en")


def test_the_event_list_shows_english_headings_to_a_coordinator_who_reads_english(
    client, coordinator, make_event, kommunen
):
    make_event(kommunen)
    client.force_login(coordinator)

    html = page(client, LIST, HTTP_ACCEPT_LANGUAGE="en")

    assert "<h1>Events</h1>" in html
    for header in ENGLISH_HEADERS:
        assert f'scope="col">{header}</th>' in html
    assert re.search(r"1 event \d{4}-\d\d-\d\d–\d{4}-\d\d-\d\d", html)  # the singular form
    assert "Graffiti" in html  # the category's English name
    assert "Partners" in html  # the visibility's label
    assert "Händelser" not in html


def test_the_event_list_shows_swedish_headings_to_a_coordinator_by_default(
    client, coordinator, make_event, kommunen
):
    make_event(kommunen)
    make_event(kommunen)
    client.force_login(coordinator)

    html = page(client, LIST)

    assert "<h1>Händelser</h1>" in html
    for header in SWEDISH_HEADERS:
        assert f'scope="col">{header}</th>' in html
    assert re.search(r"2 händelser \d{4}-\d\d-\d\d–\d{4}-\d\d-\d\d", html)  # the plural form
    assert "Klotter" in html
    assert "<h1>Events</h1>" not in html


def test_the_reporting_form_and_its_script_texts_are_english_for_a_coordinator_in_english(
    client, coordinator
):
    client.force_login(coordinator)

    html = page(client, REPORT, HTTP_ACCEPT_LANGUAGE="en")

    assert "<h1>Report an event</h1>" in html
    assert "Use my location" in html
    assert "Finding your location" in html  # a text the page's JavaScript shows
    assert "Hämtar din position" not in html


def test_labels_from_python_code_follow_the_active_language():
    with translation.override("en"):
        assert str(Source.WALK.label) == "safety walk"
    with translation.override("sv"):
        assert str(Source.WALK.label) == "trygghetsvandring"


# --- The catalogue ------------------------------------------------------------------------


def test_every_message_in_the_english_catalogue_is_translated_and_none_is_fuzzy():
    entries = read_po(EN_PO)
    assert len(entries) > 300, "the catalogue was not read"

    fuzzy = [entry["msgid"] for entry in entries if "fuzzy" in entry["flags"]]
    untranslated = [
        entry["msgid"]
        for entry in entries[1:]
        if not entry["msgstr"] or not all(entry["msgstr"].values())
    ]
    assert entries[0]["msgid"] == "", "the header must come first"
    assert not fuzzy
    assert not untranslated


def test_plural_messages_have_both_english_forms():
    plurals = [entry for entry in messages() if "msgid_plural" in entry]
    assert plurals, "the catalogue has no plural messages to check"

    for entry in plurals:
        assert sorted(entry["msgstr"]) == [0, 1], entry["msgid"]
    header = read_po(EN_PO)[0]["msgstr"][0]
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header


def test_english_translations_keep_every_placeholder_of_the_swedish_message():
    for entry in messages():
        forms = [entry["msgid"], entry.get("msgid_plural", entry["msgid"])]
        for index, text in entry["msgstr"].items():
            assert placeholders(text) == placeholders(forms[min(index, 1)]), entry["msgid"]


def test_every_po_file_has_its_compiled_mo_file_beside_it():
    po_files = sorted(LOCALE.glob("*/LC_MESSAGES/*.po"))
    assert EN_PO in po_files

    for po in po_files:
        assert po.with_suffix(".mo").is_file(), f"{po} is not compiled: run `make messages`"


def test_the_compiled_english_catalogue_says_what_the_po_file_says():
    """Loaded with the standard library only, as on a machine without GNU gettext."""
    with EN_MO.open("rb") as mo:
        catalogue = gettext.GNUTranslations(mo)

    for entry in messages():
        if "msgid_plural" in entry:
            for n, index in ((1, 0), (2, 1)):
                translated = catalogue.ngettext(entry["msgid"], entry["msgid_plural"], n)
                assert translated == entry["msgstr"][index], "stale .mo: run `make messages`"
        else:
            translated = catalogue.gettext(entry["msgid"])
            assert translated == entry["msgstr"][0], "stale .mo: run `make messages`"


def test_no_swedish_message_is_changed_by_djangos_own_swedish_catalogues():
    """Our Swedish msgids are also looked up in Django's sv catalogues (admin, auth, ...): one
    that exists there with another msgstr would be replaced. The fix is to map it to itself in
    trygg/locale/sv/LC_MESSAGES/django.po, which wins over Django's (LOCALE_PATHS)."""
    changed = []
    with translation.override("sv"):
        for entry in messages():
            if "msgid_plural" in entry:
                pairs = [
                    (
                        translation.ngettext(entry["msgid"], entry["msgid_plural"], 1),
                        entry["msgid"],
                    ),
                    (
                        translation.ngettext(entry["msgid"], entry["msgid_plural"], 2),
                        entry["msgid_plural"],
                    ),
                ]
            else:
                pairs = [(translation.gettext(entry["msgid"]), entry["msgid"])]
            changed += [(source, shown) for shown, source in pairs if shown != source]

    assert not changed


# Names `makemessages` extracts (xgettext's keywords as Django passes them): a message marked
# through any other name is never in the catalogue, so English readers see Swedish.
EXTRACTED_NAMES = {
    "_",
    "gettext",
    "gettext_lazy",
    "gettext_noop",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "npgettext",
    "npgettext_lazy",
}


def test_translation_functions_are_imported_under_names_makemessages_extracts():
    aliased = []
    for path in Path(settings.BASE_DIR, "trygg").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
                aliased += [
                    f"{path.name}: {name.name} as {name.asname}"
                    for name in node.names
                    if name.asname and name.asname not in EXTRACTED_NAMES
                ]
    assert aliased == []
