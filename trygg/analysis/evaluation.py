"""Did the measure work? Effect sizes for a target area against a control, and a time series.

Counts are events: a = target before, b = target after, and so on as each function names them.
Every estimate comes with its uncertainty, and `verdict` turns them into one plain code that
says "too few to tell" rather than guess.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum
from numbers import Integral, Real
from statistics import NormalDist

import numpy as np
from numpy.typing import ArrayLike, NDArray

from trygg.analysis.trends import FitFailed, fit_counts, seasonal_design

Z95 = NormalDist().inv_cdf(0.975)
# Below this many target events (before + after) a count says little: the normal
# approximations behind the intervals break down and Poisson noise alone is ±20 % or more.
MIN_TARGET_EVENTS = 20
# An interval that holds both a halving and a doubling cannot tell success from failure.
HALVING, DOUBLING = 0.5, 2.0


class Verdict(StrEnum):
    FEWER_EVENTS = "fewer_events"
    MORE_EVENTS = "more_events"
    NO_CLEAR_CHANGE = "no_clear_change"
    TOO_FEW_TO_TELL = "too_few_to_tell"


@dataclass(frozen=True)
class RES:
    estimate: float  # > 1: fewer events in the target relative to the control (desirable)
    ci_low: float  # 95 % interval
    ci_high: float
    log_se: float  # standard error of ln(RES)
    target_events: int  # a + b
    zero_corrected: bool  # 0.5 was added to every count because one was zero


@dataclass(frozen=True)
class WDD:
    estimate: float  # net change in events; negative = fewer
    se: float
    z: float  # nan when all counts are zero
    p_value: float  # two-sided, normal
    target_before: int
    target_events: int  # t0 + t1


@dataclass(frozen=True)
class WDQ:
    wdq: float | None  # > 0 diffusion of benefits to the buffer, < 0 displacement into it
    success_measure: float | None  # R1/C1 - R0/C0: negative when the target fell vs control
    buffer_measure: float | None  # B1/C1 - B0/C0: positive when the buffer rose vs control
    reason: str | None  # None, "empty_control", "no_change_in_target", "target_did_not_improve"


@dataclass(frozen=True)
class ITS:
    enough_data: bool
    reason: str | None  # None or "too_few_weeks_before", "too_few_weeks_after",
    # "too_few_events", "no_events_in_a_segment", "fit_failed"
    weeks_before: int
    weeks_after: int
    events_before: int
    events_after: int
    family: str | None = None  # "poisson" or "negative_binomial"
    level_change: float | None = None  # rate ratio at the start vs the projected pre-trend
    level_low: float | None = None  # 95 % interval
    level_high: float | None = None
    level_p: float | None = None
    slope_change: float | None = None  # weekly growth factor after / before (1 = unchanged)
    slope_low: float | None = None
    slope_high: float | None = None
    slope_p: float | None = None


def relative_effect_size(a: int, b: int, c: int, d: int, *, dispersion: float = 1.0) -> RES:
    """Relative effect size RES = (a*d)/(b*c) (Farrington et al. 2007; Welsh & Farrington 2009).

    a = target before, b = target after, c = control before, d = control after. RES > 1 is a
    desirable effect: the target's after/before ratio b/a is smaller than the control's d/c
    (RES = 2: the target halved relative to the control). 95 % interval from
    var(ln RES) = 1/a + 1/b + 1/c + 1/d (Poisson counts), times `dispersion` >= 1 when the
    counts vary more than Poisson. A zero count makes RES 0 or infinite, so then 0.5 is added
    to every count (Haldane-Anscombe) and `zero_corrected` is set.
    """
    _check_counts(a=a, b=b, c=c, d=d)
    if not (isinstance(dispersion, Real) and float(dispersion) >= 1.0):
        raise ValueError(f"dispersion must be a number >= 1, got {dispersion!r}")
    corrected = min(a, b, c, d) == 0
    cells = [x + 0.5 if corrected else float(x) for x in (a, b, c, d)]
    ta, tb, tc, td = cells
    log_res = math.log(ta * td / (tb * tc))
    log_se = math.sqrt(dispersion * sum(1.0 / x for x in cells))
    return RES(
        estimate=math.exp(log_res),
        ci_low=math.exp(log_res - Z95 * log_se),
        ci_high=math.exp(log_res + Z95 * log_se),
        log_se=log_se,
        target_events=a + b,
        zero_corrected=corrected,
    )


def weighted_displacement_difference(
    t0: int, t1: int, ct0: int, ct1: int, d0: int = 0, d1: int = 0, cd0: int = 0, cd1: int = 0
) -> WDD:
    """Wheeler & Ratcliffe (2018): change in target and buffer net of their controls, with a z-test.

    t = target, ct = its control, d = displacement buffer, cd = the buffer's control; 0 = before,
    1 = after. Negative values mean fewer events. Variance is the sum of the eight counts.
    """
    _check_counts(t0=t0, t1=t1, ct0=ct0, ct1=ct1, d0=d0, d1=d1, cd0=cd0, cd1=cd1)
    estimate = (t1 - t0) - (ct1 - ct0) + (d1 - d0) - (cd1 - cd0)
    se = math.sqrt(t0 + t1 + ct0 + ct1 + d0 + d1 + cd0 + cd1)
    z = estimate / se if se else math.nan
    p_value = 2.0 * NormalDist().cdf(-abs(z)) if se else math.nan
    return WDD(float(estimate), se, z, p_value, t0, t0 + t1)


def weighted_displacement_quotient(
    r0: float, r1: float, b0: float, b1: float, c0: float, c1: float
) -> WDQ:
    """Bowers & Johnson (2003): WDQ = (B1/C1 - B0/C0) / (R1/C1 - R0/C0), displacement vs success.

    r = response (target) area, b = buffer, c = control; 0 = before, 1 = after. The success
    measure (denominator) must be negative, the target having fallen relative to the control,
    for the quotient to mean anything; otherwise `wdq` is None with the reason. WDQ > 0 is a
    diffusion of benefits, < 0 displacement, below -1 more displaced than prevented.
    """
    _check_counts(integers=False, r0=r0, r1=r1, b0=b0, b1=b1, c0=c0, c1=c1)
    if c0 == 0 or c1 == 0:
        return WDQ(None, None, None, "empty_control")
    success = r1 / c1 - r0 / c0
    buffer = b1 / c1 - b0 / c0
    if success == 0:
        return WDQ(None, success, buffer, "no_change_in_target")
    if success > 0:
        return WDQ(None, success, buffer, "target_did_not_improve")
    return WDQ(buffer / success, success, buffer, None)


def interrupted_time_series(
    counts: ArrayLike,
    intervention_index: int,
    *,
    exposure: ArrayLike | None = None,
    week_of_year: ArrayLike | None = None,
    min_weeks_each: int = 8,
    min_events: int = MIN_TARGET_EVENTS,
) -> ITS:
    """Segmented count regression (statsmodels GLM; NB2 when overdispersed): level and slope change.

    log mean = b0 + b1*t + b2*after + b3*(t - t0)*after [+ ln exposure] [+ annual Fourier terms
    when `week_of_year` is given, which needs a year or more of weeks]. `intervention_index`
    is the first week with the measure in place. level_change = exp(b2), slope_change = exp(b3)
    per week, each with a 95 % Wald interval and p. Without `min_weeks_each` weeks on each side
    and `min_events` events, or with a side without events, `enough_data` is False.
    """
    y, offset, weeks = _its_inputs(counts, intervention_index, exposure, week_of_year)
    if min_weeks_each < 2 or min_events < 0:
        raise ValueError("min_weeks_each must be at least 2 and min_events non-negative")
    before, after = y[:intervention_index], y[intervention_index:]
    sizes = (before.size, after.size, int(before.sum()), int(after.sum()))
    reason = _its_shortfall(*sizes, min_weeks_each, min_events)
    if reason:
        return ITS(False, reason, *sizes)
    try:
        fit = fit_counts(y, _its_design(y.size, intervention_index, weeks), offset)
    except FitFailed:
        return ITS(False, "fit_failed", *sizes)
    level = _rate_ratio(fit.params[2], fit.std_errors[2])
    slope = _rate_ratio(fit.params[3], fit.std_errors[3])
    return ITS(True, None, *sizes, fit.family, *level, *slope)


def verdict(*, res: RES | None = None, wdd: WDD | None = None, its: ITS | None = None) -> Verdict:
    """One plain verdict from the evidence given (RES, WDD and/or ITS), conservative by rule.

    Each piece says "too_few_to_tell" when the target has fewer than MIN_TARGET_EVENTS events
    before and after together, when the ITS lacks data, or when its 95 % interval holds both a
    halving and a doubling of the target's events (for WDD: both -t0/2 and +t0 events).
    Otherwise it says "fewer_events"/"more_events" when its interval excludes no change
    (RES above/below 1, WDD z below -1.96/above 1.96, ITS level change below/above 1; the ITS
    slope change is reported, not judged), else "no_clear_change". Pieces that are too thin
    are set aside; the rest must agree, and any disagreement (even "fewer" beside "no clear
    change") gives "no_clear_change".
    """
    pieces = [
        *([_res_verdict(res)] if res is not None else []),
        *([_wdd_verdict(wdd)] if wdd is not None else []),
        *([_its_verdict(its)] if its is not None else []),
    ]
    if not pieces:
        raise ValueError("verdict needs at least one of res, wdd or its")
    usable = {p for p in pieces if p is not Verdict.TOO_FEW_TO_TELL}
    if not usable:
        return Verdict.TOO_FEW_TO_TELL
    return usable.pop() if len(usable) == 1 else Verdict.NO_CLEAR_CHANGE


def _res_verdict(res: RES) -> Verdict:
    if res.target_events < MIN_TARGET_EVENTS:
        return Verdict.TOO_FEW_TO_TELL
    # RES is the target's change inverted: RES = 2 means the target halved.
    return _ratio_verdict(1.0 / res.ci_high, 1.0 / res.ci_low)


def _wdd_verdict(wdd: WDD) -> Verdict:
    if wdd.target_events < MIN_TARGET_EVENTS:
        return Verdict.TOO_FEW_TO_TELL
    low, high = wdd.estimate - Z95 * wdd.se, wdd.estimate + Z95 * wdd.se
    if low <= -wdd.target_before * (1 - HALVING) and high >= wdd.target_before * (DOUBLING - 1):
        return Verdict.TOO_FEW_TO_TELL
    if high < 0:
        return Verdict.FEWER_EVENTS
    return Verdict.MORE_EVENTS if low > 0 else Verdict.NO_CLEAR_CHANGE


def _its_verdict(its: ITS) -> Verdict:
    if not its.enough_data or its.level_low is None or its.level_high is None:
        return Verdict.TOO_FEW_TO_TELL
    if its.events_before + its.events_after < MIN_TARGET_EVENTS:
        return Verdict.TOO_FEW_TO_TELL
    return _ratio_verdict(its.level_low, its.level_high)


def _ratio_verdict(low: float, high: float) -> Verdict:
    """Verdict from an interval of the target's after/before rate ratio (below 1 = fewer)."""
    if low <= HALVING and high >= DOUBLING:
        return Verdict.TOO_FEW_TO_TELL
    if high < 1.0:
        return Verdict.FEWER_EVENTS
    return Verdict.MORE_EVENTS if low > 1.0 else Verdict.NO_CLEAR_CHANGE


def _its_inputs(
    counts: ArrayLike, start: int, exposure: ArrayLike | None, week_of_year: ArrayLike | None
) -> tuple[NDArray[np.float64], NDArray[np.float64] | None, NDArray[np.float64] | None]:
    y = np.asarray(counts)
    if y.ndim != 1 or (y.size and not np.issubdtype(y.dtype, np.integer)) or (y < 0).any():
        raise ValueError("counts must be a one-dimensional array of non-negative whole numbers")
    if not isinstance(start, Integral) or not 0 < start < y.size:
        raise ValueError("intervention_index must leave at least one week on each side")
    offset = None
    if exposure is not None:
        e = np.asarray(exposure, dtype=np.float64)
        if e.shape != y.shape or not (np.isfinite(e).all() and (e > 0).all()):
            raise ValueError("exposure must be positive and have one value per week")
        offset = np.log(e)
    weeks = None
    if week_of_year is not None:
        weeks = np.asarray(week_of_year, dtype=np.float64)
        if weeks.shape != y.shape or ((weeks < 1) | (weeks > 53)).any():
            raise ValueError("week_of_year must give a week number (1-53) for every count")
    return y.astype(np.float64), offset, weeks


def _its_shortfall(
    weeks_before: int,
    weeks_after: int,
    events_before: int,
    events_after: int,
    min_weeks_each: int,
    min_events: int,
) -> str | None:
    if weeks_before < min_weeks_each:
        return "too_few_weeks_before"
    if weeks_after < min_weeks_each:
        return "too_few_weeks_after"
    if events_before + events_after < min_events:
        return "too_few_events"
    # A segment of zeros sends its level to minus infinity: no finite estimate or interval.
    if events_before == 0 or events_after == 0:
        return "no_events_in_a_segment"
    return None


def _its_design(
    n: int, start: int, week_of_year: NDArray[np.float64] | None
) -> NDArray[np.float64]:
    t = np.arange(n, dtype=np.float64)
    after = (t >= start).astype(np.float64)
    columns = [np.ones(n), t, after, (t - start) * after]
    if week_of_year is not None:
        columns.append(seasonal_design(t, week_of_year, harmonics=2)[:, 2:])
    return np.column_stack(columns)


def _rate_ratio(coefficient: float, se: float) -> tuple[float, float, float, float]:
    low, high = coefficient - Z95 * se, coefficient + Z95 * se
    p_value = 2.0 * NormalDist().cdf(-abs(coefficient / se))
    return math.exp(coefficient), math.exp(low), math.exp(high), p_value


def _check_counts(integers: bool = True, **counts: object) -> None:
    for name, value in counts.items():
        if isinstance(value, bool) or not isinstance(value, Integral if integers else Real):
            kind = "a whole number of events" if integers else "a number"
            raise ValueError(f"{name} must be {kind}, got {value!r}")
        if not (math.isfinite(float(value)) and float(value) >= 0):
            raise ValueError(f"{name} must be finite and not negative, got {value}")
