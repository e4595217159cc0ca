"""Weekly expectation band, clock and calendar profiles, and the honest ranking of rises."""

import numpy as np
import pytest
import statsmodels.api as sm
from hypothesis import given
from hypothesis import strategies as st

from trygg.analysis.trends import (
    WEEKS_PER_YEAR,
    hour_weekday_grid,
    largest_rises,
    month_profile,
    weekly_expectation,
)

AMPLITUDE = 0.4  # the true seasonal swing of log(mean): summer ~1.5 x, winter ~0.67 x


def seasonal_weeks(years=3):
    t = np.arange(round(52 * years))
    return t, t % 52 + 1


def true_mean(weeks, level=20.0):
    return level * np.exp(AMPLITUDE * np.sin(2 * np.pi * weeks / WEEKS_PER_YEAR))


def reference_design(t, weeks):
    """Built here independently of the module: intercept, trend, two annual harmonics."""
    angle = 2 * np.pi * weeks / WEEKS_PER_YEAR
    return np.column_stack(
        [np.ones(t.size), t, np.sin(angle), np.cos(angle), np.sin(2 * angle), np.cos(2 * angle)]
    )


def test_the_band_covers_about_95_percent_of_weeks_of_seasonal_poisson_data():
    t, weeks = seasonal_weeks()
    rng = np.random.default_rng(2024)
    inside = []
    for _ in range(20):
        counts = rng.poisson(true_mean(weeks))
        band = weekly_expectation(counts, weeks)
        assert band.enough_data
        inside.append((counts >= band.lower) & (counts <= band.upper))
    # Discrete quantiles cover at least 95 %; sampling over 3120 weeks adds about ±1 %.
    assert 0.94 <= np.mean(inside) <= 0.985


def test_the_fitted_expectation_recovers_the_known_seasonal_amplitude():
    t, weeks = seasonal_weeks()
    band = weekly_expectation(np.random.default_rng(7).poisson(true_mean(weeks)), weeks)
    truth = true_mean(weeks)
    assert np.max(np.abs(band.expected / truth - 1)) < 0.15
    fitted_swing = np.log(band.expected.max() / band.expected.min()) / 2
    assert fitted_swing == pytest.approx(AMPLITUDE, abs=0.08)
    assert band.trend_per_year == pytest.approx(1.0, abs=0.08)


def test_the_expectation_is_statsmodels_own_poisson_glm_on_the_same_design():
    t, weeks = seasonal_weeks(2.5)
    counts = np.random.default_rng(12).poisson(true_mean(weeks) * np.exp(0.1 * t / 52))
    band = weekly_expectation(counts, weeks)
    assert band.family == "poisson"
    reference = sm.GLM(counts, reference_design(t, weeks), family=sm.families.Poisson()).fit()
    np.testing.assert_allclose(band.expected, reference.fittedvalues, rtol=1e-8)
    assert band.trend_per_year == pytest.approx(np.exp(reference.params[1] * WEEKS_PER_YEAR))


def test_overdispersed_weeks_get_a_negative_binomial_band_matching_statsmodels():
    t, weeks = seasonal_weeks()
    mean, alpha = true_mean(weeks), 0.15
    counts = np.random.default_rng(5).negative_binomial(1 / alpha, 1 / (1 + alpha * mean))
    band = weekly_expectation(counts, weeks)
    assert band.family == "negative_binomial" and band.pearson_dispersion > 1.5
    reference = sm.NegativeBinomial(counts, reference_design(t, weeks)).fit(disp=0, maxiter=500)
    assert band.nb_alpha == pytest.approx(reference.params[-1], rel=1e-3)
    np.testing.assert_allclose(band.expected, reference.predict(), rtol=1e-3)
    assert 0.93 <= np.mean((counts >= band.lower) & (counts <= band.upper)) <= 0.995


def test_a_planted_spike_is_flagged_above_the_band():
    t, weeks = seasonal_weeks()
    counts = np.random.default_rng(3).poisson(true_mean(weeks))
    counts[100] += 40
    band = weekly_expectation(counts, weeks)
    assert band.above[100] and not band.below[100]
    assert counts[100] > band.upper[100]


def test_a_constant_series_gives_a_flat_band_and_a_flat_forecast():
    weeks = seasonal_weeks(2)[1]
    band = weekly_expectation(np.full(weeks.size, 10), weeks, forecast_weeks=3)
    np.testing.assert_allclose(band.expected, 10.0)
    assert np.ptp(band.lower) == 0 and np.ptp(band.upper) == 0
    assert band.trend_per_year == pytest.approx(1.0)
    np.testing.assert_allclose(band.forecast_expected, 10.0)
    assert not band.above.any() and not band.below.any()


def test_a_flat_noisy_series_gives_a_nearly_flat_band():
    weeks = seasonal_weeks(3)[1]
    band = weekly_expectation(np.random.default_rng(9).poisson(15, weeks.size), weeks)
    assert band.expected.max() / band.expected.min() < 1.25


def test_the_current_week_is_judged_against_a_forecast_from_the_weeks_before_it():
    t, weeks = seasonal_weeks()
    counts = np.random.default_rng(4).poisson(true_mean(weeks))
    band = weekly_expectation(counts[:-1], weeks[:-1], forecast_weeks=1)
    assert band.forecast_expected.shape == (1,)
    assert band.forecast_expected[0] == pytest.approx(true_mean(weeks[-1:])[0], rel=0.15)
    assert band.forecast_lower[0] < band.forecast_expected[0] < band.forecast_upper[0]
    explicit = weekly_expectation(
        counts[:-1], weeks[:-1], forecast_weeks=1, forecast_week_of_year=weeks[-1:]
    )
    np.testing.assert_allclose(explicit.forecast_expected, band.forecast_expected)


def test_fewer_than_a_year_of_weeks_gives_no_band():
    band = weekly_expectation(np.full(40, 5), np.arange(1, 41))
    assert not band.enough_data and band.reason == "too_few_weeks"
    assert band.expected is None and band.lower is None and band.upper is None


def test_too_few_events_gives_no_band():
    counts = np.zeros(104, dtype=int)
    counts[[3, 50, 90]] = 1
    band = weekly_expectation(counts, seasonal_weeks(2)[1])
    assert not band.enough_data and band.reason == "too_few_events" and band.events == 3


@pytest.mark.parametrize(
    ("counts", "weeks", "message"),
    [
        (np.array([1.5] * 60), np.arange(60) % 52 + 1, "non-negative whole numbers"),
        (np.array([-1] * 60), np.arange(60) % 52 + 1, "non-negative whole numbers"),
        (np.ones(60, dtype=int), np.arange(60), "between 1 and 53"),
        (np.ones(60, dtype=int), np.arange(59) % 52 + 1, "one week number per count"),
    ],
)
def test_weekly_inputs_are_checked_first(counts, weeks, message):
    with pytest.raises(ValueError, match=message):
        weekly_expectation(counts, weeks)


def test_hour_weekday_grid_counts_events_by_weekday_row_and_hour_column():
    grid = hour_weekday_grid(np.array([0, 23, 23, 13]), np.array([0, 6, 6, 4]))
    assert grid.shape == (7, 24) and grid.sum() == 4
    assert grid[0, 0] == 1 and grid[6, 23] == 2 and grid[4, 13] == 1


@given(st.lists(st.tuples(st.integers(0, 23), st.integers(0, 6)), max_size=200))
def test_hour_weekday_grid_matches_counting_one_by_one(events):
    hours = np.array([h for h, _ in events], dtype=int)
    weekdays = np.array([d for _, d in events], dtype=int)
    expected = np.zeros((7, 24), dtype=int)
    for h, d in events:
        expected[d, h] += 1
    np.testing.assert_array_equal(hour_weekday_grid(hours, weekdays), expected)


def test_hour_weekday_grid_refuses_hour_24_and_unequal_lengths():
    with pytest.raises(ValueError, match="between 0 and 23"):
        hour_weekday_grid(np.array([24]), np.array([0]))
    with pytest.raises(ValueError, match="same length"):
        hour_weekday_grid(np.array([1, 2]), np.array([0]))


def test_month_profile_counts_each_year_and_keeps_an_empty_year_as_zeros():
    profile = month_profile(np.array([1, 1, 12, 6]), np.array([2022, 2022, 2022, 2024]))
    np.testing.assert_array_equal(profile.years, [2022, 2023, 2024])
    assert profile.counts[0, 0] == 2 and profile.counts[0, 11] == 1 and profile.counts[2, 5] == 1
    assert profile.counts[1].sum() == 0
    assert profile.mean_per_month[0] == pytest.approx(2 / 3)


def test_month_profile_mean_can_leave_out_a_partly_covered_year():
    months = np.array([3, 3, 3, 3, 3])
    years = np.array([2023, 2023, 2024, 2024, 2025])  # 2025 has only begun
    profile = month_profile(months, years, mean_years=[2023, 2024])
    assert profile.mean_per_month[2] == 2.0
    with pytest.raises(ValueError, match="mean_years"):
        month_profile(months, np.array([2023] * 5), mean_years=[2019])


def test_tiny_counts_are_not_crowned_however_large_their_percent_rise():
    rises = largest_rises(
        {"square": 200, "kiosk": 3, "school": 30}, {"square": 150, "kiosk": 1, "school": 10}
    )
    assert [r.key for r in rises] == ["square", "school"]
    assert all(r.clear_rise and r.excess_low > 0 for r in rises)


def test_unclear_rises_come_after_clear_ones_when_asked_for():
    rises = largest_rises({"a": 3, "b": 40, "c": 0}, {"a": 1, "b": 10, "d": 5}, only_clear=False)
    assert [r.key for r in rises][:1] == ["b"]
    assert {r.key for r in rises} == {"a", "b", "c", "d"}
    assert [r.clear_rise for r in rises] == [True, False, False, False]
    assert next(r for r in rises if r.key == "d").current == 0


def test_rises_are_scaled_by_the_periods_lengths_and_limited():
    same = largest_rises({"a": 40}, {"a": 20}, exposure_ratio=2.0)
    assert same == ()  # twice the events in twice the time is no rise
    assert len(largest_rises({"a": 50, "b": 60}, {"a": 5, "b": 5}, limit=1)) == 1


def test_forecast_week_numbers_wrap_after_the_last_week_of_the_year():
    weeks = np.r_[np.arange(1, 53), np.arange(1, 54)]  # a 52-week year, then a 53-week year
    counts = np.random.default_rng(6).poisson(true_mean(weeks))
    band = weekly_expectation(counts, weeks, forecast_weeks=2)
    explicit = weekly_expectation(counts, weeks, forecast_weeks=2, forecast_week_of_year=[1, 2])
    np.testing.assert_allclose(band.forecast_expected, explicit.forecast_expected)
