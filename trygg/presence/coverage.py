"""Are we out where and when the problems are? Presence and events in the same cells: pure
functions on numpy arrays, no database (the queries are in coverage_data.py).

A cell is an area × weekday × hour of the day, local time. The weekday is the calendar day of
evenings.py: until 02:00 a moment belongs to the day before, so Friday 01:00 is the night
from Friday to Saturday, as in the calendar. Everything is first counted per area and per
hour of the period in UTC (an hour in Sweden starts on a whole UTC hour, also on the nights
the clock changes: the autumn night has two 02:00 hours, the spring night none), then folded
into the week's 168 hours.

Presence is counted two ways from planned and held shifts: people-hours (four people for two
hours are eight) and shift-hours (the time at least one shift is out, shifts at the same time
counted once each). An event counts as covered when a shift was out in its area in the very
hour it happened, not merely on some other Friday at that hour.

"Many evening events" (docs/decisions/0027): more in a cell than an even spread of the
period's evening events over every area's evening cells would give, beyond chance: a one-sided
Poisson test with Benjamini-Hochberg over the evening cells at ALPHA. A cell with fewer than
MIN_EVENTS events is too few to say either way.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.stats import poisson

from trygg.analysis.multiple import benjamini_hochberg

HOUR_S = 3600
WEEK_HOURS = 168
# The evening of evenings.py (18:00–02:00) hour by hour, in the order they follow each other.
EVENING_HOURS = (18, 19, 20, 21, 22, 23, 0, 1)
# Fewer events than this in one cell over the period: too few to say whether they are many.
MIN_EVENTS = 5
ALPHA = 0.05
# A suggested shift is at least this long (decision 0024: an evening is covered from an hour).
MIN_SUGGESTED_HOURS = 2

MANY, NOT_MANY, TOO_FEW = "many", "not_many", "too_few"

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class HourTable:
    """The period's hours in UTC from `start_s` (epoch seconds), each with its calendar
    weekday (Monday 0) and local hour."""

    start_s: int
    weekday: IntArray
    hour: IntArray

    @property
    def size(self) -> int:
        return len(self.hour)

    @property
    def end_s(self) -> int:
        return self.start_s + self.size * HOUR_S

    @property
    def week_key(self) -> IntArray:
        """Each hour's cell in the week: weekday × 24 + hour."""
        return self.weekday * 24 + self.hour


def hour_table(start: dt.datetime, end: dt.datetime, tz: ZoneInfo) -> HourTable:
    """The hours of [start, end), two aware moments on whole UTC hours."""
    start_s, end_s = int(start.timestamp()), int(end.timestamp())
    if start_s % HOUR_S or end_s % HOUR_S or end_s <= start_s:
        raise ValueError("the period must run forward between whole hours")
    moments = np.arange(start_s, end_s, HOUR_S, dtype=np.int64)
    local = moments + _offsets(moments, tz)
    # evenings.calendar_day: until 02:00 a moment belongs to the day before.
    day = (local - 2 * HOUR_S) // 86400
    weekday = (day + 3) % 7  # 1 January 1970 was a Thursday (Monday 0)
    return HourTable(start_s, weekday, (local // HOUR_S) % 24)


def _offsets(moments: IntArray, tz: ZoneInfo) -> IntArray:
    """The UTC offset in seconds at each of `moments` (whole hours, one hour apart). The zone
    is asked once a day, and hour by hour only on a day whose offset changes."""

    def offset(s: int) -> int:
        utc = dt.datetime.fromtimestamp(s, dt.UTC)
        return int(utc.astimezone(tz).utcoffset().total_seconds())  # type: ignore[union-attr]

    out = np.empty(len(moments), dtype=np.int64)
    for first in range(0, len(moments), 24):
        chunk = moments[first : first + 24]
        low, high = offset(int(chunk[0])), offset(int(chunk[-1]))
        if low == high:
            out[first : first + len(chunk)] = low
        else:
            out[first : first + len(chunk)] = [offset(int(s)) for s in chunk]
    return out


def presence_by_hour(
    areas: ArrayLike,
    starts_s: ArrayLike,
    ends_s: ArrayLike,
    people: ArrayLike,
    table: HourTable,
    n_areas: int,
) -> tuple[FloatArray, FloatArray]:
    """People-hours and shift-hours per area (row) and hour of the period (column), from shifts
    given as area index, start and end (epoch seconds) and number of people."""
    area = np.asarray(areas, dtype=np.int64)
    start = np.clip(np.asarray(starts_s, dtype=np.int64), table.start_s, table.end_s)
    end = np.clip(np.asarray(ends_s, dtype=np.int64), table.start_s, table.end_s)
    count = np.asarray(people, dtype=np.float64)
    if not (len(area) == len(start) == len(end) == len(count)):
        raise ValueError("one area, start, end and count per shift")
    keep = end > start
    area, start, end, count = area[keep], start[keep], end[keep], count[keep]
    first = (start - table.start_s) // HOUR_S
    pieces = (end - table.start_s + HOUR_S - 1) // HOUR_S - first
    shift = np.repeat(np.arange(len(area)), pieces)
    # Each piece's hour: the shift's first hour plus its place among the shift's pieces.
    offset = np.arange(len(shift)) - np.repeat(np.cumsum(pieces) - pieces, pieces)
    column = first[shift] + offset
    hour_start = table.start_s + column * HOUR_S
    hours = (
        np.minimum(end[shift], hour_start + HOUR_S) - np.maximum(start[shift], hour_start)
    ) / HOUR_S
    index = area[shift] * table.size + column
    size = n_areas * table.size
    people_hours = np.bincount(index, weights=hours * count[shift], minlength=size)
    shift_hours = np.bincount(index, weights=hours, minlength=size)
    # Explicit width: with no areas (a municipality without districts) -1 cannot be inferred.
    return (
        people_hours.astype(np.float64).reshape(n_areas, table.size),
        shift_hours.astype(np.float64).reshape(n_areas, table.size),
    )


def events_by_hour(
    areas: ArrayLike, moments_s: ArrayLike, table: HourTable, n_areas: int
) -> IntArray:
    """Events per area (row) and hour of the period (column); those outside it are left out."""
    area = np.asarray(areas, dtype=np.int64)
    moment = np.asarray(moments_s, dtype=np.int64)
    if len(area) != len(moment):
        raise ValueError("one area per event")
    keep = (moment >= table.start_s) & (moment < table.end_s)
    column = (moment[keep] - table.start_s) // HOUR_S
    index = area[keep] * table.size + column
    return np.bincount(index, minlength=n_areas * table.size).reshape(n_areas, table.size)


def fold(by_hour: ArrayLike, table: HourTable) -> NDArray:
    """Per area and hour of the period -> per area, weekday and hour of the day (A × 7 × 24)."""
    values = np.asarray(by_hour)
    n_areas = values.shape[0]
    index = (np.arange(n_areas)[:, None] * WEEK_HOURS + table.week_key[None, :]).ravel()
    folded = np.bincount(index, weights=values.ravel(), minlength=n_areas * WEEK_HOURS)
    if np.issubdtype(values.dtype, np.integer):
        folded = np.rint(folded).astype(np.int64)
    return folded.reshape(n_areas, 7, 24)


def evening_mask() -> NDArray[np.bool_]:
    """7 × 24: True for the hours of an evening."""
    mask = np.zeros((7, 24), dtype=bool)
    mask[:, list(EVENING_HOURS)] = True
    return mask


@dataclass(frozen=True)
class Cells:
    """Presence and events per area × weekday × hour (each A × 7 × 24)."""

    events: IntArray
    covered: IntArray  # events in an hour when a shift was out in their area
    people_hours: FloatArray
    shift_hours: FloatArray
    verdict: NDArray[np.str_]  # MANY, NOT_MANY or TOO_FEW; "" outside the evening


def cells(
    events: IntArray, people_hours: FloatArray, shift_hours: FloatArray, table: HourTable
) -> Cells:
    """Fold the hourly arrays (area × hour of the period) into cells, with each evening cell's
    verdict on how many events it has."""
    covered = np.where(shift_hours > 0, events, 0)
    folded = fold(events, table)
    return Cells(
        events=folded,
        covered=fold(covered, table),
        people_hours=fold(people_hours, table),
        shift_hours=fold(shift_hours, table),
        verdict=verdicts(folded),
    )


def verdicts(events: IntArray, alpha: float = ALPHA) -> NDArray[np.str_]:
    """Each evening cell's verdict: MANY when its count is above an even spread of the evening
    events over the evening cells beyond chance (one-sided Poisson, Benjamini-Hochberg over
    the cells that can be called), TOO_FEW under MIN_EVENTS, else NOT_MANY."""
    mask = np.broadcast_to(evening_mask(), events.shape)
    out = np.full(events.shape, "", dtype="<U8")
    counts = events[mask]
    if counts.size == 0:
        return out
    expected = counts.sum() / counts.size
    callable_ = counts >= MIN_EVENTS
    called = np.full(counts.shape, NOT_MANY, dtype="<U8")
    called[~callable_] = TOO_FEW
    if callable_.any():
        p = poisson.sf(counts[callable_] - 1, expected)
        q = benjamini_hochberg(p)
        called[np.flatnonzero(callable_)[q < alpha]] = MANY
    out[mask] = called
    return out


def evening_share(result: Cells) -> tuple[int, int]:
    """(evening events in an area and hour with a shift out, evening events in an area)."""
    mask = np.broadcast_to(evening_mask(), result.events.shape)
    return int(result.covered[mask].sum()), int(result.events[mask].sum())


@dataclass(frozen=True)
class Gap:
    """An evening cell with no planned presence in the whole period."""

    area: int
    weekday: int
    hour: int
    events: int
    verdict: str


def gaps(result: Cells) -> list[Gap]:
    """The evening cells nobody was out in, with at least one event: the cells with many
    events first, then by events (most first), weekday and hour through the evening."""
    # Chosen by numpy first: a year has thousands of cells with events, few of them gaps.
    evening = np.broadcast_to(evening_mask(), result.events.shape)
    chosen = evening & (result.events > 0) & (result.shift_hours == 0)
    found = [
        Gap(int(a), int(d), int(h), int(result.events[a, d, h]), str(result.verdict[a, d, h]))
        for a, d, h in zip(*np.nonzero(chosen), strict=True)
    ]
    return sorted(found, key=_gap_order)


def _gap_order(gap: Gap) -> tuple:
    return (gap.verdict != MANY, -gap.events, gap.area, gap.weekday, evening_order(gap.hour))


def evening_order(hour: int) -> int:
    """An evening hour's place in the evening (18:00 first, 01:00 last)."""
    return EVENING_HOURS.index(hour)


@dataclass(frozen=True)
class Suggestion:
    """A weekly shift over the uncovered hours with many events of one area and evening:
    `start`–`end` are local hours (an end at or before 18 is the next morning)."""

    area: int
    weekday: int  # the evening's calendar weekday, Monday 0
    start: int
    end: int
    events: int  # the events of the period in those hours with nobody out


def suggestions(found: list[Gap], limit: int = 5) -> list[Suggestion]:
    """From the gaps with many events: per area and evening, one shift from the first to the
    last such hour (at least MIN_SUGGESTED_HOURS long), the evenings with the most uncovered
    events first, at most `limit`."""
    by_evening: dict[tuple[int, int], list[Gap]] = {}
    for gap in found:
        if gap.verdict == MANY:
            by_evening.setdefault((gap.area, gap.weekday), []).append(gap)
    uncovered = {(g.area, g.weekday, g.hour): g.events for g in found}
    made = []
    for (area, weekday), chosen in by_evening.items():
        first, last = _window([evening_order(g.hour) for g in chosen])
        events = sum(
            uncovered.get((area, weekday, EVENING_HOURS[i]), 0) for i in range(first, last + 1)
        )
        end = EVENING_HOURS[last + 1] if last + 1 < len(EVENING_HOURS) else 2
        made.append(Suggestion(area, weekday, EVENING_HOURS[first], end, events))
    made.sort(key=lambda s: (-s.events, s.area, s.weekday, evening_order(s.start)))
    return made[:limit]


def _window(positions: list[int]) -> tuple[int, int]:
    """First and last place in the evening, widened to MIN_SUGGESTED_HOURS within it."""
    first, last = min(positions), max(positions)
    while last - first + 1 < MIN_SUGGESTED_HOURS:
        if last + 1 < len(EVENING_HOURS):
            last += 1
        else:
            first -= 1
    return first, last
