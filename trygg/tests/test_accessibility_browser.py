"""The project's own accessibility checks: axe-core (WCAG 2.0 and 2.1, A and AA) in headless
Chromium over the pages in `trygg/core/accessibility.py` (CHECKED_PAGES), public and logged in
as the municipality's coordinator, with a few events to show.

What axe finds is the accessibility statement's list of known gaps. Run with
TRYGG_WRITE_ACCESSIBILITY=1 to write it to `trygg/core/data/accessibility_checks.json`; without
it the test fails when the pages and rules axe finds differ from the file, so the statement can
neither leave out a new gap nor keep listing one that was fixed.

Skipped like the other browser tests when Chromium or Playwright is missing, and when the
axe-core package (axe-playwright-python) is; TRYGG_REQUIRE_BROWSER=1 fails instead."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import os

import pytest

from trygg.core.accessibility import AXE_TAGS, CHECKED_PAGES, RESULTS_FILE
from trygg.places.tests.factories import KARLSTAD_CENTRE
from trygg.walks.tests.test_field_browser import log_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
WAIT_MS = 30_000


@pytest.fixture
def axe():
    if importlib.util.find_spec("axe_playwright_python") is None:
        reason = (
            "the Python package axe-playwright-python is not installed (pip install -e '.[test]')"
        )
        if os.environ.get("TRYGG_REQUIRE_BROWSER") == "1":
            pytest.fail(f"TRYGG_REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def axe_version(axe) -> str:
    """The version axe.min.js states in its first line ('/*! axe v4.12.1')."""
    first = axe.axe_script.split("\n", 1)[0]
    return first.split(" v", 1)[1].strip() if " v" in first else ""


def check(axe, page, url: str) -> list[dict]:
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    page.wait_for_load_state("networkidle", timeout=WAIT_MS)
    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    found = axe.run(page, options=options).response["violations"]
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "tags": [t for t in v["tags"] if t.startswith("wcag")],
            "elements": len(v["nodes"]),
        }
        for v in sorted(found, key=lambda v: v["id"])
    ]


def run_checks(axe, browser, base: str, users: dict) -> list[dict]:
    results = []
    for persona in (None, *sorted({p.persona for p in CHECKED_PAGES if p.persona})):
        # The pages are checked as the browser shows them: axe is put in over the DevTools
        # protocol, which the Content-Security-Policy does not govern.
        context = browser.new_context(locale="sv-SE")
        page = context.new_page()
        if persona is not None:
            log_in(page, base, users[persona].username)
        for checked in (p for p in CHECKED_PAGES if p.persona == persona):
            results.append(
                {"path": checked.path, "violations": check(axe, page, base + checked.path)}
            )
        context.close()
    order = [p.path for p in CHECKED_PAGES]
    return sorted(results, key=lambda r: order.index(r["path"]))


def found_rules(pages: list[dict]) -> set[tuple[str, str]]:
    return {(page["path"], v["id"]) for page in pages for v in page["violations"]}


def test_axe_finds_on_the_checked_pages_what_the_statement_lists(
    axe, browser, live_server, coordinator, kommunen, centrum, make_event
):
    for offset in range(5):
        make_event(kommunen, lat=KARLSTAD_CENTRE[0] + offset * 1e-4)
    pages = run_checks(axe, browser, live_server.url, {"coordinator": coordinator})
    if os.environ.get("TRYGG_WRITE_ACCESSIBILITY") == "1":
        data = {
            # The day the checks ran: the statement's "last updated".
            "checked_on": dt.date.today().isoformat(),
            "axe_version": axe_version(axe),
            "browser": f"Chromium {browser.version.split('.')[0]}",
            "tags": AXE_TAGS,
            "pages": pages,
        }
        RESULTS_FILE.parent.mkdir(exist_ok=True)
        RESULTS_FILE.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n")
    stored = json.loads(RESULTS_FILE.read_text(encoding="utf-8"))
    assert [p["path"] for p in stored["pages"]] == [p.path for p in CHECKED_PAGES], (
        "the statement's pages differ from CHECKED_PAGES: run with TRYGG_WRITE_ACCESSIBILITY=1"
    )
    assert found_rules(pages) == found_rules(stored["pages"]), (
        "axe finds other gaps than the accessibility statement lists: fix them or run with "
        "TRYGG_WRITE_ACCESSIBILITY=1 and commit trygg/core/data/accessibility_checks.json"
    )


def test_the_check_finds_gaps_where_there_are_some(axe, browser):
    """An empty list above means something only if the same check finds the gaps of a page
    that has them: an image without text, a field without a label, grey on grey."""
    context = browser.new_context(locale="sv-SE")
    page = context.new_page()
    page.set_content(
        '<!doctype html><html lang="sv"><head><title>Prov</title></head><body><main>'
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'
        '<input type="text" name="fri">'
        '<p style="color:#aaa;background:#bbb">Svag kontrast</p>'
        "</main></body></html>"
    )
    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    found = {v["id"] for v in axe.run(page, options=options).response["violations"]}
    context.close()
    assert {"image-alt", "label", "color-contrast"} <= found
