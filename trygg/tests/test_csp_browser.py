"""The Content-Security-Policy in a real browser (headless Chromium): the pages with the most
script (the maps, the residents' report page that makes photos smaller on the device, the walk's
field page with its service worker) work under it and the browser refuses nothing.

Skipped like the other browser tests when Chromium is missing (trygg/conftest.py `browser`)."""

from __future__ import annotations

import pytest

from trygg.citizens.models import ReportPhoto
from trygg.citizens.tests.test_report_browser import phone_photo
from trygg.places.tests.factories import KARLSTAD_CENTRE
from trygg.walks.models import Finding
from trygg.walks.tests.factories import make_walk
from trygg.walks.tests.test_field_browser import ROUTE, capture, log_in, wait_until

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
WAIT_MS = 30_000

# Chromium reports each refusal as a console error; the event also reaches the page, and is put
# on the console here too, so that whatever the browser's wording, a refusal is seen.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (e) => {
  console.error("CSP violation: " + e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


def watched_page(browser, **context_options):
    """A page whose Content-Security-Policy refusals (and script errors) are collected."""
    context = browser.new_context(locale="sv-SE", **context_options)
    context.add_init_script(REPORT_VIOLATIONS)
    page = context.new_page()
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text)
            if message.type == "error"
            and ("Content Security Policy" in message.text or "CSP violation" in message.text)
            else None
        ),
    )
    page.on("pageerror", lambda error: refused.append(f"script error: {error}"))
    return context, page, refused


def test_the_maps_and_the_walk_pages_draw_without_a_refusal(
    browser, live_server, coordinator, kommunen, centrum, make_event
):
    for offset in range(12):  # enough in one place to be drawn as a counted cell
        make_event(kommunen, lat=KARLSTAD_CENTRE[0] + offset * 1e-4)
    walk = make_walk(kommunen, area=centrum, route=ROUTE)
    context, page, refused = watched_page(browser)
    log_in(page, live_server.url, coordinator.username)

    page.goto(f"{live_server.url}/handelser/karta/?kommun=1780")
    page.wait_for_selector(".leaflet-marker-icon", timeout=WAIT_MS)  # cells or points, drawn
    page.goto(f"{live_server.url}/lagesbild/")
    page.wait_for_load_state("networkidle")
    page.goto(f"{live_server.url}/vandringar/{walk.pk}/")
    page.wait_for_selector(".walk-stop-icon span", timeout=WAIT_MS)  # styled through the DOM
    assert (
        page.locator(".walk-stop-icon span").first.evaluate(
            "span => getComputedStyle(span).borderRadius"
        )
        == "50%"
    )
    page.goto(f"{live_server.url}/api/v1/docs")
    page.wait_for_selector(".swagger-ui .info", timeout=WAIT_MS)
    page.goto(f"{live_server.url}/admin/")
    page.wait_for_load_state("networkidle")
    context.close()
    assert refused == []


def test_the_report_page_makes_a_photo_smaller_under_the_policy(
    browser, live_server, coordinator, centrum, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    original = phone_photo()
    context, page, refused = watched_page(browser)
    page.goto(f"{live_server.url}/rapportera/?kommun=1780", timeout=WAIT_MS)
    page.wait_for_selector("#report-map.leaflet-container", timeout=WAIT_MS)
    page.fill("#id_lat", str(KARLSTAD_CENTRE[0]).replace(".", ","))
    page.fill("#id_lon", str(KARLSTAD_CENTRE[1]).replace(".", ","))
    page.check("input[name=category][value=belysning]")
    page.fill("#id_description", "Lampan vid trappan är släckt")
    page.set_input_files(
        "#id_photos", files=[{"name": "IMG_1234.jpg", "mimeType": "image/jpeg", "buffer": original}]
    )
    with page.expect_navigation(timeout=WAIT_MS):
        page.click("button[name=step][value=send]")
    assert "kvitto" in page.url
    assert ReportPhoto.objects.get().image.size < len(original) / 2  # shrunk in the browser
    context.close()
    assert refused == []


def test_the_walk_field_page_works_under_the_policy(
    browser, live_server, coordinator, kommunen, centrum, tmp_path
):
    walk = make_walk(kommunen, area=centrum, route=ROUTE)
    photo = tmp_path / "IMG_0001.jpg"
    photo.write_bytes(phone_photo())
    context, page, refused = watched_page(
        browser, viewport={"width": 390, "height": 844}, service_workers="allow"
    )
    log_in(page, live_server.url, coordinator.username)
    page.goto(f"{live_server.url}/vandringar/{walk.pk}/falt/")
    wait_until(page, "() => navigator.serviceWorker.controller !== null")
    page.wait_for_selector(".field-stop-label", timeout=WAIT_MS)
    capture(page, (-40, 30), "lighting", 1, "otrygg_plats.belysning", "Släckt lampa", photo)
    wait_until(page, "() => document.getElementById('field-pending').dataset.waiting === '0'")
    assert Finding.objects.get().photos.count() == 1
    context.close()
    assert refused == []
