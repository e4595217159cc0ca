"""The evening and night picture: events by time zone in the evening they belong to (23–02 and
02–05 cross midnight), this year against the same evenings a year earlier, only what the user
may see; the printout counts shared events only and shows small counts as "fewer than 3"."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from trygg.events.models import Visibility
from trygg.purpleflag.picture import evening_picture, spans, suppressed
from trygg.purpleflag.tests.factories import make_year
from trygg.purpleflag.zones import evening_of, zone_of

pytestmark = [pytest.mark.django_db, pytest.mark.frozen]

STOCKHOLM = ZoneInfo("Europe/Stockholm")
TODAY = dt.date(2026, 11, 22)


def at(year: int, month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=STOCKHOLM)


def test_a_moment_after_midnight_belongs_to_the_evening_before():
    assert (zone_of(at(2026, 1, 1, 0, 30)), evening_of(at(2026, 1, 1, 0, 30))) == (
        "23-02",
        dt.date(2025, 12, 31),
    )
    assert zone_of(at(2026, 1, 1, 4, 59)) == "02-05"
    assert zone_of(at(2026, 1, 1, 5, 0)) == ""
    assert (zone_of(at(2026, 1, 1, 17, 0)), evening_of(at(2026, 1, 1, 17, 0))) == (
        "17-20",
        dt.date(2026, 1, 1),
    )


def test_this_year_so_far_is_compared_with_the_same_evenings_a_year_earlier():
    now, before = spans(2026, TODAY)
    assert (now.first, now.last) == (dt.date(2026, 1, 1), dt.date(2026, 11, 21))
    assert (before.first, before.last) == (dt.date(2025, 1, 1), dt.date(2025, 11, 21))


def test_events_are_counted_by_zone_and_category_in_their_evening(
    coordinator, kommunen, polisen, centrum, make_event
):
    year = make_year(coordinator, centrum)
    for moment in (
        at(2026, 3, 6, 19, 30),  # 17–20, this year
        at(2026, 1, 2, 1, 15),  # 23–02 of 1 January, this year
        at(2026, 1, 1, 0, 30),  # New Year's Eve: last year's evening, outside both spans
        at(2026, 6, 10, 12, 0),  # daytime: not in the picture
        at(2025, 6, 6, 3, 0),  # 02–05, a year earlier
    ):
        make_event(kommunen, occurred_from=moment, area=centrum)
    # The police's own internal event: the coordinator may not see it, so it is not counted.
    make_event(polisen, Visibility.ORGANISATION, occurred_from=at(2026, 3, 7, 21, 0), area=centrum)
    picture = evening_picture(year, coordinator, TODAY)
    zones = {z["zone"]: (z["now"], z["before"]) for z in picture["zones"]}
    assert zones == {"17-20": (1, 0), "20-23": (0, 0), "23-02": (1, 0), "02-05": (0, 1)}
    (row,) = picture["rows"]
    assert (row["category"], row["now"], row["before"]) == ("Skadegörelse", 2, 1)
    assert row["change"]["verdict"] == "too_few"


def test_the_printout_counts_shared_events_only_and_suppresses_small_counts(
    coordinator, kommunen, centrum, make_event
):
    year = make_year(coordinator, centrum)
    for day in range(1, 5):
        make_event(kommunen, occurred_from=at(2026, 3, day, 21, 0), area=centrum)
    make_event(kommunen, occurred_from=at(2026, 3, 9, 18, 0), area=centrum)
    make_event(kommunen, Visibility.ORGANISATION, occurred_from=at(2026, 3, 9, 19, 0), area=centrum)
    assert evening_picture(year, coordinator, TODAY)["now"] == 6
    picture = evening_picture(year, coordinator, TODAY, shared_only=True)
    assert picture["now"] == 5
    shown = suppressed(picture)
    (row,) = shown["rows"]
    cells = [cell["now"].text for cell in row["cells"]]
    assert cells == ["färre än 3", "4", "0", "0"]
    # The total holds a suppressed cell: a range, so it does not give the small cell away.
    assert row["now"].text == "5–6"
