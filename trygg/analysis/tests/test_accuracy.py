"""Hit rate, PAI, PEI and RRI against their published definitions and a test vector."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from trygg.analysis.accuracy import hit_rate, judge_hotspot_map, pai, pei, rri


def test_hit_rate_pai_and_pei_match_the_published_example():
    # N = 200 events, A = 100 cells, a = 5 selected, n = 60 caught, n* = 80 at best.
    assert hit_rate(60, 200) == pytest.approx(0.30)
    assert pai(60, 200, 5, 100) == pytest.approx(6.0)
    assert pei(60, 80) == pytest.approx(0.75)
    # PEI is PAI over the best PAI the same area allowed.
    assert pei(60, 80) == pytest.approx(pai(60, 200, 5, 100) / pai(80, 200, 5, 100))


def test_rri_compares_the_areas_share_of_events_across_the_two_periods():
    # 50 of 500 events in the area before, 30 of 400 after: (30/50) / (400/500) = 0.75.
    assert rri(50, 500, 30, 400) == pytest.approx(0.75)
    assert rri(10, 100, 20, 200) == pytest.approx(1.0)


def test_judging_a_map_counts_n_and_n_star_from_the_cells():
    period1 = np.array([9, 7, 5, 0, 1, 0, 2, 0, 0, 1])
    period2 = np.array([6, 1, 4, 8, 0, 0, 1, 0, 0, 0])
    selected = period1 >= 5  # the map: the three busiest cells of period 1
    result = judge_hotspot_map(period1, period2, selected, cell_area=10_000.0)
    assert (result.captured, result.events, result.best_possible) == (11, 20, 18)
    assert (result.area, result.total_area) == (30_000.0, 100_000.0)
    assert result.hit_rate == pytest.approx(11 / 20)
    assert result.pai == pytest.approx((11 / 20) / (3 / 10))
    assert result.pei == pytest.approx(11 / 18)
    assert result.rri == pytest.approx((11 / 21) / (20 / 25))


def test_a_period_without_events_gives_undefined_ratios_not_an_error():
    result = judge_hotspot_map([3, 0, 1], [0, 0, 0], [True, False, False], cell_area=100.0)
    assert math.isnan(result.hit_rate) and math.isnan(result.pai)
    assert math.isnan(result.pei) and math.isnan(result.rri)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: hit_rate(201, 200), "n must lie between 0 and N"),
        (lambda: pai(10, 200, 0, 100), "area"),
        (lambda: pai(10, 200, 101, 100), "area"),
        (lambda: pei(81, 80), "n must lie between 0 and n\\*"),
        (lambda: rri(-1, 10, 1, 10), "n1"),
    ],
)
def test_impossible_figures_are_refused(call, message):
    with pytest.raises(ValueError, match=message):
        call()


@pytest.mark.parametrize(
    ("period1", "period2", "selected", "cell_area", "message"),
    [
        ([1, 2], [1, 2, 3], [True, False], 1.0, "one value per cell"),
        ([1, 2], [1, 2], [1, 0], 1.0, "one value per cell"),
        ([1, 2], [1, 2], [False, False], 1.0, "no cell"),
        ([1, -2], [1, 2], [True, False], 1.0, "whole, non-negative"),
        ([1, 2], [1.5, 2], [True, False], 1.0, "whole, non-negative"),
        ([1, 2], [1, 2], [True, False], 0.0, "cell area"),
    ],
)
def test_a_map_with_inconsistent_inputs_is_refused(period1, period2, selected, cell_area, message):
    with pytest.raises(ValueError, match=message):
        judge_hotspot_map(period1, period2, selected, cell_area)


@given(
    st.lists(st.tuples(st.integers(0, 20), st.integers(0, 20), st.booleans()), min_size=1),
)
def test_hit_rate_and_pei_lie_between_0_and_1_and_pai_below_a_over_a(cells):
    period1 = np.array([c[0] for c in cells])
    period2 = np.array([c[1] for c in cells])
    selected = np.array([c[2] for c in cells])
    if not selected.any():
        selected[0] = True
    result = judge_hotspot_map(period1, period2, selected, cell_area=100.0)
    if result.events:
        assert 0 <= result.hit_rate <= 1
        assert result.pai <= result.total_area / result.area + 1e-9
    if result.best_possible:
        assert 0 <= result.pei <= 1
