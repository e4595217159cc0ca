"""The accessibility statement (issue 16, point 9): /tillganglighet/ for everyone, linked from
every page's footer, following DIGG's model: status, the known gaps as the project's axe-core
checks found them (trygg/tests/test_accessibility_browser.py writes them), how to report a
problem (the installation's own contact), supervision by DIGG, how and when it was made."""

from __future__ import annotations

import json

import pytest

from trygg.core import accessibility
from trygg.core.accessibility import CHECKED_PAGES, RESULTS_FILE, criteria_of, read_results

pytestmark = pytest.mark.django_db

URL = "/tillganglighet/"
LINK = f'<a href="{URL}">Tillgänglighetsredogörelse</a>'


def results_file(tmp_path, monkeypatch, pages) -> None:
    data = {
        "checked_on": "2026-11-20",
        "axe_version": "4.12.1",
        "browser": "Chromium 156",
        "tags": accessibility.AXE_TAGS,
        "pages": pages,
    }
    path = tmp_path / "checks.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    monkeypatch.setattr(accessibility, "RESULTS_FILE", path)


def contrast_on(path: str, elements: int) -> dict:
    return {
        "path": path,
        "violations": [
            {
                "id": "color-contrast",
                "impact": "serious",
                "help": "Elements must meet minimum color contrast ratio thresholds",
                "tags": ["wcag2aa", "wcag143"],
                "elements": elements,
            }
        ],
    }


def test_the_footer_links_the_statement_on_public_and_logged_in_pages(client, coordinator):
    assert LINK in client.get("/konto/logga-in/").content.decode()
    assert LINK in client.get("/oppen/vandringar/").content.decode()
    client.force_login(coordinator)
    assert LINK in client.get("/handelser/").content.decode()
    assert LINK in client.get("/narvaro/").content.decode()


def test_the_statement_renders_without_login_with_the_stored_checks(client):
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    stored = read_results()
    assert "Tillgänglighet för Trygg" in page
    assert "lagen (2018:1937) om tillgänglighet till digital offentlig service" in page
    assert "Status: delvis förenlig." in page
    assert f"axe-core {stored.axe_version}" in page
    assert f"Redogörelsen uppdaterades senast {stored.checked_on.isoformat()}" in page
    assert "https://www.digg.se/tdosanmalan" in page and "Tillsyn" in page
    for checked in CHECKED_PAGES:
        assert f"<code>{checked.path}</code>" in page


def test_the_stored_checks_cover_exactly_the_checked_pages():
    stored = json.loads(RESULTS_FILE.read_text(encoding="utf-8"))
    assert [page["path"] for page in stored["pages"]] == [page.path for page in CHECKED_PAGES]


def test_no_gaps_found_is_still_partly_compliant_and_says_why(client, tmp_path, monkeypatch):
    results_file(tmp_path, monkeypatch, [{"path": p.path, "violations": []} for p in CHECKED_PAGES])
    page = client.get(URL).content.decode()
    assert "Status: delvis förenlig." in page
    assert "prövar inte alla krav i WCAG 2.1 nivå AA" in page
    assert "Innehåll som inte är tillgängligt" not in page
    assert "Status: helt förenlig" not in page


def test_the_gaps_the_checks_found_are_listed_by_rule_with_criteria_and_pages(
    client, tmp_path, monkeypatch
):
    results_file(
        tmp_path,
        monkeypatch,
        [
            contrast_on("/handelser/", 3),
            contrast_on("/narvaro/", 1),
            {"path": URL, "violations": []},
        ],
    )
    page = client.get(URL).content.decode()
    assert "Innehåll som inte är tillgängligt" in page
    assert "Text har för låg kontrast mot bakgrunden." in page
    assert "1.4.3" in page and "allvarlig" in page
    assert "Händelser (3 element), Närvaro: kalendern (1 element)" in page
    assert 'lang="en">Elements must meet minimum color contrast ratio thresholds' in page


def test_without_stored_checks_the_status_is_not_assessed(client, tmp_path, monkeypatch):
    monkeypatch.setattr(accessibility, "RESULTS_FILE", tmp_path / "none.json")
    page = client.get(URL).content.decode()
    assert "Status: inte bedömd." in page and "delvis förenlig" not in page


def test_the_contact_is_the_installations_own(client, settings):
    settings.TRYGG_ACCESSIBILITY_ORGANISATION = "Karlstads kommun"
    settings.TRYGG_ACCESSIBILITY_EMAIL = "tillganglighet@karlstad.example"
    settings.TRYGG_ACCESSIBILITY_PHONE = "054 540 00 00"
    settings.TRYGG_ACCESSIBILITY_RESPONSE_DAYS = 5
    page = client.get(URL).content.decode()
    assert "Karlstads kommun står bakom den här webbplatsen." in page
    assert 'href="mailto:tillganglighet@karlstad.example"' in page
    assert 'href="tel:0545400000"' in page
    assert "Vi svarar inom 5 arbetsdagar." in page


def test_without_a_contact_the_page_says_whom_to_ask(client, settings):
    settings.TRYGG_ACCESSIBILITY_EMAIL = ""
    settings.TRYGG_ACCESSIBILITY_PHONE = ""
    page = client.get(URL).content.decode()
    assert "har inte angett någon kontakt för tillgänglighet" in page
    assert "mailto:" not in page


def test_axe_tags_become_wcag_criteria():
    assert criteria_of(["wcag2aa", "wcag143", "wcag1410", "cat.color"]) == ("1.4.3", "1.4.10")
