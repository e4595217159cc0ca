import datetime as dt

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from trygg.core import periods
from trygg.core.periods import Kind


def test_an_iso_week_runs_monday_to_monday():
    week = periods.iso_week(2026, 47)
    assert (week.start, week.end) == (dt.date(2026, 11, 16), dt.date(2026, 11, 23))
    assert week.label() == "v. 47 2026"


def test_week_one_may_start_in_december_and_its_year_to_date_starts_in_january():
    week = periods.iso_week(2026, 1)
    assert week.start == dt.date(2025, 12, 29)
    assert week.year_to_date().start == dt.date(2026, 1, 1)


def test_the_same_week_a_year_earlier_is_the_same_week_number():
    assert periods.iso_week(2026, 47).year_earlier() == periods.iso_week(2025, 47)


def test_week_53_compares_with_the_last_week_of_a_year_without_one():
    assert periods.weeks_in_year(2026) == 53
    assert periods.iso_week(2026, 53).year_earlier() == periods.iso_week(2025, 52)


def test_tertials_tile_the_year_and_the_first_follows_the_third():
    t1, t2, t3 = (periods.tertial(2026, n) for n in (1, 2, 3))
    assert (t1.start, t1.end, t2.end, t3.end) == (
        dt.date(2026, 1, 1),
        dt.date(2026, 5, 1),
        dt.date(2026, 9, 1),
        dt.date(2027, 1, 1),
    )
    assert t1.previous() == periods.tertial(2025, 3)
    assert t3.label() == "T3 2026"


def test_four_weeks_end_with_the_named_week_and_the_previous_four_come_before():
    block = periods.four_weeks_ending(2026, 46)
    assert block.days == 28 and block.last_day == dt.date(2026, 11, 15)
    assert block.previous().end == block.start


def test_the_latest_complete_period_has_ended_by_today():
    sunday = dt.date(2026, 11, 22)
    assert periods.latest_complete(Kind.WEEK, sunday) == periods.iso_week(2026, 46)
    assert periods.latest_complete(Kind.WEEK, dt.date(2026, 11, 23)) == periods.iso_week(2026, 47)
    assert periods.latest_complete(Kind.FOUR_WEEKS, sunday) == periods.four_weeks_ending(2026, 46)
    assert periods.latest_complete(Kind.YEAR, sunday) == periods.year_period(2025)


def test_a_period_that_does_not_parse_says_why():
    with pytest.raises(ValueError):
        periods.parse("week", "2026-W54")
    with pytest.raises(ValueError):
        periods.parse("fortnight", "2026")
    with pytest.raises(ValueError):
        periods.parse("custom", "2026-03-01..2026-02-01")


@given(
    kind=st.sampled_from(list(Kind)),
    day=st.dates(min_value=dt.date(2001, 1, 1), max_value=dt.date(2098, 12, 31)),
)
def test_every_period_parses_back_from_its_parameter_and_contains_its_day(kind, day):
    period = periods.containing(kind, day)
    assert period.contains(day)
    assert periods.parse(str(kind), periods.as_parameter(period)) == period
    assert period.previous().end <= period.start


def test_midnight_is_local_and_a_spring_forward_day_lasts_23_hours():
    start, end = periods.time_range(periods.custom(dt.date(2026, 3, 29), dt.date(2026, 3, 29)))
    assert start.isoformat() == "2026-03-29T00:00:00+01:00"
    assert end.isoformat() == "2026-03-30T00:00:00+02:00"
    # Same-zone subtraction in Python is wall-clock time; the instants are 23 hours apart.
    assert end.timestamp() - start.timestamp() == 23 * 3600


def test_midnight_after_the_autumn_change_is_summer_times_midnight_plus_25_hours():
    start = periods.midnight(dt.date(2026, 10, 25))
    end = periods.midnight(dt.date(2026, 10, 26))
    assert start.utcoffset() == dt.timedelta(hours=2)
    assert end.utcoffset() == dt.timedelta(hours=1)
    assert end.timestamp() - start.timestamp() == 25 * 3600


def test_midnight_ignores_a_time_zone_a_request_activated():
    with timezone.override("America/New_York"):
        assert periods.midnight(dt.date(2026, 6, 1)).isoformat() == "2026-06-01T00:00:00+02:00"
