"""A square grid in metres (SWEREF 99 TM, EPSG:3006, unless a caller says otherwise).

Cells are numbered row by row from the south-west corner: flat number = row * n_cols + col. A
grid may keep only some cells (a municipality's outline); every per-cell array in this package
then follows the order of `Grid.cells`, and only kept cells are neighbours. Origins are snapped
to whole multiples of the cell size, so two periods gridded separately share their cells.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray
from scipy import sparse

DEFAULT_CELL = 100.0  # metres: a block in a Swedish town, the scale safety work acts on
# A grid beyond this would take gigabytes; it usually means degrees were taken for metres.
MAX_CELLS = 25_000_000

# The eight neighbours of queen contiguity, as (row, column) steps.
QUEEN_STEPS = ((-1, -1), (-1, 0), (-1, 1), (0, -1), (0, 1), (1, -1), (1, 0), (1, 1))


@dataclass(frozen=True, eq=False)
class Grid:
    """Square cells of `cell` metres from the corner (x0, y0); `cells` are the kept flat numbers."""

    x0: float
    y0: float
    cell: float
    n_cols: int
    n_rows: int
    cells: NDArray[np.int64]  # ascending

    @property
    def size(self) -> int:
        return len(self.cells)

    @property
    def cell_area(self) -> float:
        return self.cell * self.cell

    @cached_property
    def positions(self) -> NDArray[np.int64]:
        """For each flat number of the full rectangle, its position in `cells`, or -1."""
        positions = np.full(self.n_cols * self.n_rows, -1, dtype=np.int64)
        positions[self.cells] = np.arange(self.size, dtype=np.int64)
        return positions


def grid_over_bounds(
    xmin: float, ymin: float, xmax: float, ymax: float, cell: float = DEFAULT_CELL
) -> Grid:
    """All cells of a grid snapped to multiples of `cell` that hold the box, edges included."""
    x0, y0 = _origin(xmin, ymin, xmax, ymax, cell)
    # A point on the upper edge gets its own cell rather than falling off the grid.
    n_cols = math.floor((xmax - x0) / cell) + 1
    n_rows = math.floor((ymax - y0) / cell) + 1
    return _full_grid(x0, y0, cell, n_cols, n_rows)


def grid_over_polygon(polygon, cell: float = DEFAULT_CELL, mask: bool = True) -> Grid:
    """The snapped grid over a shapely (multi)polygon; with `mask`, only cells centred inside."""
    if not isinstance(polygon, shapely.Polygon | shapely.MultiPolygon) or polygon.is_empty:
        raise ValueError("the area must be a non-empty shapely Polygon or MultiPolygon")
    xmin, ymin, xmax, ymax = polygon.bounds
    x0, y0 = _origin(xmin, ymin, xmax, ymax, cell)
    # The boundary is not inside the polygon: no cell is added past its east or north edge.
    n_cols = max(1, math.ceil((xmax - x0) / cell))
    n_rows = max(1, math.ceil((ymax - y0) / cell))
    full = _full_grid(x0, y0, cell, n_cols, n_rows)
    if not mask:
        return full
    cx, cy = cell_centres(full)
    shapely.prepare(polygon)
    inside = shapely.contains_xy(polygon, cx, cy)
    return Grid(full.x0, full.y0, full.cell, full.n_cols, full.n_rows, full.cells[inside])


def cell_of_points(grid: Grid, x: ArrayLike, y: ArrayLike) -> NDArray[np.int64]:
    """Each point's position in `grid.cells`, or -1 outside the grid or in a masked-out cell."""
    xs, ys = _checked_points(x, y)
    col = np.floor((xs - grid.x0) / grid.cell)
    row = np.floor((ys - grid.y0) / grid.cell)
    inside = (col >= 0) & (col < grid.n_cols) & (row >= 0) & (row < grid.n_rows)
    # A point a hair below the origin divides to -0.0 and floors into cell 0: compare directly.
    inside &= (xs >= grid.x0) & (ys >= grid.y0)
    result = np.full(len(xs), -1, dtype=np.int64)
    flat = row[inside].astype(np.int64) * grid.n_cols + col[inside].astype(np.int64)
    result[inside] = grid.positions[flat]
    return result


def count_points(grid: Grid, x: ArrayLike, y: ArrayLike) -> NDArray[np.int64]:
    """Number of points in each kept cell; points outside the kept cells are not counted."""
    position = cell_of_points(grid, x, y)
    return np.bincount(position[position >= 0], minlength=grid.size).astype(np.int64)


def cell_centres(grid: Grid) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """x and y of each kept cell's centre."""
    row, col = np.divmod(grid.cells, grid.n_cols)
    return grid.x0 + (col + 0.5) * grid.cell, grid.y0 + (row + 0.5) * grid.cell


def cell_corners(grid: Grid) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """x and y of each kept cell's south-west corner."""
    row, col = np.divmod(grid.cells, grid.n_cols)
    return grid.x0 + col * grid.cell, grid.y0 + row * grid.cell


def cell_polygons(grid: Grid) -> NDArray[np.object_]:
    """Each kept cell as a shapely box, in the grid's coordinates."""
    x, y = cell_corners(grid)
    return shapely.box(x, y, x + grid.cell, y + grid.cell)


def queen_weights(grid: Grid, include_self: bool = False) -> sparse.csr_matrix:
    """Binary queen contiguity between kept cells (up to 8 neighbours), as a CSR matrix.

    With `include_self` each cell is also its own neighbour (diagonal 1), as Gi* needs.
    """
    row, col = np.divmod(grid.cells, grid.n_cols)
    sources: list[NDArray[np.int64]] = []
    targets: list[NDArray[np.int64]] = []
    for d_row, d_col in QUEEN_STEPS:
        r, c = row + d_row, col + d_col
        inside = (r >= 0) & (r < grid.n_rows) & (c >= 0) & (c < grid.n_cols)
        neighbour = np.full(grid.size, -1, dtype=np.int64)
        neighbour[inside] = grid.positions[r[inside] * grid.n_cols + c[inside]]
        kept = neighbour >= 0
        sources.append(np.flatnonzero(kept))
        targets.append(neighbour[kept])
    if include_self:
        sources.append(np.arange(grid.size))
        targets.append(np.arange(grid.size))
    i, j = np.concatenate(sources), np.concatenate(targets)
    matrix = sparse.csr_matrix((np.ones(len(i)), (i, j)), shape=(grid.size, grid.size))
    matrix.sort_indices()
    return matrix


def _origin(xmin: float, ymin: float, xmax: float, ymax: float, cell: float) -> tuple[float, float]:
    _check_cell(cell)
    if not all(math.isfinite(v) for v in (xmin, ymin, xmax, ymax)):
        raise ValueError("the bounds must be finite numbers")
    if xmax < xmin or ymax < ymin:
        raise ValueError(f"empty bounds: x {xmin}..{xmax}, y {ymin}..{ymax}")
    return _snap_down(xmin, cell), _snap_down(ymin, cell)


def _full_grid(x0: float, y0: float, cell: float, n_cols: int, n_rows: int) -> Grid:
    _check_size(n_cols * n_rows)
    return Grid(x0, y0, float(cell), n_cols, n_rows, np.arange(n_cols * n_rows, dtype=np.int64))


def _snap_down(value: float, cell: float) -> float:
    snapped = math.floor(value / cell) * cell
    # The division can round up to a whole number; the origin must never pass the value.
    return snapped - cell if snapped > value else snapped


def _check_cell(cell: float) -> None:
    if not (isinstance(cell, int | float) and math.isfinite(cell) and cell > 0):
        raise ValueError(f"the cell size must be a positive number of metres, not {cell!r}")


def _check_size(n_cells: int) -> None:
    if n_cells > MAX_CELLS:
        raise ValueError(
            f"the grid would have {n_cells:,} cells (at most {MAX_CELLS:,}): use larger cells "
            "or a smaller area (are the coordinates in metres?)"
        )


def _checked_points(x: ArrayLike, y: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    xs, ys = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if xs.ndim != 1 or xs.shape != ys.shape:
        raise ValueError(f"x and y must be 1-D and of equal length, not {xs.shape} and {ys.shape}")
    if not (np.isfinite(xs).all() and np.isfinite(ys).all()):
        raise ValueError("the points' coordinates must be finite numbers")
    return xs, ys
