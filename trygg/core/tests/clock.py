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
