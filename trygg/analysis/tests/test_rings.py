"""Target, buffer and control zones and weekly bins for the evaluation of a measure."""

import numpy as np
import pytest
import shapely
from hypothesis import given
from hypothesis import strategies as st

from trygg.analysis.rings import Zone, count_in_bins, disc_rings, polygon_rings, zone_of_points

X0, Y0 = 411_000.0, 6_583_000.0  # a point in SWEREF 99 TM (Karlstad)


def test_a_disc_puts_points_by_their_exact_distance_from_the_centre():
    rings = disc_rings(X0, Y0, 100, 200)
    distances = np.array([0, 99.9, 100.0, 100.1, 299.9, 300.0, 300.1, 1000])
    zones = zone_of_points(rings, X0 + distances, np.full(distances.size, Y0))
    expected = [Zone.TARGET] * 3 + [Zone.BUFFER] * 3 + [Zone.OUTSIDE] * 2
    assert zones.tolist() == expected


def test_the_exact_circle_decides_between_the_polygons_vertices():
    # On a diagonal the drawn polygon's chord lies inside the circle; the distance test does not.
    rings = disc_rings(X0, Y0, 100, 200)
    offset = 99.99 / np.sqrt(2)
    assert zone_of_points(rings, [X0 + offset], [Y0 + offset])[0] == Zone.TARGET


def test_the_control_counts_only_what_lies_outside_target_and_buffer():
    rings = disc_rings(X0, Y0, 100, 200)
    control = shapely.box(X0 - 5000, Y0 - 5000, X0 + 5000, Y0 + 5000)
    zones = zone_of_points(rings, [X0, X0 + 250, X0 + 400, X0 + 6000], [Y0] * 4, control)
    assert zones.tolist() == [Zone.TARGET, Zone.BUFFER, Zone.CONTROL, Zone.OUTSIDE]


def test_an_area_target_has_a_ring_of_the_buffers_width_around_its_polygon():
    square = shapely.box(X0, Y0, X0 + 500, Y0 + 500)
    rings = polygon_rings(square, 200)
    xs = [X0 + 250, X0 + 500, X0 + 650, X0 + 699, X0 + 701]
    assert zone_of_points(rings, xs, [Y0 + 250] * 5).tolist() == [
        Zone.TARGET,
        Zone.TARGET,
        Zone.BUFFER,
        Zone.BUFFER,
        Zone.OUTSIDE,
    ]
    assert rings.bounds == pytest.approx((X0 - 200, Y0 - 200, X0 + 700, Y0 + 700))


def test_a_buffer_of_zero_leaves_no_ring():
    rings = disc_rings(X0, Y0, 100, 0)
    assert zone_of_points(rings, [X0 + 50, X0 + 150], [Y0, Y0]).tolist() == [1, 0]


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: disc_rings(X0, Y0, 0, 200), "radius_m"),
        (lambda: disc_rings(X0, Y0, 100, -1), "buffer_m"),
        (lambda: polygon_rings(shapely.Point(X0, Y0), 100), "polygon"),
        (lambda: zone_of_points(disc_rings(X0, Y0, 1, 1), [1, 2], [1]), "same length"),
        (lambda: count_in_bins([1], [2, 1]), "increasing"),
    ],
)
def test_bad_inputs_are_refused_with_a_clear_message(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_bins_are_closed_at_their_start_and_open_at_their_end():
    counts = count_in_bins([0, 5, 9.999, 10, 25, 30, -1], [0, 10, 20, 30])
    assert counts.tolist() == [3, 1, 1]


@given(st.lists(st.floats(min_value=-50, max_value=150), max_size=200))
def test_bins_count_every_time_between_the_first_and_last_edge_once(times):
    edges = np.arange(0, 101, 7.0)
    inside = [t for t in times if edges[0] <= t < edges[-1]]
    assert count_in_bins(times, edges).sum() == len(inside)
