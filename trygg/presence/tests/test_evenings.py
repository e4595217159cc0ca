"""Evenings (18–02 local time), the day a moment is listed under, and which evenings shifts
leave uncovered: pure functions, checked by hand and against a brute-force count."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from trygg.core.tests.clock import STOCKHOLM, at
from trygg.presence.evenings import (
    MIN_COVER,
    calendar_day,
    covered,
    day_bounds,
    days_from,
    evening,
    uncovered_evenings,
)

FRIDAY = dt.date(2026, 11, 27)
SATURDAY = FRIDAY + dt.timedelta(days=1)
HOUR = dt.timedelta(hours=1)


def test_a_moment_after_midnight_belongs_to_the_evening_before():
    assert calendar_day(at(SATURDAY, 1, 30), STOCKHOLM) == FRIDAY
    assert calendar_day(at(SATURDAY, 1, 59), STOCKHOLM) == FRIDAY


def test_from_two_in_the_morning_a_moment_belongs_to_its_own_day():
    assert calendar_day(at(SATURDAY, 2, 0), STOCKHOLM) == SATURDAY
    assert calendar_day(at(SATURDAY, 14, 0), STOCKHOLM) == SATURDAY


def test_the_day_is_the_local_one_whatever_the_moments_own_time_zone():
    late_friday_utc = dt.datetime(2026, 11, 27, 23, 30, tzinfo=dt.UTC)  # 00:30 Saturday here
    assert calendar_day(late_friday_utc, STOCKHOLM) == FRIDAY


def test_an_evening_runs_from_six_to_two_the_next_morning():
    start, end = evening(FRIDAY, STOCKHOLM)
    assert (start, end) == (at(FRIDAY, 18), at(SATURDAY, 2))


def test_an_evening_lasts_eight_hours_also_on_the_nights_the_clocks_change():
    for saturday in (dt.date(2026, 3, 28), dt.date(2026, 10, 24)):
        start, end = evening(saturday, STOCKHOLM)
        assert end - start == dt.timedelta(hours=8)


def test_the_day_the_clocks_go_back_holds_twenty_five_hours():
    sunday = dt.date(2026, 10, 25)  # 03:00 summer time becomes 02:00
    start, end = day_bounds(sunday, sunday, STOCKHOLM)
    assert end - start == dt.timedelta(hours=25)


def test_overlapping_shifts_count_once_towards_the_cover():
    window = evening(FRIDAY, STOCKHOLM)
    shifts = [(at(FRIDAY, 19), at(FRIDAY, 22)), (at(FRIDAY, 21), at(FRIDAY, 23))]
    assert covered(window, shifts) == 4 * HOUR


def test_only_the_part_of_a_shift_inside_the_evening_counts():
    window = evening(FRIDAY, STOCKHOLM)
    day_shift = (at(FRIDAY, 8), at(FRIDAY, 18, 30))
    late_shift = (at(SATURDAY, 1), at(SATURDAY, 5))
    assert covered(window, [day_shift]) == dt.timedelta(minutes=30)
    assert covered(window, [late_shift]) == HOUR


def test_an_evening_with_less_than_an_hour_of_presence_is_uncovered():
    shifts = [
        (at(FRIDAY, 8), at(FRIDAY, 18, 30)),  # a day shift that runs into the evening
        (at(SATURDAY, 20), at(SATURDAY, 21)),  # exactly the minimum
    ]
    days = [FRIDAY, SATURDAY]
    assert uncovered_evenings(days, shifts, STOCKHOLM) == [FRIDAY]
    assert MIN_COVER == HOUR


def test_a_shift_after_midnight_covers_the_evening_before_not_the_next():
    shifts = [(at(SATURDAY, 0), at(SATURDAY, 1, 30))]
    assert uncovered_evenings([FRIDAY, SATURDAY], shifts, STOCKHOLM) == [SATURDAY]


def test_without_shifts_every_evening_is_uncovered():
    days = days_from(FRIDAY, 29)
    assert len(days) == 29 and days[-1] == FRIDAY + dt.timedelta(days=28)
    assert uncovered_evenings(days, [], STOCKHOLM) == days


minutes = st.integers(min_value=0, max_value=24 * 60)


@given(st.lists(st.tuples(minutes, st.integers(min_value=1, max_value=600)), max_size=6))
def test_the_cover_equals_the_minutes_counted_one_by_one(spans):
    window = (at(FRIDAY, 18), at(SATURDAY, 2))
    base = at(FRIDAY, 12)
    shifts = [
        (base + dt.timedelta(minutes=m), base + dt.timedelta(minutes=m + length))
        for m, length in spans
    ]
    counted = sum(
        1
        for minute in range(8 * 60)
        if any(s <= window[0] + dt.timedelta(minutes=minute) < e for s, e in shifts)
    )
    assert covered(window, shifts) == dt.timedelta(minutes=counted)
