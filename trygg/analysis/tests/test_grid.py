"""The SWEREF 99 TM grid: cells, counts and queen contiguity, checked against libpysal."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from hypothesis import example, given
from hypothesis import strategies as st
from libpysal.weights import lat2W

from trygg.analysis.grid import (
    MAX_CELLS,
    cell_centres,
    cell_of_points,
    cell_polygons,
    count_points,
    grid_over_bounds,
    grid_over_polygon,
    queen_weights,
)

# Around Stora torget in Karlstad, in SWEREF 99 TM.
KARLSTAD_X, KARLSTAD_Y = 413_600.0, 6_582_300.0


def test_a_grid_over_bounds_is_snapped_to_whole_cells_and_covers_the_upper_edge():
    grid = grid_over_bounds(KARLSTAD_X + 30, KARLSTAD_Y + 70, KARLSTAD_X + 500, KARLSTAD_Y + 250)
    assert (grid.x0, grid.y0) == (KARLSTAD_X, KARLSTAD_Y)
    # 30..500 needs columns 0..5 (500 is on the edge of column 5), 70..250 rows 0..2.
    assert (grid.n_cols, grid.n_rows, grid.size) == (6, 3, 18)
    assert grid.cell_area == 10_000.0


def test_points_are_counted_in_the_cell_their_coordinates_fall_in():
    grid = grid_over_bounds(0, 0, 299, 199, cell=100)
    x = [0.0, 99.9, 100.0, 250.0, 250.0, 299.0]
    y = [0.0, 50.0, 150.0, 199.0, 10.0, 0.0]
    # Cells row by row from the south-west: row 0 holds 0, 1, 2, row 1 holds 3, 4, 5.
    assert cell_of_points(grid, x, y).tolist() == [0, 0, 4, 5, 2, 2]
    assert count_points(grid, x, y).tolist() == [2, 0, 2, 0, 1, 1]


def test_points_outside_the_grid_are_not_counted():
    grid = grid_over_bounds(0, 0, 199, 199, cell=100)
    counts = count_points(grid, [-1.0, 50.0, 200.0, 50.0], [50.0, 50.0, 50.0, 1e6])
    assert counts.tolist() == [1, 0, 0, 0]


@given(
    st.lists(
        st.tuples(st.floats(-500, 1500), st.floats(-500, 1500)),
        max_size=200,
    ),
    st.sampled_from([50.0, 100.0, 250.0]),
)
@example(points=[(0.0, -5e-324)], cell=50.0)  # a hair below the origin stays outside
def test_counts_sum_to_the_number_of_points_inside_the_grid(points, cell):
    grid = grid_over_bounds(0, 0, 999, 999, cell=cell)
    x = np.array([p[0] for p in points], dtype=float)
    y = np.array([p[1] for p in points], dtype=float)
    inside = (x >= grid.x0) & (x < grid.x0 + grid.n_cols * cell)
    inside &= (y >= grid.y0) & (y < grid.y0 + grid.n_rows * cell)
    counts = count_points(grid, x, y)
    assert counts.sum() == inside.sum()
    assert counts.min(initial=0) >= 0


@given(st.lists(st.tuples(st.floats(0, 5000), st.floats(0, 5000)), min_size=1, max_size=50))
def test_a_grid_over_the_points_own_bounds_holds_every_point(points):
    x = np.array([p[0] for p in points])
    y = np.array([p[1] for p in points])
    grid = grid_over_bounds(x.min(), y.min(), x.max(), y.max(), cell=100)
    assert (cell_of_points(grid, x, y) >= 0).all()


def test_a_polygon_mask_keeps_the_cells_whose_centre_lies_inside():
    # An L: the 3 x 3 block without its north-east 2 x 2 corner.
    ell = shapely.Polygon([(0, 0), (300, 0), (300, 100), (100, 100), (100, 300), (0, 300)])
    grid = grid_over_polygon(ell, cell=100)
    assert grid.cells.tolist() == [0, 1, 2, 3, 6]
    assert grid_over_polygon(ell, cell=100, mask=False).size == 9
    # A point in a masked-out cell belongs to no cell.
    assert cell_of_points(grid, [250.0, 50.0], [250.0, 250.0]).tolist() == [-1, 4]


def test_queen_weights_give_corner_edge_and_interior_cells_three_five_and_eight_neighbours():
    weights = queen_weights(grid_over_bounds(0, 0, 299, 299, cell=100))
    assert np.diff(weights.indptr).tolist() == [3, 5, 3, 5, 8, 5, 3, 5, 3]
    assert (weights != weights.T).nnz == 0
    assert set(weights.data) == {1.0}


def test_queen_weights_equal_libpysal_queen_lattice_weights():
    grid = grid_over_bounds(0, 0, 1199, 799, cell=100)  # 12 columns, 8 rows
    ours = queen_weights(grid)
    reference = lat2W(grid.n_rows, grid.n_cols, rook=False).sparse
    assert (ours != reference).nnz == 0


def test_include_self_puts_each_cell_among_its_own_neighbours():
    weights = queen_weights(grid_over_bounds(0, 0, 399, 399, cell=100), include_self=True)
    assert (weights.diagonal() == 1).all()
    assert weights.sum() == queen_weights(grid_over_bounds(0, 0, 399, 399, cell=100)).sum() + 16


def test_a_masked_grid_links_only_kept_cells():
    ell = shapely.Polygon([(0, 0), (300, 0), (300, 100), (100, 100), (100, 300), (0, 300)])
    grid = grid_over_polygon(ell, cell=100)  # kept: 0, 1, 2 (south row), 3, 6 (west column)
    weights = queen_weights(grid).toarray()
    expected = np.array(
        [
            [0, 1, 0, 1, 0],  # cell 0 touches 1 and 3 (4 is masked out)
            [1, 0, 1, 1, 0],  # cell 1 touches 0, 2 and 3
            [0, 1, 0, 0, 0],  # cell 2 touches only 1 (5 and 4 are masked out)
            [1, 1, 0, 0, 1],  # cell 3 touches 0, 1 and 6
            [0, 0, 0, 1, 0],  # cell 6 touches only 3
        ]
    )
    assert (weights == expected).all()


def test_an_isolated_kept_cell_has_no_neighbours():
    two_islands = shapely.MultiPolygon(
        [shapely.box(0, 0, 100, 100), shapely.box(500, 500, 600, 600)]
    )
    grid = grid_over_polygon(two_islands, cell=100)
    assert grid.size == 2
    assert queen_weights(grid).nnz == 0


def test_cell_polygons_are_squares_around_the_cell_centres():
    grid = grid_over_bounds(KARLSTAD_X, KARLSTAD_Y, KARLSTAD_X + 250, KARLSTAD_Y + 150, cell=50)
    polygons = cell_polygons(grid)
    cx, cy = cell_centres(grid)
    centroids = shapely.centroid(polygons)
    assert np.allclose(shapely.get_x(centroids), cx)
    assert np.allclose(shapely.get_y(centroids), cy)
    assert np.allclose(shapely.area(polygons), 2500.0)
    assert (cell_of_points(grid, cx, cy) == np.arange(grid.size)).all()


@pytest.mark.parametrize("cell", [0, -100, float("nan"), float("inf"), "100"])
def test_a_cell_size_that_is_not_a_positive_number_is_refused(cell):
    with pytest.raises(ValueError, match="cell size"):
        grid_over_bounds(0, 0, 100, 100, cell=cell)


def test_empty_or_non_finite_bounds_are_refused():
    with pytest.raises(ValueError, match="empty bounds"):
        grid_over_bounds(100, 0, 0, 100)
    with pytest.raises(ValueError, match="finite"):
        grid_over_bounds(0, 0, float("nan"), 100)


def test_a_grid_with_too_many_cells_is_refused():
    side = (MAX_CELLS**0.5 + 10) * 100
    with pytest.raises(ValueError, match="cells"):
        grid_over_bounds(0, 0, side, side, cell=100)


def test_an_empty_polygon_is_refused():
    with pytest.raises(ValueError, match="Polygon"):
        grid_over_polygon(shapely.Polygon())


def test_points_with_missing_coordinates_are_refused():
    grid = grid_over_bounds(0, 0, 100, 100)
    with pytest.raises(ValueError, match="finite"):
        count_points(grid, [1.0, float("nan")], [1.0, 2.0])
    with pytest.raises(ValueError, match="equal length"):
        count_points(grid, [1.0, 2.0], [1.0])
