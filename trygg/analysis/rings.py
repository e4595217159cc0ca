"""Where and when an evaluated measure's events fall: target, buffer ring and control, by week.

The target is a disc around a place or an area's polygon; the buffer is the ring of a given
width just outside it (where events pushed away by the measure would land); the control is
everything in a control polygon outside both. Coordinates are SWEREF 99 TM metres. Points are
tested in numpy (discs: exact distances; polygons: shapely's vectorised predicates), so a
bounding-box query in SQL followed by these functions stays fast on large tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray
from shapely.geometry.base import BaseGeometry

# Segments per quarter circle when a disc is drawn as a polygon (for its bounds and area only:
# points are tested against the exact circle).
QUAD_SEGS = 32


class Zone(IntEnum):
    OUTSIDE = 0
    TARGET = 1
    BUFFER = 2
    CONTROL = 3


@dataclass(frozen=True)
class Rings:
    """The target and the outer edge of its buffer ring; `centre` is set for a disc."""

    target: BaseGeometry
    outer: BaseGeometry  # target plus the buffer ring
    centre: tuple[float, float] | None = None
    radius_m: float = 0.0
    buffer_m: float = 0.0

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """(min x, min y, max x, max y) of target and buffer together, for a box query."""
        return tuple(float(v) for v in self.outer.bounds)  # type: ignore[return-value]

    @property
    def target_area_m2(self) -> float:
        return float(np.pi * self.radius_m**2) if self.centre else float(self.target.area)


def disc_rings(x: float, y: float, radius_m: float, buffer_m: float) -> Rings:
    """A disc of `radius_m` around (x, y) and a ring `buffer_m` wide around it."""
    _check_distances(radius_m, buffer_m, disc=True)
    centre = shapely.Point(float(x), float(y))
    return Rings(
        target=centre.buffer(radius_m, quad_segs=QUAD_SEGS),
        outer=centre.buffer(radius_m + buffer_m, quad_segs=QUAD_SEGS),
        centre=(float(x), float(y)),
        radius_m=float(radius_m),
        buffer_m=float(buffer_m),
    )


def polygon_rings(polygon: BaseGeometry, buffer_m: float) -> Rings:
    """An area's polygon as the target and the ring `buffer_m` wide around it."""
    _check_distances(0.0, buffer_m, disc=False)
    if polygon.is_empty or polygon.area <= 0:
        raise ValueError("the target polygon must have an area")
    target = polygon if polygon.is_valid else shapely.make_valid(polygon)
    outer = target.buffer(buffer_m, quad_segs=QUAD_SEGS) if buffer_m else target
    shapely.prepare(target)
    shapely.prepare(outer)
    return Rings(target=target, outer=outer, buffer_m=float(buffer_m))


def zone_of_points(
    rings: Rings, x: ArrayLike, y: ArrayLike, control: BaseGeometry | None = None
) -> NDArray[np.int8]:
    """The zone of each point: target first, then buffer, then control (outside both).

    A point on the target's edge is in the target, on the buffer's outer edge in the buffer:
    'within 100 m' includes 100 m."""
    xs, ys = _points(x, y)
    if rings.centre is not None:
        squared = (xs - rings.centre[0]) ** 2 + (ys - rings.centre[1]) ** 2
        in_target = squared <= rings.radius_m**2
        in_outer = squared <= (rings.radius_m + rings.buffer_m) ** 2
    else:
        in_target = shapely.intersects_xy(rings.target, xs, ys)
        in_outer = shapely.intersects_xy(rings.outer, xs, ys)
    zones = np.full(xs.size, Zone.OUTSIDE, dtype=np.int8)
    if control is not None and xs.size:
        shapely.prepare(control)
        zones[shapely.intersects_xy(control, xs, ys) & ~in_outer] = Zone.CONTROL
    zones[in_outer & ~in_target] = Zone.BUFFER
    zones[in_target] = Zone.TARGET
    return zones


def count_in_bins(times: ArrayLike, edges: ArrayLike) -> NDArray[np.int64]:
    """Events per bin [edges[i], edges[i+1]); times outside the edges are not counted.

    Edges are given by the caller (local midnights as epoch seconds, say), so bins may differ
    in length by a daylight-saving hour and still start at midnight."""
    t = np.asarray(times, dtype=np.float64).ravel()
    e = np.asarray(edges, dtype=np.float64).ravel()
    if e.size < 2 or not (np.diff(e) > 0).all():
        raise ValueError("edges must be at least two increasing values")
    index = np.searchsorted(e, t, side="right") - 1
    inside = (index >= 0) & (index < e.size - 1)
    return np.bincount(index[inside], minlength=e.size - 1).astype(np.int64)


def _points(x: ArrayLike, y: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    xs = np.asarray(x, dtype=np.float64).ravel()
    ys = np.asarray(y, dtype=np.float64).ravel()
    if xs.shape != ys.shape:
        raise ValueError("x and y must have the same length")
    return xs, ys


def _check_distances(radius_m: float, buffer_m: float, *, disc: bool) -> None:
    if disc and not (np.isfinite(radius_m) and radius_m > 0):
        raise ValueError(f"radius_m must be a positive number of metres, got {radius_m!r}")
    if not (np.isfinite(buffer_m) and buffer_m >= 0):
        raise ValueError(f"buffer_m must be zero or a positive number of metres, got {buffer_m!r}")
