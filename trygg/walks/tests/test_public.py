"""Publishing a walk, and the public pages: no login, only published walks, only approved
photos, never who captured."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from trygg.core.models import AuditEntry
from trygg.events.models import Category, Event
from trygg.organisations.ownership import Visibility
from trygg.walks.actions.publish import publish_walk, unpublish_walk
from trygg.walks.models import FindingPhoto, Walk
from trygg.walks.tests.factories import answer, capture, jpeg, make_walk, measure_for

pytestmark = [pytest.mark.django_db, pytest.mark.frozen]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    # Photos are written to disk: not into the installation's media folder.
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def walk(kommunen, centrum):
    return make_walk(kommunen, status=Walk.Status.WALKED)


@pytest.fixture
def published(walk):
    Walk.objects.filter(pk=walk.pk).update(published_at=timezone.now())
    walk.refresh_from_db()
    return walk


# --- the actions ---------------------------------------------------------------------------


def test_a_coordinator_publishes_a_walk_and_it_is_audited(walk, coordinator):
    publish_walk(walk, acting_user=coordinator)

    walk.refresh_from_db()
    assert walk.published_at == timezone.now()
    entry = AuditEntry.objects.get(object_id=str(walk.pk), field="published_at")
    assert entry.actor == coordinator and entry.old is None


def test_publishing_twice_keeps_the_first_date(walk, coordinator):
    first = publish_walk(walk, acting_user=coordinator).published_at
    again = publish_walk(walk, acting_user=coordinator)
    assert again.published_at == first
    assert AuditEntry.objects.filter(object_id=str(walk.pk), field="published_at").count() == 1


def test_only_coordinators_publish(walk, police_officer, other_municipality_user):
    for user in (police_officer, other_municipality_user):
        with pytest.raises(PermissionDenied):
            publish_walk(walk, acting_user=user)
    walk.refresh_from_db()
    assert walk.published_at is None


def test_a_walk_not_yet_walked_cannot_be_published(kommunen, centrum, coordinator):
    planned = make_walk(kommunen)
    with pytest.raises(ValidationError) as refused:
        publish_walk(planned, acting_user=coordinator)
    assert "inte genomförd" in refused.value.message_dict["published_at"][0]
    planned.refresh_from_db()
    assert planned.published_at is None and not AuditEntry.objects.exists()


def test_unpublishing_takes_the_walk_off_the_public_pages(client, published, coordinator):
    unpublish_walk(published, acting_user=coordinator)

    published.refresh_from_db()
    assert published.published_at is None
    assert AuditEntry.objects.filter(object_id=str(published.pk), field="published_at").exists()
    assert client.get(reverse("public_walk", args=[published.pk])).status_code == 404


def test_the_publish_button_publishes_and_shows_the_public_page(client, walk, coordinator):
    client.force_login(coordinator)
    response = client.post(reverse("walks:publish", args=[walk.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("public_walk", args=[walk.pk])
    walk.refresh_from_db()
    assert walk.published_at is not None


# --- the public pages ----------------------------------------------------------------------


def test_the_public_list_shows_published_walks_per_municipality(
    client, published, kommunen, karlskoga_kommun
):
    make_walk(kommunen, title="Opublicerad vandring", status=Walk.Status.WALKED)

    page = client.get(reverse("public_walks"), {"kommun": "1780"}).content.decode()

    assert published.title in page and "Opublicerad vandring" not in page
    assert "Trygghetsvandringar i Karlstad" in page
    assert client.get(reverse("public_walks"), {"kommun": "9999"}).status_code == 404


def test_an_unpublished_walk_is_not_found_by_the_public(client, walk):
    assert client.get(reverse("public_walk", args=[walk.pk])).status_code == 404


def test_a_published_walk_shows_findings_by_kind_answers_and_what_was_done(
    client, published, coordinator, bostadsbolaget
):
    lamp = capture(published, coordinator, note="Lampan vid trappan är trasig")
    capture(published, coordinator, note="Mörk passage")
    capture(published, coordinator, category=Category.objects.get(code="skadegorelse.klotter"))
    measure = measure_for(lamp, bostadsbolaget, status="done", title="Ny armatur vid trappan")
    answer(lamp, bostadsbolaget, text="Vi byter armaturen", measure=measure)

    response = client.get(reverse("public_walk", args=[published.pk]))

    assert response.status_code == 200
    page = response.content.decode()
    kinds = dict(response.context["kinds"])
    # Exact counts: each finding is on the page as a point anyway (no suppression).
    assert kinds == {"Bristande belysning": 2, "Klotter": 1}
    assert "Lampan vid trappan är trasig" in page and "Vi byter armaturen" in page
    assert "Ny armatur vid trappan – klar" in page
    assert coordinator.get_username() not in page  # never who captured
    config = response.context["map_config"]
    assert len(config["findings"]) == 3 and len(config["stops"]) == 2


def test_only_approved_photos_are_shown_to_the_public(client, published, coordinator):
    finding = capture(published, coordinator, photos=[jpeg(), jpeg()])
    approved, pending = finding.photos.order_by("pk")
    FindingPhoto.objects.filter(pk=approved.pk).update(review=FindingPhoto.Review.APPROVED)

    page = client.get(reverse("public_walk", args=[published.pk])).content.decode()

    assert reverse("walks:photo", args=[approved.pk]) in page
    assert reverse("walks:photo", args=[pending.pk]) not in page
    assert client.get(reverse("walks:photo", args=[approved.pk])).status_code == 200
    assert client.get(reverse("walks:photo", args=[pending.pk])).status_code == 404


def test_a_finding_kept_to_its_own_organisation_is_left_out(client, published, coordinator):
    kept = capture(published, coordinator, note="Internt om vakten")
    Event.objects.filter(pk=kept.event_id).update(visibility=Visibility.ORGANISATION)

    response = client.get(reverse("public_walk", args=[published.pk]))

    assert "Internt om vakten" not in response.content.decode()
    assert response.context["kinds"] == []
    listing = client.get(reverse("public_walks")).content.decode()
    assert "0 iakttagelser" in listing


def test_a_resident_without_an_account_finds_the_walks_in_the_menu(client, published):
    menu = client.get(reverse("public_summary")).content.decode()
    assert reverse("public_walks") in menu
