"""The field page in a real browser (headless Chromium driven by Playwright): load it, lose the
network, reload it from the service worker, capture two findings, get the network back and
see them on the server exactly once, also when they are sent again.

"Offline" here is two things at once: Playwright's offline emulation (so the page sees
`navigator.onLine` false and gets its `online` event back), and a gate between the browser and
the live server that refuses every connection while shut. Offline emulation has not covered a
service worker's own requests in every Chromium, so the gate is what makes sure nothing
reaches the server: whatever the page shows while it is shut came from the phone.

The `browser` fixture (trygg/conftest.py) skips these tests, with the reason, without
/usr/bin/chromium or the playwright package, unless TRYGG_REQUIRE_BROWSER=1 (as in CI), where
their absence fails them."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from PIL import Image

from trygg.core.tests.browser import WAIT_MS, Gate, wait_for_answers, wait_until
from trygg.events.models import Event, Source
from trygg.organisations.tests.factories import PASSWORD
from trygg.walks.models import Finding, FindingPhoto
from trygg.walks.tests.factories import STOP_POSITIONS, make_walk

ROUTE = {"type": "LineString", "coordinates": [[13.5036, 59.3793], [13.5080, 59.3810]]}

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def gate(live_server):
    address = urlsplit(live_server.url)
    found = Gate(address.hostname or "127.0.0.1", address.port or 80)
    yield found
    found.close()


@pytest.fixture
def walk(kommunen, centrum):
    return make_walk(kommunen, area=centrum, route=ROUTE)


@pytest.fixture
def phone_photo(tmp_path) -> Path:
    """A photo as a phone takes it, larger than the page keeps (longest side 1600 px)."""
    path = tmp_path / "IMG_0001.jpg"
    Image.new("RGB", (2400, 1800), (120, 140, 90)).save(path, format="JPEG", quality=90)
    return path


def test_findings_captured_offline_reach_the_server_exactly_once(
    browser, gate, walk, coordinator, phone_photo
):
    context, page, answers = open_field_page(browser, gate, walk, coordinator)

    # The server out of reach while the phone believes it is online: the worker tries the
    # network, gets nothing, and serves the page and the data it kept.
    gate.shut()
    response = page.reload()
    assert response is not None and response.from_service_worker
    page.wait_for_selector(".field-stop-label >> nth=1", timeout=WAIT_MS)
    assert gate.refused > 0
    # And offline as the phone sees it (no network at all): the same, and the page says so.
    context.set_offline(True)
    response = page.reload()
    assert response is not None and response.from_service_worker
    page.wait_for_selector(".field-stop-label >> nth=1", timeout=WAIT_MS)
    assert page.locator("#field-network").inner_text().startswith("Ingen uppkoppling")

    capture(
        page, (-40, 30), "lighting", 1, "otrygg_plats.belysning", "Ring 070-123 45 67 om lampan"
    )
    capture(
        page, (50, -20), "openness", 2, "skadegorelse.klotter", "Klotter på elskåpet", phone_photo
    )
    pending = page.locator("#field-pending")
    assert pending.inner_text() == "2 iakttagelser väntar på att skickas."
    kept = stored_findings(page)
    assert [row["photos"] for row in kept] == [0, 1]
    assert not Finding.objects.exists()

    gate.open()
    context.set_offline(False)
    wait_until(page, "() => document.getElementById('field-pending').dataset.waiting === '0'")
    assert pending.inner_text() == "Inga iakttagelser väntar på att skickas."
    assert answers == [201, 201]
    assert_two_findings_on_the_server(kept)

    # The answers were lost on the way back: the phone still has both and sends them again.
    page.evaluate(PUT_BACK, kept)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    wait_for_answers(page, answers, 4)
    assert answers == [201, 201, 200, 200]
    # Each answered finding leaves the phone.
    wait_until(page, f"async () => (await ({STORED_FINDINGS})()).length === 0")
    assert_two_findings_on_the_server(kept)
    context.close()


def test_a_refused_finding_stays_on_the_phone_with_the_reasons_and_holds_up_no_other(
    browser, gate, walk, coordinator
):
    context, page, answers = open_field_page(browser, gate, walk, coordinator)
    outside = {"lat": 59.3300, "lon": 14.5200, "note": "Vid Karlskoga torg"}  # Karlskoga
    page.evaluate(PUT_BACK, [waiting_finding(walk, 1, **outside), waiting_finding(walk, 2)])
    page.evaluate("window.dispatchEvent(new Event('online'))")
    wait_for_answers(page, answers, 2)

    assert answers == [422, 201]
    refused = page.locator("#field-refused-section")
    refused.wait_for(state="visible")
    assert "Karlstad" in refused.inner_text()  # the server's Swedish reason
    assert Finding.objects.count() == 1

    # Corrected on the phone (a new position on the map), it is sent and leaves the list.
    page.locator("#field-refused button", has_text="Rätta").click()
    assert page.locator("#field-note").input_value() == "Vid Karlskoga torg"
    tap_map(page, (0, 0))
    page.locator("#field-form button[type=submit]").click()
    wait_for_answers(page, answers, 3)
    assert answers == [422, 201, 201]
    refused.wait_for(state="hidden")
    assert Finding.objects.count() == 2
    context.close()


def test_after_logout_the_phone_keeps_no_field_page_but_the_findings_not_yet_sent(
    browser, gate, walk, coordinator
):
    context, page, _answers = open_field_page(browser, gate, walk, coordinator)
    gate.shut()  # nothing is sent: the finding stays on the phone
    page.evaluate(PUT_BACK, [waiting_finding(walk, 1)])
    assert page.evaluate(KEPT_CACHES)
    gate.open()

    page.locator("form[action$='logga-ut/'] button").click()
    page.wait_for_url(lambda url: "logga-in" in url, timeout=WAIT_MS)
    wait_until(page, f"async () => (await ({KEPT_CACHES})()).length === 0")
    wait_until(page, "async () => (await navigator.serviceWorker.getRegistrations()).length === 0")
    assert len(page.evaluate(STORED_FINDINGS)) == 1
    context.close()


KEPT_CACHES = """async () => (await caches.keys()).filter(n => n.startsWith('trygg-field-'))"""


def open_field_page(browser, gate, walk, user):
    """A phone-sized browser, logged in through the gate, on the walk's field page once its
    service worker controls it; with the list of the server's answers to findings sent."""
    context = browser.new_context(
        locale="sv-SE", viewport={"width": 390, "height": 844}, service_workers="allow"
    )
    page = context.new_page()
    answers: list[int] = []  # the server's answers to the findings sent, in order
    page.on(
        "response",
        lambda response: answers.append(response.status) if "/findings" in response.url else None,
    )
    base = f"http://127.0.0.1:{gate.port}"
    log_in(page, base, user.username)
    page.goto(f"{base}/vandringar/{walk.pk}/falt/")
    # The worker has installed (the page, data and files are kept) and controls the page.
    wait_until(page, "() => navigator.serviceWorker.controller !== null")
    page.wait_for_selector(".field-stop-label", timeout=WAIT_MS)
    return context, page, answers


def waiting_finding(walk, order: int, **fields) -> dict:
    """A finding as the page keeps it, made `order` minutes ago (the server's clock, which
    `--clock` may have moved)."""
    client_id = str(uuid.uuid4())
    lat, lon, _name = STOP_POSITIONS[0]
    values = {
        "client_id": client_id,
        "lat": lat,
        "lon": lon,
        "captured_at": (timezone.now() - dt.timedelta(minutes=order)).isoformat(),
        "category": "otrygg_plats.belysning",
        "note": "Lampan vid trappan är trasig",
        "scores": [{"item": "lighting", "score": 1}],
        "stop": None,
    } | fields
    return {"id": client_id, "walkId": walk.pk, "createdAt": order, "fields": values}


def tap_map(page, offset) -> None:
    page.locator("#field-map").scroll_into_view_if_needed()
    box = page.locator("#field-map").bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2 + offset[0], box["y"] + box["height"] / 2 + offset[1]
    page.mouse.click(x, y)


def log_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/konto/logga-in/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "logga-in" not in url, timeout=WAIT_MS)


def capture(page, offset, item: str, score: int, category: str, note: str, photo=None) -> None:
    """One finding as a participant makes it: a tap on the map, a scored item, a category, a
    note and maybe a photo, then Save."""
    tap_map(page, offset)
    page.check(f"#item-{item}")
    page.locator(f"label[for=score-{item}-{score}]").click()
    page.select_option("#field-category", category)
    page.fill("#field-note", note)
    if photo is not None:
        page.set_input_files("#field-photos", str(photo))
        page.wait_for_selector("#field-photo-list li", timeout=WAIT_MS)
    before = page.locator("#field-pending").get_attribute("data-waiting") or "0"
    page.locator("#field-form button[type=submit]").click()
    waiting = int(before) + 1
    wait_until(page, f"() => document.getElementById('field-pending').dataset.waiting == {waiting}")


STORED_FINDINGS = """() => new Promise((resolve, reject) => {
  const open = indexedDB.open("trygg-field", 1);
  open.onerror = () => reject(open.error);
  open.onsuccess = () => {
    const request = open.result.transaction("findings").objectStore("findings").getAll();
    // Kept by id (random): in the order they were made, as the page sends them.
    const rows = () => request.result.sort((a, b) => a.createdAt - b.createdAt);
    request.onsuccess = () => resolve(rows().map((f) => ({
      id: f.id, walkId: f.walkId, createdAt: f.createdAt, state: f.state,
      fields: f.fields, photos: f.photos.length,
    })));
  };
})"""

PUT_BACK = """(rows) => new Promise((resolve, reject) => {
  const open = indexedDB.open("trygg-field", 1);
  open.onsuccess = () => {
    const transaction = open.result.transaction("findings", "readwrite");
    rows.forEach((row) => transaction.objectStore("findings").put(
      Object.assign({}, row, { state: "waiting", errors: [], photos: [] })));
    transaction.oncomplete = () => resolve();
    transaction.onerror = () => reject(transaction.error);
  };
})"""


def stored_findings(page) -> list[dict]:
    rows = page.evaluate(STORED_FINDINGS)
    assert [row["state"] for row in rows] == ["waiting", "waiting"]
    return rows


def assert_two_findings_on_the_server(kept: list[dict]) -> None:
    findings = list(Finding.objects.select_related("event").order_by("number"))
    assert [str(f.client_id) for f in findings] == [row["id"] for row in kept]
    assert Event.objects.filter(source=Source.WALK).count() == 2
    first, second = findings
    assert "070" not in first.event.description and first.event.was_scrubbed
    assert [(s.item.code, s.score) for s in first.scores.all()] == [("lighting", 1)]
    assert [(s.item.code, s.score) for s in second.scores.all()] == [("openness", 2)]
    photo = FindingPhoto.objects.get()
    assert photo.finding_id == second.pk
    with Image.open(photo.image) as stored:
        assert max(stored.size) <= 1600  # made smaller on the phone before it was sent
