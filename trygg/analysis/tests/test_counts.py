"""Comparing two counts: the exact conditional test against R's published example, scipy, a hand."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.stats import binom, binomtest
from statsmodels.stats.multitest import multipletests

from trygg.analysis.counts import (
    CountComparison,
    CountVerdict,
    compare_count_table,
    compare_counts,
    control_fdr,
    rate_ratio_interval,
    smallest_possible_p,
)

counts = st.integers(min_value=0, max_value=400)
ratios = st.sampled_from([0.25, 0.5, 1.0, 28 / 31, 2.0, 3.0])


def test_compare_counts_matches_r_poisson_test_on_its_documented_example():
    # R's ?poisson.test: poisson.test(c(11, 6+8+7), c(800, 1083+1050+878)), the Fredericia
    # lung cancer rates (eba1977): p-value = 0.07967, rate ratio 1.971488,
    # 95 percent confidence interval 0.8584264 4.2772659.
    r = compare_counts(11, 6 + 8 + 7, exposure_ratio=800 / (1083 + 1050 + 878))
    assert r.p_value == pytest.approx(0.07967, abs=5e-6)
    assert r.rate_ratio == pytest.approx(1.971488, abs=1e-6)
    assert r.rate_ratio_low == pytest.approx(0.8584264, abs=1e-7)
    assert r.rate_ratio_high == pytest.approx(4.2772659, abs=1e-7)
    assert r.verdict is CountVerdict.NO_CLEAR_CHANGE


def test_the_p_value_is_scipys_binomtest_with_the_periods_share_as_null():
    r = compare_counts(40, 25, exposure_ratio=28 / 31)
    reference = binomtest(40, 65, (28 / 31) / (1 + 28 / 31))
    assert r.p_value == reference.pvalue
    ci = reference.proportion_ci(0.95, method="exact")
    assert r.rate_ratio_low == pytest.approx(ci.low / (1 - ci.low) / (28 / 31), rel=1e-9)
    assert r.rate_ratio_high == pytest.approx(ci.high / (1 - ci.high) / (28 / 31), rel=1e-9)


def test_a_hand_computed_split_of_four_events_has_p_ten_sixteenths():
    # Binomial(4, 1/2) probabilities are 1, 4, 6, 4, 1 sixteenths; 3 of 4 is as likely as 1 of 4,
    # so p sums every outcome no more likely than 4/16: (1 + 4 + 4 + 1) / 16.
    r = compare_counts(3, 1)
    assert r.p_value == pytest.approx(10 / 16)
    assert r.change == 2 and r.change_percent == 200 and r.rate_ratio == 3


def test_ten_events_against_none_is_more_with_p_two_in_1024():
    r = compare_counts(10, 0)
    assert r.p_value == pytest.approx(2 / 2**10)
    assert r.verdict is CountVerdict.MORE
    assert r.rate_ratio is None and r.change_percent is None
    # Clopper-Pearson lower bound of 10 of 10 is 0.025 ** (1/10); its odds are the bound.
    share = 0.025**0.1
    assert r.rate_ratio_low == pytest.approx(share / (1 - share))
    assert r.rate_ratio_high == math.inf


@pytest.mark.parametrize("n", range(6))
def test_five_or_fewer_events_in_equal_periods_are_too_few_whatever_the_split(n):
    assert {compare_counts(k, n - k).verdict for k in range(n + 1)} == {CountVerdict.TOO_FEW}


def test_six_events_all_in_one_period_are_enough_to_show_a_change():
    assert compare_counts(6, 0).verdict is CountVerdict.MORE
    assert compare_counts(0, 6).verdict is CountVerdict.FEWER
    assert compare_counts(3, 3).verdict is CountVerdict.NO_CLEAR_CHANGE


def test_nothing_in_either_period_is_too_few_with_an_open_interval():
    r = compare_counts(0, 0)
    assert r.verdict is CountVerdict.TOO_FEW and r.p_value == 1.0
    assert (r.rate_ratio_low, r.rate_ratio_high) == (0.0, math.inf)


def test_change_is_measured_against_the_baseline_scaled_to_the_current_periods_length():
    r = compare_counts(30, 10, exposure_ratio=2.0)
    assert (r.expected, r.change, r.change_percent, r.rate_ratio) == (20.0, 10.0, 50.0, 1.5)


@given(st.integers(min_value=1, max_value=120), ratios)
def test_the_smallest_possible_p_is_the_smallest_over_every_split(n, ratio):
    share = ratio / (1 + ratio)
    every_split = min(binomtest(k, n, share).pvalue for k in range(n + 1))
    assert smallest_possible_p(n, share) == pytest.approx(every_split, rel=1e-12)


@given(counts, counts, ratios)
def test_swapping_current_and_baseline_mirrors_the_comparison(current, baseline, ratio):
    forward = compare_counts(current, baseline, ratio)
    backward = compare_counts(baseline, current, 1 / ratio)
    mirrored = {"more": "fewer", "fewer": "more"}
    assert backward.verdict == mirrored.get(forward.verdict, forward.verdict)
    assert backward.p_value == pytest.approx(forward.p_value, rel=1e-9, abs=1e-300)
    if forward.rate_ratio_high not in (0.0, math.inf) and forward.rate_ratio_low > 0:
        assert backward.rate_ratio_low == pytest.approx(1 / forward.rate_ratio_high, rel=1e-7)


@given(counts, counts, ratios)
def test_p_lies_between_zero_and_one_and_the_interval_holds_the_estimate(current, baseline, ratio):
    r = compare_counts(current, baseline, ratio)
    assert 0.0 <= r.smallest_possible_p <= r.p_value <= 1.0
    assert r.rate_ratio_low <= r.rate_ratio_high
    if r.rate_ratio is not None:
        assert r.rate_ratio_low <= r.rate_ratio * (1 + 1e-12)
        assert r.rate_ratio <= r.rate_ratio_high * (1 + 1e-12)
    if r.verdict in (CountVerdict.MORE, CountVerdict.FEWER):
        assert r.p_value < 0.05


def test_the_table_without_correction_gives_the_same_rows_as_one_comparison_at_a_time():
    current, baseline = np.array([12, 0, 40, 3]), np.array([5, 0, 61, 3])
    table = compare_count_table(current, baseline, exposure_ratio=7 / 7, alpha=0.05, fdr=False)
    rows = zip(current.tolist(), baseline.tolist(), strict=True)
    assert table == tuple(compare_counts(c, b) for c, b in rows)


def test_the_table_marks_rows_by_benjamini_hochberg_over_the_rows_that_can_show_a_change():
    current, baseline = [12, 0, 40, 2, 30, 2], [5, 0, 61, 2, 30, 0]
    table = compare_count_table(current, baseline)
    alone = [compare_counts(c, b) for c, b in zip(current, baseline, strict=True)]
    family = [i for i, r in enumerate(alone) if r.verdict is not CountVerdict.TOO_FEW]
    assert family == [0, 2, 4]
    rejected, q = multipletests([alone[i].p_value for i in family], method="fdr_bh")[:2]
    assert [table[i].q_value for i in family] == pytest.approx(list(q), abs=1e-12)
    marked = [table[i].verdict in (CountVerdict.MORE, CountVerdict.FEWER) for i in family]
    assert marked == list(rejected)
    # 12 against 5 is p = 0.14 alone: no marker either way; 40 against 61 (p = 0.047) is
    # marked alone but not among three rows.
    assert alone[2].verdict is CountVerdict.FEWER and table[2].verdict is (
        CountVerdict.NO_CLEAR_CHANGE
    )
    assert [table[i].verdict for i in (1, 3, 5)] == [CountVerdict.TOO_FEW] * 3
    assert [table[i].q_value for i in (1, 3, 5)] == [None] * 3


def test_a_row_compared_alone_keeps_its_own_verdict_and_q_is_its_p():
    r = compare_counts(40, 20)
    assert control_fdr([r]) == (r,)
    assert r.q_value == r.p_value


def test_a_large_change_is_still_marked_among_many_rows_without_change():
    current = [200] + [10] * 24
    baseline = [100] + [10] * 24
    table = compare_count_table(current, baseline)
    assert table[0].verdict is CountVerdict.MORE
    assert {r.verdict for r in table[1:]} == {CountVerdict.NO_CLEAR_CHANGE}


def _equal_period_comparison(current: int, baseline: int) -> CountComparison:
    """What `compare_counts(current, baseline)` gives in the fields a table's marking reads,
    from the symmetric binomial directly (fast enough for thousands of simulated weeks)."""
    n = current + baseline
    p = min(1.0, 2.0 * binom.cdf(min(current, baseline), n, 0.5)) if n else 1.0
    smallest = min(1.0, 2.0 * 0.5**n)
    verdict = (
        CountVerdict.TOO_FEW
        if smallest >= 0.05
        else CountVerdict.NO_CLEAR_CHANGE
        if p >= 0.05
        else CountVerdict.MORE
        if current > baseline
        else CountVerdict.FEWER
    )
    return CountComparison(
        current=current,
        baseline=baseline,
        expected=float(baseline),
        change=current - baseline,
        change_percent=None,  # not read by the marking
        rate_ratio=None,
        rate_ratio_low=0.0,
        rate_ratio_high=math.inf,
        p_value=p,
        smallest_possible_p=smallest,
        verdict=verdict,
        q_value=None if smallest >= 0.05 else p,
    )


def test_the_fast_comparison_used_in_the_simulation_agrees_with_compare_counts():
    for current, baseline in [(0, 0), (3, 2), (0, 6), (9, 1), (17, 30), (40, 61), (55, 55)]:
        fast, exact = _equal_period_comparison(current, baseline), compare_counts(current, baseline)
        assert fast.p_value == pytest.approx(exact.p_value, rel=1e-9, abs=1e-15)
        assert fast.smallest_possible_p == pytest.approx(exact.smallest_possible_p, rel=1e-9)
        assert (fast.verdict, fast.q_value is None) == (exact.verdict, exact.q_value is None)


def test_with_no_real_change_few_weeks_show_any_marker_and_without_correction_many_do():
    # 25 categories from a few events a week to forty, the same Poisson means in both weeks.
    rng = np.random.default_rng(2026)
    weeks, means = 3000, np.geomspace(0.5, 40, 25)
    current, baseline = rng.poisson(means, (weeks, 25)), rng.poisson(means, (weeks, 25))
    pairs = {
        (c, b): _equal_period_comparison(c, b)
        for c, b in set(zip(current.ravel().tolist(), baseline.ravel().tolist(), strict=True))
    }
    changes = (CountVerdict.MORE, CountVerdict.FEWER)
    alone = corrected = 0
    for week in range(weeks):
        week_pairs = zip(current[week].tolist(), baseline[week].tolist(), strict=True)
        rows = [pairs[pair] for pair in week_pairs]
        alone += any(r.verdict in changes for r in rows)
        corrected += any(r.verdict in changes for r in control_fdr(rows))
    # Measured: 36 % of weeks with a marker row by row, 2 % with the correction (the test is
    # discrete, so both stay below their nominal level).
    assert corrected / weeks <= 0.05
    assert alone / weeks >= 0.25


def test_the_vectorised_interval_matches_scipys_exact_binomial_interval():
    low, high = rate_ratio_interval([4, 25, 0], [9, 12, 7], exposure_ratio=0.5, level=0.9)
    for i, (x, y) in enumerate([(4, 9), (25, 12), (0, 7)]):
        ci = binomtest(x, x + y, 0.5).proportion_ci(0.9, method="exact")
        assert low[i] == pytest.approx(ci.low / (1 - ci.low) / 0.5, abs=1e-12)
        assert high[i] == pytest.approx(ci.high / (1 - ci.high) / 0.5, rel=1e-9)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((-1, 3), "current must not be negative"),
        ((2.5, 3), "current must be a whole number"),
        ((True, 3), "current must be a whole number"),
        ((2, None), "baseline must be a whole number"),
        ((2, 3, 0.0), "exposure_ratio must be a positive number"),
        ((2, 3, math.inf), "exposure_ratio must be a positive number"),
        ((2, 3, 1.0, 1.0), "alpha must be between 0 and 1"),
    ],
)
def test_bad_inputs_are_refused_with_a_clear_message(args, message):
    with pytest.raises(ValueError, match=message):
        compare_counts(*args)


def test_a_table_with_rows_of_different_lengths_is_refused():
    with pytest.raises(ValueError, match="same length"):
        compare_count_table([1, 2], [1, 2, 3])
    with pytest.raises(ValueError, match="whole numbers"):
        compare_count_table([1.5], [1])
