"""Reminder and feedback e-mails about measures: queued as rows, sent by the worker, never twice.

"Today" and "now" are passed in. The clock is frozen at NOW because the rows' created_at (when
they were queued) is stamped from it and the retry schedule counts from there."""

from __future__ import annotations

import datetime as dt
import io
import smtplib
import threading
import time

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.core.mail.backends import locmem
from django.core.management import call_command
from django.db import connection, connections
from django.utils import timezone

from trygg.core import jobs
from trygg.core.tests.clock import NOW, TODAY, at
from trygg.measures import notifications
from trygg.measures.actions.measures import (
    assign_measure,
    create_measure,
    link_events,
    set_measure_status,
    update_measure,
)
from trygg.measures.models import Notification, Status
from trygg.measures.notifications import (
    MAX_ATTEMPTS,
    NO_ADDRESS,
    SKIPPED,
    run_periodic,
    schedule_reminders,
    send_pending,
)
from trygg.places.tests.factories import make_place

pytestmark = [pytest.mark.django_db, pytest.mark.frozen(NOW)]
Kind = Notification.Kind

IN_A_MONTH = TODAY + dt.timedelta(days=30)
KBAB_MAILBOX = "trygghet@kbab.example"
POLICE_MAILBOX = "karlstad@polisen.example"


def days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


def on(day: dt.date) -> dt.datetime:
    """Noon in Stockholm on `day`: on TODAY, the frozen now itself."""
    return at(day, NOW.hour)


@pytest.fixture
def kbab(bostadsbolaget):
    bostadsbolaget.contact_email = KBAB_MAILBOX
    bostadsbolaget.save()
    return bostadsbolaget


@pytest.fixture
def torget(karlstad, centrum):
    return make_place(karlstad, "Stora torget", area=centrum)


@pytest.fixture
def measure_for(karlstad, coordinator, torget):
    def make(responsible, due=IN_A_MONTH, **fields):
        values = {
            "title": "Bättre belysning på torget",
            "status": Status.AGREED,
            "due": due,
            "place": torget,
            "description": "Byt armaturer längs gångstråket.",
        }
        values.update(fields)
        return create_measure(
            karlstad, acting_user=coordinator, responsible=responsible, today=TODAY, **values
        )

    return make


def kinds_sent(kind: str) -> list[Notification]:
    return list(Notification.objects.filter(kind=kind).exclude(sent_at=None).exclude(recipients=""))


def test_an_assignment_is_mailed_once_to_the_organisations_shared_mailbox(measure_for, kbab):
    measure = measure_for(kbab)

    assert run_periodic(on(TODAY))["sent"] == 1
    assert run_periodic(on(TODAY + days(1)))["sent"] == 0

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [KBAB_MAILBOX]
    assert "Ny åtgärd att ansvara för: Bättre belysning på torget" in message.subject
    assert f"/atgarder/{measure.pk}/" in message.body
    assert message.body.count("http") == 1 and "://" in message.body
    assert "Stora torget (Centrum), Karlstad" in message.body
    assert "Karlstads Bostads AB" in message.body
    row = Notification.objects.get(kind=Kind.ASSIGNED)
    assert row.sent_at is not None and row.recipients == KBAB_MAILBOX and row.attempts == 1


def test_the_links_use_the_sites_public_address_when_it_is_set(measure_for, kbab, settings):
    settings.TRYGG_BASE_URL = "https://trygg.karlstad.example/"
    measure = measure_for(kbab)
    send_pending(on(TODAY))
    assert f"https://trygg.karlstad.example/atgarder/{measure.pk}/" in mail.outbox[0].body


def test_a_reminder_goes_out_once_a_week_before_the_due_date(measure_for, kbab):
    due = TODAY + days(10)
    measure_for(kbab, due=due)
    send_pending(on(TODAY))
    mail.outbox.clear()

    assert schedule_reminders(due - days(8)) == 0
    for day in (due - days(7), due - days(6), due - days(1)):
        run_periodic(on(day))

    assert len(mail.outbox) == 1
    assert "Påminnelse" in mail.outbox[0].subject
    assert "ska vara klar om 7 dagar" in mail.outbox[0].body
    row = Notification.objects.get(kind=Kind.DUE_SOON)
    assert (row.key, row.organisation) == (due.isoformat(), kbab)


def test_a_moved_due_date_earns_a_fresh_reminder(measure_for, kbab, coordinator):
    measure = measure_for(kbab, due=TODAY + days(5))
    run_periodic(on(TODAY))
    update_measure(measure, acting_user=coordinator, due=TODAY + days(3))
    run_periodic(on(TODAY + days(1)))

    reminders = [m for m in mail.outbox if "Påminnelse" in m.subject]
    assert len(reminders) == 2
    assert "om 2 dagar" in reminders[1].body
    keys = set(Notification.objects.filter(kind=Kind.DUE_SOON).values_list("key", flat=True))
    assert keys == {(TODAY + days(5)).isoformat(), (TODAY + days(3)).isoformat()}


def test_an_overdue_measure_is_reminded_once_and_never_told_it_is_due_soon(measure_for, kbab):
    due = TODAY + days(2)
    measure_for(kbab, due=due)
    send_pending(on(TODAY))
    mail.outbox.clear()

    for day in (due + days(1), due + days(2), due + days(30)):
        run_periodic(on(day))

    assert [m.subject for m in mail.outbox] == [
        "[Trygg] Försenad åtgärd: Bättre belysning på torget"
    ]
    assert not Notification.objects.filter(kind=Kind.DUE_SOON).exists()


def test_a_due_soon_reminder_that_waited_until_the_measure_was_late_is_not_sent(measure_for, kbab):
    due = TODAY + days(3)
    measure_for(kbab, due=due)
    send_pending(on(TODAY))
    schedule_reminders(TODAY)  # queued, but the worker was stopped until after the due date
    mail.outbox.clear()

    run_periodic(on(due + days(1)))

    assert [m.subject for m in mail.outbox] == [
        "[Trygg] Försenad åtgärd: Bättre belysning på torget"
    ]
    skipped = Notification.objects.get(kind=Kind.DUE_SOON)
    assert skipped.last_error == SKIPPED + "åtgärden är redan försenad" and skipped.sent_at


def test_a_done_measure_tells_the_organisations_whose_events_it_came_from(
    measure_for, kbab, polisen, kommunen, coordinator, make_event
):
    polisen.contact_email = POLICE_MAILBOX
    polisen.save()
    measure = measure_for(kbab)
    link_events(measure, [make_event(polisen), make_event(polisen)], acting_user=coordinator)
    set_measure_status(measure, Status.DONE, acting_user=coordinator, today=TODAY)

    run_periodic(on(TODAY))

    done = [m for m in mail.outbox if "Åtgärd klar" in m.subject]
    assert [m.to for m in done] == [[POLICE_MAILBOX]]
    body = done[0].body
    assert "Bättre belysning på torget" in body and "Stora torget (Centrum)" in body
    assert "bygger på 2 händelser som Polisen lokalpolisområde Karlstad har rapporterat" in body
    assert f"Blev klar: {TODAY.day} " in body
    told = set(Notification.objects.filter(kind=Kind.DONE).values_list("organisation", flat=True))
    assert told == {polisen.pk}  # not kbab (responsible) nor kommunen: no events of theirs


def test_without_a_shared_mailbox_the_coordinators_get_it_else_the_reporters(
    measure_for, kommunen, bostadsbolaget, coordinator, housing_reporter, analyst
):
    coordinator.email, housing_reporter.email, analyst.email = (
        "samordnare@karlstad.example",
        "bovard@kbab.example",
        "analytiker@karlstad.example",
    )
    for user in (coordinator, housing_reporter, analyst):
        user.save()
    measure_for(kommunen)
    measure_for(bostadsbolaget, title="Klotter i trapphuset")

    send_pending(on(TODAY))

    sent_to = {m.subject.split(": ", 1)[1]: m.to for m in mail.outbox}
    assert sent_to == {
        "Bättre belysning på torget": ["samordnare@karlstad.example"],
        "Klotter i trapphuset": ["bovard@kbab.example"],
    }


def test_a_measure_cancelled_before_the_mail_went_out_is_not_mailed(measure_for, kbab, coordinator):
    measure = measure_for(kbab)
    set_measure_status(measure, Status.CANCELLED, acting_user=coordinator, reason="Dubblett")

    assert send_pending(on(TODAY)) == {"skipped": 1}

    assert mail.outbox == []
    row = Notification.objects.get()
    assert row.sent_at is not None and row.recipients == ""
    assert row.last_error == SKIPPED + "åtgärden är avslutad"


def test_a_measure_reassigned_before_the_mail_went_out_is_only_announced_to_the_new_owner(
    measure_for, kbab, polisen, coordinator
):
    polisen.contact_email = POLICE_MAILBOX
    polisen.save()
    measure = measure_for(kbab)
    assign_measure(measure, polisen, acting_user=coordinator)
    assign_measure(measure, kbab, acting_user=coordinator)  # and back again

    send_pending(on(TODAY))

    assert [m.to for m in mail.outbox] == [[KBAB_MAILBOX]]
    assert (
        Notification.objects.filter(kind=Kind.ASSIGNED, last_error__startswith=SKIPPED).count() == 2
    )


def test_without_any_address_nothing_is_sent_the_tries_are_counted_and_then_given_up(
    measure_for, bostadsbolaget, housing_reporter
):
    measure_for(bostadsbolaget)  # no mailbox; its reporter has no e-mail address

    send_pending(on(TODAY))
    send_pending(on(TODAY))  # too soon for another try
    row = Notification.objects.get()
    assert (row.sent_at, row.attempts, row.last_error) == (None, 1, NO_ADDRESS)

    for hours in range(1, 30):
        send_pending(on(TODAY) + dt.timedelta(hours=hours))
    row.refresh_from_db()
    assert (row.sent_at, row.attempts, row.last_error) == (None, MAX_ATTEMPTS, NO_ADDRESS)
    assert mail.outbox == []


def test_a_failing_mail_server_leaves_the_row_unsent_and_it_is_tried_again_later(
    measure_for, kbab, monkeypatch
):
    measure_for(kbab)

    def refuse(self, fail_silently=False):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    with monkeypatch.context() as patched:
        patched.setattr(EmailMessage, "send", refuse)
        assert send_pending(on(TODAY)) == {"failed": 1}
    row = Notification.objects.get()
    assert row.sent_at is None and row.attempts == 1
    assert row.last_error == "SMTPServerDisconnected: Connection unexpectedly closed"

    assert send_pending(on(TODAY) + dt.timedelta(hours=1)) == {"sent": 1}
    row.refresh_from_db()
    assert row.sent_at is not None and row.attempts == 2 and row.last_error == ""
    assert len(mail.outbox) == 1


def test_no_personal_identity_number_reaches_a_mail_even_when_typed_into_the_title(
    measure_for, kbab, polisen, coordinator, make_event
):
    polisen.contact_email = POLICE_MAILBOX
    polisen.save()
    measure = measure_for(
        kbab,
        title="Klotter, anmält av 19811218-9876",
        description="Ring 070-123 45 67 om porten.",
        due=TODAY + days(3),
    )
    link_events(measure, [make_event(polisen)], acting_user=coordinator)
    run_periodic(on(TODAY))
    set_measure_status(measure, Status.DONE, acting_user=coordinator, today=TODAY)
    run_periodic(on(TODAY))

    assert {m.subject.split(":")[0] for m in mail.outbox} == {
        "[Trygg] Ny åtgärd att ansvara för",
        "[Trygg] Påminnelse",
        "[Trygg] Åtgärd klar",
    }
    for message in mail.outbox:
        text = message.subject + message.body
        assert "19811218" not in text and "9876" not in text and "123 45 67" not in text
        assert "[personnummer borttaget]" in message.subject


def test_two_workers_queueing_the_same_reminder_at_once_leave_one_row(
    measure_for, kbab, monkeypatch
):
    measure_for(kbab, due=TODAY + days(3))
    assert schedule_reminders(TODAY) == 1
    # The second worker looked before the first one's row was there.
    monkeypatch.setattr(notifications, "_existing_reminders", lambda candidates: set())
    schedule_reminders(TODAY)
    assert Notification.objects.filter(kind=Kind.DUE_SOON).count() == 1


def test_the_worker_sends_what_is_due_in_one_round(measure_for, kbab):
    measure_for(kbab, due=TODAY + days(3))
    out = io.StringIO()
    call_command("worker", "--once", stdout=out)
    assert sorted(m.subject.split(":")[0] for m in mail.outbox) == [
        "[Trygg] Ny åtgärd att ansvara för",
        "[Trygg] Påminnelse",
    ]
    assert "trygg.measures.notifications.run_periodic: queued=1, sent=2" in out.getvalue()


def test_send_reminders_runs_the_same_once_and_prints_the_counts(measure_for, kbab):
    measure_for(kbab, due=TODAY - days(1))
    out = io.StringIO()
    call_command("send_reminders", stdout=out)
    assert "Nya påminnelser: 1. Skickade e-brev: 2." in out.getvalue()
    call_command("send_reminders", stdout=out)
    assert "Nya påminnelser: 0. Skickade e-brev: 0." in out.getvalue()
    assert len(mail.outbox) == 2


CALLS: list[dt.datetime] = []


def counting_task(now: dt.datetime) -> dict[str, int]:
    CALLS.append(now)
    return {"calls": len(CALLS)}


def failing_task(now: dt.datetime) -> dict[str, int]:
    raise RuntimeError("e-postservern svarar inte")


def test_the_workers_periodic_tasks_run_at_their_interval_and_a_failure_stops_none(monkeypatch):
    monkeypatch.setattr(
        jobs, "PERIODIC", {f"{__name__}.failing_task": 60.0, f"{__name__}.counting_task": 60.0}
    )
    monkeypatch.setattr(jobs, "_last_periodic_run", {})
    CALLS.clear()

    assert jobs.run_periodic(NOW) == {f"{__name__}.counting_task": {"calls": 1}}
    assert jobs.run_periodic(NOW) == {}  # within the minute
    assert jobs.run_periodic(NOW, force=True) == {f"{__name__}.counting_task": {"calls": 2}}
    assert CALLS == [NOW, NOW]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_sending_at_once_send_each_mail_once(measure_for, kbab, monkeypatch):
    for number in range(6):
        measure_for(kbab, title=f"Åtgärd {number}")
    deliver = locmem.EmailBackend.send_messages

    def slow(self, messages):
        time.sleep(0.1)  # long enough for the other worker to reach the same rows
        return deliver(self, messages)

    monkeypatch.setattr(locmem.EmailBackend, "send_messages", slow)

    def worker(results: list) -> None:
        try:
            results.append(send_pending(timezone.now()))
        finally:
            connections.close_all()

    results: list = []
    threads = [threading.Thread(target=worker, args=(results,)) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sum(counts["sent"] for counts in results) == 6
    assert sorted(m.subject for m in mail.outbox) == sorted(
        f"[Trygg] Ny åtgärd att ansvara för: Åtgärd {number}" for number in range(6)
    )
