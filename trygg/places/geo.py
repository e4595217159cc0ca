"""Projection to SWEREF 99 TM and vectorised point-in-area assignment.

Area membership is computed once, when an event is written, so queries filter by key instead of
by polygon (DESIGN §2). Both steps work on numpy arrays so a million-row import stays fast.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry import shape

WGS84 = "EPSG:4326"
SWEREF99TM = "EPSG:3006"

# A box around Sweden with a margin: a cheap first test before the polygons.
SWEDEN_BOX = (10.5, 55.0, 24.5, 69.2)  # min lon, min lat, max lon, max lat


@lru_cache(maxsize=8)
def transformer(source: str, target: str) -> Transformer:
    return Transformer.from_crs(source, target, always_xy=True)


def to_sweref(lon, lat):
    """WGS84 lon/lat (scalars or arrays) -> SWEREF 99 TM x (easting), y (northing) in metres."""
    return transformer(WGS84, SWEREF99TM).transform(lon, lat)


def to_wgs84(x, y, crs: str = SWEREF99TM):
    """Projected x/y in `crs` -> WGS84 lon, lat."""
    return transformer(crs, WGS84).transform(x, y)


def geometry_to_wgs84(geometry: dict, crs: str) -> dict:
    """A GeoJSON geometry in another CRS, reprojected to WGS84 GeoJSON."""
    geom = shape(geometry)
    projected = shapely.transform(
        geom, lambda xy: np.column_stack(to_wgs84(xy[:, 0], xy[:, 1], crs))
    )
    return shapely.geometry.mapping(projected)


def outline_in_sweref(geometry: dict):
    """A WGS84 GeoJSON geometry as a shapely geometry in SWEREF 99 TM (metres)."""
    return _project(shape(geometry))


def in_sweden_box(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    box = SWEDEN_BOX
    return (lon >= box[0]) & (lon <= box[2]) & (lat >= box[1]) & (lat <= box[3])


@dataclass
class PolygonIndex:
    """Polygons in SWEREF 99 TM with their keys, queried with many points at once."""

    keys: np.ndarray
    tree: shapely.STRtree

    @classmethod
    def build(cls, items: list[tuple[int, dict]]) -> PolygonIndex:
        """`items` are (key, WGS84 GeoJSON geometry)."""
        geoms = [_project(shape(geometry)) for _, geometry in items]
        for geom in geoms:
            shapely.prepare(geom)
        return cls(
            keys=np.array([key for key, _ in items], dtype=np.int64), tree=shapely.STRtree(geoms)
        )

    def lookup(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Key of the polygon containing each point, or -1. On a shared border the first wins."""
        result = np.full(len(x), -1, dtype=np.int64)
        if len(x) == 0 or len(self.keys) == 0:
            return result
        points = shapely.points(np.asarray(x, dtype=float), np.asarray(y, dtype=float))
        point_idx, geom_idx = self.tree.query(points, predicate="intersects")
        # The first polygon wins wherever several hold a point (a border, areas that overlap):
        # the tree gives a point's polygons in no set order once it holds more than a few.
        first = np.full(len(x), len(self.keys), dtype=np.int64)
        np.minimum.at(first, point_idx, geom_idx)
        found = first < len(self.keys)
        result[found] = self.keys[first[found]]
        return result


def _project(geom):
    return shapely.transform(geom, lambda xy: np.column_stack(to_sweref(xy[:, 0], xy[:, 1])))
