"""The coverage analysis' arithmetic on small cases worked out by hand: a shift over midnight,
the autumn night with two 02:00 hours and the spring night without one, which events count as
covered, when a cell has "many" events and what shift that suggests."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from trygg.core.tests.clock import STOCKHOLM
from trygg.presence import coverage
from trygg.presence.evenings import day_bounds

FRI, SAT, SUN = 4, 5, 6


def _s(day: dt.date, hour: int, minute: int = 0, fold: int = 0) -> int:
    """Epoch seconds of a local wall-clock time (`fold` 1: the second of two equal times)."""
    local = dt.datetime.combine(day, dt.time(hour, minute, fold=fold), tzinfo=STOCKHOLM)
    return int(local.timestamp())


def _table(first: dt.date, last: dt.date) -> coverage.HourTable:
    return coverage.hour_table(*day_bounds(first, last, STOCKHOLM), STOCKHOLM)


# Friday 23 October to Sunday 25 October 2026: summer time ends at 03:00 on the Sunday.
AUTUMN = (dt.date(2026, 10, 23), dt.date(2026, 10, 25))
FRIDAY, SATURDAY, SUNDAY = (dt.date(2026, 10, d) for d in (23, 24, 25))


def test_the_autumn_night_has_two_two_oclock_hours_and_they_are_sundays():
    table = _table(*AUTUMN)
    assert table.size == 3 * 24 + 1  # three calendar days, one of them 25 hours long
    sunday_two = (table.weekday == SUN) & (table.hour == 2)
    assert sunday_two.sum() == 2
    # 01:00 on Sunday morning belongs to Saturday's evening, Monday's to Sunday's.
    assert ((table.weekday == SAT) & (table.hour == 1)).sum() == 1
    assert ((table.weekday == SUN) & (table.hour == 1)).sum() == 1
    assert table.weekday[0] == FRI and table.hour[0] == 2


def test_a_shift_over_midnight_and_one_over_the_autumn_change_are_counted_hour_by_hour():
    table = _table(*AUTUMN)
    starts = [_s(FRIDAY, 20, 30), _s(SATURDAY, 22)]
    ends = [_s(SATURDAY, 0, 30), _s(SUNDAY, 3)]  # 03:00 winter time: six real hours
    people, hours = coverage.presence_by_hour([0, 0], starts, ends, [2, 3], table, 1)
    week_people = coverage.fold(people, table)[0]
    week_hours = coverage.fold(hours, table)[0]
    assert week_hours[FRI, 20] == 0.5 and week_hours[FRI, 0] == 0.5
    assert [week_hours[FRI, h] for h in (21, 22, 23)] == [1, 1, 1]
    assert week_people[FRI, 20] == 1 and week_people[FRI, 21] == 2
    assert [week_hours[SAT, h] for h in (22, 23, 0, 1)] == [1, 1, 1, 1]
    assert week_hours[SUN, 2] == 2  # the hour that came twice
    assert week_people[SUN, 2] == 6
    assert hours.sum() == pytest.approx(4 + 6)
    assert people.sum() == pytest.approx(2 * 4 + 3 * 6)


def test_the_spring_night_has_no_two_oclock_hour_and_a_shift_over_it_is_an_hour_shorter():
    table = _table(dt.date(2026, 3, 28), dt.date(2026, 3, 29))
    assert table.size == 24 + 23  # summer time starts on the Sunday at 02:00
    assert not ((table.weekday == SUN) & (table.hour == 2)).any()
    start, end = _s(dt.date(2026, 3, 28), 23), _s(dt.date(2026, 3, 29), 4)
    _people, hours = coverage.presence_by_hour([0], [start], [end], [1], table, 1)
    folded = coverage.fold(hours, table)[0]
    assert hours.sum() == 4  # five hours on the clock, four in fact
    assert [folded[SAT, h] for h in (23, 0, 1)] == [1, 1, 1]
    assert folded[SUN, 3] == 1


def test_shifts_outside_the_period_are_cut_at_its_ends():
    table = _table(FRIDAY, FRIDAY)  # Friday 02:00 to Saturday 02:00
    start, end = _s(FRIDAY, 0), _s(SATURDAY, 4)
    _people, hours = coverage.presence_by_hour([0], [start], [end], [1], table, 1)
    assert hours.sum() == 24


def _autumn_cells() -> coverage.Cells:
    """Centrum (row 0) with the two shifts above, Kronoparken (row 1) with none; five events."""
    table = _table(*AUTUMN)
    starts = [_s(FRIDAY, 20, 30), _s(SATURDAY, 22)]
    ends = [_s(SATURDAY, 0, 30), _s(SUNDAY, 3)]
    people, hours = coverage.presence_by_hour([0, 0], starts, ends, [2, 3], table, 2)
    events = [
        (0, _s(FRIDAY, 21, 15)),  # covered: the Friday shift is out
        (0, _s(FRIDAY, 19, 10)),  # before the shift
        (0, _s(SATURDAY, 23, 59)),  # covered by the Saturday shift
        (0, _s(SUNDAY, 2, 30, fold=1)),  # the second 02:00 hour: covered, but not evening
        (1, _s(FRIDAY, 22)),  # Kronoparken: nobody there
        (1, _s(dt.date(2026, 10, 26), 22)),  # after the period
    ]
    areas, moments = zip(*events, strict=True)
    by_hour = coverage.events_by_hour(areas, moments, table, 2)
    return coverage.cells(by_hour, people, hours, table)


def test_an_event_is_covered_only_when_a_shift_was_out_in_its_area_that_very_hour():
    cells = _autumn_cells()
    assert cells.events.sum() == 5
    assert cells.covered[0, FRI, 21] == 1 and cells.covered[0, FRI, 19] == 0
    assert cells.covered[0, SAT, 23] == 1
    assert cells.covered[0, SUN, 2] == 1
    assert cells.covered[1].sum() == 0
    # Evening events: four (the 02:30 one is after the evening); two of them covered.
    assert coverage.evening_share(cells) == (2, 4)


def test_the_gaps_are_the_evening_cells_with_events_and_nobody_out():
    gaps = coverage.gaps(_autumn_cells())
    found = [(g.area, g.weekday, g.hour, g.events) for g in gaps]
    assert found == [(0, FRI, 19, 1), (1, FRI, 22, 1)]
    assert {g.verdict for g in gaps} == {coverage.TOO_FEW}


def test_a_cell_is_many_when_it_stands_out_from_an_even_spread_beyond_chance():
    events = np.zeros((2, 7, 24), dtype=np.int64)
    events[1, FRI, 22] = 12
    events[0, SAT, 20] = 5
    events[0, SAT, 21] = 1
    verdict = coverage.verdicts(events)
    # 18 evening events over 2 × 56 evening cells: 0.16 expected in each.
    assert verdict[1, FRI, 22] == coverage.MANY
    assert verdict[0, SAT, 20] == coverage.MANY  # p ≈ 8e-7 even five out of 0.16
    assert verdict[0, SAT, 21] == coverage.TOO_FEW
    assert verdict[0, SAT, 12] == ""  # not an evening hour


def test_an_even_spread_has_no_cell_with_many():
    events = np.zeros((1, 7, 24), dtype=np.int64)
    events[0][coverage.evening_mask()] = 6
    verdict = coverage.verdicts(events)
    assert set(verdict[0][coverage.evening_mask()]) == {coverage.NOT_MANY}


def test_suggestions_span_the_uncovered_hours_with_many_events_of_one_evening():
    events = np.zeros((2, 7, 24), dtype=np.int64)
    events[1, FRI, 21] = 9
    events[1, FRI, 23] = 8
    events[1, FRI, 22] = 2  # between them: counted in the suggestion's events
    events[0, SAT, 1] = 7  # the last hour of the evening: widened backwards
    zero = np.zeros(events.shape)
    cells = coverage.Cells(events, events * 0, zero, zero, coverage.verdicts(events))
    found = coverage.suggestions(coverage.gaps(cells))
    assert [(s.area, s.weekday, s.start, s.end, s.events) for s in found] == [
        (1, FRI, 21, 0, 19),
        (0, SAT, 0, 2, 7),
    ]


def test_a_period_must_start_and_end_on_whole_hours():
    start = dt.datetime(2026, 10, 23, 2, 30, tzinfo=STOCKHOLM)
    with pytest.raises(ValueError):
        coverage.hour_table(start, start + dt.timedelta(hours=5), STOCKHOLM)


def test_a_municipality_without_areas_gets_empty_tables_not_an_error():
    """Karlskoga has no districts: its coverage page crashed on reshaping nothing."""
    table = _table(FRIDAY, FRIDAY)
    people, hours = coverage.presence_by_hour([], [], [], [], table, 0)
    by_hour = coverage.events_by_hour([], [], table, 0)
    assert people.shape == hours.shape == by_hour.shape == (0, table.size)
