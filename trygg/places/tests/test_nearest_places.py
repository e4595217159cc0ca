"""The named places near a position: within the circle (not the box around it), nearest first,
in the municipalities asked for, each with its distance."""

from __future__ import annotations

import math

import pytest

from trygg.places.geo import to_sweref, to_wgs84
from trygg.places.models import Place
from trygg.places.queries import nearest_places
from trygg.places.tests.factories import KARLSTAD_CENTRE, make_place

pytestmark = pytest.mark.django_db


def at(dx: float, dy: float) -> dict:
    """lat/lon `dx` metres east and `dy` north of the test centre."""
    x, y = to_sweref(KARLSTAD_CENTRE[1], KARLSTAD_CENTRE[0])
    lon, lat = to_wgs84(x + dx, y + dy)
    return {"lat": lat, "lon": lon}


def test_the_places_within_the_radius_come_nearest_first_with_their_distance(karlstad, karlskoga):
    make_place(karlstad, "Tvåhundra", **at(200, 0))
    make_place(karlstad, "Hundra", **at(0, -100))
    make_place(karlstad, "Hörnet", **at(400, 400))  # in the box, outside the circle (566 m)
    make_place(karlstad, "Långt", **at(0, 900))
    make_place(karlskoga, "Annan kommun", **at(10, 0))

    found = nearest_places(*KARLSTAD_CENTRE, [karlstad.pk], radius_m=500)

    assert [place.name for place in found] == ["Hundra", "Tvåhundra"]
    assert [round(place.distance_m) for place in found] == [100, 200]
    assert math.isclose(found[0].lat, at(0, -100)["lat"])  # a whole row, not just its position


def test_places_at_the_same_distance_come_by_name_and_the_limit_holds(karlstad):
    x, y = to_sweref(KARLSTAD_CENTRE[1], KARLSTAD_CENTRE[0])
    for name, dx, dy in (("Östra", 50, 0), ("Västra", -50, 0), ("Norra", 0, 50)):
        place = make_place(karlstad, name, **at(dx, dy))
        # Exactly 50 m each, not 50 m give or take the rounding of the projection both ways.
        Place.objects.filter(pk=place.pk).update(x=x + dx, y=y + dy)

    found = nearest_places(*KARLSTAD_CENTRE, [karlstad.pk], limit=2)

    assert [place.name for place in found] == ["Norra", "Västra"]


def test_no_place_near_is_an_empty_list(karlstad):
    make_place(karlstad, "Långt", **at(0, 900))
    assert nearest_places(*KARLSTAD_CENTRE, [karlstad.pk]) == []
