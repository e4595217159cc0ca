"""A series of shifts: weekly on chosen weekdays for a number of weeks, all or nothing, each
shift audited, local times kept across the change to winter time."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from trygg.core.models import AuditEntry
from trygg.core.tests.clock import STOCKHOLM
from trygg.presence.actions.series import SeriesInput, occurrences, plan_series
from trygg.presence.models import Shift, ShiftSeries

pytestmark = pytest.mark.frozen

MONDAY = dt.date(2026, 11, 23)
FRIDAY, SATURDAY = 5, 6


def evenings(area, **fields) -> SeriesInput:
    """Friday and Saturday 19–01 for four weeks from Monday, six people."""
    values = {
        "area": area,
        "start_time": dt.time(19),
        "end_time": dt.time(1),
        "first_day": MONDAY,
        "weeks": 4,
        "people": 6,
        "weekdays": [FRIDAY, SATURDAY],
    } | fields
    return SeriesInput(**values)


def test_friday_and_saturday_for_four_weeks_are_eight_shifts_ending_after_midnight():
    slots = occurrences(MONDAY, 4, [FRIDAY, SATURDAY], dt.time(19), dt.time(1), STOCKHOLM)
    assert len(slots) == 8
    first_start, first_end = slots[0]
    assert first_start == dt.datetime(2026, 11, 27, 19, tzinfo=STOCKHOLM)
    assert first_end == dt.datetime(2026, 11, 28, 1, tzinfo=STOCKHOLM)
    assert {start.isoweekday() for start, _ in slots} == {FRIDAY, SATURDAY}


def test_a_series_keeps_its_local_hours_when_the_clocks_go_back():
    slots = occurrences(dt.date(2026, 10, 19), 2, [SATURDAY], dt.time(19), dt.time(23), STOCKHOLM)
    assert [start.astimezone(STOCKHOLM).hour for start, _ in slots] == [19, 19]
    assert [start.utcoffset() for start, _ in slots] == [
        dt.timedelta(hours=2),
        dt.timedelta(hours=1),
    ]


def test_a_series_plans_every_shift_and_audits_each(karlstad, centrum, ungdomar, coordinator):
    series = plan_series(
        karlstad,
        ungdomar,
        evenings(centrum, note="Samling vid Stora torget"),
        acting_user=coordinator,
    )
    shifts = list(series.shifts.order_by("starts_at"))
    assert len(shifts) == 8
    assert {(s.group, s.area, s.people, s.note) for s in shifts} == {
        (ungdomar, centrum, 6, "Samling vid Stora torget")
    }
    assert series.weekdays == [FRIDAY, SATURDAY]
    audited = AuditEntry.objects.filter(object_type="presence.shift", action="create")
    assert sorted(int(e.object_id) for e in audited) == sorted(s.pk for s in shifts)
    assert AuditEntry.objects.filter(
        object_type="presence.shiftseries", object_id=str(series.pk)
    ).exists()


def test_a_series_whose_area_changes_boundary_midway_plans_nothing(
    karlstad, centrum, ungdomar, coordinator
):
    centrum.valid_to = dt.date(2026, 12, 10)
    centrum.save()
    with pytest.raises(ValidationError) as refused:
        plan_series(karlstad, ungdomar, evenings(centrum), acting_user=coordinator)
    assert list(refused.value.message_dict) == ["area"]
    assert not Shift.objects.exists() and not ShiftSeries.objects.exists()
    assert not AuditEntry.objects.filter(object_type__startswith="presence.").exists()


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"weekdays": []}, "weekdays"),
        ({"weekdays": [0, 8]}, "weekdays"),
        ({"weeks": 0}, "weeks"),
        ({"weeks": 53}, "weeks"),
        ({"end_time": dt.time(19)}, "end_time"),
        ({"start_time": None}, "start_time"),
        ({"first_day": None}, "first_day"),
        ({"people": 0}, "people"),
        ({"first_day": dt.date(2028, 10, 1), "weeks": 52}, "weeks"),
    ],
)
def test_bad_input_names_its_field_and_plans_nothing(
    karlstad, centrum, ungdomar, coordinator, fields, field
):
    with pytest.raises(ValidationError) as refused:
        plan_series(karlstad, ungdomar, evenings(centrum, **fields), acting_user=coordinator)
    assert field in refused.value.message_dict
    assert not Shift.objects.exists()


def test_a_series_in_an_area_of_another_municipality_plans_nothing(
    karlstad, karlskoga_centrum, ungdomar, coordinator
):
    with pytest.raises(ValidationError) as refused:
        plan_series(karlstad, ungdomar, evenings(karlskoga_centrum), acting_user=coordinator)
    assert refused.value.message_dict == {"area": ["Området ligger utanför Karlstad kommun."]}
    assert not Shift.objects.exists()


def test_a_series_for_a_group_of_another_municipality_is_refused_by_field(
    karlstad, centrum, karlskoga_group, coordinator
):
    with pytest.raises(ValidationError) as refused:
        plan_series(karlstad, karlskoga_group, evenings(centrum), acting_user=coordinator)
    assert list(refused.value.message_dict) == ["group"]


def test_only_the_groups_organisation_and_coordinators_plan_a_series(
    karlstad, centrum, ungdomar, volunteer
):
    with pytest.raises(PermissionDenied):
        plan_series(karlstad, ungdomar, evenings(centrum), acting_user=volunteer)
    assert not Shift.objects.exists()
