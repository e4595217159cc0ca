"""Status mails: queued once by the actions, sent once by the worker with the status itself,
and the address gone after the last mail."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from trygg.citizens.actions import moderation
from trygg.citizens.models import StatusContact, StatusNotice
from trygg.citizens.notices import ADDRESS_FORGOTTEN, run_periodic
from trygg.citizens.tests.factories import resident_report
from trygg.core import jobs
from trygg.core.outbox import SKIPPED
from trygg.core.tests.clock import NOW

pytestmark = [pytest.mark.django_db, pytest.mark.frozen(NOW)]

ADDRESS = "boende@example.se"


@pytest.fixture(autouse=True)
def karlstad_takes_reports(coordinator, centrum, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_closing_queues_one_mail_sent_once_and_then_the_address_is_deleted(coordinator):
    report, token = resident_report(email=ADDRESS)
    moderation.close(report, outcome="fixed", note="Lampan byttes i dag.", acting_user=coordinator)

    first = run_periodic(NOW)
    second = run_periodic(NOW + dt.timedelta(hours=1))

    assert first["sent"] == 1 and second["sent"] == 0
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [ADDRESS] and "avslutad" in message.subject
    assert "Lampan byttes i dag." in message.body and "Åtgärdad 22 november 2026" in message.body
    assert token not in message.body  # the tracking secret is not stored, so never mailed
    row = StatusNotice.objects.get()
    assert row.sent_at is not None and row.recipients == ADDRESS_FORGOTTEN
    assert ADDRESS not in row.recipients
    assert not StatusContact.objects.exists()


def test_a_routed_report_keeps_its_address_for_the_closing_mail(coordinator, bostadsbolaget):
    report, _ = resident_report(email=ADDRESS)
    moderation.route(report, organisation=bostadsbolaget, acting_user=coordinator)

    run_periodic(NOW)

    assert "Karlstads Bostads AB" in mail.outbox[0].body
    assert StatusContact.objects.filter(report=report).exists()


def test_a_mail_whose_address_is_already_forgotten_is_skipped_not_sent(coordinator):
    report, _ = resident_report(email=ADDRESS)
    moderation.hide(report, reason="Kränkande innehåll", acting_user=coordinator)
    StatusContact.objects.all().delete()

    counts = run_periodic(NOW)

    assert counts["skipped"] == 1 and not mail.outbox
    assert StatusNotice.objects.get().last_error.startswith(SKIPPED)


def test_the_worker_knows_the_status_mails():
    assert "trygg.citizens.notices.run_periodic" in jobs.PERIODIC
