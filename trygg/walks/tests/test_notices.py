"""The protocol's e-mails and the reminders: queued as rows, sent by the worker, never twice."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from trygg.core import jobs
from trygg.core.outbox import NO_ADDRESS, SKIPPED
from trygg.core.tests.clock import NOW, TODAY
from trygg.walks.actions.answers import answer_finding
from trygg.walks.models import Answer, WalkNotice
from trygg.walks.notices import run_periodic, schedule_reminders, send_pending
from trygg.walks.tests.factories import sent_walk

pytestmark = [pytest.mark.django_db, pytest.mark.frozen(NOW)]

KBAB_MAILBOX = "trygghet@kbab.example"
POLICE_MAILBOX = "karlstad@polisen.example"
FOLLOWUP = dt.datetime(2026, 11, 27, 17, 0, tzinfo=dt.UTC)  # in 5 days, 18:00 in Stockholm


@pytest.fixture
def mailboxes(bostadsbolaget, polisen):
    bostadsbolaget.contact_email = KBAB_MAILBOX
    bostadsbolaget.save()
    polisen.contact_email = POLICE_MAILBOX
    polisen.save()


@pytest.fixture
def sent(kommunen, coordinator, bostadsbolaget, polisen, centrum, mailboxes):
    return sent_walk(
        kommunen,
        coordinator,
        [
            (bostadsbolaget, "Trasig lampa, ring 070-123 45 67"),
            (bostadsbolaget, "Klotter på elskåpet"),
            (polisen, "Samling vid kiosken"),
        ],
        followup_at=FOLLOWUP,
    )


def test_the_worker_sends_one_mail_per_organisation_once_even_when_run_twice(sent, bostadsbolaget):
    walk, _findings = sent

    first = send_pending(NOW)
    second = send_pending(NOW + dt.timedelta(minutes=1))

    assert (first["sent"], second["sent"]) == (2, 0)
    assert len(mail.outbox) == 2
    kbab = next(m for m in mail.outbox if m.to == [KBAB_MAILBOX])
    assert "Protokoll från trygghetsvandringen" in kbab.subject
    assert reverse("walks:answers", args=[walk.pk, bostadsbolaget.pk]) in kbab.body
    assert "Klotter på elskåpet" in kbab.body and "Samling vid kiosken" not in kbab.body
    row = WalkNotice.objects.get(organisation=bostadsbolaget)
    assert row.sent_at == NOW and row.recipients == KBAB_MAILBOX


def test_the_mail_names_organisations_and_places_never_people_and_quotes_scrubbed_text(
    sent, coordinator
):
    send_pending(NOW)
    body = next(m for m in mail.outbox if m.to == [KBAB_MAILBOX]).body

    assert "Karlstads Bostads AB" in body and "Stora torget" in body
    assert "070-123" not in body
    assert coordinator.get_username() not in body


def test_an_organisation_without_any_address_is_tried_again_later(
    kommunen, coordinator, bostadsbolaget, centrum
):
    sent_walk(kommunen, coordinator, [(bostadsbolaget, "Trasig lampa")])

    assert send_pending(NOW)["failed"] == 1
    row = WalkNotice.objects.get()
    assert row.sent_at is None and row.attempts == 1 and row.last_error == NO_ADDRESS


def test_reminders_are_queued_once_per_organisation_with_unanswered_findings(
    sent, housing_reporter, bostadsbolaget, polisen
):
    _walk, (lamp, graffiti, _gathering) = sent
    answer_finding(lamp, acting_user=housing_reporter, kind=Answer.Kind.PLANNED)

    assert schedule_reminders(TODAY) == 2
    assert schedule_reminders(TODAY) == 0
    assert schedule_reminders(TODAY + dt.timedelta(days=1)) == 0
    reminders = WalkNotice.objects.filter(kind=WalkNotice.Kind.REMINDER)
    assert {(r.organisation_id, r.key) for r in reminders} == {
        (bostadsbolaget.pk, "2026-11-27"),
        (polisen.pk, "2026-11-27"),
    }

    send_pending(NOW)
    reminder = next(m for m in mail.outbox if "Påminnelse" in m.subject and m.to == [KBAB_MAILBOX])
    assert "Klotter på elskåpet" in reminder.body and "Trasig lampa" not in reminder.body


def test_no_reminder_before_a_meeting_more_than_a_week_away(sent):
    walk, _findings = sent
    walk.followup_at = FOLLOWUP + dt.timedelta(days=10)
    walk.save()
    assert schedule_reminders(TODAY) == 0


def test_a_reminder_for_findings_answered_since_is_skipped(sent, housing_reporter, polisen):
    _walk, (lamp, graffiti, _gathering) = sent
    schedule_reminders(TODAY)
    for finding in (lamp, graffiti):
        answer_finding(finding, acting_user=housing_reporter, kind=Answer.Kind.PLANNED)

    send_pending(NOW)

    row = WalkNotice.objects.get(kind=WalkNotice.Kind.REMINDER, organisation__code="kbab")
    assert row.last_error.startswith(SKIPPED) and not row.recipients


def test_the_worker_runs_the_walks_notices_every_minute(sent):
    assert jobs.PERIODIC["trygg.walks.notices.run_periodic"] == 60.0
    assert run_periodic(NOW) == {"queued": 2, "sent": 4, "skipped": 0, "failed": 0}
    assert run_periodic(NOW) == {"queued": 0, "sent": 0, "skipped": 0, "failed": 0}
