"""Who is out in Karlstad in the evening (issue 15, point 9): Ungdomar för trygghet on Friday
and Saturday evenings in the centre, Vuxna för trygghet in Kronoparken, the municipality's
kommunväktare on weekday evenings and the police's foot patrol in the centre at night, for the
past year and the coming four weeks; a few clashes and evenings nobody covers, so the shared
calendar has something to show.

Seed 000 names Ungdomar för trygghet in orange jackets, the new Vuxna för trygghet and the
kommunväktare; the days, times, areas and numbers are the demo's own. Sundays are left
uncovered, as in many municipalities; two of the kommunväktare's evenings next week are
cancelled for want of staff, and two extra shifts in the centre clash with the regular ones.

Everything goes through the presence actions (`create_group`, `plan_series`, `plan_shift`,
`cancel_shift`, `mark_held`), as the coordinator and the kommunpolis would enter it. Planning is
in four-week blocks counted from a fixed Monday, each block one series, so loading again on a
later day adds only the blocks that have come within reach and repeats nothing; the one-off
shifts are matched by group and start.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.utils import timezone

from trygg.demo import world
from trygg.demo.loader import Counts
from trygg.organisations.models import Organisation
from trygg.places.models import Area
from trygg.presence.actions.groups import GroupInput, create_group
from trygg.presence.actions.series import SeriesInput, plan_series
from trygg.presence.actions.shifts import ShiftInput, cancel_shift, mark_held, plan_shift
from trygg.presence.models import GroupKind, PresenceGroup, Shift, ShiftState

# Blocks of four weeks from this Monday: the same blocks whatever the day of loading.
EPOCH = dt.date(2024, 1, 1)
BLOCK_WEEKS = 4
HISTORY = dt.timedelta(days=365)
AHEAD = dt.timedelta(days=28)
CENTRE, KRONOPARKEN = "Tingvallastaden", "Kronoparken"
COORDINATOR, POLICE = "samordnare", "kommunpolis"
NO_STAFF = "Vakant tjänst och ingen ersättare: kvällen står utan kommunväktare."


@dataclass(frozen=True)
class GroupSpec:
    name: str
    kind: str
    organisation: str
    district: str
    weekdays: tuple[int, ...]  # ISO, Monday 1
    start: dt.time
    end: dt.time
    people: tuple[int, ...]  # per block, in turn
    planner: str = COORDINATOR


YOUTH = GroupSpec(
    "Ungdomar för trygghet",
    GroupKind.YOUTH,
    world.KULTUR_FRITID,
    CENTRE,
    (5, 6),
    dt.time(19),
    dt.time(23),
    (8, 6, 10, 7, 9),
)
ADULTS = GroupSpec(
    "Vuxna för trygghet",
    GroupKind.ADULTS,
    world.VUXNA_FOR_TRYGGHET,
    KRONOPARKEN,
    (5, 6),
    dt.time(20),
    dt.time(0),
    (4, 6, 5),
)
GUARDS = GroupSpec(
    "Kommunväktarna",
    GroupKind.MUNICIPAL_GUARDS,
    world.TEKNIK,
    CENTRE,
    (1, 2, 3, 4),
    dt.time(18),
    dt.time(23),
    (2,),
)
PATROL = GroupSpec(
    "Polisens fotpatrull i centrum",
    GroupKind.POLICE_PATROL,
    world.POLISEN,
    CENTRE,
    (5, 6),
    dt.time(23),
    dt.time(3),
    (3, 4, 2),
    planner=POLICE,
)
GROUPS = (YOUTH, ADULTS, GUARDS, PATROL)


@dataclass(frozen=True)
class Extra:
    """A one-off shift `days` after the Monday of next week."""

    group: GroupSpec
    district: str
    days: int
    start: dt.time
    end: dt.time
    people: int
    note: str


EXTRAS = (
    # Thursday of next week: the adults walk in the centre too, where the kommunväktare are.
    Extra(
        ADULTS, CENTRE, 3, dt.time(19), dt.time(23), 5, "Extra kväll i centrum under julhandeln."
    ),
    # Friday of the week after: the kommunväktare stay on into the youths' evening.
    Extra(GUARDS, CENTRE, 11, dt.time(18), dt.time(23), 2, "Förstärkning vid evenemang på torget."),
)
# Tuesday and Wednesday of next week.
CANCELLED_DAYS = (1, 2)


def load_presence(municipality, today: dt.date) -> Counts:
    """The groups and their shifts up to four weeks from `today`; see the module docstring."""
    counts = Counts()
    users = {
        u.username: u for u in get_user_model().objects.filter(username__in=[COORDINATOR, POLICE])
    }
    districts = {
        a.name: a
        for a in Area.objects.current().filter(municipality=municipality, kind=Area.Kind.DISTRICT)
    }
    groups = {spec: _group(municipality, spec, users[COORDINATOR], counts) for spec in GROUPS}
    shifts = 0
    for spec, group in groups.items():
        shifts += _blocks(municipality, group, spec, districts[spec.district], today, users)
    monday = today + dt.timedelta(days=7 - today.weekday())
    shifts += _extras(municipality, groups, districts, monday, users)
    cancelled = _cancel(groups[GUARDS], monday, users[COORDINATOR])
    held = _held(municipality, today, users)
    counts.notes.append(
        f"{shifts} nya pass, {held} markerade som genomförda, {cancelled} inställda"
    )
    return counts


def _own(related, parent):
    """A parent's rows (`group.shifts`) with the parent's municipality named, so that Citus
    reads them on its one shard."""
    return related.filter(municipality_id=parent.municipality_id)


def _group(municipality, spec: GroupSpec, user, counts: Counts) -> PresenceGroup:
    group = PresenceGroup.objects.filter(municipality=municipality, name=spec.name).first()
    counts.add(group is None)
    if group is not None:
        return group
    organisation = Organisation.objects.get(code=spec.organisation)
    return create_group(
        municipality, organisation, GroupInput(kind=spec.kind, name=spec.name), acting_user=user
    )


def _block_starts(today: dt.date) -> list[tuple[int, dt.date]]:
    """(index, first day) of every block that reaches into the past year and starts within
    the coming four weeks."""
    first = (today - HISTORY - EPOCH).days // (7 * BLOCK_WEEKS)
    last = (today + AHEAD - EPOCH).days // (7 * BLOCK_WEEKS)
    return [
        (i, EPOCH + dt.timedelta(weeks=BLOCK_WEEKS * i)) for i in range(max(first, 0), last + 1)
    ]


def _blocks(municipality, group, spec: GroupSpec, area, today, users) -> int:
    planned = set(_own(group.series, group).values_list("first_day", flat=True))
    made = 0
    for index, first_day in _block_starts(today):
        if first_day in planned:
            continue
        data = SeriesInput(
            area=area,
            start_time=spec.start,
            end_time=spec.end,
            first_day=first_day,
            weeks=BLOCK_WEEKS,
            people=spec.people[index % len(spec.people)],
            weekdays=list(spec.weekdays),
        )
        series = plan_series(municipality, group, data, acting_user=users[spec.planner])
        made += _own(series.shifts, series).count()
    return made


def _extras(municipality, groups, districts, monday: dt.date, users) -> int:
    made = 0
    tz = timezone.get_default_timezone()
    for extra in EXTRAS:
        day = monday + dt.timedelta(days=extra.days)
        starts_at = dt.datetime.combine(day, extra.start, tzinfo=tz)
        end_day = day + dt.timedelta(days=int(extra.end <= extra.start))
        ends_at = dt.datetime.combine(end_day, extra.end, tzinfo=tz)
        group = groups[extra.group]
        if _own(group.shifts, group).filter(starts_at=starts_at, series=None).exists():
            continue
        data = ShiftInput(districts[extra.district], starts_at, ends_at, extra.people, extra.note)
        plan_shift(municipality, group, data, acting_user=users[extra.group.planner])
        made += 1
    return made


def _cancel(group: PresenceGroup, monday: dt.date, user) -> int:
    made = 0
    for offset in CANCELLED_DAYS:
        day = monday + dt.timedelta(days=offset)
        for shift in _own(group.shifts, group).filter(
            state=ShiftState.PLANNED, starts_at__date=day
        ):
            cancel_shift(shift, NO_STAFF, acting_user=user)
            made += 1
    return made


def _held(municipality, today: dt.date, users) -> int:
    """The shifts that have ended by the morning of `today` went ahead as planned."""
    tz = timezone.get_default_timezone()
    morning = dt.datetime.combine(today, dt.time(6), tzinfo=tz)
    past = Shift.objects.filter(
        municipality=municipality,
        group__municipality=municipality,
        state=ShiftState.PLANNED,
        ends_at__lte=morning,
    ).select_related("group")
    planners = {spec.name: users[spec.planner] for spec in GROUPS}
    made = 0
    for shift in past:
        mark_held(shift, acting_user=planners.get(shift.group.name, users[COORDINATOR]))
        made += 1
    return made
