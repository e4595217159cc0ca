"""Planning a series: the same shift weekly on given weekdays for a number of weeks (Ungdomar
för trygghet on Friday and Saturday evenings, all autumn). All or nothing: one shift that
cannot be planned and none is."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trygg.places.models import Area, Municipality
from trygg.presence.actions.shifts import (
    MAX_AHEAD,
    ShiftInput,
    area_errors,
    check_group,
    new_shift,
    people_errors,
    record_series,
)
from trygg.presence.models import PresenceGroup, Shift, ShiftSeries

# A year of weekly shifts; a longer plan is made again next year, when the groups know more.
MAX_WEEKS = 52
WEEKDAYS = range(1, 8)  # ISO: Monday 1 … Sunday 7


@dataclass
class SeriesInput:
    area: Area | None
    start_time: dt.time | None
    end_time: dt.time | None
    first_day: dt.date | None
    weeks: int | None
    people: int | None
    weekdays: Sequence[int] = field(default_factory=list)
    note: str = ""


def occurrences(
    first_day: dt.date, weeks: int, weekdays: Sequence[int], start: dt.time, end: dt.time, tz
) -> list[tuple[dt.datetime, dt.datetime]]:
    """(start, end) of every shift: the days from `first_day` for `weeks` weeks whose ISO
    weekday is in `weekdays`, `start`–`end` local time; an end at or before the start is the
    next morning."""
    chosen = set(weekdays)
    days = [first_day + dt.timedelta(days=n) for n in range(7 * weeks)]
    return [
        (
            dt.datetime.combine(day, start, tzinfo=tz),
            dt.datetime.combine(day + dt.timedelta(days=int(end <= start)), end, tzinfo=tz),
        )
        for day in days
        if day.isoweekday() in chosen
    ]


def rule_errors(data: SeriesInput) -> dict[str, list]:
    """The series' own fields: weekdays, times, first day and number of weeks."""
    errors: dict[str, list] = {}
    if not data.weekdays or any(day not in WEEKDAYS for day in data.weekdays):
        errors["weekdays"] = [_("Välj minst en veckodag.")]
    if data.start_time is None:
        errors["start_time"] = [_("Ange när passen börjar.")]
    if data.end_time is None:
        errors["end_time"] = [_("Ange när passen slutar.")]
    elif data.start_time is not None and data.end_time == data.start_time:
        errors["end_time"] = [_("Passen måste sluta vid en annan tid än de börjar.")]
    if data.first_day is None:
        errors["first_day"] = [_("Ange första dagen.")]
    if data.weeks is None or not 1 <= data.weeks <= MAX_WEEKS:
        errors["weeks"] = [_("Ange ett antal veckor från 1 till %(n)s.") % {"n": MAX_WEEKS}]
    return errors


def series_errors(
    municipality: Municipality, data: SeriesInput, slots: list[tuple[dt.datetime, dt.datetime]]
) -> dict[str, list]:
    """What would stop any of the shifts: the area on the first and the last day (a boundary
    is valid over one unbroken span), how many, and how far ahead the last one lies."""
    first, last = timezone.localdate(slots[0][0]), timezone.localdate(slots[-1][0])
    errors = area_errors(municipality, data.area, first) or area_errors(
        municipality, data.area, last
    )
    errors |= people_errors(data.people)
    if slots[-1][0] > timezone.now() + MAX_AHEAD:
        errors["weeks"] = [_("Serien räcker längre än två år framåt.")]
    return errors


@transaction.atomic
def plan_series(
    municipality: Municipality, group: PresenceGroup | None, data: SeriesInput, *, acting_user
) -> ShiftSeries:
    """Every shift of the series, planned at once, each with its own audit row."""
    check_group(municipality, group, acting_user)
    errors = rule_errors(data)
    if errors:
        raise ValidationError(errors)
    assert data.first_day and data.weeks and data.start_time and data.end_time  # noqa: S101
    tz = timezone.get_default_timezone()
    slots = occurrences(
        data.first_day, data.weeks, data.weekdays, data.start_time, data.end_time, tz
    )
    errors = series_errors(municipality, data, slots)
    if errors:
        raise ValidationError(errors)
    assert group and data.area and data.people  # noqa: S101 -- checked above
    series = ShiftSeries.objects.create(
        group=group,
        area=data.area,
        weekdays=sorted(set(data.weekdays)),
        start_time=data.start_time,
        end_time=data.end_time,
        first_day=data.first_day,
        weeks=data.weeks,
        people=data.people,
        created_by=acting_user,
    )
    user = acting_user
    shifts = [
        new_shift(
            group, ShiftInput(data.area, start, end, data.people, data.note), acting_user, series
        )
        for start, end in slots
    ]
    Shift.objects.bulk_create(shifts)
    record_series(series, shifts, user)
    return series
