"""The shared calendar: tonight and four weeks ahead by day, the shifts after midnight under
the evening before, the clashes between groups, and the evenings nobody covers, in the whole
municipality and per area."""

from __future__ import annotations

import datetime as dt

import pytest

from trygg.core.tests.clock import NOW, TODAY, at
from trygg.presence.calendar import CALENDAR_DAYS, build_calendar, clashes_for
from trygg.presence.models import ShiftState
from trygg.presence.tests.factories import make_shift

pytestmark = pytest.mark.frozen

FRIDAY = dt.date(2026, 11, 27)
SATURDAY = FRIDAY + dt.timedelta(days=1)


def listed(calendar, day) -> list:
    [found] = [d for d in calendar.days if d.day == day]
    return [row.shift for row in found.rows]


def test_the_calendar_runs_from_tonight_for_four_weeks(karlstad):
    calendar = build_calendar(karlstad)
    assert calendar.first_day == TODAY and len(calendar.days) == CALENDAR_DAYS
    assert calendar.last_day == TODAY + dt.timedelta(weeks=4)
    assert calendar.days[0].tonight and not calendar.days[1].tonight


@pytest.mark.frozen(at(TODAY + dt.timedelta(days=1), 1, 0))
def test_at_one_in_the_morning_tonight_is_still_the_evening_before(karlstad):
    assert build_calendar(karlstad).first_day == TODAY


@pytest.mark.frozen(at(TODAY + dt.timedelta(days=1), 3, 0))
def test_from_two_in_the_morning_tonight_is_the_new_days_evening(karlstad):
    assert build_calendar(karlstad).first_day == TODAY + dt.timedelta(days=1)


def test_a_shift_after_midnight_is_listed_under_the_evening_before(karlstad, centrum, ungdomar):
    late = make_shift(ungdomar, centrum, SATURDAY, start=(0, 30), end=(1, 30))
    calendar = build_calendar(karlstad)
    assert listed(calendar, FRIDAY) == [late]
    assert listed(calendar, SATURDAY) == []


def test_shifts_of_another_municipality_are_not_on_the_calendar(
    karlstad, karlskoga_centrum, karlskoga_group
):
    make_shift(karlskoga_group, karlskoga_centrum, FRIDAY)
    assert listed(build_calendar(karlstad), FRIDAY) == []


def test_two_groups_in_one_area_at_once_are_both_marked(
    karlstad, centrum, klara, kronoparken, ungdomar, walkers, foot_patrol
):
    youth = make_shift(ungdomar, centrum, FRIDAY, start=(19, 0), end=(23, 0))
    night = make_shift(walkers, klara, FRIDAY, start=(22, 0), end=(1, 0))
    police = make_shift(foot_patrol, kronoparken, FRIDAY, start=(19, 0), end=(23, 0))
    calendar = build_calendar(karlstad)
    clashes = {row.shift: row.clashes for day in calendar.days for row in day.rows}
    assert clashes == {youth: [night], night: [youth], police: []}
    assert calendar.clash_count == 2


def test_a_cancelled_shift_warns_nobody(karlstad, centrum, ungdomar, walkers):
    make_shift(ungdomar, centrum, FRIDAY)
    cancelled = make_shift(walkers, centrum, FRIDAY, state=ShiftState.CANCELLED)
    calendar = build_calendar(karlstad)
    assert calendar.clash_count == 0
    assert cancelled in listed(calendar, FRIDAY)
    assert clashes_for(cancelled) == []


def test_the_warning_when_planning_names_the_other_groups_shift(centrum, klara, ungdomar, walkers):
    youth = make_shift(ungdomar, centrum, FRIDAY, start=(19, 0), end=(23, 0))
    make_shift(ungdomar, centrum, FRIDAY, start=(20, 0), end=(22, 0))  # its own group: no clash
    night = make_shift(walkers, klara, FRIDAY, start=(22, 30), end=(2, 0))
    assert clashes_for(night) == [youth]


def test_the_evenings_nobody_covers_are_those_without_an_hour_of_presence(
    karlstad, centrum, ungdomar
):
    make_shift(ungdomar, centrum, FRIDAY)
    make_shift(ungdomar, centrum, SATURDAY, start=(17, 0), end=(18, 30))  # only half an hour
    make_shift(ungdomar, centrum, SATURDAY, start=(20, 0), end=(23, 0), state="cancelled")
    calendar = build_calendar(karlstad)
    assert FRIDAY not in calendar.uncovered and SATURDAY in calendar.uncovered
    assert len(calendar.uncovered) == CALENDAR_DAYS - 1
    by_day = {day.day: day.uncovered for day in calendar.days}
    assert (by_day[FRIDAY], by_day[SATURDAY]) == (False, True)


def test_per_area_a_shift_covers_its_area_the_parts_of_it_and_what_it_lies_in(
    karlstad, centrum, klara, kronoparken, walkers
):
    make_shift(walkers, klara, FRIDAY)
    gaps = {g.area: g.days for g in build_calendar(karlstad).area_gaps}
    assert set(gaps) == {centrum, klara, kronoparken}  # the districts and where shifts are
    assert FRIDAY not in gaps[centrum] and FRIDAY not in gaps[klara]
    assert FRIDAY in gaps[kronoparken]
    [centre] = [g for g in build_calendar(karlstad).area_gaps if g.area == centrum]
    assert centre.covered == [FRIDAY]


def test_filtered_to_an_area_the_calendar_lists_and_counts_only_that_place(
    karlstad, centrum, kronoparken, ungdomar, foot_patrol
):
    make_shift(ungdomar, centrum, FRIDAY)
    patrol = make_shift(foot_patrol, kronoparken, SATURDAY)
    calendar = build_calendar(karlstad, area=kronoparken)
    assert listed(calendar, FRIDAY) == [] and listed(calendar, SATURDAY) == [patrol]
    assert FRIDAY in calendar.uncovered and SATURDAY not in calendar.uncovered
    assert [g.area for g in calendar.area_gaps] == [kronoparken]


def test_filtered_to_a_group_the_calendar_still_counts_everyone_out(
    karlstad, centrum, ungdomar, walkers
):
    make_shift(walkers, centrum, FRIDAY)
    calendar = build_calendar(karlstad, group=ungdomar)
    assert listed(calendar, FRIDAY) == []
    assert FRIDAY not in calendar.uncovered


def test_a_shift_already_over_tonight_is_still_listed_for_tonight(karlstad, centrum, ungdomar):
    morning = make_shift(ungdomar, centrum, TODAY, start=(8, 0), end=(11, 0))
    assert morning.ends_at < NOW
    assert listed(build_calendar(karlstad), TODAY) == [morning]
