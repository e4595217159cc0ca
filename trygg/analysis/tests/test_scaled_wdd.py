"""The WDD with one control scaled to the target and buffer (weights as in ptools::wdd)."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trygg.analysis.evaluation import weighted_displacement_difference
from trygg.analysis.scaled_wdd import wdd_with_scaled_control

counts = st.integers(min_value=0, max_value=5000)


@given(counts, counts, counts)
def test_a_control_as_busy_as_the_target_gives_the_published_wdd(t0, t1, c1):
    t0 = t0 + 1  # the control's before count equals the target's, so the weight is one
    scaled = wdd_with_scaled_control(t0, t1, 0, 0, t0, c1)
    published = weighted_displacement_difference(t0, t1, t0, c1)
    assert scaled is not None
    assert scaled.estimate == pytest.approx(published.estimate)
    assert scaled.se == pytest.approx(published.se)
    assert scaled.z == pytest.approx(published.z, nan_ok=True)


def test_the_estimate_is_events_after_minus_those_the_controls_trend_expects():
    # Target 60 -> 40, buffer 30 -> 28, control 5500 -> 5000 (a tenth fewer).
    r = wdd_with_scaled_control(60, 40, 30, 28, 5500, 5000)
    assert r is not None
    expected_after = (60 + 30) * 5000 / 5500
    assert r.estimate == pytest.approx(40 + 28 - expected_after)
    weight = 90 / 5500
    assert r.se == pytest.approx(math.sqrt(60 + 40 + 30 + 28 + weight**2 * 10_500))
    assert r.target_before == 60 and r.target_events == 100


def test_a_busy_controls_change_no_longer_swamps_a_small_target():
    # The rest of the town grew by 1000 events; the square stayed at 30. Raw WDD calls that a
    # large fall at the square; scaled, the square merely did not grow with the town.
    raw = weighted_displacement_difference(30, 30, 10_000, 11_000)
    scaled = wdd_with_scaled_control(30, 30, 0, 0, 10_000, 11_000)
    assert raw.z < -5
    assert scaled is not None and scaled.estimate == pytest.approx(-3.0)
    assert abs(scaled.z) < 1


def test_a_control_without_events_before_cannot_be_scaled():
    assert wdd_with_scaled_control(10, 5, 0, 0, 0, 7) is None


@pytest.mark.parametrize("bad", [-1, 1.5, True, "3"])
def test_counts_must_be_whole_numbers(bad):
    with pytest.raises(ValueError, match="t1 must be a whole number"):
        wdd_with_scaled_control(1, bad, 0, 0, 1, 1)
