"""Reminders before a follow-up: queued for each organisation owning a live commitment in an
adopted promise N days before a period ends, sent by the worker once, never twice."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from trygg.core import jobs
from trygg.core.tests.clock import at
from trygg.promises.actions.promises import adopt, mark_for_removal
from trygg.promises.models import FollowUpReminder
from trygg.promises.reminders import run_periodic, schedule_reminders, send_pending
from trygg.promises.tests.factories import commit, make_agreement, make_promise

# 11 days before the third tertial of 2026 ends (31 December): inside the 14 days.
BEFORE_END = at(dt.date(2026, 12, 20), 8)
LAST_DAY = dt.date(2026, 12, 31)

pytestmark = [pytest.mark.django_db, pytest.mark.frozen(BEFORE_END)]

POLICE_MAILBOX = "karlstad@polisen.example"
MUNICIPAL_MAILBOX = "trygghet@karlstad.example"


@pytest.fixture
def promise(karlstad, kommunen, polisen, coordinator):
    polisen.contact_email = POLICE_MAILBOX
    polisen.save()
    kommunen.contact_email = MUNICIPAL_MAILBOX
    kommunen.save()
    agreement = make_agreement(karlstad, kommunen, polisen, coordinator)
    return make_promise(agreement, coordinator)


@pytest.fixture
def adopted(promise, polisen, kommunen, coordinator):
    commit(promise, polisen, coordinator, text="Genomföra krogkontroller")
    commit(promise, polisen, coordinator, text="Trafikkontroller på riktade platser")
    commit(promise, kommunen, coordinator, text="Utveckla ANDTS-arbetet", column="municipality")
    adopt(promise, adopted_on=dt.date(2023, 6, 20), adopted_by="KS", acting_user=coordinator)
    return promise


def test_one_reminder_is_queued_per_owner_even_when_the_worker_runs_twice(
    adopted, polisen, kommunen
):
    first = schedule_reminders(BEFORE_END.date())
    second = schedule_reminders(BEFORE_END.date() + dt.timedelta(days=1))

    assert (first, second) == (2, 0)
    rows = FollowUpReminder.objects.order_by("organisation__name")
    assert [(r.organisation, r.period_last_day) for r in rows] == [
        (kommunen, LAST_DAY),
        (polisen, LAST_DAY),
    ]


def test_each_owner_gets_one_mail_once_naming_its_commitments_and_the_page(adopted, settings):
    settings.TRYGG_BASE_URL = "https://trygg.example"

    first = run_periodic(BEFORE_END)
    second = run_periodic(BEFORE_END + dt.timedelta(minutes=10))

    assert first == {"queued": 2, "sent": 2, "skipped": 0, "failed": 0}
    assert second == {"queued": 0, "sent": 0, "skipped": 0, "failed": 0}
    assert len(mail.outbox) == 2
    police = next(m for m in mail.outbox if m.to == [POLICE_MAILBOX])
    assert "31 december 2026" in police.subject
    assert "Genomföra krogkontroller" in police.body
    assert "Trafikkontroller på riktade platser" in police.body
    assert "Utveckla ANDTS-arbetet" not in police.body
    assert "1 september–31 december 2026" in police.body
    url = "https://trygg.example" + reverse("promises:follow_ups", args=[adopted.pk])
    assert url in police.body
    assert "samordnare" not in police.body  # organisations, never people
    assert all(row.sent_at == BEFORE_END for row in FollowUpReminder.objects.all())


def test_nothing_is_queued_for_a_promise_not_adopted(promise, polisen, coordinator):
    commit(promise, polisen, coordinator, text="Ett utkast")

    assert run_periodic(BEFORE_END)["queued"] == 0
    assert not FollowUpReminder.objects.exists()
    assert mail.outbox == []


def test_nothing_is_queued_earlier_than_the_setting_says(adopted, settings):
    settings.TRYGG_PROMISE_REMINDER_DAYS = 7

    assert schedule_reminders(BEFORE_END.date()) == 0  # 11 days before the end
    assert schedule_reminders(dt.date(2026, 12, 24)) == 2  # 7 days before
    assert schedule_reminders(dt.date(2027, 1, 1)) == 0  # the new tertial ends in April


def test_an_organisation_whose_commitments_a_revision_removed_is_not_reminded(
    adopted, kommunen, polisen, coordinator
):
    andts = adopted.commitments.get(owner=kommunen)
    mark_for_removal(andts, reason="Sköts i ANDTS-planen", acting_user=coordinator)
    adopt(
        adopted,
        adopted_on=dt.date(2025, 3, 1),
        adopted_by="KS",
        changes="ANDTS-arbetet följs i en egen plan.",
        acting_user=coordinator,
    )

    assert schedule_reminders(BEFORE_END.date()) == 1
    assert FollowUpReminder.objects.get().organisation == polisen


def test_a_reminder_no_longer_true_at_its_turn_is_skipped_not_sent(adopted, kommunen, coordinator):
    schedule_reminders(BEFORE_END.date())
    andts = adopted.commitments.get(owner=kommunen)
    mark_for_removal(andts, reason="Sköts i ANDTS-planen", acting_user=coordinator)
    adopt(
        adopted,
        adopted_on=dt.date(2026, 12, 20),
        adopted_by="KS",
        changes="ANDTS-arbetet följs i en egen plan.",
        acting_user=coordinator,
    )

    counts = send_pending(BEFORE_END)

    assert (counts["sent"], counts["skipped"]) == (1, 1)
    skipped = FollowUpReminder.objects.get(organisation=kommunen)
    assert skipped.sent_at is not None and "åtagande" in skipped.last_error
    assert [m.to for m in mail.outbox] == [[POLICE_MAILBOX]]


def test_the_worker_runs_the_reminders():
    assert jobs.PERIODIC["trygg.promises.reminders.run_periodic"] == 600.0
