"""The coordinator's review: nothing is routed before a person confirms who is responsible."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from trygg.core.models import AuditEntry
from trygg.events.models import Category
from trygg.events.models import Status as EventStatus
from trygg.measures.tests.factories import make_rule
from trygg.walks.actions.review import (
    confirm_all_suggestions,
    confirm_responsible,
    review_finding_event,
    review_photo,
    unconfirmed,
)
from trygg.walks.models import FindingPhoto
from trygg.walks.tests.factories import capture, jpeg, make_walk

pytestmark = [pytest.mark.django_db, pytest.mark.frozen]


@pytest.fixture
def walk(kommunen, centrum):
    return make_walk(kommunen)


@pytest.fixture
def suggested(walk, coordinator, bostadsbolaget):
    """A finding the rules hand to the housing company (a rule on 'otrygg plats')."""
    make_rule(bostadsbolaget, category=Category.objects.get(code="otrygg_plats"))
    return capture(walk, coordinator)


def test_confirming_sets_the_responsible_who_and_when_with_an_audit_row(
    suggested, coordinator, bostadsbolaget
):
    confirm_responsible(suggested, bostadsbolaget, acting_user=coordinator)

    suggested.refresh_from_db()
    assert suggested.responsible == bostadsbolaget
    assert suggested.responsible_confirmed_by == coordinator
    assert suggested.responsible_confirmed_at is not None
    audit = AuditEntry.objects.get(object_type="walks.finding", field="responsible")
    assert (audit.old, audit.new, audit.actor) == (None, bostadsbolaget.pk, coordinator)
    assert not unconfirmed(suggested.walk).exists()


def test_confirm_all_takes_every_suggestion_and_leaves_the_rest_waiting(
    walk, suggested, coordinator, bostadsbolaget
):
    no_suggestion = capture(walk, coordinator)
    no_suggestion.suggested_responsible = None
    no_suggestion.save()

    assert confirm_all_suggestions(walk, acting_user=coordinator) == 1

    suggested.refresh_from_db()
    assert suggested.responsible == bostadsbolaget
    assert list(unconfirmed(walk)) == [no_suggestion]


def test_only_the_municipalitys_coordinators_confirm_and_a_refusal_writes_nothing(
    suggested, housing_reporter, other_municipality_user, bostadsbolaget
):
    for user in (housing_reporter, other_municipality_user):
        with pytest.raises(PermissionDenied):
            confirm_responsible(suggested, bostadsbolaget, acting_user=user)
    suggested.refresh_from_db()
    assert suggested.responsible is None
    assert not AuditEntry.objects.filter(object_type="walks.finding").exists()


def test_an_organisation_of_another_municipality_cannot_be_made_responsible(
    suggested, coordinator, karlskoga_kommun
):
    with pytest.raises(ValidationError) as refused:
        confirm_responsible(suggested, karlskoga_kommun, acting_user=coordinator)
    assert "annan kommun" in refused.value.message_dict["responsible"][0]
    suggested.refresh_from_db()
    assert suggested.responsible is None


def test_the_coordinator_approves_a_photo_for_publication(walk, coordinator):
    photo = capture(walk, coordinator, photos=[jpeg()]).photos.get()

    review_photo(photo, FindingPhoto.Review.APPROVED, acting_user=coordinator)

    photo.refresh_from_db()
    assert photo.is_public and photo.reviewed_by == coordinator
    assert AuditEntry.objects.filter(object_type="walks.findingphoto", field="review").exists()


def test_a_rejected_finding_needs_nobody_responsible(walk, suggested, coordinator):
    review_finding_event(suggested, EventStatus.REJECTED, acting_user=coordinator)

    suggested.event.refresh_from_db()
    assert suggested.event.status == EventStatus.REJECTED
    assert not unconfirmed(walk).exists()


def test_the_review_page_shows_the_suggestion_and_why(client, suggested, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("walks:review", args=[suggested.walk_id]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Karlstads Bostads AB" in page and "enligt en ansvarsregel" in page
    assert "inte bekräftad" in page


def test_the_review_page_confirms_one_finding(client, suggested, coordinator, bostadsbolaget):
    client.force_login(coordinator)
    url = reverse("walks:review_confirm", args=[suggested.walk_id, suggested.pk])
    response = client.post(url, {f"ansvar-{suggested.pk}-responsible": bostadsbolaget.pk})

    assert response.status_code == 302
    suggested.refresh_from_db()
    assert suggested.responsible == bostadsbolaget


def test_confirming_joins_the_finding_with_its_walk_in_the_municipality(
    client, suggested, coordinator, bostadsbolaget
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from trygg.organisations.tests.one_shard import joins_without_municipality

    client.force_login(coordinator)
    url = reverse("walks:review_confirm", args=[suggested.walk_id, suggested.pk])
    with CaptureQueriesContext(connection) as queries:
        client.post(url, {f"ansvar-{suggested.pk}-responsible": bostadsbolaget.pk})
    suggested.refresh_from_db()
    assert suggested.responsible == bostadsbolaget
    assert joins_without_municipality([q["sql"] for q in queries.captured_queries]) == []


def test_a_partner_who_does_not_coordinate_is_refused_the_review_page(
    client, suggested, police_officer
):
    client.force_login(police_officer)
    assert client.get(reverse("walks:review", args=[suggested.walk_id])).status_code == 403
