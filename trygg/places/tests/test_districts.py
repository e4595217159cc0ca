"""Which current district an area counts in: one rule for the annual report, the public
summary and the action plan."""

from __future__ import annotations

import datetime as dt

from trygg.places.models import Area
from trygg.places.queries import district_map

BOX = {"type": "Polygon", "coordinates": [[[13.5, 59.3], [13.6, 59.3], [13.6, 59.4], [13.5, 59.3]]]}


def _area(municipality, name, code="", kind=Area.Kind.DISTRICT, **fields) -> Area:
    return Area.objects.create(
        municipality=municipality,
        name=name,
        code=code,
        kind=kind,
        geometry=BOX,
        valid_from=fields.pop("valid_from", dt.date(2020, 1, 1)),
        **fields,
    )


def test_a_sub_area_counts_in_its_district_and_a_current_district_in_itself(karlstad):
    centrum = _area(karlstad, "Centrum", "C")
    klara = _area(karlstad, "Klara", kind=Area.Kind.SUB_AREA, parent=centrum)
    assert district_map(karlstad) == {centrum.pk: centrum.pk, klara.pk: centrum.pk}


def test_an_older_version_counts_in_the_current_district_with_its_code(karlstad):
    current = _area(karlstad, "Centrum", "C")
    renamed = _area(karlstad, "Innerstaden", "C", valid_to=dt.date(2020, 1, 1))
    assert district_map(karlstad)[renamed.pk] == current.pk


def test_an_older_version_whose_code_is_gone_falls_back_to_the_same_name(karlstad):
    current = _area(karlstad, "Kronoparken", "K-2024")
    old = _area(karlstad, "Kronoparken", "K-2010", valid_to=dt.date(2020, 1, 1))
    old_part = _area(karlstad, "Norra", kind=Area.Kind.SUB_AREA, parent=old)
    mapped = district_map(karlstad)
    assert mapped[old.pk] == current.pk
    assert mapped[old_part.pk] == current.pk


def test_an_area_in_no_district_and_an_old_district_with_no_successor_are_left_out(karlstad):
    _area(karlstad, "Centrum", "C")
    drawn = _area(karlstad, "Mitt eget område", kind=Area.Kind.CUSTOM)
    gone = _area(karlstad, "Rivna kvarteren", "R", valid_to=dt.date(2020, 1, 1))
    assert drawn.pk not in district_map(karlstad)
    assert gone.pk not in district_map(karlstad)


def test_a_cycle_in_the_parents_does_not_hang(karlstad):
    a = _area(karlstad, "A", kind=Area.Kind.SUB_AREA)
    b = _area(karlstad, "B", kind=Area.Kind.SUB_AREA, parent=a)
    Area.objects.filter(pk=a.pk).update(parent=b)
    assert district_map(karlstad) == {}
