"""A resident reports without an account: one event with source citizen, kept to the
municipality until moderated, scrubbed, with a tracking link and an address kept apart."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from trygg.citizens.actions.reports import add_me_too, by_token, nearby_open, tracking_hash
from trygg.citizens.models import CitizenReport, Moderation, StatusContact
from trygg.citizens.tests.factories import resident_report
from trygg.core.models import AuditEntry
from trygg.events.models import Event, Source, Visibility

pytestmark = [pytest.mark.django_db, pytest.mark.frozen]


@pytest.fixture(autouse=True)
def karlstad_takes_reports(coordinator, centrum, settings, tmp_path):
    """Karlstad's coordinating organisation (the coordinator's) receives residents' reports."""
    settings.MEDIA_ROOT = tmp_path


def test_a_report_becomes_a_citizen_event_kept_to_the_municipality_until_moderated(kommunen):
    report, token = resident_report(description="Ring mig på 070-123 45 67")

    event = report.event
    assert event.source == Source.CITIZEN and event.reported_by is None
    assert event.organisation == kommunen and event.visibility == Visibility.ORGANISATION
    assert "070" not in event.description and event.was_scrubbed
    assert event.category.code == "otrygg_plats.belysning" and event.area.name == "Centrum"
    assert report.moderation == Moderation.PENDING
    # The secret is not stored, only its hash; the link finds the report.
    assert report.tracking_hash == tracking_hash(token) and token not in report.tracking_hash
    assert by_token(token) == report and by_token(token + "x") is None
    assert AuditEntry.objects.get(object_id=str(event.pk)).actor is None


def test_an_address_for_status_mails_is_kept_apart_and_forgotten_within_90_days():
    report, _token = resident_report(email="boende@example.se")

    contact = StatusContact.objects.get(report=report)
    assert contact.email == "boende@example.se"
    assert (contact.forget_after - report.created_at.date()).days == 90
    assert "boende@example.se" not in report.event.description


def test_outside_the_municipality_unknown_kind_and_not_an_image_are_named_and_nothing_is_stored():
    not_an_image = SimpleUploadedFile("a.jpg", b"%PDF-1.4")
    with pytest.raises(ValidationError) as refused:
        resident_report(lat=40.0, lon=3.0, category_code="ufo", photos=[not_an_image])

    errors = refused.value.message_dict
    assert set(errors) == {"position", "category", "photos"}
    assert not Event.objects.exists() and not CitizenReport.objects.exists()


def test_the_same_kind_nearby_is_offered_and_me_too_is_a_count_not_a_row():
    first, _ = resident_report()
    nearby = nearby_open("belysning", first.event.lat + 0.0002, first.event.lon)
    assert nearby == [first]
    assert nearby_open("klotter", first.event.lat, first.event.lon) == []
    assert nearby_open("belysning", first.event.lat + 0.002, first.event.lon) == []  # ~220 m

    add_me_too(first)
    assert CitizenReport.objects.get().me_too == 1 and Event.objects.count() == 1


def test_nearby_reports_are_read_in_the_positions_municipality_alone():
    """Named on the reports and their events (Citus reads that shard, and refuses the join on
    the event's id alone); a position outside Sweden asks nothing. The tracking link's report
    names no municipality but joins its event on it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from trygg.organisations.tests.one_shard import joins_without_municipality

    first, token = resident_report()
    with CaptureQueriesContext(connection) as queries:
        assert nearby_open("belysning", first.event.lat, first.event.lon) == [first]
        assert by_token(token) == first  # the tracking link: every shard, joined on its own
    statements = [q["sql"] for q in queries.captured_queries]
    reading = [sql for sql in statements if "citizens_citizenreport" in sql]
    assert len(reading) == 2 and joins_without_municipality(reading) == []
    assert f'"municipality_id" = {first.municipality_id}' in reading[0]
    with CaptureQueriesContext(connection) as abroad:
        assert nearby_open("belysning", 40.0, 3.0) == []
    assert not [q for q in abroad.captured_queries if "citizenreport" in q["sql"]]
