"""Comparing two counts of events: this period against a baseline period (the CompStat table).

Counts of events in two periods are treated as Poisson. Given their sum n, the current count is
Binomial(n, r / (1 + r)) under equal rates, r being the ratio of the periods' lengths
(Przyborowski & Wilenski 1940). This conditional test is exact, needs no large-sample
approximation and is what R's `poisson.test(c(x1, x2), c(t1, t2))` computes; scipy's
`poisson_means_test` is a different test (the E-test of Krishnamoorthy & Thomson).

A table tests many rows at once. Marked row by row at p < 0.05, a table of 25 categories with
no real change showed at least one marker in 46 % of weeks; `control_fdr` marks a table's rows
with Benjamini & Hochberg (1995) instead, so that among the marked rows at most a share alpha
are expected to be chance.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from numbers import Real

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.stats import beta, binomtest

from trygg.analysis.multiple import benjamini_hochberg


class CountVerdict(StrEnum):
    MORE = "more"
    FEWER = "fewer"
    NO_CLEAR_CHANGE = "no_clear_change"
    TOO_FEW = "too_few"


@dataclass(frozen=True)
class CountComparison:
    current: int
    baseline: int
    expected: float  # the baseline count scaled to the current period's length
    change: float  # current - expected
    change_percent: float | None  # None when nothing was expected (baseline 0)
    rate_ratio: float | None  # current rate / baseline rate; None when the baseline is 0
    rate_ratio_low: float  # exact (Clopper-Pearson) bounds at level 1 - alpha
    rate_ratio_high: float  # math.inf when the baseline is 0
    p_value: float  # two-sided, binomtest's "as likely or less likely" rule
    smallest_possible_p: float  # the most extreme split of these n events
    verdict: CountVerdict
    # Benjamini-Hochberg adjusted p among the table's rows that can show a change; the p-value
    # itself for a comparison made alone, None for a row too small to show any change.
    q_value: float | None


def compare_counts(
    current: int, baseline: int, exposure_ratio: float = 1.0, alpha: float = 0.05
) -> CountComparison:
    """Exact conditional test of two Poisson counts (Przyborowski & Wilenski 1940), as poisson.test.

    `exposure_ratio` is the current period's length divided by the baseline's (1.0 for a week
    against a week). Verdict: "more"/"fewer" when p < alpha; "too_few" when not even the most
    extreme split of these n = current + baseline events (all in one period) could give
    p < alpha, so no count this small can show a change (with equal periods: n <= 5);
    otherwise "no_clear_change". The rate-ratio interval is the Clopper-Pearson interval of
    the binomial proportion mapped through p / (1 - p) / r, as in R; being central it can, in
    rare borderline cases, include 1 while p < alpha.
    """
    _check_count("current", current)
    _check_count("baseline", baseline)
    _check_exposure_ratio(exposure_ratio)
    _check_alpha(alpha)
    n = current + baseline
    null_share = exposure_ratio / (1.0 + exposure_ratio)
    p_value = binomtest(current, n, null_share).pvalue if n else 1.0
    smallest_p = smallest_possible_p(n, null_share)
    expected = baseline * exposure_ratio
    low, high = rate_ratio_interval(current, baseline, exposure_ratio, 1.0 - alpha)
    return CountComparison(
        current=current,
        baseline=baseline,
        expected=expected,
        change=current - expected,
        change_percent=100.0 * (current - expected) / expected if expected else None,
        rate_ratio=current / expected if expected else None,
        rate_ratio_low=float(low),
        rate_ratio_high=float(high),
        p_value=float(p_value),
        smallest_possible_p=smallest_p,
        verdict=_verdict(current, expected, p_value, smallest_p, alpha),
        q_value=None if smallest_p >= alpha else float(p_value),
    )


def compare_count_table(
    current: ArrayLike,
    baseline: ArrayLike,
    exposure_ratio: float = 1.0,
    alpha: float = 0.05,
    *,
    fdr: bool = True,
) -> tuple[CountComparison, ...]:
    """`compare_counts` row by row for a table (e.g. one row per category), same periods for all,
    marked with Benjamini-Hochberg over the rows (`control_fdr`) unless `fdr` is False."""
    current_counts = _as_count_array("current", current)
    baseline_counts = _as_count_array("baseline", baseline)
    if current_counts.shape != baseline_counts.shape:
        raise ValueError("current and baseline must have the same length")
    rows = tuple(
        compare_counts(int(c), int(b), exposure_ratio, alpha)
        for c, b in zip(current_counts, baseline_counts, strict=True)
    )
    return control_fdr(rows, alpha) if fdr else rows


def control_fdr(
    comparisons: Sequence[CountComparison], alpha: float = 0.05
) -> tuple[CountComparison, ...]:
    """A table's rows marked "more"/"fewer" only where the Benjamini & Hochberg (1995) q < alpha.

    The family is the rows that can show a change at all (smallest possible p < alpha): a row
    too small for that can never be marked, and as the test is conditional on each row's
    total n, leaving such rows out depends on the totals only, not on how they split, so the
    control of the false discovery rate still holds while the other rows keep their power
    (Tarone 1990; Gilbert 2005). Those rows stay "too_few"; the others get q and, where
    q >= alpha, "no_clear_change". A family of one row is the row's own test.
    """
    _check_alpha(alpha)
    family = [i for i, c in enumerate(comparisons) if c.smallest_possible_p < alpha]
    q = benjamini_hochberg([comparisons[i].p_value for i in family])
    adjusted = {i: float(value) for i, value in zip(family, q, strict=True)}
    return tuple(_marked(c, adjusted.get(i), alpha) for i, c in enumerate(comparisons))


def _marked(comparison: CountComparison, q: float | None, alpha: float) -> CountComparison:
    if q is None:
        return replace(comparison, q_value=None, verdict=CountVerdict.TOO_FEW)
    verdict = _verdict(
        comparison.current, comparison.expected, q, comparison.smallest_possible_p, alpha
    )
    return replace(comparison, q_value=q, verdict=verdict)


def smallest_possible_p(n: int, null_share: float) -> float:
    """The smallest two-sided binomtest p any split of n events can reach (0 or n in one period)."""
    if n < 0 or not 0.0 < null_share < 1.0:
        raise ValueError("need n >= 0 events and a null share strictly between 0 and 1")
    if n == 0:
        return 1.0
    # The two-sided p of an outcome grows with its probability, and the binomial is unimodal,
    # so the least likely outcome, and hence the smallest p, is one of the two extremes.
    return float(min(binomtest(0, n, null_share).pvalue, binomtest(n, n, null_share).pvalue))


def rate_ratio_interval(
    current: ArrayLike, baseline: ArrayLike, exposure_ratio: float = 1.0, level: float = 0.95
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Exact interval of the rate ratio: Clopper-Pearson bounds of current / n mapped to p/(1-p)/r.

    Vectorised (arrays in, arrays out). With no events at all the interval is (0, inf).
    """
    x = np.asarray(current, dtype=np.float64)
    y = np.asarray(baseline, dtype=np.float64)
    if not (np.isfinite(x).all() and np.isfinite(y).all() and (x >= 0).all() and (y >= 0).all()):
        raise ValueError("counts must be finite and not negative")
    _check_exposure_ratio(exposure_ratio)
    if not (isinstance(level, Real) and 0.0 < level < 1.0):
        raise ValueError(f"level must be between 0 and 1, got {level!r}")
    tail = (1.0 - level) / 2.0
    with np.errstate(divide="ignore", invalid="ignore"):
        share_low = np.where(x > 0, beta.ppf(tail, x, y + 1.0), 0.0)
        share_high = np.where(y > 0, beta.ppf(1.0 - tail, x + 1.0, y), 1.0)
        low = share_low / (1.0 - share_low) / exposure_ratio
        high = np.where(share_high < 1.0, share_high / (1.0 - share_high), np.inf) / exposure_ratio
    return low, high


def _verdict(
    current: int, expected: float, p_value: float, smallest_p: float, alpha: float
) -> CountVerdict:
    if smallest_p >= alpha:
        return CountVerdict.TOO_FEW
    if p_value >= alpha:
        return CountVerdict.NO_CLEAR_CHANGE
    return CountVerdict.MORE if current > expected else CountVerdict.FEWER


def _check_count(name: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise ValueError(f"{name} must be a whole number of events, got {value!r}")
    if value < 0:
        raise ValueError(f"{name} must not be negative, got {value}")


def _check_exposure_ratio(exposure_ratio: float) -> None:
    is_number = isinstance(exposure_ratio, Real) and not isinstance(exposure_ratio, bool)
    if not (is_number and math.isfinite(exposure_ratio) and exposure_ratio > 0):
        raise ValueError(f"exposure_ratio must be a positive number, got {exposure_ratio!r}")


def _check_alpha(alpha: float) -> None:
    if not (isinstance(alpha, Real) and 0.0 < alpha < 1.0):
        raise ValueError(f"alpha must be between 0 and 1, got {alpha!r}")


def _as_count_array(name: str, values: ArrayLike | Sequence[int]) -> NDArray[np.int64]:
    array = np.asarray(values)
    if array.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional")
    if array.size and not np.issubdtype(array.dtype, np.integer):
        raise ValueError(f"{name} must hold whole numbers of events")
    if array.size and array.min() < 0:
        raise ValueError(f"{name} must not hold negative counts")
    return array.astype(np.int64)
