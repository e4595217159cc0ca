"""Did it work? Published vectors for RES, WDD and WDQ; statsmodels as the reference for ITS."""

import math

import numpy as np
import pytest
import statsmodels.api as sm
from hypothesis import given
from hypothesis import strategies as st

from trygg.analysis.evaluation import (
    MIN_TARGET_EVENTS,
    RES,
    Verdict,
    interrupted_time_series,
    relative_effect_size,
    verdict,
    weighted_displacement_difference,
    weighted_displacement_quotient,
)

counts = st.integers(min_value=1, max_value=5000)


def test_res_matches_the_published_example():
    # a = target before 60, b = target after 40, c = control before 55, d = control after 50.
    r = relative_effect_size(60, 40, 55, 50)
    assert r.estimate == pytest.approx(1.364, abs=1e-3)
    assert r.ci_low == pytest.approx(0.784, abs=1e-3)
    assert r.ci_high == pytest.approx(2.373, abs=1e-3)
    assert r.target_events == 100 and not r.zero_corrected


def test_res_variance_is_the_sum_of_the_four_reciprocals():
    r = relative_effect_size(60, 40, 55, 50)
    assert r.log_se == pytest.approx(math.sqrt(1 / 60 + 1 / 40 + 1 / 55 + 1 / 50))
    assert r.estimate == pytest.approx(60 * 50 / (40 * 55))


def test_res_above_one_means_the_target_fell_relative_to_its_control():
    halved_target = relative_effect_size(100, 50, 100, 100)
    doubled_target = relative_effect_size(100, 200, 100, 100)
    assert halved_target.estimate == pytest.approx(2.0)
    assert doubled_target.estimate == pytest.approx(0.5)


@given(counts, counts, counts, counts)
def test_swapping_target_and_control_inverts_res_and_its_interval(a, b, c, d):
    forward, swapped = relative_effect_size(a, b, c, d), relative_effect_size(c, d, a, b)
    assert swapped.estimate == pytest.approx(1 / forward.estimate, rel=1e-9)
    assert swapped.ci_low == pytest.approx(1 / forward.ci_high, rel=1e-9)


@given(counts, counts, counts, counts)
def test_swapping_before_and_after_mirrors_the_verdict(a, b, c, d):
    mirrored = {"fewer_events": "more_events", "more_events": "fewer_events"}
    forward = verdict(res=relative_effect_size(a, b, c, d))
    backward = verdict(res=relative_effect_size(b, a, d, c))
    assert backward == mirrored.get(forward, forward)


def test_a_zero_count_adds_a_half_to_every_cell():
    r = relative_effect_size(30, 0, 20, 25)
    assert r.zero_corrected
    assert r.estimate == pytest.approx(30.5 * 25.5 / (0.5 * 20.5))


def test_overdispersion_widens_the_res_interval():
    plain = relative_effect_size(60, 40, 55, 50)
    wide = relative_effect_size(60, 40, 55, 50, dispersion=2.0)
    assert wide.estimate == plain.estimate
    assert wide.log_se == pytest.approx(plain.log_se * math.sqrt(2))


def test_wdd_matches_the_published_example():
    r = weighted_displacement_difference(60, 40, 55, 50, 30, 28, 32, 31)
    assert r.estimate == -16
    assert r.z == pytest.approx(-0.886, abs=1e-3)
    assert r.se == pytest.approx(math.sqrt(326))


def test_wdd_without_a_buffer_is_the_difference_in_differences():
    r = weighted_displacement_difference(60, 40, 55, 50)
    assert r.estimate == -15 and r.se == pytest.approx(math.sqrt(205))
    assert r.z == pytest.approx(-1.0477, abs=1e-4)
    assert r.p_value == pytest.approx(0.2948, abs=1e-4)  # 2 * (1 - Phi(1.0477))


def test_wdd_of_nothing_has_no_z():
    r = weighted_displacement_difference(0, 0, 0, 0)
    assert r.estimate == 0 and math.isnan(r.z)


def test_wdq_matches_the_published_example():
    r = weighted_displacement_quotient(r0=100, r1=50, b0=100, b1=150, c0=100, c1=100)
    assert r.wdq == pytest.approx(-1.0, abs=1e-3)
    assert r.success_measure == pytest.approx(-0.5)
    assert r.buffer_measure == pytest.approx(0.5)
    assert r.reason is None


def test_wdq_is_positive_when_the_buffer_also_benefits():
    r = weighted_displacement_quotient(100, 50, 100, 75, 100, 100)
    assert r.wdq == pytest.approx(0.5)


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        ((100, 100, 100, 150, 100, 100), "no_change_in_target"),
        ((100, 150, 100, 150, 100, 100), "target_did_not_improve"),
        ((100, 50, 100, 150, 0, 100), "empty_control"),
    ],
)
def test_wdq_is_undefined_with_a_reason_when_the_target_did_not_improve(args, reason):
    r = weighted_displacement_quotient(*args)
    assert r.wdq is None and r.reason == reason


@pytest.mark.parametrize(
    ("function", "args", "message"),
    [
        (relative_effect_size, (-1, 2, 3, 4), "a must be finite and not negative"),
        (relative_effect_size, (1.5, 2, 3, 4), "a must be a whole number"),
        (weighted_displacement_difference, (1, 2, 3, None), "ct1 must be a whole number"),
        (weighted_displacement_quotient, (1, 2, 3, "4", 5, 6), "b1 must be a number"),
    ],
)
def test_bad_inputs_are_refused_with_a_clear_message(function, args, message):
    with pytest.raises(ValueError, match=message):
        function(*args)


def test_a_dispersion_below_one_is_refused():
    with pytest.raises(ValueError, match="dispersion must be a number >= 1"):
        relative_effect_size(1, 2, 3, 4, dispersion=0.5)


def level_drop_series(seed, weeks_each=52, level=30.0, drop=0.6, alpha=0.0):
    rng = np.random.default_rng(seed)
    t = np.arange(2 * weeks_each)
    mean = level * np.where(t >= weeks_each, drop, 1.0)
    if alpha:
        return rng.negative_binomial(1 / alpha, 1 / (1 + alpha * mean)), weeks_each
    return rng.poisson(mean), weeks_each


def reference_its_design(n, start):
    t = np.arange(n, dtype=float)
    after = (t >= start).astype(float)
    return np.column_stack([np.ones(n), t, after, (t - start) * after])


def test_its_recovers_a_known_level_drop_within_its_interval():
    counts, start = level_drop_series(seed=1)
    r = interrupted_time_series(counts, start)
    assert r.enough_data and r.family == "poisson"
    assert r.level_low < 0.6 < r.level_high and r.level_p < 0.001
    assert r.slope_low < 1.0 < r.slope_high
    assert verdict(its=r) is Verdict.FEWER_EVENTS


def test_its_is_statsmodels_own_poisson_glm_on_the_segmented_design():
    counts, start = level_drop_series(seed=2)
    r = interrupted_time_series(counts, start)
    x = reference_its_design(counts.size, start)
    reference = sm.GLM(counts, x, family=sm.families.Poisson()).fit()
    low, high = np.exp(reference.conf_int()[2])
    assert r.level_change == pytest.approx(np.exp(reference.params[2]), rel=1e-8)
    assert (r.level_low, r.level_high) == pytest.approx((low, high), rel=1e-6)
    assert r.level_p == pytest.approx(reference.pvalues[2], rel=1e-6)
    assert r.slope_change == pytest.approx(np.exp(reference.params[3]), rel=1e-8)
    assert r.slope_p == pytest.approx(reference.pvalues[3], rel=1e-6)


def test_its_turns_negative_binomial_on_overdispersed_weeks_as_statsmodels_fits_it():
    counts, start = level_drop_series(seed=3, alpha=0.2)
    r = interrupted_time_series(counts, start)
    assert r.family == "negative_binomial"
    reference = sm.NegativeBinomial(counts, reference_its_design(counts.size, start))
    fit = reference.fit(disp=0, maxiter=500)
    assert r.level_change == pytest.approx(np.exp(fit.params[2]), rel=1e-3)
    assert r.level_p == pytest.approx(fit.pvalues[2], rel=1e-2)
    assert r.level_low < 0.6 < r.level_high


def test_its_with_an_exposure_offset_measures_the_rate_not_the_count():
    rng = np.random.default_rng(8)
    exposure = np.r_[np.full(30, 1.0), np.full(30, 3.0)]  # e.g. three times the opening hours
    counts = rng.poisson(10 * exposure)
    r = interrupted_time_series(counts, 30, exposure=exposure)
    assert r.level_low < 1.0 < r.level_high
    assert interrupted_time_series(counts, 30).level_low > 2.0


def test_its_with_week_numbers_takes_the_annual_season_out_of_the_level_change():
    t = np.arange(156)
    weeks = t % 52 + 1
    season = np.exp(0.5 * np.sin(2 * np.pi * weeks / (365.25 / 7)))
    counts = np.random.default_rng(4).poisson(30 * season * np.where(t >= 80, 0.6, 1.0))
    r = interrupted_time_series(counts, 80, week_of_year=weeks)
    assert r.level_low < 0.6 < r.level_high


@pytest.mark.parametrize(
    ("counts", "start", "reason"),
    [
        (np.full(20, 5), 5, "too_few_weeks_before"),
        (np.full(20, 5), 15, "too_few_weeks_after"),
        (np.r_[np.zeros(10, dtype=int), np.ones(10, dtype=int)], 10, "too_few_events"),
        (np.r_[np.full(10, 5), np.zeros(10, dtype=int)], 10, "no_events_in_a_segment"),
    ],
)
def test_its_without_enough_data_says_why_and_gives_no_estimate(counts, start, reason):
    r = interrupted_time_series(counts, start)
    assert not r.enough_data and r.reason == reason and r.level_change is None
    assert verdict(its=r) is Verdict.TOO_FEW_TO_TELL


def test_its_refuses_an_intervention_outside_the_series():
    with pytest.raises(ValueError, match="intervention_index"):
        interrupted_time_series(np.full(20, 5), 20)
    with pytest.raises(ValueError, match="exposure"):
        interrupted_time_series(np.full(20, 5), 10, exposure=np.zeros(20))


def test_the_published_res_example_is_no_clear_change():
    # 0.784-2.373 holds 1 (no change) but not 0.5, so it is informative, just not clear.
    assert verdict(res=relative_effect_size(60, 40, 55, 50)) is Verdict.NO_CLEAR_CHANGE
    wdd = weighted_displacement_difference(60, 40, 55, 50, 30, 28, 32, 31)
    assert verdict(wdd=wdd) is Verdict.NO_CLEAR_CHANGE


def test_a_clear_halving_against_a_steady_control_is_fewer_events():
    assert verdict(res=relative_effect_size(400, 200, 400, 400)) is Verdict.FEWER_EVENTS
    assert verdict(wdd=weighted_displacement_difference(400, 200, 400, 400)) is Verdict.FEWER_EVENTS
    assert verdict(res=relative_effect_size(200, 400, 400, 400)) is Verdict.MORE_EVENTS


def test_fewer_than_the_minimum_target_events_is_too_few_to_tell():
    assert MIN_TARGET_EVENTS == 20
    assert verdict(res=relative_effect_size(15, 4, 500, 500)) is Verdict.TOO_FEW_TO_TELL
    assert verdict(wdd=weighted_displacement_difference(15, 4, 500, 500)) is Verdict.TOO_FEW_TO_TELL


def test_an_interval_holding_both_a_halving_and_a_doubling_is_too_few_to_tell():
    wide = RES(
        estimate=1.0, ci_low=0.45, ci_high=2.2, log_se=0.4, target_events=30, zero_corrected=False
    )
    assert verdict(res=wide) is Verdict.TOO_FEW_TO_TELL
    assert verdict(res=relative_effect_size(12, 12, 12, 12)) is Verdict.TOO_FEW_TO_TELL


def test_disagreeing_evidence_is_no_clear_change_and_thin_evidence_is_set_aside():
    fewer = relative_effect_size(400, 200, 400, 400)
    unclear = relative_effect_size(400, 390, 400, 400)
    thin = relative_effect_size(5, 2, 400, 400)
    assert verdict(res=fewer, wdd=weighted_displacement_difference(400, 390, 400, 400)) == (
        Verdict.NO_CLEAR_CHANGE
    )
    assert verdict(res=unclear) is Verdict.NO_CLEAR_CHANGE
    its = interrupted_time_series(*level_drop_series(seed=1))
    assert verdict(res=thin, its=its) is Verdict.FEWER_EVENTS
    assert verdict(res=thin) is Verdict.TOO_FEW_TO_TELL


def test_a_verdict_needs_some_evidence():
    with pytest.raises(ValueError, match="at least one"):
        verdict()
