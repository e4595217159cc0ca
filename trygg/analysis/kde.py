"""Kernel density of events with the quartic (biweight) kernel, in metres.

K(d) = 3 / (π h²) · (1 − d²/h²)² for d < h, else 0 (Silverman 1986, p. 76, eq. 4.5): the
kernel of ArcGIS' Kernel Density and one of CrimeStat's. It integrates to 1 over the plane, so
the density summed over a fine grid times the cell area gives back the number of events.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.spatial import cKDTree

DEFAULT_BANDWIDTH = 250.0  # metres: a few blocks, what a walk from a hotspot covers
SQUARE_METRES_PER_KM2 = 1_000_000.0


def quartic_density(
    x: ArrayLike,
    y: ArrayLike,
    at_x: ArrayLike,
    at_y: ArrayLike,
    *,
    bandwidth: float = DEFAULT_BANDWIDTH,
    per_km2: bool = False,
) -> NDArray[np.float64]:
    """Quartic-kernel density (Silverman 1986) of the events (x, y) at each place (at_x, at_y).

    Events per m², or per km² with `per_km2`. Only pairs closer than the bandwidth are visited
    (a k-d tree), so the cost grows with events times places near them, not all pairs.
    """
    events = _checked_xy(x, y, "events")
    places = _checked_xy(at_x, at_y, "places")
    _check_bandwidth(bandwidth)
    density: NDArray[np.float64] = np.zeros(len(places))
    if len(events) and len(places):
        pairs = cKDTree(places).sparse_distance_matrix(
            cKDTree(events), bandwidth, output_type="ndarray"
        )
        kernel = quartic_kernel(pairs["v"], bandwidth)
        density = np.bincount(pairs["i"], weights=kernel, minlength=len(places)).astype(float)
    return density * SQUARE_METRES_PER_KM2 if per_km2 else density


def quartic_kernel(distance: ArrayLike, bandwidth: float) -> NDArray[np.float64]:
    """K(d) = 3 / (π h²) · (1 − d²/h²)² for d < h, else 0 (Silverman 1986, eq. 4.5)."""
    _check_bandwidth(bandwidth)
    d = np.asarray(distance, dtype=float)
    share = 1.0 - (d / bandwidth) ** 2
    return np.where(d < bandwidth, 3.0 / (math.pi * bandwidth**2) * share**2, 0.0)


def _checked_xy(x: ArrayLike, y: ArrayLike, what: str) -> NDArray[np.float64]:
    xs, ys = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if xs.ndim != 1 or xs.shape != ys.shape:
        raise ValueError(f"the {what}' x and y must be 1-D and of equal length")
    if not (np.isfinite(xs).all() and np.isfinite(ys).all()):
        raise ValueError(f"the {what}' coordinates must be finite numbers")
    return np.column_stack([xs, ys])


def _check_bandwidth(bandwidth: float) -> None:
    if not (isinstance(bandwidth, int | float) and math.isfinite(bandwidth) and bandwidth > 0):
        raise ValueError(f"the bandwidth must be a positive number of metres, not {bandwidth!r}")
