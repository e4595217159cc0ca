"""Moderating a resident's report: only the municipality's coordinators, every change
audited, nothing written on bad input, removed text gone for good."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from trygg.citizens.actions import moderation
from trygg.citizens.models import CitizenReport, Moderation, StatusNotice
from trygg.citizens.tests.factories import resident_report
from trygg.core.models import AuditEntry
from trygg.events.models import Status, Visibility
from trygg.measures.routing import Reason
from trygg.measures.tests.factories import make_rule
from trygg.places.tests.factories import KARLSTAD_CENTRE

pytestmark = [pytest.mark.django_db, pytest.mark.frozen]


@pytest.fixture(autouse=True)
def karlstad_takes_reports(coordinator, centrum, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_publishing_shows_the_event_to_partners_and_is_audited(coordinator):
    report, _token = resident_report()

    moderation.publish(report, acting_user=coordinator)

    report.refresh_from_db()
    assert report.moderation == Moderation.PUBLISHED and report.moderated_by == coordinator
    assert report.event.visibility == Visibility.PARTNERS
    assert report.event.status == Status.REVIEWED
    assert AuditEntry.objects.filter(
        object_type="events.event", field="visibility", new=Visibility.PARTNERS
    ).exists()
    assert AuditEntry.objects.filter(
        object_type="citizens.citizenreport", field="moderation", new="published"
    ).exists()


@pytest.mark.parametrize(
    "persona", ["police_officer", "housing_reporter", "analyst", "other_municipality_user"]
)
def test_only_the_municipalitys_coordinators_may_moderate(persona, request):
    report, _token = resident_report()
    user = request.getfixturevalue(persona)

    with pytest.raises(PermissionDenied):
        moderation.publish(report, acting_user=user)
    with pytest.raises(PermissionDenied):
        moderation.hide(report, reason="Kränkande", acting_user=user)

    report.refresh_from_db()
    assert report.moderation == Moderation.PENDING
    assert report.event.visibility == Visibility.ORGANISATION


def test_hiding_requires_a_reason_and_writes_nothing_without_one(coordinator):
    report, _token = resident_report(email="boende@example.se")

    with pytest.raises(ValidationError) as refused:
        moderation.hide(report, reason="   ", acting_user=coordinator)
    assert "reason" in refused.value.message_dict
    report.refresh_from_db()
    assert report.moderation == Moderation.PENDING and not StatusNotice.objects.exists()

    moderation.hide(report, reason="Kränkande innehåll", acting_user=coordinator)
    report.refresh_from_db()
    assert report.moderation == Moderation.HIDDEN and report.hidden_reason == "Kränkande innehåll"
    assert report.event.status == Status.REJECTED
    assert StatusNotice.objects.get().kind == StatusNotice.Kind.HIDDEN


def test_a_duplicate_moves_its_me_too_count_and_its_resident_to_the_original(coordinator):
    original, _ = resident_report()
    copy, _ = resident_report(email="boende@example.se")
    CitizenReport.objects.filter(pk=copy.pk).update(me_too=2)
    copy.refresh_from_db()

    assert original in moderation.duplicate_candidates(copy)
    moderation.mark_duplicate(copy, original=original, acting_user=coordinator)

    original.refresh_from_db()
    copy.refresh_from_db()
    assert original.me_too == 3  # two who said "me too" and the resident who sent the copy
    assert copy.moderation == Moderation.DUPLICATE and copy.duplicate_of == original
    assert copy.me_too == 0 and copy.event.status == Status.DUPLICATE
    assert StatusNotice.objects.get(report=copy).kind == StatusNotice.Kind.DUPLICATE


def test_a_hidden_report_can_be_published_after_all_but_a_duplicate_cannot(coordinator):
    report, _ = resident_report()
    original, _ = resident_report()
    moderation.hide(report, reason="Felaktig", acting_user=coordinator)

    moderation.publish(report, acting_user=coordinator)
    report.refresh_from_db()
    assert report.event.status == Status.REVIEWED
    assert report.event.visibility == Visibility.PARTNERS

    copy, _ = resident_report()
    moderation.mark_duplicate(copy, original=original, acting_user=coordinator)
    with pytest.raises(ValidationError):
        moderation.publish(copy, acting_user=coordinator)
    copy.refresh_from_db()
    assert copy.moderation == Moderation.DUPLICATE
    assert copy.event.visibility == Visibility.ORGANISATION


def test_a_report_cannot_be_its_own_duplicate(coordinator):
    report, _ = resident_report()

    with pytest.raises(ValidationError) as refused:
        moderation.mark_duplicate(report, original=report, acting_user=coordinator)

    assert "original" in refused.value.message_dict
    report.refresh_from_db()
    assert report.moderation == Moderation.PENDING and report.me_too == 0


def test_correcting_the_category_changes_the_est_category_on_the_event(coordinator):
    report, _ = resident_report()

    moderation.correct(report, category_code="klotter", acting_user=coordinator)

    report.refresh_from_db()
    assert report.resident_category == "klotter"
    assert report.event.category.code == "skadegorelse.klotter"
    assert AuditEntry.objects.filter(field="category_id").exists()


def test_correcting_the_position_locates_it_anew_and_recomputes_the_area(coordinator, kronoparken):
    report, _ = resident_report()
    assert report.event.area.name == "Centrum"

    moderation.correct(report, lat=59.39, lon=13.575, acting_user=coordinator)

    report.event.refresh_from_db()
    assert report.event.area == kronoparken
    assert (report.event.lat, report.event.lon) == (59.39, 13.575)


def test_a_position_outside_the_municipality_is_refused_and_nothing_changes(coordinator):
    report, _ = resident_report()

    with pytest.raises(ValidationError) as refused:
        moderation.correct(
            report, category_code="klotter", lat=40.0, lon=3.0, acting_user=coordinator
        )

    assert "position" in refused.value.message_dict
    report.refresh_from_db()
    assert report.resident_category == "belysning"
    assert report.event.lat == KARLSTAD_CENTRE[0]


def test_removed_text_is_gone_from_the_event_and_from_every_audit_row(coordinator):
    secret = "Grannen Olle Svensson på tredje våningen"
    report, _ = resident_report(description=f"Lampan är släckt. {secret} gör det.")

    moderation.remove_text(report, description="Lampan är släckt.", acting_user=coordinator)

    report.event.refresh_from_db()
    assert report.event.description == "Lampan är släckt."
    for entry in AuditEntry.objects.all():
        assert "Olle" not in f"{entry.old} {entry.new}"
    row = AuditEntry.objects.get(field="description")
    assert row.old is None and row.new == moderation.TEXT_REMOVED and row.actor == coordinator


def test_routing_shows_the_rules_suggestion_and_queues_one_mail(coordinator, bostadsbolaget):
    report, _ = resident_report(email="boende@example.se")
    make_rule(bostadsbolaget, category=report.event.category)

    suggestion = moderation.routing_suggestion(report)
    assert suggestion.organisation == bostadsbolaget and suggestion.reason == Reason.RULE

    moderation.route(report, organisation=bostadsbolaget, acting_user=coordinator)
    moderation.route(report, organisation=bostadsbolaget, acting_user=coordinator)

    report.refresh_from_db()
    assert report.routed_to == bostadsbolaget and report.routed_at is not None
    assert StatusNotice.objects.filter(kind=StatusNotice.Kind.ROUTED).count() == 1


def test_routing_to_another_municipalitys_organisation_is_refused(coordinator, karlskoga_kommun):
    report, _ = resident_report()

    with pytest.raises(ValidationError):
        moderation.route(report, organisation=karlskoga_kommun, acting_user=coordinator)

    report.refresh_from_db()
    assert report.routed_to is None


def test_closing_needs_an_outcome_and_a_note(coordinator):
    report, _ = resident_report(email="boende@example.se")

    with pytest.raises(ValidationError) as refused:
        moderation.close(report, outcome="maybe", note="", acting_user=coordinator)

    assert set(refused.value.message_dict) == {"outcome", "note"}
    report.refresh_from_db()
    assert report.closed_at is None and not StatusNotice.objects.exists()


def test_a_report_without_an_address_gets_no_mail_row(coordinator):
    report, _ = resident_report()

    moderation.close(report, outcome="fixed", note="Lampan är lagad.", acting_user=coordinator)

    report.refresh_from_db()
    assert report.closed_at is not None and report.outcome == "fixed"
    assert not StatusNotice.objects.exists()
