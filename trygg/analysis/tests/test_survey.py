"""Survey estimates checked against samplics on the same input, and the post-stratified
linearisation against the numerical derivative of the estimator itself."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from trygg.analysis.survey import (
    NO_POPULATION,
    NO_RESPONDENTS,
    CellMismatch,
    Design,
    means,
    post_stratified_weights,
)

with warnings.catch_warnings():
    warnings.simplefilter("ignore", FutureWarning)  # "samplics is archived": still correct
    from samplics.estimation import TaylorEstimator
    from samplics.utils.types import PopParam


def _sample(seed=7, n=600, strata=4, cells_per_stratum=6, skipped=0.08):
    """Respondents in strata and in cells nested in them, an answer 0–6 (some skipped), and a
    population table per cell."""
    rng = np.random.default_rng(seed)
    stratum = rng.integers(0, strata, n)
    cell = stratum * cells_per_stratum + rng.integers(0, cells_per_stratum, n)
    population = rng.integers(200, 3000, strata * cells_per_stratum).astype(float)
    # Answers that depend on the cell, so post-stratification matters.
    y = np.clip(np.round(rng.normal(1 + (cell % 5) * 0.8, 1.5)), 0, 6)
    y[rng.random(n) < skipped] = np.nan  # skipped the item
    return stratum, cell, population, y


def _taylor(param, y, weights, stratum):
    estimator = TaylorEstimator(param)
    estimator.estimate(y, weights, stratum=stratum, remove_nan=True)
    return estimator


def _estimate_with(base_weights, stratum, cell, population, y):
    """The post-stratified mean written the plain way, from base weights."""
    weights = np.empty_like(base_weights)
    for g in np.unique(cell):
        members = cell == g
        weights[members] = base_weights[members] * population[g] / base_weights[members].sum()
    answered = ~np.isnan(y)
    return np.sum(weights[answered] * y[answered]) / np.sum(weights[answered])


def test_without_post_strata_it_is_samplics_stratified_mean():
    stratum, _cell, _population, y = _sample(skipped=0)
    weights = np.array([40.0, 55.0, 30.0, 70.0])[stratum]  # one weight per stratum
    design = Design.of(weights, stratum, stratum)  # each stratum its only cell

    ours = means(design, y)[0][0]
    reference = _taylor(PopParam.mean, y, weights, stratum)

    assert ours.value == pytest.approx(reference.point_est, abs=1e-12)
    assert ours.se == pytest.approx(reference.stderror, rel=1e-9)
    assert ours.low == pytest.approx(reference.lower_ci, rel=1e-9)
    assert ours.high == pytest.approx(reference.upper_ci, rel=1e-9)
    assert ours.n == int((~np.isnan(y)).sum())


def test_a_share_and_its_logit_interval_are_samplics_proportion():
    stratum, _cell, _population, y = _sample(seed=11, skipped=0)
    share = np.where(np.isnan(y), np.nan, (y >= 4).astype(float))
    weights = np.array([40.0, 55.0, 30.0, 70.0])[stratum]
    design = Design.of(weights, stratum, stratum)

    ours = means(design, share, shares=True)[0][0]
    reference = _taylor(PopParam.prop, share, weights, stratum)

    assert ours.value == pytest.approx(reference.point_est[1.0], abs=1e-12)
    assert ours.se == pytest.approx(reference.stderror[1.0], rel=1e-9)
    assert ours.low == pytest.approx(reference.lower_ci[1.0], rel=1e-9)
    assert ours.high == pytest.approx(reference.upper_ci[1.0], rel=1e-9)


def test_skipped_answers_are_a_domain_as_in_samplics_domain_estimation():
    """Who skipped the item stays in the design (as R's svymean(na.rm=TRUE)), so the strata
    keep their size in the variance: samplics' domain estimation, not its removal of rows."""
    stratum, _cell, _population, y = _sample(seed=13, skipped=0.2)
    weights = np.array([40.0, 55.0, 30.0, 70.0])[stratum]
    answered = ~np.isnan(y)

    ours = means(Design.of(weights, stratum, stratum), y)[0][0]
    reference = TaylorEstimator(PopParam.mean)
    filled = np.where(answered, y, 1.0)  # any number: outside the domain it is not used
    reference.estimate(filled, weights, stratum=stratum, domain=answered)

    assert ours.value == pytest.approx(reference.point_est[True], abs=1e-12)
    assert ours.se == pytest.approx(reference.stderror[True], rel=1e-9)
    assert ours.n == int(answered.sum())


def test_the_post_stratified_point_estimate_is_samplics_poststratified_mean():
    stratum, cell, population, y = _sample()
    weights = post_stratified_weights(cell, population)

    ours = means(Design.of(weights, stratum, cell), y)[0][0]
    reference = _taylor(PopParam.mean, y, weights, stratum)

    assert ours.value == pytest.approx(reference.point_est, abs=1e-12)
    assert ours.value == pytest.approx(
        _estimate_with(np.ones_like(weights), stratum, cell, population, y), abs=1e-12
    )
    # Post-stratification removes the between-cell part of the variance.
    assert ours.se < reference.stderror


def test_the_post_stratified_variance_is_the_derivative_of_the_estimator():
    """w_i e_i is the derivative of the estimate with respect to log of respondent i's design
    weight. Differentiated numerically and fed to samplics as scores of a total, it must give
    the variance `means` computes in closed form."""
    stratum, cell, population, y = _sample(n=240, strata=3, cells_per_stratum=4)
    base = np.ones(y.size)
    step = 1e-6
    scores = np.empty(y.size)
    for i in range(y.size):
        up, down = base.copy(), base.copy()
        up[i] *= np.exp(step)
        down[i] *= np.exp(-step)
        scores[i] = (
            _estimate_with(up, stratum, cell, population, y)
            - _estimate_with(down, stratum, cell, population, y)
        ) / (2 * step)
    weights = post_stratified_weights(cell, population)
    # samplics' total has scores w * y: give it y = scores / w.
    reference = _taylor(PopParam.total, scores / weights, weights, stratum)

    ours = means(Design.of(weights, stratum, cell), y, min_n=2)[0][0]

    assert ours.se == pytest.approx(reference.stderror, rel=1e-6)


def test_by_stratum_each_figure_is_that_sub_areas_own_estimate():
    stratum, cell, population, y = _sample(seed=3)
    weights = post_stratified_weights(cell, population)
    design = Design.of(weights, stratum, cell)

    per_area = means(design, y, by_stratum=True)

    for h, row in enumerate(per_area):
        members = stratum == h
        alone = means(
            Design.of(weights[members], np.zeros(members.sum()), cell[members] - h * 6), y[members]
        )[0][0]
        assert row[0] == alone
        reference = _taylor(PopParam.mean, y[members], weights[members], None)
        assert row[0].value == pytest.approx(reference.point_est, abs=1e-12)
        assert row[0].n == int((~np.isnan(y[members])).sum())


def test_many_items_at_once_equal_one_at_a_time():
    stratum, cell, population, y = _sample(seed=5)
    second = np.where(np.isnan(y), np.nan, 6 - y)
    second[:25] = np.nan
    design = Design.of(post_stratified_weights(cell, population), stratum, cell)

    together = means(design, np.column_stack([y, second]), by_stratum=True)

    for h, row in enumerate(together):
        assert row[0] == means(design, y, by_stratum=True)[h][0]
        assert row[1] == means(design, second, by_stratum=True)[h][0]


def test_too_few_answers_give_no_figure():
    stratum, cell, population, y = _sample(n=120, strata=4, cells_per_stratum=2)
    design = Design.of(post_stratified_weights(cell, population), stratum, cell)

    per_area = means(design, y, by_stratum=True, min_n=30)
    whole = means(design, y, min_n=30)[0][0]

    counts = [int((~np.isnan(y[stratum == h])).sum()) for h in range(4)]
    for h, row in enumerate(per_area):
        assert row[0].too_few == (counts[h] < 30)
        if row[0].too_few:
            assert row[0].value is None and row[0].low is None and row[0].n == counts[h]
    assert not whole.too_few and whole.value is not None


def test_a_share_of_zero_has_no_interval_rather_than_a_false_certainty():
    stratum = np.repeat([0, 1], 40)
    design = Design.of(np.full(80, 10.0), stratum, stratum)

    estimate = means(design, np.zeros(80), shares=True)[0][0]

    assert estimate.value == 0.0 and estimate.se == 0.0
    assert estimate.low is None and estimate.high is None and not estimate.too_few


def test_cells_where_respondents_and_population_do_not_meet_are_named():
    cell = np.array([0, 0, 1, 1, 3])
    population = np.array([100.0, 50.0, 80.0, 0.0])

    with pytest.raises(CellMismatch) as raised:
        post_stratified_weights(cell, population)

    assert raised.value.cells == [(2, NO_RESPONDENTS), (3, NO_POPULATION)]


def test_weights_are_population_over_respondents_per_cell():
    weights = post_stratified_weights([0, 0, 1, 1, 1], [100.0, 30.0])

    assert weights.tolist() == [50.0, 50.0, 10.0, 10.0, 10.0]


def test_a_cell_across_two_strata_is_refused():
    with pytest.raises(ValueError, match="more than one stratum"):
        Design.of([1.0, 1.0], [0, 1], [0, 0])


def test_groups_of_whole_strata_are_estimated_each_on_its_own():
    stratum, cell, population, y = _sample(seed=17, strata=6, cells_per_stratum=3)
    weights = post_stratified_weights(cell, population)
    municipality = stratum // 3  # strata 0–2 in one, 3–5 in the other
    design = Design.of(weights, stratum, cell)

    per_municipality = means(design, y, groups=municipality)

    for m in range(2):
        members = municipality == m
        alone = Design.of(weights[members], stratum[members] - 3 * m, cell[members] - 9 * m)
        assert per_municipality[m][0] == means(alone, y[members])[0][0]


def test_a_stratum_split_between_groups_is_refused():
    design = Design.of([1.0, 1.0, 1.0], [0, 0, 1], [0, 0, 1])

    with pytest.raises(ValueError, match="more than one group"):
        means(design, [1.0, 2.0, 3.0], groups=[0, 1, 1])


def test_a_change_between_years_is_the_difference_with_both_uncertainties():
    from scipy.stats import t

    from trygg.analysis.survey import Estimate, change

    earlier = Estimate(1.6, 0.10, None, None, 900, False, df=880)
    later = Estimate(1.2, 0.12, None, None, 700, False, df=690)

    result = change(earlier, later)

    se = (0.10**2 + 0.12**2) ** 0.5
    assert result.difference == pytest.approx(-0.4)
    assert result.se == pytest.approx(se)
    assert result.high == pytest.approx(-0.4 + t.ppf(0.975, 690) * se)
    assert result.within_noise is False  # −0.4 ± 0.31 stays below zero


def test_a_small_change_is_within_the_noise_and_a_missing_figure_says_nothing():
    from trygg.analysis.survey import Estimate, change

    earlier = Estimate(1.50, 0.10, None, None, 900, False, df=880)
    later = Estimate(1.45, 0.12, None, None, 700, False, df=690)
    too_few = Estimate(None, None, None, None, 12, True, df=10)

    assert change(earlier, later).within_noise is True
    assert change(earlier, too_few).within_noise is None
    assert change(earlier, too_few).difference is None
