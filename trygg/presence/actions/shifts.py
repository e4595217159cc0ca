"""Planning one shift, changing it, cancelling it with a reason, and marking it held.

The group's organisation plans its shifts; the municipality's coordinators plan any
(presence/access.py). Every check runs before anything is written; a clash with another
group's shift is not a refusal but a warning the pages and the API show (presence/calendar.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trygg.core.audit import record_changes, record_created
from trygg.core.fields import free_text
from trygg.places.models import Area, Municipality
from trygg.presence.access import check_may_plan
from trygg.presence.models import PresenceGroup, Shift, ShiftSeries, ShiftState

# Longer than any evening or night shift (guards work up to 12 hours): longer is a typing
# error, and the clash check relies on it to look only a day back.
MAX_SHIFT = dt.timedelta(hours=24)
# Planning further ahead than this is a mistyped year.
MAX_AHEAD = dt.timedelta(days=2 * 366)
# More than any group sends out; anything above is a typing error.
MAX_PEOPLE = 999
CREATED_FIELDS = [
    "group_id",
    "municipality_id",
    "area_id",
    "starts_at",
    "ends_at",
    "people",
    "note",
    "series_id",
]
EDITED_FIELDS = ("area", "starts_at", "ends_at", "people", "note")


@dataclass
class ShiftInput:
    area: Area | None
    starts_at: dt.datetime | None
    ends_at: dt.datetime | None
    people: int | None
    note: str = ""


def group_errors(municipality: Municipality, group: PresenceGroup | None) -> dict[str, list]:
    """Whether new shifts can be planned for `group` in `municipality`."""
    if group is None:
        return {"group": [_("Välj vilken grupp som går passet.")]}
    if group.municipality_id != municipality.pk:
        return {"group": [_("Gruppen hör till en annan kommun.")]}
    if not group.active:
        return {"group": [_("Gruppen är inte aktiv. Gör den aktiv igen för att planera pass.")]}
    return {}


def area_errors(municipality: Municipality, area: Area | None, day: dt.date | None) -> dict:
    if area is None:
        return {"area": [_("Välj i vilket område passet går.")]}
    if area.municipality_id != municipality.pk:
        message = _("Området ligger utanför %(municipality)s kommun.")
        return {"area": [message % {"municipality": municipality.name}]}
    if day is not None and not (
        area.valid_from <= day and (area.valid_to is None or day < area.valid_to)
    ):
        return {"area": [_("Områdets gränser gäller inte det datumet: välj ett gällande område.")]}
    return {}


def time_errors(starts_at: dt.datetime | None, ends_at: dt.datetime | None) -> dict:
    # In UTC: one time zone's datetimes compare by wall clock, an hour off when it changes.
    starts_at = starts_at.astimezone(dt.UTC) if starts_at else None
    ends_at = ends_at.astimezone(dt.UTC) if ends_at else None
    errors: dict[str, list] = {}
    if starts_at is None:
        errors["starts_at"] = [_("Ange när passet börjar.")]
    elif starts_at > timezone.now() + MAX_AHEAD:
        errors["starts_at"] = [_("Ett pass kan planeras högst två år framåt.")]
    if ends_at is None:
        errors["ends_at"] = [_("Ange när passet slutar.")]
    elif starts_at is not None and ends_at <= starts_at:
        errors["ends_at"] = [_("Passet måste sluta efter att det börjar.")]
    elif starts_at is not None and ends_at - starts_at > MAX_SHIFT:
        errors["ends_at"] = [_("Ett pass kan vara högst 24 timmar.")]
    return errors


def people_errors(people: int | None) -> dict:
    if people is None or people < 1:
        return {"people": [_("Ange hur många som går passet, minst 1.")]}
    if people > MAX_PEOPLE:
        return {"people": [_("Högst %(n)s personer på ett pass.") % {"n": MAX_PEOPLE}]}
    return {}


def shift_errors(municipality: Municipality, data: ShiftInput) -> dict[str, list]:
    """Every check on where, when and how many, by field, in Swedish."""
    day = timezone.localdate(data.starts_at) if data.starts_at is not None else None
    return (
        area_errors(municipality, data.area, day)
        | time_errors(data.starts_at, data.ends_at)
        | people_errors(data.people)
    )


def check_group(municipality: Municipality, group: PresenceGroup | None, user) -> None:
    """A group of another municipality (or none) is a field error; one here that the user
    does not plan for is refused."""
    errors = group_errors(municipality, group)
    if group is not None and group.municipality_id == municipality.pk:
        check_may_plan(user, group)
    if errors:
        raise ValidationError(errors)


def checked(data: ShiftInput) -> tuple[Area, dt.datetime, dt.datetime, int]:
    """Where, from, to and how many, once `shift_errors` found nothing (none is None then)."""
    area, starts_at, ends_at, people = data.area, data.starts_at, data.ends_at, data.people
    assert area and starts_at and ends_at and people  # noqa: S101 -- shift_errors checked
    return area, starts_at, ends_at, people


def new_shift(group: PresenceGroup, data: ShiftInput, user, series=None) -> Shift:
    """The unsaved shift for checked input."""
    area, starts_at, ends_at, people = checked(data)
    return Shift(
        group=group,
        municipality_id=group.municipality_id,
        area=area,
        starts_at=starts_at,
        ends_at=ends_at,
        people=people,
        note=free_text(data.note).text,
        series=series,
        created_by=user,
    )


@transaction.atomic
def plan_shift(
    municipality: Municipality, group: PresenceGroup | None, data: ShiftInput, *, acting_user
) -> Shift:
    """A new planned shift of `group` in `municipality`."""
    check_group(municipality, group, acting_user)
    errors = shift_errors(municipality, data)
    if errors:
        raise ValidationError(errors)
    assert group is not None  # noqa: S101 -- check_group refused None
    shift = new_shift(group, data, acting_user)
    shift.save()
    record_created(acting_user, shift, CREATED_FIELDS)
    return shift


def _locked(shift: Shift, user) -> Shift:
    check_may_plan(user, shift.group)
    return (
        Shift.objects.select_for_update()
        .select_related("group", "municipality")
        .get(
            pk=shift.pk,
            municipality_id=shift.municipality_id,
            group__municipality_id=shift.municipality_id,
        )
    )


@transaction.atomic
def update_shift(shift: Shift, data: ShiftInput, *, acting_user) -> Shift:
    """Change where, when, how many and the note of a planned shift."""
    shift = _locked(shift, acting_user)
    if shift.state != ShiftState.PLANNED:
        raise ValidationError({"state": [_("Bara ett planerat pass kan ändras.")]})
    errors = shift_errors(shift.municipality, data)
    if errors:
        raise ValidationError(errors)
    old = {name: getattr(shift, name) for name in EDITED_FIELDS}
    shift.area, shift.starts_at, shift.ends_at, shift.people = checked(data)
    shift.note = free_text(data.note).text
    shift.save()
    record_changes(acting_user, shift, {n: (old[n], getattr(shift, n)) for n in EDITED_FIELDS})
    return shift


@transaction.atomic
def cancel_shift(shift: Shift, reason: str, *, acting_user) -> Shift:
    """Call a planned shift off, saying why (the calendar shows it, struck through)."""
    shift = _locked(shift, acting_user)
    if shift.state != ShiftState.PLANNED:
        raise ValidationError({"state": [_("Bara ett planerat pass kan ställas in.")]})
    text = free_text(reason).text
    if not text:
        raise ValidationError({"reason": [_("Skriv varför passet ställs in.")]})
    shift.state, shift.cancel_reason, shift.cancelled_at = (
        ShiftState.CANCELLED,
        text,
        timezone.now(),
    )
    shift.save(update_fields=["state", "cancel_reason", "cancelled_at", "updated_at"])
    record_changes(
        acting_user,
        shift,
        {"state": (ShiftState.PLANNED, shift.state), "cancel_reason": ("", shift.cancel_reason)},
    )
    return shift


@transaction.atomic
def mark_held(shift: Shift, *, acting_user) -> Shift:
    """The shift went ahead as planned (the shift report, still to come, will say so too)."""
    shift = _locked(shift, acting_user)
    if shift.state != ShiftState.PLANNED:
        raise ValidationError({"state": [_("Bara ett planerat pass kan markeras som genomfört.")]})
    if shift.starts_at > timezone.now():
        raise ValidationError({"state": [_("Passet har inte börjat än.")]})
    shift.state = ShiftState.HELD
    shift.save(update_fields=["state", "updated_at"])
    record_changes(acting_user, shift, {"state": (ShiftState.PLANNED, shift.state)})
    return shift


def record_series(series: ShiftSeries, shifts: list[Shift], user) -> None:
    """The audit rows of a series: the rule, then each shift as if planned alone."""
    record_created(
        user, series, ["group_id", "area_id", "weekdays", "first_day", "weeks", "people"]
    )
    for shift in shifts:
        record_created(user, shift, CREATED_FIELDS)
