"""The shift report's field page in a real browser, as the walk's (walks/tests/
test_field_browser.py, whose gate between the browser and the live server is reused): open it
with network, lose the network, write the report, get the network back. A report the server
refuses (the shift was cancelled meanwhile, a negative count) stays on the phone with the
Swedish reason and nothing is written; corrected, it is stored once, also when sent again."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from trygg.core.tests.browser import WAIT_MS, Gate, wait_for_answers, wait_until
from trygg.events.models import Event, Source
from trygg.organisations.tests.factories import PASSWORD
from trygg.presence.models import ShiftReport, ShiftState
from trygg.presence.tests.factories import make_shift

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

STORED = """() => new Promise((resolve, reject) => {
  const open = indexedDB.open("trygg-shift-reports", 1);
  open.onerror = () => reject(open.error);
  open.onsuccess = () => {
    const request = open.result.transaction("reports").objectStore("reports").getAll();
    request.onsuccess = () => resolve(request.result);
  };
})"""

PUT_BACK = """(rows) => new Promise((resolve, reject) => {
  const open = indexedDB.open("trygg-shift-reports", 1);
  open.onsuccess = () => {
    const transaction = open.result.transaction("reports", "readwrite");
    rows.forEach((row) => transaction.objectStore("reports").put(
      Object.assign({}, row, { state: "waiting", errors: [] })));
    transaction.oncomplete = () => resolve();
    transaction.onerror = () => reject(transaction.error);
  };
})"""


@pytest.fixture
def gate(live_server):
    host, port = live_server.url.removeprefix("http://").split(":")
    found = Gate(host, int(port))
    yield found
    found.close()


@pytest.fixture
def shift(ungdomar, centrum):
    """Last evening's shift of the municipality's youth group (the coordinator's own)."""
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    return make_shift(ungdomar, centrum, yesterday, start=(19, 0), end=(23, 0))


def log_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/konto/logga-in/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "logga-in" not in url, timeout=WAIT_MS)


def open_report_page(browser, gate, shift, user):
    context = browser.new_context(
        locale="sv-SE", viewport={"width": 390, "height": 844}, service_workers="allow"
    )
    page = context.new_page()
    answers: list[int] = []
    page.on(
        "response",
        lambda r: answers.append(r.status) if r.url.endswith("/report") else None,
    )
    base = f"http://127.0.0.1:{gate.port}"
    log_in(page, base, user.username)
    page.goto(f"{base}/narvaro/pass/{shift.pk}/falt/")
    wait_until(page, "() => navigator.serviceWorker.controller !== null")
    return context, page, answers


def go_offline(context, page, gate) -> None:
    gate.shut()
    context.set_offline(True)
    response = page.reload()
    assert response is not None and response.from_service_worker
    page.wait_for_selector("#field-network[data-state=offline]", timeout=WAIT_MS)


def fill_in(page) -> None:
    page.fill("#met-13_17", "12")
    page.fill("#met-over_25", "3")
    page.fill("#done-talks", "8")
    page.select_option("#observation-category", "skadegorelse.klotter")
    page.fill("#observation-note", "Nytt klotter, ring 070-123 45 67")
    page.locator("#observation-add").click()
    page.fill("#report-note", "Lugn kväll vid torget")
    page.locator("#field-form button[type=submit]").click()
    wait_until(page, "() => document.getElementById('field-pending').dataset.waiting === '1'")


def come_online(context, gate) -> None:
    gate.open()
    context.set_offline(False)


def test_a_report_for_a_shift_cancelled_meanwhile_stays_on_the_phone_with_the_reason(
    browser, gate, shift, coordinator
):
    context, page, answers = open_report_page(browser, gate, shift, coordinator)
    go_offline(context, page, gate)
    fill_in(page)
    assert page.locator("#field-pending").inner_text().startswith("Rapporten är sparad")
    # While the phone was out of reach, the shift was called off on the server.
    type(shift).objects.filter(pk=shift.pk).update(state=ShiftState.CANCELLED)

    come_online(context, gate)
    wait_for_answers(page, answers, 1)
    assert answers == [422]
    refused = page.locator("#field-refused-section")
    refused.wait_for(state="visible")
    assert "Passet är inställt och kan inte rapporteras." in refused.inner_text()
    kept = page.evaluate(STORED)
    assert [row["state"] for row in kept] == ["refused"]
    assert kept[0]["fields"]["met"]["13_17"] == 12
    assert not ShiftReport.objects.exists()
    assert not Event.objects.filter(source=Source.SHIFT).exists()
    context.close()


def test_a_refused_count_is_corrected_on_the_phone_and_stored_once(
    browser, gate, shift, coordinator
):
    context, page, answers = open_report_page(browser, gate, shift, coordinator)
    go_offline(context, page, gate)
    fill_in(page)
    # A count the page would not let through, as an older page or another client might send.
    row = page.evaluate(STORED)[0]
    row["fields"]["met"]["13_17"] = -2
    page.evaluate(PUT_BACK, [row])

    come_online(context, gate)
    wait_for_answers(page, answers, 1)
    assert answers == [422]
    refused = page.locator("#field-refused-section")
    refused.wait_for(state="visible")
    assert "Ange ett antal från 0 till 9999." in refused.inner_text()
    assert not ShiftReport.objects.exists()

    page.locator("#field-correct").click()
    # the refused report back in the form
    wait_until(page, "() => document.getElementById('met-13_17').value === '-2'")
    page.fill("#met-13_17", "12")
    page.locator("#field-form button[type=submit]").click()
    wait_for_answers(page, answers, 2)
    assert answers == [422, 201]
    refused.wait_for(state="hidden")
    wait_until(page, f"async () => (await ({STORED})()).length === 0")

    report = ShiftReport.objects.get()
    assert (report.met_13_17, report.met_over_25, report.talks) == (12, 3, 8)
    assert str(report.client_id) == row["id"]
    event = Event.objects.get(source=Source.SHIFT)
    assert "070" not in event.description and event.area_id == shift.area_id
    shift.refresh_from_db()
    assert shift.state == ShiftState.HELD

    # The answer was lost on the way back: the phone sends the same report again.
    page.evaluate(PUT_BACK, [row | {"fields": row["fields"] | {"met": {"13_17": 12}}}])
    page.evaluate("window.dispatchEvent(new Event('online'))")
    wait_for_answers(page, answers, 3)
    assert answers == [422, 201, 200]
    assert ShiftReport.objects.count() == 1
    assert Event.objects.filter(source=Source.SHIFT).count() == 1
    context.close()
