"""The staff menu in a real browser (headless Chromium) at 1280 px, the narrowest common desktop
width: for the coordinator, who sees the most entries, it is one line, with the residents'
pages behind the one entry "Invånare" and Admin beside the account (for a coordinator who is
also staff). Skipped like the other browser tests when Chromium is missing (trygg/conftest.py
`browser`)."""

from __future__ import annotations

import pytest

from trygg.citizens.tests.desk_factories import make_centre
from trygg.organisations.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
WAIT_MS = 30_000

MENU_LAYOUT = """() => {
  const box = (element) => element.getBoundingClientRect();
  const items = [...document.querySelectorAll('.main-nav li')];
  return {tops: items.map((li) => Math.round(box(li).top)),
          labels: items.map((li) => li.innerText)};
}"""


@pytest.mark.parametrize("staff", [False, True])
def test_the_coordinators_menu_is_one_line_at_1280_px(
    browser, live_server, coordinator, karlstad, kommunen, polisen, staff
):
    # A centre, so the coordinator works with every part the menu leads to.
    make_centre(karlstad, kommunen, polisen)
    coordinator.is_staff = staff
    coordinator.save(update_fields=["is_staff"])
    page = browser.new_context(locale="sv-SE", viewport={"width": 1280, "height": 800}).new_page()
    page.goto(f"{live_server.url}/konto/logga-in/", timeout=WAIT_MS)
    page.fill("input[name=username]", coordinator.get_username())
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "logga-in" not in url, timeout=WAIT_MS)

    page.goto(f"{live_server.url}/atgarder/", timeout=WAIT_MS)
    layout = page.evaluate(MENU_LAYOUT)

    assert "Invånare" in layout["labels"] and len(layout["labels"]) == 10, layout
    assert len(set(layout["tops"])) == 1, layout  # no entry wrapped to a second line
    assert page.locator(".account-actions a", has_text="Admin").count() == int(staff)
