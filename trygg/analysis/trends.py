"""Trends over time: the weekly count against its seasonal expectation, clock and calendar profiles.

The seasonal band is a log-linear count regression fitted by statsmodels: Poisson, or negative
binomial (NB2) when the Poisson fit is overdispersed by its Pearson chi-square. The same fitting
step serves the interrupted time series in `evaluation.py`.
"""

from __future__ import annotations

import warnings
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

import numpy as np
import statsmodels.api as sm
from numpy.typing import ArrayLike, NDArray
from scipy.stats import chi2, nbinom, poisson
from statsmodels.discrete.discrete_model import NegativeBinomial
from statsmodels.tools.sm_exceptions import ConvergenceWarning, PerfectSeparationWarning

from trygg.analysis.counts import rate_ratio_interval

# The mean length of a year in weeks, so the annual season does not drift by a day a year.
WEEKS_PER_YEAR = 365.25 / 7

FloatArray = NDArray[np.float64]
K = TypeVar("K", bound=Hashable)


class FitFailed(Exception):
    """The count model did not converge or gave non-finite estimates."""


@dataclass(frozen=True, eq=False)
class CountFit:
    family: str  # "poisson" or "negative_binomial"
    params: FloatArray  # log-linear coefficients in design-column order
    std_errors: FloatArray
    nb_alpha: float  # NB2 dispersion (variance = mu + alpha * mu**2); 0.0 for Poisson
    pearson_dispersion: float  # Pearson chi2 / df of the Poisson fit (1 when Poisson fits)
    fitted: FloatArray  # fitted means of the observed rows


@dataclass(frozen=True, eq=False)
class SeasonalBand:
    enough_data: bool
    reason: str | None  # None, "too_few_weeks", "too_few_events" or "fit_failed"
    weeks: int
    events: int
    family: str | None = None
    pearson_dispersion: float | None = None
    nb_alpha: float | None = None
    trend_per_year: float | None = None  # fitted rate ratio over one year (1.0 = flat)
    expected: FloatArray | None = None
    lower: FloatArray | None = None
    upper: FloatArray | None = None
    above: NDArray[np.bool_] | None = None
    below: NDArray[np.bool_] | None = None
    forecast_expected: FloatArray | None = None
    forecast_lower: FloatArray | None = None
    forecast_upper: FloatArray | None = None


@dataclass(frozen=True, eq=False)
class MonthProfile:
    years: NDArray[np.int64]  # every year from the first to the last, empty years included
    counts: NDArray[np.int64]  # one row per year, one column per month (January first)
    mean_per_month: FloatArray  # mean over `mean_years`


@dataclass(frozen=True)
class Rise(Generic[K]):
    key: K
    current: int
    baseline: int
    expected: float  # baseline scaled to the current period's length
    rate_ratio_low: float  # lower bound of the exact interval of current rate / baseline rate
    excess_low: float  # at least this many more events than the baseline rate gives; 0 if unclear
    clear_rise: bool  # rate_ratio_low > 1


def weekly_expectation(
    weekly_counts: ArrayLike,
    week_of_year: ArrayLike,
    *,
    forecast_weeks: int = 0,
    forecast_week_of_year: ArrayLike | None = None,
    level: float = 0.95,
    min_weeks: int = 52,
    min_events: int = 52,
    harmonics: int = 2,
) -> SeasonalBand:
    """Expected weekly count and band: count GLM (statsmodels), log-linear trend + annual Fourier.

    `weekly_counts` holds one count per consecutive week, weeks without events as 0, with
    `week_of_year` its ISO week numbers (the season's phase); the trend runs on the position.
    The band holds the central `level` of the fitted Poisson or NB2 distribution around each
    week's fitted mean; it leaves out the uncertainty of the mean itself, which grows when
    the trend is projected forward. Being discrete, the band covers at least `level`. To judge
    the current week without letting it shape its own expectation, pass the weeks before it
    with `forecast_weeks=1`. Future week numbers continue the last one modulo 52 unless given.
    Fewer than `min_weeks` weeks or `min_events` events: `enough_data=False` and no band.
    """
    counts = _count_vector("weekly_counts", weekly_counts)
    weeks = _week_numbers("week_of_year", week_of_year, counts.size)
    ahead = _forecast_week_numbers(weeks, forecast_weeks, forecast_week_of_year)
    _check_level(level)
    if harmonics < 0 or min_weeks < 2 * harmonics + 3:
        raise ValueError("need harmonics >= 0 and min_weeks above the number of model terms")
    events = int(counts.sum())
    if counts.size < min_weeks:
        return SeasonalBand(False, "too_few_weeks", counts.size, events)
    if events < min_events:
        return SeasonalBand(False, "too_few_events", counts.size, events)
    design = seasonal_design(np.arange(counts.size), weeks, harmonics)
    try:
        fit = fit_counts(counts, design)
    except FitFailed:
        return SeasonalBand(False, "fit_failed", counts.size, events)
    return _band_from_fit(fit, counts, ahead, harmonics, level)


def _band_from_fit(
    fit: CountFit, counts: NDArray[np.int64], ahead: NDArray[np.int64], harmonics: int, level: float
) -> SeasonalBand:
    lower, upper = count_band(fit.fitted, fit.nb_alpha, level)
    future = seasonal_design(np.arange(counts.size, counts.size + ahead.size), ahead, harmonics)
    forecast = predict_mean(fit, future)
    forecast_lower, forecast_upper = count_band(forecast, fit.nb_alpha, level)
    return SeasonalBand(
        enough_data=True,
        reason=None,
        weeks=counts.size,
        events=int(counts.sum()),
        family=fit.family,
        pearson_dispersion=fit.pearson_dispersion,
        nb_alpha=fit.nb_alpha,
        trend_per_year=float(np.exp(fit.params[1])),  # the trend column is time in years
        expected=fit.fitted,
        lower=lower,
        upper=upper,
        above=counts > upper,
        below=counts < lower,
        forecast_expected=forecast,
        forecast_lower=forecast_lower,
        forecast_upper=forecast_upper,
    )


def seasonal_design(time_index: ArrayLike, week_of_year: ArrayLike, harmonics: int) -> FloatArray:
    """Columns: intercept, time in years, then sin/cos pairs of the annual cycle (52.18 weeks)."""
    years = np.asarray(time_index, dtype=np.float64) / WEEKS_PER_YEAR
    angle = 2.0 * np.pi * np.asarray(week_of_year, dtype=np.float64) / WEEKS_PER_YEAR
    columns = [np.ones_like(years), years]
    for h in range(1, harmonics + 1):
        columns += [np.sin(h * angle), np.cos(h * angle)]
    return np.column_stack(columns)


def fit_counts(
    counts: ArrayLike,
    design: ArrayLike,
    offset: ArrayLike | None = None,
    overdispersion_alpha: float = 0.05,
) -> CountFit:
    """Poisson GLM (statsmodels); NB2 by maximum likelihood when Pearson chi2 / df is too large.

    Overdispersed means: the Poisson fit's Pearson chi-square exceeds its chi-square(df)
    quantile at 1 - `overdispersion_alpha`. Raises FitFailed when a fit does not converge.
    """
    y = np.asarray(counts, dtype=np.float64)
    x = np.asarray(design, dtype=np.float64)
    with warnings.catch_warnings():
        # Convergence is checked on the results instead of left to scroll past in a log.
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.simplefilter("ignore", PerfectSeparationWarning)
        warnings.simplefilter("ignore", RuntimeWarning)
        try:
            return _fit_poisson_or_nb(y, x, offset, overdispersion_alpha)
        except np.linalg.LinAlgError as error:  # a singular design, e.g. a segment of zeros
            raise FitFailed from error


def _fit_poisson_or_nb(
    y: FloatArray, x: FloatArray, offset: ArrayLike | None, overdispersion_alpha: float
) -> CountFit:
    fit = sm.GLM(y, x, family=sm.families.Poisson(), offset=offset).fit()
    _require_finite(fit.converged, fit.params, fit.bse)
    df = fit.df_resid
    dispersion = fit.pearson_chi2 / df if df > 0 else 1.0
    if df <= 0 or chi2.sf(fit.pearson_chi2, df) >= overdispersion_alpha:
        return CountFit("poisson", fit.params, fit.bse, 0.0, dispersion, fit.fittedvalues)
    return _fit_negative_binomial(y, x, offset, fit.params, dispersion)


def _fit_negative_binomial(
    y: FloatArray, x: FloatArray, offset: ArrayLike | None, start: FloatArray, dispersion: float
) -> CountFit:
    mean = np.exp(x @ start + (0.0 if offset is None else np.asarray(offset, dtype=np.float64)))
    # Moment estimate of alpha (Cameron & Trivedi) as the starting point for the likelihood.
    alpha0 = max(float(np.mean(((y - mean) ** 2 - y) / mean**2)), 1e-3)
    model = NegativeBinomial(y, x, loglike_method="nb2", offset=offset)
    fit = model.fit(start_params=np.append(start, alpha0), method="bfgs", maxiter=500, disp=0)
    k = x.shape[1]
    _require_finite(fit.mle_retvals["converged"], fit.params, fit.bse)
    params = np.asarray(fit.params[:k], dtype=np.float64)
    fitted = np.exp(model.exog @ params + (0.0 if offset is None else np.asarray(offset)))
    bse = np.asarray(fit.bse[:k], dtype=np.float64)
    return CountFit("negative_binomial", params, bse, float(fit.params[k]), dispersion, fitted)


def _require_finite(converged: bool, *arrays: ArrayLike) -> None:
    if not converged or not all(np.all(np.isfinite(a)) for a in arrays):
        raise FitFailed


def predict_mean(fit: CountFit, design: ArrayLike, offset: ArrayLike | None = None) -> FloatArray:
    """Means of a fitted log-linear count model for new design rows."""
    eta = np.asarray(design, dtype=np.float64) @ fit.params
    return np.exp(eta + (0.0 if offset is None else np.asarray(offset, dtype=np.float64)))


def count_band(mean: ArrayLike, nb_alpha: float, level: float) -> tuple[FloatArray, FloatArray]:
    """Central `level` quantiles of Poisson(mean), or of NB2(mean, nb_alpha) when nb_alpha > 0."""
    mu = np.asarray(mean, dtype=np.float64)
    tail = (1.0 - level) / 2.0
    if nb_alpha <= 0.0:
        return poisson.ppf(tail, mu), poisson.ppf(1.0 - tail, mu)
    size = 1.0 / nb_alpha
    share = size / (size + mu)
    return nbinom.ppf(tail, size, share), nbinom.ppf(1.0 - tail, size, share)


def hour_weekday_grid(hours: ArrayLike, weekdays: ArrayLike) -> NDArray[np.int64]:
    """Events per weekday (rows, 0 = Monday as in Python) and hour of day (columns 0-23): 7 x 24."""
    hour = _integer_vector("hours", hours, 0, 23)
    weekday = _integer_vector("weekdays", weekdays, 0, 6)
    if hour.size != weekday.size:
        raise ValueError("hours and weekdays must have the same length")
    return np.bincount(weekday * 24 + hour, minlength=7 * 24).reshape(7, 24)


def month_profile(
    months: ArrayLike, years: ArrayLike, mean_years: ArrayLike | None = None
) -> MonthProfile:
    """The annual wheel: events per month (1-12) per year, and each month's mean over the years.

    The mean is taken over `mean_years` (default: every year from the first to the last);
    leave out a year the data covers only in part, or its missing months pull the mean down.
    """
    month = _integer_vector("months", months, 1, 12)
    year = _integer_vector("years", years, 1, 9999)
    if month.size != year.size:
        raise ValueError("months and years must have the same length")
    if month.size == 0:
        raise ValueError("month_profile needs at least one event")
    first, last = int(year.min()), int(year.max())
    all_years = np.arange(first, last + 1)
    counts = np.zeros((all_years.size, 12), dtype=np.int64)
    np.add.at(counts, (year - first, month - 1), 1)
    chosen = all_years if mean_years is None else np.unique(np.asarray(mean_years))
    if chosen.size == 0 or not np.isin(chosen, all_years).all():
        raise ValueError(f"mean_years must be years between {first} and {last}")
    mean = counts[np.isin(all_years, chosen)].mean(axis=0)
    return MonthProfile(all_years, counts, mean)


def largest_rises(
    current: Mapping[K, int],
    baseline: Mapping[K, int],
    exposure_ratio: float = 1.0,
    *,
    level: float = 0.95,
    only_clear: bool = True,
    limit: int | None = None,
) -> tuple[Rise[K], ...]:
    """Places ranked by the lower bound of their rise in events (exact conditional rate ratio).

    The score, `excess_low`, is the number of extra events we are sure of (one-sided (1+level)/2):
    current * (1 - 1 / rate_ratio_low), 0 unless the lower bound exceeds 1. Percent change
    would crown 3 events against 1 (+200 %); the bound needs both size and certainty, so a
    place with 200 against 150 outranks one with 6 against 2. Clear rises come first, and are
    all that is returned unless `only_clear` is False. Keys missing on one side count as 0.
    """
    _check_level(level)
    keys = list(dict.fromkeys([*current, *baseline]))
    now = _count_vector("current", [current.get(k, 0) for k in keys])
    before = _count_vector("baseline", [baseline.get(k, 0) for k in keys])
    low, _ = rate_ratio_interval(now, before, exposure_ratio, level)
    clear = low > 1.0
    with np.errstate(divide="ignore", invalid="ignore"):  # no events: a bound of 0
        excess = np.where(clear, now * (1.0 - 1.0 / low), 0.0)
    order = sorted(range(len(keys)), key=lambda i: (not clear[i], -excess[i], -low[i], -now[i]))
    rises = [
        Rise(
            keys[i],
            int(now[i]),
            int(before[i]),
            float(before[i] * exposure_ratio),
            float(low[i]),
            float(excess[i]),
            bool(clear[i]),
        )
        for i in order
        if clear[i] or not only_clear
    ]
    return tuple(rises[:limit])


def _count_vector(name: str, values: ArrayLike) -> NDArray[np.int64]:
    array = np.asarray(values)
    if array.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional")
    if array.size and not (np.issubdtype(array.dtype, np.integer) and array.min() >= 0):
        raise ValueError(f"{name} must hold non-negative whole numbers of events")
    return array.astype(np.int64)


def _integer_vector(name: str, values: ArrayLike, low: int, high: int) -> NDArray[np.int64]:
    array = np.asarray(values)
    if array.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional")
    if array.size and not np.issubdtype(array.dtype, np.integer):
        raise ValueError(f"{name} must hold whole numbers")
    if array.size and (array.min() < low or array.max() > high):
        raise ValueError(f"{name} must lie between {low} and {high}")
    return array.astype(np.int64)


def _week_numbers(name: str, values: ArrayLike, length: int) -> NDArray[np.int64]:
    weeks = _integer_vector(name, values, 1, 53)
    if weeks.size != length:
        raise ValueError(f"{name} must have one week number per count")
    return weeks


def _forecast_week_numbers(
    weeks: NDArray[np.int64], forecast_weeks: int, given: ArrayLike | None
) -> NDArray[np.int64]:
    if forecast_weeks < 0:
        raise ValueError("forecast_weeks must not be negative")
    if given is not None:
        return _week_numbers("forecast_week_of_year", given, forecast_weeks)
    last = int(weeks[-1]) if weeks.size else 0
    # After week 52 or 53 comes week 1; a 53-week ISO year we do not foresee costs one week of
    # seasonal phase, a small error.
    start = last if last < 52 else 0
    return (start + np.arange(forecast_weeks)) % 52 + 1


def _check_level(level: float) -> None:
    if not 0.0 < level < 1.0:
        raise ValueError(f"level must be between 0 and 1, got {level!r}")
