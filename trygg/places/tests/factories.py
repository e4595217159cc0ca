"""Areas and places for tests: positions in WGS84 with their SWEREF 99 TM metres filled in."""

from __future__ import annotations

import datetime as dt

from trygg.places.geo import to_sweref
from trygg.places.models import Area, Place

KARLSTAD_CENTRE = (59.3793, 13.5036)  # lat, lon: Stora torget


def box(lon0: float, lat0: float, lon1: float, lat1: float) -> dict:
    """A GeoJSON polygon from its south-west and north-east corners."""
    ring = [[lon0, lat0], [lon1, lat0], [lon1, lat1], [lon0, lat1], [lon0, lat0]]
    return {"type": "Polygon", "coordinates": [ring]}


def make_area(municipality, name: str, geometry: dict, **fields) -> Area:
    """An area valid since 2000, so that every event a test makes falls in its lifetime."""
    values = {"code": f"test-{name.lower()}", "valid_from": dt.date(2000, 1, 1)} | fields
    return Area.objects.create(municipality=municipality, name=name, geometry=geometry, **values)


def make_place(
    municipality,
    name: str = "Stora torget",
    *,
    lat: float = KARLSTAD_CENTRE[0],
    lon: float = KARLSTAD_CENTRE[1],
    kind: str = Place.Kind.SQUARE,
    **fields,
) -> Place:
    x, y = to_sweref(lon, lat)
    return Place.objects.create(
        municipality=municipality, name=name, kind=kind, lat=lat, lon=lon, x=x, y=y, **fields
    )
