"""The coverage analysis read from the database: the events arrive as one text of numbers
(area and hour of the period), so an hour the clock repeats, an event in a sub-area and a
period without events must come out as the hand-counted cells say."""

from __future__ import annotations

import datetime as dt

import pytest

from trygg.core.tests.clock import STOCKHOLM, at
from trygg.presence.coverage_data import build
from trygg.presence.tests.factories import make_shift

pytestmark = pytest.mark.frozen  # Sunday 22 November 2026

SAT, SUN = 5, 6
# Summer time ends at 03:00 on Sunday 25 October 2026: the hour from 02:00 comes twice.
SATURDAY, SUNDAY = dt.date(2026, 10, 24), dt.date(2026, 10, 25)


def _twice(hour: int, minute: int, fold: int) -> dt.datetime:
    return dt.datetime.combine(SUNDAY, dt.time(hour, minute, fold=fold), tzinfo=STOCKHOLM)


def _row(report, name: str) -> int:
    return [area.name for area in report.areas].index(name)


def test_the_autumn_nights_two_two_oclock_hours_are_counted_and_covered_from_the_database(
    make_event, kommunen, coordinator, centrum, klara, kronoparken, ungdomar
):
    # Ungdomar för trygghet in Klara (in Centrum) Saturday 22:00 to 03:00 winter time.
    make_shift(ungdomar, klara, SATURDAY, start=(22, 0), end=(3, 0), people=3)
    for moment in (at(SUNDAY, 1, 30), _twice(2, 30, 0), _twice(2, 30, 1), at(SUNDAY, 3, 30)):
        make_event(kommunen, area=centrum, occurred_from=moment)
    make_event(kommunen, area=kronoparken, occurred_from=_twice(2, 10, 1))
    report = build(coordinator, kommunen.municipality, SATURDAY, SUNDAY)
    centre, kronan = _row(report, "Centrum"), _row(report, "Kronoparken")
    assert report.cells.events[centre, SAT, 1] == 1  # 01:30 belongs to Saturday's evening
    assert report.cells.events[centre, SUN, 2] == 2  # both 02:30s, a real hour apart
    assert report.cells.covered[centre, SUN, 2] == 2
    assert report.cells.events[centre, SUN, 3] == 1 and report.cells.covered[centre, SUN, 3] == 0
    assert report.cells.events[kronan, SUN, 2] == 1 and report.cells.covered[kronan].sum() == 0
    assert report.cells.shift_hours[centre, SUN, 2] == 2
    assert (report.covered, report.evening_events) == (1, 1)  # only 01:30 is evening


def test_a_period_without_events_gives_empty_cells_and_no_share(
    make_event, kommunen, coordinator, centrum, ungdomar
):
    make_shift(ungdomar, centrum, SATURDAY)
    make_event(kommunen, area=centrum, occurred_from=at(SATURDAY + dt.timedelta(days=7), 20))
    report = build(coordinator, kommunen.municipality, SATURDAY, SUNDAY)
    assert report.cells.events.sum() == 0 and report.evening_events == 0
    assert report.share is None and report.gaps == []
    assert report.cells.shift_hours.sum() == 4
