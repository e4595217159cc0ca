"""Tonight's map in a real browser (headless Chromium): the areas with shifts are drawn over
the base map and their popup names the group, the time and how many. Skipped like the other
browser tests when Chromium is missing (trygg/conftest.py `browser`)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from trygg.organisations.tests.factories import PASSWORD
from trygg.presence.evenings import calendar_day
from trygg.presence.tests.factories import make_shift

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
WAIT_MS = 30_000


def test_tonights_shifts_are_drawn_and_named_on_the_map(
    browser, live_server, coordinator, centrum, kronoparken, ungdomar
):
    tonight = calendar_day(timezone.now(), timezone.get_default_timezone())
    make_shift(ungdomar, centrum, tonight, start=(19, 0), end=(23, 0), people=6)
    page = browser.new_context(locale="sv-SE").new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/konto/logga-in/?next=/narvaro/", timeout=WAIT_MS)
    page.fill("input[name=username]", coordinator.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_selector("#tonight-map path.leaflet-interactive", timeout=WAIT_MS)
    assert page.inner_text("#tonight-map-status") == "Områden med pass i kväll på kartan: 1."
    page.click("#tonight-map path.leaflet-interactive", force=True)
    popup = page.wait_for_selector(".presence-popup", timeout=WAIT_MS).inner_text()
    assert "Centrum" in popup and "Ungdomar för trygghet 19:00–23:00" in popup
    assert "6 personer" in popup
    assert errors == []
