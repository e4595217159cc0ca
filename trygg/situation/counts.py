"""Counting the events in a scope: by category over several periods, by day, by hour and
weekday, by place and area. Municipality-wide counts come from the daily rollup, an area's
from its events; both return the same shapes, so the page does not care which.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from django.db import connections
from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractHour, ExtractIsoWeekDay, TruncDate
from django.utils import timezone

from trygg.core.periods import Period, midnight
from trygg.situation.scope import Scope


def _range_filter(scope: Scope, period: Period) -> Q:
    if scope.uses_rollup:
        return Q(day__gte=period.start, day__lt=period.end)
    return Q(occurred_from__gte=midnight(period.start), occurred_from__lt=midnight(period.end))


def _rows(scope: Scope, first_day: dt.date, end_day: dt.date):
    """The scope's rows (rollup or events) within [first_day, end_day)."""
    if scope.uses_rollup:
        return scope.daily_counts().filter(day__gte=first_day, day__lt=end_day)
    return scope.events().filter(
        occurred_from__gte=midnight(first_day), occurred_from__lt=midnight(end_day)
    )


def _total(scope: Scope, condition: Q | None = None):
    if scope.uses_rollup:
        return Sum("events", filter=condition, default=0)
    return Count("pk", filter=condition)


def by_category(scope: Scope, periods: dict[str, Period]) -> dict[int, dict[str, int]]:
    """Events per (leaf) category in each named period, in one query over their span."""
    first = min(period.start for period in periods.values())
    end = max(period.end for period in periods.values())
    sums = {name: _total(scope, _range_filter(scope, period)) for name, period in periods.items()}
    rows = _rows(scope, first, end).values("category_id").annotate(**sums)
    return {row.pop("category_id"): row for row in rows}


@dataclass(frozen=True)
class DailySeries:
    """Events per local day from `first_day` on, one number per day, zeros included."""

    first_day: dt.date
    counts: np.ndarray

    def days(self) -> list[dt.date]:
        return [self.first_day + dt.timedelta(days=i) for i in range(len(self.counts))]

    def total(self, period: Period) -> int:
        start = max((period.start - self.first_day).days, 0)
        end = max((period.end - self.first_day).days, 0)
        return int(self.counts[start:end].sum())


def daily(scope: Scope, first_day: dt.date, end_day: dt.date) -> DailySeries:
    """Events per day in [first_day, end_day)."""
    rows = _rows(scope, first_day, end_day)
    if scope.uses_rollup:
        pairs = rows.values_list("day").annotate(n=_total(scope))
    else:
        local_day = TruncDate("occurred_from", tzinfo=timezone.get_default_timezone())
        pairs = rows.annotate(local_day=local_day).values_list("local_day").annotate(n=Count("pk"))
    counts = np.zeros((end_day - first_day).days, dtype=np.int64)
    for day, n in pairs:
        counts[(day - first_day).days] += n
    return DailySeries(first_day, counts)


def hour_weekday(scope: Scope, period: Period) -> np.ndarray:
    """A 7 × 24 grid (Monday first) of events by local hour and weekday in the period.

    PostgreSQL counts the grid itself (at most 168 rows back, not every event's time: with a
    million events a week's times cost ~25 ms to fetch and bin in Python). On SQLite the times
    are fetched and binned here: extracting hour and weekday there runs a Python function per
    row, which costs ten times more."""
    local = timezone.get_default_timezone()
    events = scope.events().filter(
        occurred_from__gte=midnight(period.start), occurred_from__lt=midnight(period.end)
    )
    grid = np.zeros((7, 24), dtype=np.int64)
    if connections[events.db].vendor == "postgresql":
        cells = events.values_list(
            ExtractIsoWeekDay("occurred_from", tzinfo=local),
            ExtractHour("occurred_from", tzinfo=local),
        ).annotate(n=Count("pk"))
        for weekday, hour, n in cells:
            grid[weekday - 1, hour] += n  # ISO weekday: Monday is 1
        return grid
    for moment in events.values_list("occurred_from", flat=True):
        local_time = moment.astimezone(local)
        grid[local_time.weekday(), local_time.hour] += 1
    return grid


def by_key(scope: Scope, key: str, current: Period, baseline: Period) -> dict[int, tuple[int, int]]:
    """Events per place or area (`key` = "place_id" / "area_id"): (current, baseline)."""
    rows = (
        _event_rows(scope, min(current.start, baseline.start), max(current.end, baseline.end))
        .filter(**{f"{key}__isnull": False})
        .values_list(key)
        .annotate(
            now=Count("pk", filter=_event_range(current)),
            before=Count("pk", filter=_event_range(baseline)),
        )
    )
    return {pk: (now, before) for pk, now, before in rows}


def _event_rows(scope: Scope, first_day: dt.date, end_day: dt.date):
    return scope.events().filter(
        occurred_from__gte=midnight(first_day), occurred_from__lt=midnight(end_day)
    )


def _event_range(period: Period) -> Q:
    return Q(occurred_from__gte=midnight(period.start), occurred_from__lt=midnight(period.end))
