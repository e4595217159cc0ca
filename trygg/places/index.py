"""Which municipality and area a position lies in, from the boundaries in the database.

The polygon indexes are built once per process and rebuilt when the boundaries change (a cheap
signature query per call decides), so imports and forms share one fast path.

A forked import worker must not touch its parent's database connection: the parent loads every
index first (`load_all`), and the worker looks positions up `offline()`, from those alone.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import cast

import numpy as np
from django.db.models import Case, Count, Max, Value, When

from trygg.places.geo import PolygonIndex, in_sweden_box, to_sweref
from trygg.places.models import Area, Municipality

# Positions less precise than this (a municipality's centroid in the police feed) say nothing
# about the district, so they get a municipality but no area.
AREA_PRECISION_LIMIT_M = 1000

# Boundaries change a few times a year; checking them on every single report cost two queries
# per event. A process trusts its indexes for this long before it compares signatures again.
SIGNATURE_TTL_S = 5.0

# key -> (signature, index, when the signature was last confirmed)
_cache: dict[object, tuple[object, PolygonIndex, float]] = {}
_offline = False


def forget_cached_boundaries() -> None:
    """Drop the indexes: the next lookup rebuilds them (after loading or editing boundaries)."""
    _cache.clear()


def load_all() -> None:
    """Build (or confirm) the municipality index and the area index of every municipality
    that has areas, so that `offline()` lookups find everything the database holds."""
    municipality_index()
    with_areas = Area.objects.current().values_list("municipality_id", flat=True).distinct()
    for municipality_id in sorted(set(with_areas)):
        area_index(municipality_id)


@contextmanager
def offline() -> Iterator[None]:
    """Within: look positions up in the indexes already built, asking the database nothing.
    A municipality whose areas were not loaded has none (call `load_all` first)."""
    global _offline
    before, _offline = _offline, True
    try:
        yield
    finally:
        _offline = before


def _cached(key, signature_of, build):
    hit = _cache.get(key)
    if _offline:
        return None if hit is None else hit[1]
    now = time.monotonic()
    if hit is not None and now - hit[2] < SIGNATURE_TTL_S:
        return hit[1]
    signature = signature_of()
    if hit is not None and hit[0] == signature:
        _cache[key] = (signature, hit[1], now)
        return hit[1]
    index = build()
    _cache[key] = (signature, index, now)
    return index


def municipality_index() -> PolygonIndex:
    rows = Municipality.objects.filter(geometry__isnull=False)
    index = _cached(
        "municipalities",
        lambda: tuple(rows.aggregate(n=Count("id"), top=Max("id")).values()),
        # Only municipalities with a geometry (the filter above): none of them is None.
        lambda: PolygonIndex.build(
            cast(list[tuple[int, dict]], list(rows.values_list("id", "geometry")))
        ),
    )
    if index is None:
        raise RuntimeError("municipality index not loaded before looking up offline")
    return index


def area_index(municipality_id: int) -> PolygonIndex | None:
    """None only offline, for a municipality without areas.

    Where areas overlap the first in this order wins: the districts and the areas nested in
    them before free-standing sub-areas (a survey's RegSO areas, which cut across the
    districts): those take only the positions no district holds."""

    def rows():  # built only when the database is asked: a lookup mostly is not
        free_standing = Case(
            When(kind=Area.Kind.SUB_AREA, parent__isnull=True, then=Value(1)), default=Value(0)
        )
        current = Area.objects.current().filter(municipality_id=municipality_id)
        return current.order_by(free_standing, "id")

    return _cached(
        ("areas", municipality_id),
        lambda: tuple(rows().values_list("id", flat=True)),
        lambda: PolygonIndex.build(list(rows().values_list("id", "geometry"))),
    )


@dataclass
class Located:
    """Positions resolved: SWEREF x/y, municipality and area keys (-1 where none)."""

    x: np.ndarray
    y: np.ndarray
    municipality_id: np.ndarray
    area_id: np.ndarray

    @property
    def in_sweden(self) -> np.ndarray:
        return self.municipality_id >= 0


def locate(lon, lat, precision_m=None, municipality_id=None) -> Located:
    """Project positions and find their municipality (from the point unless given) and area."""
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    x, y = (np.asarray(v) for v in to_sweref(lon, lat))
    municipality = _municipalities(lon, lat, x, y, municipality_id)
    area = np.full(len(lon), -1, dtype=np.int64)
    precise = (
        np.ones(len(lon), dtype=bool)
        if precision_m is None
        else np.asarray(precision_m) <= AREA_PRECISION_LIMIT_M
    )
    for mun in np.unique(municipality[(municipality >= 0) & precise]):
        chosen = (municipality == mun) & precise
        index = area_index(int(mun))
        if index is not None:
            area[chosen] = index.lookup(x[chosen], y[chosen])
    return Located(x=x, y=y, municipality_id=municipality, area_id=area)


def _municipalities(lon, lat, x, y, given) -> np.ndarray:
    found = np.full(len(lon), -1, dtype=np.int64)
    box = in_sweden_box(lon, lat)
    if box.any():
        found[box] = municipality_index().lookup(x[box], y[box])
    if given is not None:
        given = np.asarray(given, dtype=np.int64)
        found = np.where(given >= 0, given, found)
    return found


def municipality_ids(lon, lat) -> list[int | None]:
    """The municipality of each position (None outside Sweden), without the areas: what a
    lookup must know to name the shard before anything is located in full."""
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    x, y = (np.asarray(v) for v in to_sweref(lon, lat))
    return [int(m) if m >= 0 else None for m in _municipalities(lon, lat, x, y, None)]


def locate_one(
    lon: float, lat: float, precision_m: int | None = None
) -> tuple[float, float, int | None, int | None]:
    """One position: (x, y, municipality id or None, area id or None)."""
    located = locate([lon], [lat], None if precision_m is None else [precision_m])
    mun, area = int(located.municipality_id[0]), int(located.area_id[0])
    return (
        float(located.x[0]),
        float(located.y[0]),
        mun if mun >= 0 else None,
        area if area >= 0 else None,
    )
