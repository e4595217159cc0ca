"""Groups and shifts stored directly (no action, no audit), for tests that are about reading."""

from __future__ import annotations

import datetime as dt

from trygg.core.tests.clock import at
from trygg.presence.models import GroupKind, PresenceGroup, Shift


def make_group(organisation, name: str, kind: str = GroupKind.OTHER, **fields) -> PresenceGroup:
    return PresenceGroup.objects.create(
        municipality_id=organisation.municipality_id,
        organisation=organisation,
        name=name,
        kind=kind,
        **fields,
    )


def make_shift(
    group: PresenceGroup,
    area,
    day: dt.date,
    start: tuple[int, int] = (19, 0),
    end: tuple[int, int] = (23, 0),
    people: int = 4,
    **fields,
) -> Shift:
    """A shift on `day` from `start` to `end` (hour, minute) local time; an end before the
    start is the next morning."""
    starts_at = at(day, *start)
    ends_at = at(day + dt.timedelta(days=int(end < start)), *end)
    return Shift.objects.create(
        group=group,
        municipality_id=group.municipality_id,
        area=area,
        starts_at=starts_at,
        ends_at=ends_at,
        people=people,
        **fields,
    )
