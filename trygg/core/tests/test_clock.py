"""The switch that runs the whole suite on another day (`--clock`, `TRYGG_TEST_CLOCK`)."""

import datetime as dt

import pytest
from django.utils import timezone

from trygg.core.tests.clock import NOW, STOCKHOLM, session_start

REAL = dt.datetime(2026, 12, 2, 9, 15, tzinfo=dt.UTC)  # 10:15 in Stockholm


def test_no_clock_leaves_the_real_one():
    assert session_start("", REAL) is None and session_start("  ", REAL) is None


def test_a_number_moves_the_clock_that_many_days_ahead():
    assert session_start("+365", REAL) == REAL + dt.timedelta(days=365)
    assert session_start("30", REAL) == REAL + dt.timedelta(days=30)


def test_a_date_keeps_the_real_time_of_day_in_stockholm():
    start = session_start("2027-12-30", REAL)
    assert start == dt.datetime(2027, 12, 30, 10, 15, tzinfo=STOCKHOLM)


def test_a_moment_without_a_zone_is_read_in_stockholm():
    assert session_start("2027-12-31T23:58", REAL) == dt.datetime(
        2027, 12, 31, 23, 58, tzinfo=STOCKHOLM
    )


@pytest.mark.frozen
def test_a_frozen_test_stands_still_at_now(frozen_now):
    assert timezone.now() == NOW
    frozen_now.shift(dt.timedelta(days=1))
    assert timezone.localdate() == NOW.date() + dt.timedelta(days=1)


@pytest.mark.frozen(dt.datetime(2027, 1, 1, 0, 30, tzinfo=STOCKHOLM))
def test_the_mark_stops_the_clock_where_it_says():
    assert timezone.localdate() == dt.date(2027, 1, 1)
