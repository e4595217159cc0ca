"""How a commitment is going: its indicator's value for a follow-up period, and against its
target in the target's own window (the year so far for "per år", each month for "per
månad"...), with the state that suggests. People set the state; the suggestion and its
figures are what they set it from, and what the follow-up keeps."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from trygg.analysis.counts import CountVerdict
from trygg.measures import indicators
from trygg.measures.indicators import IndicatorQuery, IndicatorValue
from trygg.promises.models import (
    ENTERED,
    Commitment,
    CommitmentState,
    FollowUpInterval,
    Promise,
    TargetComparison,
    TargetPer,
)

# The months each follow-up interval's periods start in.
PERIOD_STARTS = {
    FollowUpInterval.TERTIAL: (1, 5, 9),
    FollowUpInterval.HALF_YEAR: (1, 7),
    FollowUpInterval.YEAR: (1,),
}


def follow_up_periods(promise: Promise) -> list[tuple[dt.date, dt.date]]:
    """The agreement's follow-up periods (tertials, half-years or years) that overlap the
    promise, cut to its period: (first day, last day)."""
    starts = PERIOD_STARTS[FollowUpInterval(promise.agreement.follow_up_interval)]
    periods = []
    for year in range(promise.start.year, promise.end.year + 1):
        edges = [dt.date(year, m, 1) for m in starts] + [dt.date(year + 1, 1, 1)]
        for first, after in zip(edges, edges[1:], strict=False):
            last = after - dt.timedelta(days=1)
            if last >= promise.start and first <= promise.end:
                periods.append((max(first, promise.start), min(last, promise.end)))
    return periods


def is_computed(commitment: Commitment) -> bool:
    return commitment.indicator_kind not in ("", ENTERED)


def query_for(commitment: Commitment, first: dt.date, last: dt.date) -> IndicatorQuery:
    baseline = None
    if commitment.baseline_start and commitment.baseline_end:
        baseline = (commitment.baseline_start, commitment.baseline_end)
    return IndicatorQuery(
        municipality_id=commitment.promise.agreement.municipality_id,
        first_day=first,
        last_day=last,
        category=commitment.indicator_category,
        area=commitment.indicator_area,
        baseline=baseline,
    )


def value_for(commitment: Commitment, first: dt.date, last: dt.date) -> IndicatorValue | None:
    """The computed indicator over [first, last]; None for a commitment without one or with
    a value entered by hand."""
    if not is_computed(commitment):
        return None
    return indicators.compute(commitment.indicator_kind, query_for(commitment, first, last))


@dataclass(frozen=True)
class TargetProgress:
    window: tuple[dt.date, dt.date]  # what the target is measured over, as far as it has come
    value: int
    expected: float | None  # the target pro rata for the part of its window that has passed
    suggested: str | None  # a CommitmentState, or None when the figures cannot tell
    months_met: tuple[int, int] | None = None  # per month: (months meeting it, months)
    verdict: str | None = None  # against the baseline, for "fewer than"

    def as_json(self) -> dict:
        return {
            "window": [self.window[0].isoformat(), self.window[1].isoformat()],
            "value": self.value,
            "expected": None if self.expected is None else round(self.expected, 2),
            "suggested": self.suggested,
            "months_met": list(self.months_met) if self.months_met else None,
            "verdict": self.verdict,
        }


def target_progress(commitment: Commitment, first: dt.date, last: dt.date) -> TargetProgress | None:
    """The commitment against its target as of `last` (the follow-up period [first, last]);
    None without a computed indicator and a target."""
    if not is_computed(commitment) or not commitment.has_target:
        return None
    if commitment.target_comparison == TargetComparison.FEWER_THAN_BASELINE:
        return _fewer(commitment, first, last)
    if commitment.target_per == TargetPer.MONTH:
        return _monthly(commitment, first, last)
    return _pro_rata(commitment, last)


def _fewer(commitment: Commitment, first: dt.date, last: dt.date) -> TargetProgress:
    value = value_for(commitment, first, last)
    assert value is not None and value.comparison is not None  # noqa: S101 -- a comparing kind
    verdict = value.comparison.verdict
    suggested = {
        CountVerdict.FEWER: CommitmentState.ON_PLAN,
        CountVerdict.MORE: CommitmentState.BEHIND,
    }.get(verdict)
    return TargetProgress(
        (first, last), value.value, value.comparison.expected, suggested, verdict=str(verdict)
    )


def _window(commitment: Commitment, last: dt.date) -> tuple[dt.date, dt.date]:
    """The target's whole window containing `last`, cut to the promise."""
    promise = commitment.promise
    per = commitment.target_per
    if per == TargetPer.YEAR:
        start, end = dt.date(last.year, 1, 1), dt.date(last.year, 12, 31)
    elif per == TargetPer.TERTIAL:
        number = (last.month - 1) // 4
        start = dt.date(last.year, 4 * number + 1, 1)
        end = (
            dt.date(last.year + 1, 1, 1) if number == 2 else dt.date(last.year, 4 * number + 5, 1)
        ) - dt.timedelta(days=1)
    else:  # the whole promise
        start, end = promise.start, promise.end
    return max(start, promise.start), min(end, promise.end)


def _pro_rata(commitment: Commitment, last: dt.date) -> TargetProgress:
    start, end = _window(commitment, last)
    value = value_for(commitment, start, last)
    assert value is not None  # noqa: S101 -- a computed indicator
    target = float(commitment.target_value or Decimal(0))
    passed = ((last - start).days + 1) / ((end - start).days + 1)
    expected = target * passed
    return TargetProgress(
        (start, last),
        value.value,
        expected,
        _suggest(commitment, value.value, expected, target, last >= end),
    )


def _suggest(commitment: Commitment, value: float, expected: float, target: float, whole: bool):
    if commitment.target_comparison == TargetComparison.AT_MOST:
        if value > target:
            return CommitmentState.BEHIND
        return CommitmentState.DONE if whole else CommitmentState.ON_PLAN
    if value >= target:
        return (
            CommitmentState.DONE
            if commitment.target_per == TargetPer.PERIOD
            else CommitmentState.ON_PLAN
        )
    return CommitmentState.ON_PLAN if value >= expected and not whole else CommitmentState.BEHIND


def _months(first: dt.date, last: dt.date) -> list[tuple[dt.date, dt.date]]:
    months, day = [], first
    while day <= last:
        after = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
        months.append((day, min(after - dt.timedelta(days=1), last)))
        day = after
    return months


def _monthly(commitment: Commitment, first: dt.date, last: dt.date) -> TargetProgress:
    """Per month: each month of the period on its own (a part month counts pro rata)."""
    target = float(commitment.target_value or Decimal(0))
    met = total = 0
    for month_first, month_last in _months(first, last):
        value = value_for(commitment, month_first, month_last)
        assert value is not None  # noqa: S101 -- a computed indicator
        total += value.value
        days_in_month = (
            dt.date(month_first.year + month_first.month // 12, month_first.month % 12 + 1, 1)
            - month_first.replace(day=1)
        ).days
        share = ((month_last - month_first).days + 1) / days_in_month
        limit = target * share
        ok = (
            value.value <= limit
            if commitment.target_comparison == TargetComparison.AT_MOST
            else value.value >= limit
        )
        met += ok
    months = len(_months(first, last))
    suggested = CommitmentState.ON_PLAN if met == months else CommitmentState.BEHIND
    return TargetProgress(
        (first, last), total, target * months, suggested, months_met=(met, months)
    )
