"""One area rule for measures: an area covers its sub-areas, on the page and in the API alike."""

from __future__ import annotations

import pytest
from django.urls import reverse

from trygg.conftest import KARLSTAD_CENTRE
from trygg.measures.actions import create_measure
from trygg.measures.models import Status
from trygg.organisations.actions import create_token
from trygg.places.geo import to_sweref
from trygg.places.models import Place


@pytest.fixture
def measures_by_area(karlstad, coordinator, kommunen, centrum, klara, kronoparken):
    lat, lon = KARLSTAD_CENTRE
    x, y = to_sweref(lon, lat)
    torget = Place.objects.create(
        municipality=karlstad, name="Klaratorget", lat=lat, lon=lon, x=x, y=y, area=klara
    )

    def measure(title, **where):
        return create_measure(
            karlstad,
            acting_user=coordinator,
            title=title,
            status=Status.AGREED,
            responsible=kommunen,
            **where,
        )

    inside = {
        measure("I Centrum", area=centrum).pk,
        measure("I Klara", area=klara).pk,
        measure("På Klaratorget", place=torget).pk,
    }
    measure("I Kronoparken", area=kronoparken)
    return inside


def test_the_measures_page_and_api_list_the_same_measures_for_an_area_with_a_sub_area(
    client, coordinator, centrum, measures_by_area
):
    client.force_login(coordinator)
    page = client.get(reverse("measures:list"), {"omrade": centrum.pk, "status": "alla"})
    assert page.status_code == 200
    on_page = {measure.pk for measure in page.context["page"].object_list}

    _, secret = create_token(coordinator)
    response = client.get(
        "/api/v1/measures", {"area": centrum.pk}, HTTP_AUTHORIZATION=f"Bearer {secret}"
    )
    assert response.status_code == 200
    in_api = {item["id"] for item in response.json()["items"]}

    assert on_page == in_api == measures_by_area


def test_a_sub_area_does_not_cover_its_parent(klara, measures_by_area):
    from trygg.measures.models import Measure

    titles = set(Measure.objects.in_area(klara).values_list("title", flat=True))
    assert titles == {"I Klara", "På Klaratorget"}
