"""Quartic kernel density against a brute-force sum, and its integral against the event count."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from trygg.analysis.grid import cell_centres, grid_over_bounds
from trygg.analysis.kde import quartic_density, quartic_kernel


def brute_force_density(x, y, at_x, at_y, h):
    """Every event against every place, straight from the formula."""
    dx = np.asarray(at_x)[:, None] - x[None, :]
    dy = np.asarray(at_y)[:, None] - y[None, :]
    d2 = dx**2 + dy**2
    inside = d2 < h * h
    return (np.where(inside, 3 / (math.pi * h * h) * (1 - d2 / (h * h)) ** 2, 0.0)).sum(axis=1)


def town_events(n=300, seed=1):
    rng = np.random.default_rng(seed)
    centre = rng.normal([500.0, 500.0], 120.0, size=(n // 2, 2))
    spread = rng.uniform(0, 1000, size=(n - n // 2, 2))
    events = np.vstack([centre, spread])
    return events[:, 0], events[:, 1]


def test_quartic_density_matches_a_brute_force_sum_over_all_pairs():
    x, y = town_events()
    grid = grid_over_bounds(0, 0, 999, 999, cell=50)
    cx, cy = cell_centres(grid)
    ours = quartic_density(x, y, cx, cy, bandwidth=180.0)
    assert np.allclose(ours, brute_force_density(x, y, cx, cy, 180.0), rtol=1e-12, atol=1e-18)


@given(
    st.lists(st.tuples(st.floats(0, 500), st.floats(0, 500)), max_size=40),
    st.floats(10, 400),
)
def test_quartic_density_equals_the_brute_force_sum_for_any_events(events, bandwidth):
    x = np.array([e[0] for e in events], dtype=float)
    y = np.array([e[1] for e in events], dtype=float)
    at_x, at_y = np.linspace(-50, 550, 13), np.linspace(550, -50, 13)
    ours = quartic_density(x, y, at_x, at_y, bandwidth=bandwidth)
    assert (ours >= 0).all()
    assert np.allclose(ours, brute_force_density(x, y, at_x, at_y, bandwidth), atol=1e-15)


def test_the_density_integrates_to_the_number_of_events_on_a_fine_grid():
    x, y = town_events(n=200)
    # 10 m cells over the events plus the bandwidth all round, so no kernel is cut off.
    grid = grid_over_bounds(-300, -300, 1300, 1300, cell=10)
    cx, cy = cell_centres(grid)
    density = quartic_density(x, y, cx, cy, bandwidth=250.0)
    assert density.sum() * grid.cell_area == pytest.approx(200, rel=2e-3)


def test_the_kernel_peaks_at_three_over_pi_h_squared_and_vanishes_at_the_bandwidth():
    h = 250.0
    values = quartic_kernel([0.0, h / 2, h, 2 * h], h)
    assert values[0] == pytest.approx(3 / (math.pi * h * h))
    assert values[1] == pytest.approx(3 / (math.pi * h * h) * 0.75**2)
    assert values[2] == 0.0 and values[3] == 0.0


def test_density_per_km2_is_density_per_m2_times_a_million():
    x, y = town_events(n=50)
    per_m2 = quartic_density(x, y, [500.0], [500.0])
    per_km2 = quartic_density(x, y, [500.0], [500.0], per_km2=True)
    assert per_km2[0] == pytest.approx(per_m2[0] * 1e6)
    # One event right at the place, default bandwidth 250 m: 3 / (π · 0.0625 km²) ≈ 15.3.
    assert quartic_density([0.0], [0.0], [0.0], [0.0], per_km2=True)[0] == pytest.approx(
        3 / (math.pi * 0.0625)
    )


def test_no_events_give_zero_density_everywhere():
    assert quartic_density([], [], [0.0, 10.0], [0.0, 10.0]).tolist() == [0.0, 0.0]
    assert quartic_density([1.0], [1.0], [], []).tolist() == []


@pytest.mark.parametrize("bandwidth", [0, -10, float("nan"), float("inf")])
def test_a_bandwidth_that_is_not_a_positive_distance_is_refused(bandwidth):
    with pytest.raises(ValueError, match="bandwidth"):
        quartic_density([0.0], [0.0], [0.0], [0.0], bandwidth=bandwidth)


def test_events_with_missing_coordinates_are_refused():
    with pytest.raises(ValueError, match="finite"):
        quartic_density([0.0, float("nan")], [0.0, 1.0], [0.0], [0.0])
    with pytest.raises(ValueError, match="equal length"):
        quartic_density([0.0, 1.0], [0.0], [0.0], [0.0])
