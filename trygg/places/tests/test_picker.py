"""The place picker: a position becomes municipality, area and nearest named place, or a
Swedish message saying why it cannot be used."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from trygg.conftest import KARLSTAD_CENTRE
from trygg.places.forms import PositionField
from trygg.places.geo import to_sweref
from trygg.places.models import Place
from trygg.places.picker import locate

OSLO = (59.9139, 10.7522)
KARLSKOGA_CENTRE = (59.3267, 14.5239)


@pytest.fixture
def stora_torget(karlstad, centrum) -> Place:
    lat, lon = 59.3795, 13.5040  # some 30 m from the test centre
    x, y = to_sweref(lon, lat)
    return Place.objects.create(
        municipality=karlstad, name="Stora torget", kind=Place.Kind.SQUARE, lat=lat, lon=lon,
        x=x, y=y, area=centrum,
    )  # fmt: skip


@pytest.fixture
def far_place(karlstad) -> Place:
    lat, lon = 59.3990, 13.5800  # Kronoparken, several km away
    x, y = to_sweref(lon, lat)
    return Place.objects.create(
        municipality=karlstad, name="Långt bort", lat=lat, lon=lon, x=x, y=y
    )


def test_a_position_in_karlstad_gets_its_municipality_district_and_nearest_place(
    karlstad, centrum, stora_torget
):
    location = locate(*KARLSTAD_CENTRE)
    assert location.municipality == karlstad
    assert location.area == centrum
    assert location.place == stora_torget
    assert 0 < location.place_distance_m < 60
    assert location.x == pytest.approx(to_sweref(KARLSTAD_CENTRE[1], KARLSTAD_CENTRE[0])[0])


def test_a_position_with_no_named_place_nearby_has_none(karlstad, far_place):
    location = locate(*KARLSTAD_CENTRE)
    assert location.place is None and location.place_distance_m is None
    assert location.area is None  # no district drawn there in this test


def test_a_position_outside_sweden_is_refused_in_swedish(db):
    with pytest.raises(ValidationError) as refused:
        locate(*OSLO)
    assert refused.value.code == "outside_sweden"
    assert refused.value.messages == ["Positionen ligger utanför Sverige."]


def test_a_position_in_another_municipality_is_refused_when_one_is_required(karlstad, karlskoga):
    assert locate(*KARLSKOGA_CENTRE).municipality == karlskoga
    with pytest.raises(ValidationError) as refused:
        locate(*KARLSKOGA_CENTRE, municipality=karlstad)
    assert refused.value.code == "outside_municipality"
    assert refused.value.messages == ["Positionen ligger utanför Karlstad kommun."]


def test_a_chosen_place_must_be_near_the_position(stora_torget, far_place):
    assert locate(*KARLSTAD_CENTRE, place_id=stora_torget.pk).place == stora_torget
    with pytest.raises(ValidationError) as refused:
        locate(*KARLSTAD_CENTRE, place_id=far_place.pk)
    assert refused.value.code == "place_not_near"


def test_the_position_field_cleans_typed_coordinates_to_a_location(karlstad, stora_torget):
    field = PositionField(municipality=karlstad)
    location = field.clean(["59,3793", "13,5036", str(stora_torget.pk)])
    assert (location.municipality, location.place) == (karlstad, stora_torget)
    assert field.clean(["59.3793", "13.5036", ""]).place == stora_torget  # nearest, unchosen


def test_the_position_field_explains_each_mistake_in_swedish(karlstad):
    field = PositionField(municipality=karlstad)
    cases = [
        (["", "", ""], "Ange var det hände"),
        (["59,3793", "", ""], "Ange både latitud och longitud."),
        (["norr", "13,5", ""], "Skriv latitud som ett tal"),
        (list(map(str, KARLSKOGA_CENTRE)) + [""], "utanför Karlstad kommun"),
        (list(map(str, OSLO)) + [""], "utanför Sverige"),
    ]
    for value, message in cases:
        with pytest.raises(ValidationError) as refused:
            field.clean(value)
        assert message in " ".join(refused.value.messages), value


def test_an_optional_position_field_may_be_left_empty(db):
    assert PositionField(required=False).clean(["", "", ""]) is None
