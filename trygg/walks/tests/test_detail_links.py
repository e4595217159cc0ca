"""The walk's page leads each reader to what they can do: the coordinator to the review and the
publishing, a responsible organisation to its own answer page once the protocol is out."""

from __future__ import annotations

import pytest
from django.urls import reverse

from trygg.walks.tests.factories import sent_walk

pytestmark = [pytest.mark.django_db, pytest.mark.frozen]


@pytest.fixture
def walk(kommunen, bostadsbolaget, coordinator, centrum):
    walk, _findings = sent_walk(
        kommunen, coordinator, [(bostadsbolaget, "Buskaget skymmer gångvägen")]
    )
    return walk


def test_the_responsible_organisation_finds_its_answer_page_on_the_walk(
    client, walk, housing_reporter, bostadsbolaget
):
    client.force_login(housing_reporter)
    page = client.get(reverse("walks:detail", args=[walk.pk])).content.decode()

    assert reverse("walks:answers", args=[walk.pk, bostadsbolaget.pk]) in page
    assert reverse("walks:review", args=[walk.pk]) not in page
    assert reverse("walks:protocol", args=[walk.pk]) in page


def test_an_organisation_without_findings_gets_no_answer_link(client, walk, police_officer):
    client.force_login(police_officer)
    page = client.get(reverse("walks:detail", args=[walk.pk])).content.decode()
    assert "/svar/" not in page
    # Neither organiser nor invited: no field page either.
    assert reverse("walks:field", args=[walk.pk]) not in page


def test_the_coordinator_is_led_to_the_review_and_publishing(client, walk, coordinator):
    client.force_login(coordinator)
    page = client.get(reverse("walks:detail", args=[walk.pk])).content.decode()
    assert reverse("walks:review", args=[walk.pk]) in page
    assert reverse("walks:publish", args=[walk.pk]) in page
    assert reverse("walks:field", args=[walk.pk]) in page
