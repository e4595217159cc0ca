"""Walk photos are served only to those who may see them: pending ones never to the public."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from trygg.walks.models import FindingPhoto
from trygg.walks.tests.factories import capture, jpeg, make_walk

pytestmark = [pytest.mark.django_db, pytest.mark.frozen]


@pytest.fixture
def photo(kommunen, coordinator, centrum):
    walk = make_walk(kommunen)
    return capture(walk, coordinator, photos=[jpeg()]).photos.get()


def test_partners_see_a_photo_a_moderator_has_not_yet_seen(client, photo, police_officer):
    client.force_login(police_officer)
    response = client.get(reverse("walks:photo", args=[photo.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"  # a JPEG


def test_the_public_sees_a_photo_only_once_approved_and_the_walk_published(client, photo):
    url = reverse("walks:photo", args=[photo.pk])
    walk = photo.finding.walk
    walk.published_at = timezone.now()
    walk.save()
    assert client.get(url).status_code == 404  # published, but not yet moderated

    FindingPhoto.objects.filter(pk=photo.pk).update(review=FindingPhoto.Review.APPROVED)
    assert client.get(url).status_code == 200


def test_another_municipality_does_not_see_a_pending_photo(client, photo, other_municipality_user):
    client.force_login(other_municipality_user)
    assert client.get(reverse("walks:photo", args=[photo.pk])).status_code == 404
