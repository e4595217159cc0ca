"""A finding from the phone: one event with source walk, scrubbed, idempotent, all or nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from trygg.core.models import AuditEntry
from trygg.events.models import Category, Event, Source
from trygg.measures.tests.factories import make_rule
from trygg.walks.actions.findings import record_finding
from trygg.walks.models import Finding, FindingPhoto, Invitation, TimeBand
from trygg.walks.tests.factories import capture, finding_input, item, jpeg, make_walk

pytestmark = [pytest.mark.django_db, pytest.mark.frozen]


@pytest.fixture
def walk(kommunen, centrum):
    return make_walk(kommunen)


def test_a_finding_becomes_a_scrubbed_walk_event_with_its_scores_and_an_audit_row(
    walk, coordinator
):
    finding = capture(walk, coordinator, note="Ring 070-123 45 67 om lamporna")

    event = finding.event
    assert event.source == Source.WALK
    assert event.external_id == str(finding.client_id)
    assert "070" not in event.description and event.was_scrubbed
    assert event.area is not None and event.area.name == "Centrum"
    assert finding.number == 1 and finding.stop.order == 1
    assert [(s.item.code, s.score) for s in finding.scores.all()] == [("lighting", 1)]
    assert AuditEntry.objects.filter(object_id=str(event.pk)).exists()
    # Suggested, not routed: a person confirms who is responsible.
    assert finding.responsible is None


def test_sending_the_same_finding_twice_stores_it_once(walk, coordinator):
    data = finding_input(walk)
    first, created = record_finding(walk, data, acting_user=coordinator)
    again, created_again = record_finding(walk, data, acting_user=coordinator)

    assert (created, created_again) == (True, False)
    assert again.pk == first.pk
    assert Finding.objects.count() == 1 and Event.objects.filter(source=Source.WALK).count() == 1


def test_findings_from_two_phones_are_numbered_in_order(walk, coordinator, housing_reporter):
    Invitation.objects.create(
        walk=walk, organisation=housing_reporter.memberships.get().organisation, reason="manager"
    )
    first = capture(walk, coordinator)
    second = capture(walk, housing_reporter)

    assert (first.number, second.number) == (1, 2)
    # The caretaker's finding is the housing company's report, not the municipality's.
    assert second.event.organisation.code == "kbab"


def test_someone_neither_organising_nor_invited_cannot_capture(walk, other_municipality_user):
    with pytest.raises(PermissionDenied):
        capture(walk, other_municipality_user)
    assert not Finding.objects.exists()


def test_a_finding_outside_the_municipality_is_refused_and_nothing_is_written(walk, coordinator):
    with pytest.raises(ValidationError) as refused:
        capture(walk, coordinator, lat=59.3300, lon=14.5200)  # Karlskoga

    assert "Karlstad" in refused.value.message_dict["lat"][0]
    assert not Event.objects.exists() and not Finding.objects.exists()


def test_a_score_outside_the_scale_and_a_file_that_is_no_image_are_both_named(walk, coordinator):
    not_an_image = SimpleUploadedFile("photo.jpg", b"%PDF-1.4 not a photo")
    with pytest.raises(ValidationError) as refused:
        capture(walk, coordinator, scores={item(walk, "lighting"): 4}, photos=[not_an_image])

    errors = refused.value.message_dict
    assert "från 0 till 3" in errors["scores"][0]
    assert "inte en bild" in errors["photos"][0]
    assert not Event.objects.exists()


def test_a_photo_above_the_size_limit_is_refused(walk, coordinator, settings):
    settings.TRYGG_WALK_PHOTO_MAX_BYTES = 100
    with pytest.raises(ValidationError) as refused:
        capture(walk, coordinator, photos=[jpeg()])
    assert "större än" in refused.value.message_dict["photos"][0]


def test_photos_lose_their_metadata_and_wait_for_a_moderator(walk, coordinator):
    finding = capture(walk, coordinator, photos=[jpeg(exif=True)])

    photo = finding.photos.get()
    assert photo.review == FindingPhoto.Review.PENDING and not photo.is_public
    with Image.open(photo.image) as stored:
        assert not stored.getexif()


def test_a_finding_its_scores_and_its_photos_carry_the_walks_municipality(
    walk, coordinator, karlstad
):
    finding = capture(walk, coordinator, photos=[jpeg()])

    assert finding.municipality_id == walk.municipality_id == karlstad.pk
    # The scores are written in bulk, the photo one by one: both from the finding.
    rows = [*finding.scores.all(), *finding.photos.all()]
    assert len(rows) == 2
    assert {row.municipality_id for row in rows} == {finding.municipality_id}


def test_the_responsibility_rules_suggest_who_should_answer(walk, coordinator, bostadsbolaget):
    make_rule(bostadsbolaget, category=Category.objects.get(code="otrygg_plats"))
    finding = capture(walk, coordinator)
    assert finding.suggested_responsible == bostadsbolaget
    assert finding.suggestion_reason == "rule"


def test_an_evening_walk_puts_each_finding_in_its_purple_flag_time_zone(kommunen, coordinator):
    walk = make_walk(kommunen, template_code="purple-flag")
    late = dt.datetime(2026, 11, 10, 22, 30, tzinfo=dt.UTC)  # 23:30 in Stockholm
    finding = capture(walk, coordinator, captured_at=late, scores={item(walk, "sakerhet"): 2})
    assert finding.time_band == TimeBand.NIGHT


def test_a_phone_id_used_on_another_walk_of_the_municipality_is_refused(
    walk, kommunen, coordinator
):
    data = finding_input(walk)
    record_finding(walk, data, acting_user=coordinator)
    other = make_walk(kommunen, title="Kvällsvandring")
    with pytest.raises(ValidationError) as refused:
        record_finding(
            other, finding_input(other, client_id=data.client_id), acting_user=coordinator
        )
    assert "annan vandring" in str(refused.value)
    assert Finding.objects.count() == 1


def test_the_phone_id_is_unique_within_a_municipality_as_sharded_on_citus(
    walk, coordinator, karlskoga_kommun, other_municipality_user
):
    """The phone's random id is unique per municipality (where a repeat always arrives),
    the same key Citus can keep; another municipality's walk is not refused for it."""
    data = finding_input(walk)
    record_finding(walk, data, acting_user=coordinator)
    elsewhere = make_walk(karlskoga_kommun, title="Vandring i Karlskoga")
    there, created = record_finding(
        elsewhere,
        finding_input(elsewhere, client_id=data.client_id, lat=59.3300, lon=14.5200),
        acting_user=other_municipality_user,
    )
    assert created and there.municipality_id == elsewhere.municipality_id
    assert Finding.objects.filter(client_id=data.client_id).count() == 2
