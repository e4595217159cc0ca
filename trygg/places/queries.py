"""Read helpers over places and areas: the named places near a position, the current
districts and which district every area counts in."""

from __future__ import annotations

from collections.abc import Iterable

from trygg.core.trees import ancestor_chain
from trygg.places.geo import to_sweref
from trygg.places.models import Area, Municipality, Place

NEAR_RADIUS_M = 500
NEAR_LIMIT = 5


def nearest_places(
    lat: float,
    lon: float,
    municipality_ids: Iterable[int],
    *,
    radius_m: float = NEAR_RADIUS_M,
    limit: int = NEAR_LIMIT,
) -> list[Place]:
    """The named places within `radius_m` of a position in these municipalities, nearest first
    (places at the same distance by name, then id). Each place carries `distance_m`.

    A box around the point uses the (municipality, x, y) index and gives positions only; the
    SWEREF 99 TM distance (metres) picks the nearest in Python, and only those are read whole.
    Every resident's report and walk finding asks this: building the distance into the query
    cost four times the query itself, and most positions have no named place near at all.
    """
    x, y = to_sweref(lon, lat)
    boxed = Place.objects.filter(
        municipality_id__in=list(municipality_ids),
        x__range=(x - radius_m, x + radius_m),
        y__range=(y - radius_m, y + radius_m),
    ).values_list("pk", "x", "y", "name")
    within = radius_m * radius_m
    near = sorted(
        (squared, name, pk)
        for pk, place_x, place_y, name in boxed
        if (squared := (place_x - x) ** 2 + (place_y - y) ** 2) <= within
    )[:limit]
    if not near:
        return []
    found = Place.objects.in_bulk([pk for _squared, _name, pk in near])
    places: list[Place] = []
    for squared, _name, pk in near:
        place = found.get(pk)
        if place is None:  # deleted since the first query
            continue
        # distance_m exists only on the places this function returns.
        place.distance_m = squared**0.5  # type: ignore[attr-defined]
        places.append(place)
    return places


def current_districts(municipality: Municipality) -> list[Area]:
    """The municipality's districts (stadsdelar) as they are today, by name."""
    return list(
        Area.objects.current()
        .filter(municipality=municipality, kind=Area.Kind.DISTRICT)
        .only("pk", "name", "code", "municipality_id")
        .order_by("name")
    )


def district_map(municipality: Municipality) -> dict[int, int]:
    """Every area of the municipality (any version, any kind) -> the id of the current
    district it counts in; an area in no district is absent.

    Events keep the area they were written in, so: an area counts in the nearest district at
    or above it; a current district is itself; an older version of a district is the current
    one with the same code, or, when no current district has that code (codes are optional
    and get renumbered), the one with the same name."""
    rows = Area.objects.filter(municipality=municipality).values_list(
        "pk", "parent_id", "kind", "code", "name", "valid_to"
    )
    areas = {row[0]: row for row in rows}
    parent_of = {pk: parent for pk, parent, *_rest in areas.values() if parent in areas}
    current = {
        pk
        for pk, _p, kind, _c, _n, valid_to in areas.values()
        if kind == Area.Kind.DISTRICT and valid_to is None
    }
    by_code = {areas[pk][3]: pk for pk in current if areas[pk][3]}
    by_name = {areas[pk][4]: pk for pk in current}
    mapped = {}
    for pk in areas:
        upward = reversed(ancestor_chain(parent_of, pk))
        district = next((a for a in upward if areas[a][2] == Area.Kind.DISTRICT), None)
        if district is None:
            continue
        _pk, _parent, _kind, code, name, _valid_to = areas[district]
        found = district if district in current else by_code.get(code) or by_name.get(name)
        if found is not None:
            mapped[pk] = found
    return mapped
