"""Estimates from a safety survey (trygghetsmätning): weighted means and shares with 95 %
intervals, per sub-area and for the whole municipality.

The design
----------
Each sub-area (delområde) is a stratum from which respondents were drawn at random; within it
the weights are post-stratified to the population by sex × age group, so a respondent in cell
g (sub-area × sex × age group) weighs N_g / n_g (the sub-area's design weight cancels). Finite
population corrections are left out, as in R's `svydesign(ids=~1, strata=~area)` without
`fpc` and in samplics without `fpc`: with 1,500 drawn from tens of thousands they change the
intervals by well under one per cent, and leaving them out errs on the cautious side.

The estimator
-------------
A mean (an item's 0–6 index, any score) or a share (the mean of a 0/1 indicator) is a ratio over
the respondents who answered the item: those who skipped it stay in the design but outside the
domain, as `svymean(..., na.rm=TRUE)` treats them. Its Taylor linearisation, with the
post-stratification taken into account as R's `survey` does for `postStratify` (the weighted
scores are replaced by their residuals on the post-stratum indicators), is

    u_i = d_i (y_i - ȳ) / N̂_d          d_i = 1 if i answered, N̂_d = Σ w_i d_i
    e_i = u_i - ū_g(i)                  ū_g = Σ_{i∈g} w_i u_i / Σ_{i∈g} w_i (all of g)
    V   = Σ_h n_h / (n_h - 1) Σ_{i∈h} (w_i e_i - mean_{i∈h}(w e))²

(Särndal, Swensson & Wretman, Model Assisted Survey Sampling, 1992, §7.6 and §5.10; Lumley,
Complex Surveys, 2010, §7.4). `w_i e_i` is the derivative of the estimate with respect to the
log of respondent i's design weight, which the tests check numerically; the stratified sum is
samplics' `TaylorEstimator` on the same scores, which the tests check to 1e-9.

Intervals use Student's t with n - H degrees of freedom (respondents who answered minus
strata), as samplics and R's `svyciprop` do; a share's interval is built on the logit scale
and transformed back, so it stays inside 0–1 (Korn & Graubard 1998 discuss the alternatives).
A mean's interval is symmetric. A figure from fewer than `min_n` answers is not given: the
result says "too few" instead.

Everything is computed for all items and all groups at once with `np.bincount`, so a police
region's 75,000 respondents take a fraction of a second.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import sparse
from scipy.stats import t as student_t

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]

DEFAULT_MIN_N = 30


class CellMismatch(ValueError):
    """The population table and the respondents' cells do not match: a cell with respondents
    and no population (its weight would be infinite), or a population cell without respondents
    (its people would be represented by no one, and every other cell's weight would be wrong).
    `cells` holds the offending cell indices and what is wrong with each."""

    def __init__(self, cells: list[tuple[int, str]]):
        self.cells = cells
        super().__init__(", ".join(f"{cell}: {problem}" for cell, problem in cells))


NO_POPULATION = "respondents_without_population"
NO_RESPONDENTS = "population_without_respondents"


@dataclass(frozen=True)
class Estimate:
    """One published figure. `value`, `se`, `low` and `high` are None when `too_few`; `low`
    and `high` are None also when the answers do not vary (a share of 0 or 1: no interval on
    the logit scale exists, and a zero-width one would claim certainty)."""

    value: float | None
    se: float | None
    low: float | None
    high: float | None
    n: int  # respondents who answered
    too_few: bool
    df: int = 0  # degrees of freedom of the interval (answers minus strata)


def post_stratified_weights(cell: ArrayLike, population: ArrayLike) -> FloatArray:
    """Each respondent's weight N_g / n_g. `cell` gives each respondent's cell index (0 …
    len(population) - 1), `population` the people in each cell. Raises `CellMismatch` naming
    every cell where respondents and population do not meet."""
    cells = np.asarray(cell, dtype=np.intp)
    people = np.asarray(population, dtype=np.float64)
    if cells.size and (cells.min() < 0 or cells.max() >= people.size):
        raise ValueError("cell index outside the population table")
    sampled = np.bincount(cells, minlength=people.size)
    problems = [(int(g), NO_POPULATION) for g in np.flatnonzero((sampled > 0) & (people <= 0))]
    problems += [(int(g), NO_RESPONDENTS) for g in np.flatnonzero((sampled == 0) & (people > 0))]
    if problems:
        raise CellMismatch(sorted(problems))
    return (people[cells] / sampled[cells]).astype(np.float64)


@dataclass(frozen=True)
class Design:
    """The respondents of one survey: weights, stratum (sub-area) and post-stratum (cell) of
    each, as dense indices. Cells must lie within strata (a cell is a sub-area × sex × age)."""

    weights: FloatArray
    stratum: IntArray
    cell: IntArray

    @classmethod
    def of(cls, weights: ArrayLike, stratum: ArrayLike, cell: ArrayLike) -> Design:
        w = np.asarray(weights, dtype=np.float64)
        h = np.asarray(stratum, dtype=np.intp)
        g = np.asarray(cell, dtype=np.intp)
        if not (w.shape == h.shape == g.shape) or w.ndim != 1:
            raise ValueError("weights, stratum and cell must be 1-D and of one length")
        if w.size and (h.min() < 0 or g.min() < 0):
            raise ValueError("stratum and cell indices must be >= 0")
        if w.size and np.any(w <= 0):
            raise ValueError("weights must be positive")
        design = cls(w, h, g)
        design._check_cells_nested()
        return design

    @property
    def n_strata(self) -> int:
        return int(self.stratum.max()) + 1 if self.stratum.size else 0

    @property
    def n_cells(self) -> int:
        return int(self.cell.max()) + 1 if self.cell.size else 0

    def _check_cells_nested(self) -> None:
        if not self.cell.size:
            return
        first = np.full(self.n_cells, -1, dtype=np.intp)
        first[self.cell] = self.stratum
        if np.any(first[self.cell] != self.stratum):
            raise ValueError("a post-stratum (cell) spans more than one stratum")


def means(
    design: Design,
    values: ArrayLike,
    *,
    by_stratum: bool = False,
    groups: ArrayLike | None = None,
    shares: bool = False,
    alpha: float = 0.05,
    min_n: int = DEFAULT_MIN_N,
) -> list[list[Estimate]]:
    """Estimates for each column of `values` (respondents × items, NaN where not answered).

    Returns one list per group, each with one Estimate per item. The groups are: the whole
    population of the design (the default); each stratum (`by_stratum`); or `groups`, a group
    index per respondent with whole strata in each group (the municipalities of a region, each
    with its sub-areas). With `shares` the values must be 0/1 and the intervals are built on
    the logit scale."""
    y = _as_matrix(values, design.weights.size)
    if shares and np.any((y != 0) & (y != 1) & ~np.isnan(y)):
        raise ValueError("shares need values 0 or 1 (NaN where not answered)")
    group_index, n_groups = _groups(design, by_stratum, groups)
    value, variance, answered, strata_answered = _ratio_and_variance(
        design, y, group_index, n_groups
    )
    df = answered - strata_answered
    quantile = student_t.ppf(1 - alpha / 2, np.maximum(df, 1))  # all at once: ppf is slow
    return [
        [
            _published(
                value[k, j],
                variance[k, j],
                int(answered[k, j]),
                int(df[k, j]),
                float(quantile[k, j]),
                shares=shares,
                min_n=min_n,
            )
            for j in range(y.shape[1])
        ]
        for k in range(n_groups)
    ]


def _groups(design: Design, by_stratum: bool, groups: ArrayLike | None) -> tuple[IntArray, int]:
    if by_stratum and groups is not None:
        raise ValueError("give by_stratum or groups, not both")
    if by_stratum:
        return design.stratum, design.n_strata
    if groups is None:
        return np.zeros_like(design.stratum), 1
    index = np.asarray(groups, dtype=np.intp)
    if index.shape != design.stratum.shape or (index.size and index.min() < 0):
        raise ValueError("groups must give a group index >= 0 for every respondent")
    group_of_stratum = np.full(design.n_strata, -1, dtype=np.intp)
    group_of_stratum[design.stratum] = index
    if np.any(group_of_stratum[design.stratum] != index):
        raise ValueError("a stratum spans more than one group")
    return index, int(index.max()) + 1 if index.size else 0


def _as_matrix(values: ArrayLike, n: int) -> FloatArray:
    y = np.asarray(values, dtype=np.float64)
    if y.ndim == 1:
        y = y[:, None]
    if y.ndim != 2 or y.shape[0] != n:
        raise ValueError("values must have one row per respondent")
    return y


def _sum_by(index: IntArray, rows: FloatArray, size: int) -> FloatArray:
    """Column sums of `rows` (n × k) for each value of `index`: (size × k). A sparse 0/1
    matrix product: one pass over the rows for all columns, far faster than `np.add.at`."""
    indicator = sparse.csr_array(
        (np.ones(index.size), (index, np.arange(index.size))), shape=(size, index.size)
    )
    return np.asarray(indicator @ rows)


def _ratio_and_variance(design: Design, y: FloatArray, groups: IntArray, n_groups: int):
    """The ratio estimate, its linearised variance, the number of answers and of strata with
    answers, each (groups × items). The formulas are in the module docstring."""
    w = design.weights[:, None]
    answered = ~np.isnan(y)
    y0 = np.where(answered, y, 0.0)
    wd = w * answered
    domain_size = _sum_by(groups, wd, n_groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        value = _sum_by(groups, wd * y0, n_groups) / domain_size
        u = answered * (y0 - value[groups]) / domain_size[groups]
    u = np.nan_to_num(u, nan=0.0, posinf=0.0, neginf=0.0)
    # Residuals on the post-strata: what post-stratification takes out of the variance.
    cell_weight = np.bincount(design.cell, weights=design.weights, minlength=design.n_cells)
    with np.errstate(invalid="ignore", divide="ignore"):  # cells without respondents: unused
        cell_mean = _sum_by(design.cell, w * u, design.n_cells) / cell_weight[:, None]
    z = w * (u - cell_mean[design.cell])
    variance = _stratified_variance(design, z, groups, n_groups)
    counts = _sum_by(groups, answered.astype(np.float64), n_groups)
    strata_with_answers = _strata_with_answers(design, answered, groups, n_groups)
    return value, variance, counts, strata_with_answers


def _stratified_variance(design: Design, z: FloatArray, groups: IntArray, n_groups: int):
    """Σ_h n_h / (n_h - 1) Σ_{i∈h} (z_i - z̄_h)², summed over the strata of each group."""
    n_strata = design.n_strata
    size = np.bincount(design.stratum, minlength=n_strata).astype(np.float64)
    mean = _sum_by(design.stratum, z, n_strata) / np.maximum(size, 1)[:, None]
    squares = _sum_by(design.stratum, (z - mean[design.stratum]) ** 2, n_strata)
    with np.errstate(invalid="ignore", divide="ignore"):
        scale = np.where(size > 1, size / (size - 1), np.nan)  # one respondent: no variance
    group_of_stratum = np.zeros(n_strata, dtype=np.intp)
    group_of_stratum[design.stratum] = groups
    return _sum_by(group_of_stratum, squares * scale[:, None], n_groups)


def _strata_with_answers(design: Design, answered, groups: IntArray, n_groups: int):
    per_stratum = _sum_by(design.stratum, answered.astype(np.float64), design.n_strata) > 0
    group_of_stratum = np.zeros(design.n_strata, dtype=np.intp)
    group_of_stratum[design.stratum] = groups
    return _sum_by(group_of_stratum, per_stratum.astype(np.float64), n_groups)


def _published(value, variance, n: int, df: int, quantile: float, *, shares: bool, min_n: int):
    if n < max(min_n, 2) or df < 1 or not np.isfinite(variance):
        return Estimate(None, None, None, None, n, too_few=True, df=max(df, 0))
    se = float(np.sqrt(max(variance, 0.0)))
    if shares:
        low, high = _logit_interval(float(value), se, quantile)
    else:
        low, high = float(value) - quantile * se, float(value) + quantile * se
    return Estimate(float(value), se, low, high, n, too_few=False, df=df)


def _logit_interval(p: float, se: float, quantile: float) -> tuple[float | None, float | None]:
    if p <= 0.0 or p >= 1.0:
        return None, None
    centre = np.log(p / (1 - p))
    half = quantile * se / (p * (1 - p))
    return float(_expit(centre - half)), float(_expit(centre + half))


def _expit(x: float) -> float:
    return float(1 / (1 + np.exp(-x)))


@dataclass(frozen=True)
class Change:
    """The change of a figure between two independent surveys (later minus earlier)."""

    difference: float | None
    se: float | None
    low: float | None
    high: float | None
    within_noise: bool | None  # the interval holds 0; None when either figure is missing


def change(earlier: Estimate, later: Estimate, *, alpha: float = 0.05) -> Change:
    """Difference of two estimates from independent samples: its standard error is the root
    of the sum of the squares; the interval uses t with the smaller of the two degrees of
    freedom, which errs towards "within the noise" (Welch's would be a little narrower)."""
    if earlier.value is None or later.value is None or earlier.se is None or later.se is None:
        return Change(None, None, None, None, None)  # "too few" on either side
    difference = later.value - earlier.value
    se = float(np.hypot(earlier.se, later.se))
    quantile = float(student_t.ppf(1 - alpha / 2, max(min(earlier.df, later.df), 1)))
    low, high = difference - quantile * se, difference + quantile * se
    return Change(difference, se, low, high, within_noise=bool(low <= 0 <= high))
