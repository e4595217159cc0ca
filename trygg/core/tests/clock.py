"""The one moment tests freeze time at, so that a date in a test means the same on any day.

A test (or a module, through `pytestmark`) marked `@pytest.mark.frozen` runs with the clock
stopped at `NOW`; `@pytest.mark.frozen(when)` stops it elsewhere. The fixture `frozen_now` in
`trygg/conftest.py` gives the time-machine coordinates, to move the clock on inside a test.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

STOCKHOLM = ZoneInfo("Europe/Stockholm")

# A Sunday in November: week 46 of 2026 is the latest complete week, the year is not over.
NOW = dt.datetime(2026, 11, 22, 12, 0, tzinfo=STOCKHOLM)
TODAY = NOW.date()


def at(day: dt.date, hour: int = 12, minute: int = 0) -> dt.datetime:
    """The moment `hour:minute` on `day` in Stockholm, the time zone every date in Trygg is in."""
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=STOCKHOLM)


def session_start(clock: str, real_now: dt.datetime) -> dt.datetime | None:
    """Where `--clock` puts the session's clock: N days ahead of `real_now`, or a given day (at
    `real_now`'s time of day in Stockholm) or moment; None for the real clock."""
    clock = clock.strip()
    if not clock:
        return None
    if clock.lstrip("+-").isdigit():
        return real_now + dt.timedelta(days=int(clock))
    moment = dt.datetime.fromisoformat(clock)
    if len(clock) == 10:  # a date alone
        local = real_now.astimezone(STOCKHOLM)
        moment = dt.datetime.combine(moment.date(), local.time())
    return moment if moment.tzinfo else moment.replace(tzinfo=STOCKHOLM)
