"""Hot spots of a scope: the events of the last weeks counted on a SWEREF 99 TM grid over the
study region (the area, or the municipality's districts; decision 0009), Getis-Ord Gi* with
9,999 conditional permutations and FDR control over every cell of that grid, by the same
`trygg.analysis.hotspots.hot_cells` as `trygg hotspots` (decision 0013). Served to the page's
map as GeoJSON and kept in the pack. Cold spots are not shown: in sparse event data "colder
than average" mostly means "empty", which tells a meeting nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from typing import Any

import numpy as np
import shapely
from django.core.cache import cache
from django.utils.translation import gettext as _

from trygg.analysis.grid import cell_corners, count_points, grid_over_polygon, queen_weights
from trygg.analysis.hotspots import hot_cells
from trygg.core.periods import Kind, Period, midnight
from trygg.places.geo import outline_in_sweref, to_wgs84
from trygg.places.models import Area
from trygg.situation.scope import Scope

MUNICIPALITY_CELL_M = 250
AREA_CELL_M = 100
# Positions vaguer than a cell (the police feed's municipality centroids) would pile up in
# one cell and make a hotspot of a map reference point.
MAX_PRECISION_M = 250
MIN_EVENTS = 20
WINDOW_DAYS = 28
SEED = 20230196  # fixed, so the same data gives the same map (lag 2023:196)
CACHE_SECONDS = 600
# With 999 permutations the smallest possible p is 0.001, and false-discovery control over a
# thousand tested cells then finds nothing even where the clusters are obvious; 9,999 lowers
# the floor to 0.0001 (the analysis default stays at 999, as esda's).
PERMUTATIONS = 9999


def window_for(period: Period) -> Period:
    """A week is too little to find clusters in: at least the four weeks ending with it."""
    if period.days >= WINDOW_DAYS:
        return period
    return Period(Kind.CUSTOM, period.end - dt.timedelta(days=WINDOW_DAYS), period.end)


def outline(scope: Scope):
    """The study region: the area, or the municipality's districts together, or (without
    districts) the whole municipality. Districts are where people live and move; over forest
    and lake every street corner would look like a hotspot against an empty background."""
    if scope.area is not None:
        return outline_in_sweref(scope.area.geometry)
    districts = Area.objects.current().filter(
        municipality=scope.municipality, kind=Area.Kind.DISTRICT
    )
    shapes = [
        outline_in_sweref(geometry) for geometry in districts.values_list("geometry", flat=True)
    ]
    if shapes:
        return shapely.union_all(shapes).buffer(0)
    geometry = scope.municipality.geometry
    return None if not geometry else outline_in_sweref(geometry)


def compute(scope: Scope, period: Period) -> dict:
    """Significant cells of the scope's events in the window, with a summary; cached briefly."""
    window = window_for(period)
    events = scope.events().filter(
        occurred_from__gte=midnight(window.start),
        occurred_from__lt=midnight(window.end),
        precision_m__lte=MAX_PRECISION_M,
    )
    points = np.array(list(events.values_list("x", "y")), dtype=float).reshape(-1, 2)
    area = scope.area.pk if scope.area else 0
    return cells_cached(
        f"{scope.municipality.pk}:{area}",
        window,
        points,
        lambda: outline(scope),
        AREA_CELL_M if scope.area else MUNICIPALITY_CELL_M,
    )


def cells_cached(
    region: str, window: Period, points: np.ndarray, shape_of: Callable[[], Any], cell_m: int
) -> dict:
    """`cells` of these points (SWEREF 99 TM x, y) in the study region `shape_of()` gives,
    kept for CACHE_SECONDS under the region's key, the window and the points themselves (any
    change in the events counted changes the key). The outline is only worked out when the
    cells are: other pages (a problem area's evidence) count their own points in their own
    region with the same rule."""
    # The points themselves identify what was counted: any change in visible events changes it.
    digest = hashlib.sha1(points.tobytes(), usedforsecurity=False).hexdigest()
    key = f"hotspots:{region}:{window.start}:{window.end}:{digest}"
    cached = cache.get(key)
    if cached is None:
        cached = cells(shape_of(), cell_m, window, points)
        cache.set(key, cached, CACHE_SECONDS)
    return cached


def cells(shape, cell: int, window: Period, points: np.ndarray) -> dict:
    """Gi* over the points counted on a grid of `cell` metres over `shape` (SWEREF 99 TM),
    with FDR control over every cell of the grid; `enough_data` is False below MIN_EVENTS."""
    result: dict[str, Any] = {
        "window": window.label(),
        "cell_m": cell,
        "events": 0,
        "cells": [],
        "enough_data": False,
    }
    if shape is None or shape.is_empty:
        return result
    grid = grid_over_polygon(shape, cell)
    counts = count_points(grid, points[:, 0], points[:, 1])
    result["events"] = int(counts.sum())
    if result["events"] < MIN_EVENTS:
        return result
    found = hot_cells(
        counts, queen_weights(grid, include_self=True), permutations=PERMUTATIONS, seed=SEED
    )
    gi = found.gi
    x0, y0 = cell_corners(grid)
    result["enough_data"] = True
    result["cells"] = [
        {
            "x": float(x0[i]),
            "y": float(y0[i]),
            "count": int(counts[i]),
            "z": round(float(gi.z[i]), 3),
            "p": round(float(gi.p_sim[i]), 4),
            "q": round(float(gi.q[i]), 4),
            "class": "hot",
        }
        for i in np.flatnonzero(found.hot)
    ]
    return result


def geojson(scope: Scope, period: Period) -> dict:
    """The significant cells as a GeoJSON FeatureCollection (WGS84) with a summary sentence."""
    data = compute(scope, period)
    cell = data["cell_m"]
    features = [_feature(c, cell) for c in data["cells"]]
    return {"type": "FeatureCollection", "features": features, "summary": summary(data)}


def _feature(c: dict, cell: float) -> dict:
    xs = np.array([c["x"], c["x"] + cell, c["x"] + cell, c["x"], c["x"]])
    ys = np.array([c["y"], c["y"], c["y"] + cell, c["y"] + cell, c["y"]])
    lons, lats = to_wgs84(xs, ys)
    pairs = zip(lons.tolist(), lats.tolist(), strict=True)
    ring = [[round(lon, 6), round(lat, 6)] for lon, lat in pairs]
    properties = {k: c[k] for k in ("count", "z", "p", "q", "class")}
    return {
        "type": "Feature",
        "geometry": {"type": "Polygon", "coordinates": [ring]},
        "properties": properties,
    }


def summary(data: dict) -> str:
    if not data["enough_data"]:
        return _(
            "För få händelser med exakt position (%(n)s under %(window)s) för att säga var "
            "de samlas."
        ) % {"n": data["events"], "window": data["window"]}
    return _(
        "%(hot)s hotspot-rutor om %(cell)s m, av %(n)s händelser med exakt position under "
        "%(window)s."
    ) % {
        "hot": len(data["cells"]),
        "cell": data["cell_m"],
        "n": data["events"],
        "window": data["window"],
    }


def outline_rings(scope: Scope, tolerance_m: float = 50) -> list[list[list[float]]]:
    """The scope's outline, simplified, as rings of SWEREF coordinates (for the PDF map)."""
    return rings_of(outline(scope), tolerance_m)


def rings_of(shape, tolerance_m: float = 50) -> list[list[list[float]]]:
    """A study region (SWEREF 99 TM), simplified, as rings of coordinates for the drawn map."""
    if shape is None:
        return []
    simple = shape.simplify(tolerance_m)
    polygons = list(simple.geoms) if isinstance(simple, shapely.MultiPolygon) else [simple]
    return [
        [[round(x), round(y)] for x, y in polygon.exterior.coords]
        for polygon in polygons
        if not polygon.is_empty
    ]
