"""Read helpers for the event pages: filters, the map's grid aggregation and its boundaries.

Every query here starts from `Event.objects.visible_to(user)`: the pages never see more.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
from django.db.models import Avg, Count, F, Q
from django.db.models.functions import Floor
from django.urls import reverse
from django.utils import timezone

from trygg.core.periods import midnight
from trygg.events.categories import CategoryTree
from trygg.events.models import Category, Event, Source
from trygg.organisations.access import access_for
from trygg.organisations.models import Organisation
from trygg.places.geo import SWEDEN_BOX, to_sweref, to_wgs84
from trygg.places.models import Area, Municipality

PAGE_SIZE = 50
DEFAULT_PERIOD_DAYS = 30

# The map: grid cells of about TARGET_CELL_PX screen pixels, snapped to round sizes, from
# 5 km at municipality zoom down to 100 m at street zoom.
CELL_SIZES_M = (100, 250, 500, 1000, 2500, 5000, 10_000, 25_000, 50_000, 100_000)
TARGET_CELL_PX = 64
# A client asking for a huge box at a close zoom gets bigger cells, not a flood of them.
MAX_CELLS = 2500
# Individual points only this close and only this many; otherwise cells.
POINT_ZOOM = 15
POINT_LIMIT = 500


# --- whose world ---------------------------------------------------------------------------


def user_municipality_ids(user) -> list[int]:
    """The municipalities a user works in; for a superuser without memberships, those that
    have organisations (all 290 municipalities would make an unreadable map and list)."""
    access = access_for(user)
    if access.municipality_ids or not access.is_superuser:
        return sorted(access.municipality_ids)
    return sorted(set(Organisation.objects.values_list("municipality_id", flat=True)))


def current_areas(municipality_ids) -> list[Area]:
    return list(
        Area.objects.current()
        .filter(municipality_id__in=municipality_ids)
        .select_related("municipality")
        .order_by("municipality__name", "name")
    )


def category_tree() -> list[tuple[Category, int]]:
    """All categories depth first with their depth, from one query (for filter selects)."""
    return CategoryTree.load().depth_first()


# --- filters -------------------------------------------------------------------------------


def default_period(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The last 30 days, today included."""
    today = today or timezone.localdate()
    return today - dt.timedelta(days=DEFAULT_PERIOD_DAYS - 1), today


@dataclass(frozen=True)
class EventFilters:
    """What the list and the map show: a period of whole local days and optional keys."""

    start_date: dt.date
    end_date: dt.date  # inclusive
    area: Area | None = None
    category: Category | None = None
    source: str | None = None
    municipality: Municipality | None = None

    def apply(self, events):
        start = midnight(self.start_date)
        end = midnight(self.end_date + dt.timedelta(days=1))
        events = events.in_period(start, end)
        if self.municipality is not None:
            # One municipality's events: on Citus, one shard.
            events = events.filter(municipality_id=self.municipality.pk)
        if self.area is not None:
            events = events.in_area(self.area)
        if self.category is not None:
            events = events.in_category(self.category)
        if self.source:
            events = events.filter(source=self.source)
        return events


def visible_events(user, filters: EventFilters):
    """The events this user may see that match the filters, newest first."""
    return filters.apply(Event.objects.visible_to(user))


def event_list(user, filters: EventFilters):
    """`visible_events` with what the list table shows fetched in the same query."""
    return visible_events(user, filters).select_related(
        "category__parent", "place", "area", "organisation"
    )


# --- the map -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Box:
    """A SWEREF 99 TM box (metres)."""

    min_x: float
    min_y: float
    max_x: float
    max_y: float

    @property
    def width(self) -> float:
        return self.max_x - self.min_x

    @property
    def height(self) -> float:
        return self.max_y - self.min_y


def parse_bbox(text: str) -> tuple[float, float, float, float]:
    """'west,south,east,north' in WGS84 degrees (Leaflet's toBBoxString); ValueError if bad."""
    parts = [float(part) for part in text.split(",")]
    if len(parts) != 4 or not all(math.isfinite(p) for p in parts):
        raise ValueError("bbox needs four numbers")
    west, south, east, north = parts
    if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        raise ValueError("bbox out of range")
    return west, south, east, north


def sweref_box(west: float, south: float, east: float, north: float) -> Box | None:
    """The SWEREF box covering a WGS84 box, clipped to Sweden; None if it misses Sweden.

    Edges are curved in SWEREF, so corners and edge midpoints are projected and bounded."""
    west, south = max(west, SWEDEN_BOX[0]), max(south, SWEDEN_BOX[1])
    east, north = min(east, SWEDEN_BOX[2]), min(north, SWEDEN_BOX[3])
    if west > east or south > north:
        return None
    mid_lon, mid_lat = (west + east) / 2, (south + north) / 2
    lons = np.array([west, mid_lon, east, west, east, west, mid_lon, east])
    lats = np.array([south, south, south, mid_lat, mid_lat, north, north, north])
    xs, ys = to_sweref(lons, lats)
    return Box(float(xs.min()), float(ys.min()), float(xs.max()), float(ys.max()))


def cell_size_for(zoom: int, lat: float = 60.0, box: Box | None = None) -> int:
    """Grid cell (metres) for a web-map zoom level: about TARGET_CELL_PX pixels, snapped."""
    metres_per_px = 156_543.034 * math.cos(math.radians(lat)) / 2**zoom
    target = metres_per_px * TARGET_CELL_PX
    index = min(range(len(CELL_SIZES_M)), key=lambda i: abs(math.log(CELL_SIZES_M[i] / target)))
    if box is not None:
        while index < len(CELL_SIZES_M) - 1 and (
            (box.width / CELL_SIZES_M[index] + 1) * (box.height / CELL_SIZES_M[index] + 1)
            > MAX_CELLS
        ):
            index += 1
    return CELL_SIZES_M[index]


def map_data(events, *, zoom: int, bbox: tuple[float, float, float, float] | None) -> dict:
    """Visible events in a view as grid cells (count and centre) or, close up and few, points.

    `events` is already limited to what the user may see. The grid is computed in the
    database: floor(x / cell), floor(y / cell) with a GROUP BY, so the browser never gets
    more than one row per cell, and at most POINT_LIMIT single points.
    """
    events = events.order_by()
    box = sweref_box(*bbox) if bbox else None
    if bbox and box is None:
        return {"mode": "cells", "cell_m": None, "total": 0, "cells": [], "points": []}
    if box is not None:
        events = events.filter(
            x__gte=box.min_x, x__lte=box.max_x, y__gte=box.min_y, y__lte=box.max_y
        )
    if zoom >= POINT_ZOOM:
        # Keys first (an index can answer that without reading rows), one more than the
        # limit to know whether there are too many; then the rows for those keys.
        keys = list(
            events.order_by("-occurred_from").values_list("pk", flat=True)[: POINT_LIMIT + 1]
        )
        if len(keys) <= POINT_LIMIT:
            points = _points(Event.objects.filter(pk__in=keys))
            return {
                "mode": "points",
                "cell_m": None,
                "total": len(points),
                "cells": [],
                "points": points,
            }
    mid_lat = (bbox[1] + bbox[3]) / 2 if bbox else 62.0
    cell = cell_size_for(zoom, mid_lat, box)
    rows = list(
        events.annotate(gx=Floor(F("x") / cell), gy=Floor(F("y") / cell))
        .values("gx", "gy")
        .annotate(n=Count("pk"), mx=Avg("x"), my=Avg("y"))
        .order_by()
    )
    cells = []
    if rows:
        # The centre of each cell's events, not of the square: clusters sit where events are.
        lons, lats = to_wgs84(np.array([r["mx"] for r in rows]), np.array([r["my"] for r in rows]))
        cells = [
            {"lat": round(float(lat), 6), "lon": round(float(lon), 6), "n": row["n"]}
            for row, lon, lat in zip(rows, lons, lats, strict=True)
        ]
    total = sum(cell["n"] for cell in cells)
    return {"mode": "cells", "cell_m": cell, "total": total, "cells": cells, "points": []}


def _points(events) -> list[dict]:
    rows = events.select_related("category", "place", "area").order_by("-occurred_from")
    rows = rows[:POINT_LIMIT]
    return [
        {
            "id": event.pk,
            "lat": round(event.lat, 6),
            "lon": round(event.lon, 6),
            "time": timezone.localtime(event.occurred_from).strftime("%Y-%m-%d %H:%M"),
            "category": event.category.name,
            "place": (event.place.name if event.place else event.area.name if event.area else ""),
            "source": event.get_source_display(),
            "generated": event.source == Source.DEMO,
            "url": reverse("events:detail", args=[event.pk]),
        }
        for event in rows
    ]


def boundaries_geojson(municipality_ids) -> dict:
    """The municipalities' outlines and their current districts, as one FeatureCollection."""
    features = [
        {
            "type": "Feature",
            "geometry": geometry,
            "properties": {"kind": "municipality", "id": pk, "name": name},
        }
        for pk, name, geometry in Municipality.objects.filter(
            Q(pk__in=municipality_ids), geometry__isnull=False
        ).values_list("pk", "name", "geometry")
    ]
    features += [
        {
            "type": "Feature",
            "geometry": area.geometry,
            "properties": {"kind": "area", "id": area.pk, "name": area.name},
        }
        for area in current_areas(municipality_ids)
    ]
    return {"type": "FeatureCollection", "features": features}
