"""The shared calendar of one municipality: tonight and the coming weeks across every
organisation, the clashes between groups and the evenings nobody covers.

The queries live here; the rules are the pure functions of evenings.py and overlaps.py.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.utils import timezone

from trygg.places.models import Area, Municipality
from trygg.presence.actions.shifts import MAX_SHIFT
from trygg.presence.evenings import (
    Interval,
    calendar_day,
    day_bounds,
    days_from,
    uncovered_evenings,
)
from trygg.presence.models import PresenceGroup, Shift, ShiftState
from trygg.presence.overlaps import Slot, clashing_pairs, related_areas, same_place

# Tonight and the four weeks after it.
CALENDAR_DAYS = 29


def local_tz() -> ZoneInfo:
    return timezone.get_default_timezone()


def area_parents(municipality_id: int) -> dict[int, int | None]:
    """The municipality's area tree (every version): area id -> parent id."""
    return dict(Area.objects.filter(municipality_id=municipality_id).values_list("pk", "parent_id"))


def slot_of(shift: Shift) -> Slot:
    return Slot(shift.pk, shift.group_id, shift.area_id, shift.starts_at, shift.ends_at)


def clashes_among(shifts: list[Shift]) -> dict[int, list[Shift]]:
    """Each of `shifts` (one municipality's) -> the other groups' planned or held shifts in
    the same place at overlapping times: the warning shown when they are planned. One query
    for any number of them (a series)."""
    active = [s for s in shifts if s.state != ShiftState.CANCELLED]
    if not active:
        return {}
    municipality_id = active[0].municipality_id
    parents = area_parents(municipality_id)
    # A series has one area: the area tree is walked once per area, not once per shift.
    areas = set().union(*(related_areas(parents, a) for a in {s.area_id for s in active}))
    others = (
        Shift.objects.active()
        .filter(
            # The municipality of the shift and of its group named, so that Citus reads one
            # shard (the areas are the municipality's: the same shifts).
            municipality_id=municipality_id,
            group__municipality_id=municipality_id,
            area_id__in=areas,
            starts_at__lt=max(s.ends_at for s in active),
            starts_at__gt=min(s.starts_at for s in active) - MAX_SHIFT,
        )
        .exclude(pk__in=[s.pk for s in active])
        .select_related("group", "area")
        .defer("area__geometry")
    )
    by_id = {s.pk: s for s in [*active, *others]}
    mine = {s.pk for s in active}
    pairs = clashing_pairs([slot_of(s) for s in by_id.values()], parents)
    return {
        pk: sorted((by_id[other] for other in found), key=lambda s: (s.starts_at, s.pk))
        for pk, found in pairs.items()
        if pk in mine
    }


def clashes_for(shift: Shift) -> list[Shift]:
    """The other groups' shifts `shift` clashes with (none for a cancelled one)."""
    return clashes_among([shift]).get(shift.pk, [])


@dataclass
class ShiftRow:
    """A shift on the calendar and the other groups' shifts it clashes with."""

    shift: Shift
    clashes: list[Shift]


@dataclass
class CalendarDay:
    day: dt.date
    rows: list[ShiftRow]
    uncovered: bool
    tonight: bool


@dataclass
class AreaGaps:
    """An area and the evenings in the calendar that nobody covers there."""

    area: Area
    days: list[dt.date]
    # The calendar's other evenings: shorter to list when most are uncovered.
    covered: list[dt.date] = field(default_factory=list)


@dataclass
class Calendar:
    first_day: dt.date
    last_day: dt.date
    days: list[CalendarDay]
    uncovered: list[dt.date]
    area_gaps: list[AreaGaps] = field(default_factory=list)

    @property
    def tonight(self) -> list[ShiftRow]:
        return self.days[0].rows if self.days else []

    @property
    def clash_count(self) -> int:
        """Shifts listed that clash with another group's."""
        return sum(1 for day in self.days for row in day.rows if row.clashes)


def _shifts(municipality: Municipality, start: dt.datetime, end: dt.datetime) -> list[Shift]:
    # From a longest shift earlier: one that began yesterday may still cover tonight.
    # The group's municipality named too, so that Citus sends the join to one shard.
    rows = Shift.objects.filter(
        municipality=municipality, group__municipality_id=municipality.pk
    ).between(start - MAX_SHIFT, end)
    return list(
        rows.select_related("group", "area").defer("area__geometry").order_by("starts_at", "pk")
    )


def _intervals(shifts, area_id: int | None, parents) -> list[Interval]:
    return [
        (s.starts_at, s.ends_at)
        for s in shifts
        if area_id is None or same_place(area_id, s.area_id, parents)
    ]


def build_calendar(
    municipality: Municipality,
    *,
    now: dt.datetime | None = None,
    group: PresenceGroup | None = None,
    area: Area | None = None,
    days: int = CALENDAR_DAYS,
) -> Calendar:
    """The calendar from tonight: the shifts listed by day (filtered to `group` and `area`,
    where an area also means the areas within it and around it), each one's clashes, and the
    evenings with nobody out (in `area` when given; a group filter does not change who is
    out)."""
    tz = local_tz()
    dates = days_from(calendar_day(now or timezone.now(), tz), days)
    start, end = day_bounds(dates[0], dates[-1], tz)
    shifts = _shifts(municipality, start, end)
    active = [s for s in shifts if s.state != ShiftState.CANCELLED]
    parents = area_parents(municipality.pk)
    by_id = {s.pk: s for s in shifts}
    pairs = clashing_pairs([slot_of(s) for s in active], parents)
    area_id = area.pk if area is not None else None
    uncovered = uncovered_evenings(dates, _intervals(active, area_id, parents), tz)
    listed = [
        s
        for s in shifts
        if s.starts_at >= start
        and (group is None or s.group_id == group.pk)
        and (area_id is None or same_place(area_id, s.area_id, parents))
    ]
    clashes = {pk: [by_id[o] for o in others] for pk, others in pairs.items()}
    rows = [ShiftRow(s, clashes.get(s.pk, [])) for s in listed]
    return Calendar(
        first_day=dates[0],
        last_day=dates[-1],
        days=_days(dates, rows, set(uncovered), tz),
        uncovered=uncovered,
        area_gaps=_area_gaps(municipality, area, dates, active, parents),
    )


def _days(dates, rows: list[ShiftRow], uncovered: set[dt.date], tz) -> list[CalendarDay]:
    by_day: dict[dt.date, list[ShiftRow]] = {}
    for row in rows:
        by_day.setdefault(calendar_day(row.shift.starts_at, tz), []).append(row)
    return [
        CalendarDay(day, by_day.get(day, []), day in uncovered, n == 0)
        for n, day in enumerate(dates)
    ]


def _area_gaps(municipality, area, dates, active, parents) -> list[AreaGaps]:
    """Per area, the uncovered evenings: the chosen area, or the current districts and every
    area a shift in the calendar lies in."""
    if area is not None:
        areas = [area]
    else:
        used = {s.area_id for s in active}
        current = Area.objects.current().filter(municipality=municipality, kind=Area.Kind.DISTRICT)
        areas = list(
            Area.objects.filter(pk__in=used | set(current.values_list("pk", flat=True)))
            .defer("geometry")
            .order_by("name", "pk")
        )
    tz = local_tz()
    gaps = []
    for a in areas:
        days = uncovered_evenings(dates, _intervals(active, a.pk, parents), tz)
        gaps.append(AreaGaps(a, days, [day for day in dates if day not in set(days)]))
    return gaps
