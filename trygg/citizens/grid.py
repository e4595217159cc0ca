"""Where the public sees a resident's report: never the exact point, only a square of the
SWEREF 99 TM grid (DESIGN §5: public positions coarsened). One rule for every public output of
residents' reports, Open311's GET and the public map and list: 100 m squares at the finest
(a report is about a place; the grid keeps it from pointing at a door), coarser squares on the
map when it is zoomed out. Every coarser size is a whole multiple of 100 m, so a coarse square
is a union of fine ones and never tells more than they do."""

from __future__ import annotations

import math

from trygg.places.geo import to_sweref, to_wgs84

GRID_M = 100


def cell_index(x: float, y: float, size: float = GRID_M) -> tuple[int, int]:
    """The (column, row) of the square of `size` metres that SWEREF (x, y) lies in."""
    return math.floor(x / size), math.floor(y / size)


def cell_centre(column: int, row: int, size: float = GRID_M) -> tuple[float, float]:
    """The centre of square (column, row) as WGS84 lat, lon, rounded to about 10 cm."""
    lon, lat = to_wgs84((column + 0.5) * size, (row + 0.5) * size)
    return round(float(lat), 6), round(float(lon), 6)


def on_grid(lat: float, lon: float, size: float = GRID_M) -> tuple[float, float]:
    """The centre of the square the position lies in, as lat, lon: what the public is told."""
    if size < GRID_M or size % GRID_M:
        raise ValueError(f"a public square is a whole multiple of {GRID_M} m, not {size}")
    x, y = to_sweref(lon, lat)
    return cell_centre(*cell_index(float(x), float(y), size), size=size)
