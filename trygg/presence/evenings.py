"""Evenings and the calendar day a moment belongs to: pure functions on aware datetimes.

An evening is 18:00 to 02:00 local time (EVENING_START, EVENING_END). The window is the one the
volunteer groups walk in (Ungdomar and Vuxna för trygghet go out Friday and Saturday from about
19 to midnight or one) and the first three of Purple Flag's evening time zones (17–20, 20–23,
23–02). A shift that starts before 02:00 belongs to the day before: the night from Friday to
Saturday is Friday's, on the calendar and in "evenings nobody covers" (docs/decisions/0024).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from zoneinfo import ZoneInfo

EVENING_START = dt.time(18, 0)
EVENING_END = dt.time(2, 0)  # the next morning
# A shift that touches the evening for a few minutes (a day shift ending 18:15) does not mean
# anyone is out: an evening counts as covered from this much time with people out, in total.
MIN_COVER = dt.timedelta(hours=1)

Interval = tuple[dt.datetime, dt.datetime]


def calendar_day(moment: dt.datetime, tz: ZoneInfo) -> dt.date:
    """The day `moment` is listed under: its local date, or the day before until 02:00."""
    local = moment.astimezone(tz)
    if local.time() < EVENING_END:
        return local.date() - dt.timedelta(days=1)
    return local.date()


def local(day: dt.date, time: dt.time, tz: ZoneInfo) -> dt.datetime:
    """`time` on `day` in `tz`, as UTC. Python subtracts and compares two datetimes of one
    time zone by their wall clocks, which is an hour off across a change to or from summer
    time; in UTC it is exact."""
    return dt.datetime.combine(day, time, tzinfo=tz).astimezone(dt.UTC)


def evening(day: dt.date, tz: ZoneInfo) -> Interval:
    """The evening of `day`: 18:00 that day to 02:00 the next, local time."""
    return local(day, EVENING_START, tz), local(day + dt.timedelta(days=1), EVENING_END, tz)


def day_bounds(first: dt.date, last: dt.date, tz: ZoneInfo) -> Interval:
    """[02:00 on `first`, 02:00 after `last`): every moment whose calendar day lies in
    first..last."""
    return local(first, EVENING_END, tz), local(last + dt.timedelta(days=1), EVENING_END, tz)


def covered(window: Interval, intervals: Iterable[Interval]) -> dt.timedelta:
    """How long within `window` at least one interval is running (overlaps counted once)."""
    low, high = (moment.astimezone(dt.UTC) for moment in window)
    utc = ((start.astimezone(dt.UTC), end.astimezone(dt.UTC)) for start, end in intervals)
    clipped = sorted(
        (max(start, low), min(end, high)) for start, end in utc if start < high and end > low
    )
    if not clipped:
        return dt.timedelta(0)
    total = dt.timedelta(0)
    run_start, run_end = clipped[0]
    for start, end in clipped[1:]:
        if start > run_end:
            total += run_end - run_start
            run_start, run_end = start, end
        else:
            run_end = max(run_end, end)
    return total + (run_end - run_start)


def uncovered_evenings(
    days: Sequence[dt.date],
    intervals: Sequence[Interval],
    tz: ZoneInfo,
    min_cover: dt.timedelta = MIN_COVER,
) -> list[dt.date]:
    """The days among `days` whose evening the intervals cover for less than `min_cover`."""
    return [day for day in days if covered(evening(day, tz), intervals) < min_cover]


def days_from(first: dt.date, count: int) -> list[dt.date]:
    return [first + dt.timedelta(days=n) for n in range(count)]
