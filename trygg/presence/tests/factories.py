"""Groups, shifts and premises stored directly (no action, no audit), for tests that are about
reading."""

from __future__ import annotations

import datetime as dt

from trygg.core.tests.clock import at
from trygg.presence.models import GroupKind, Licence, Premise, PresenceGroup, Shift


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


EVENINGS = ["01:00", "01:00", "01:00", "01:00", "02:00", "02:00", "23:00"]


def make_premise(
    place,
    name: str = "Restaurang Kajen",
    valid_from: dt.date | None = dt.date(2020, 1, 1),
    valid_to: dt.date | None = None,
    holder: str = "Kajen i Karlstad AB",
) -> Premise:
    """A premise at `place` with one licence (None for `valid_from`: no licence at all)."""
    premise = Premise.objects.create(municipality_id=place.municipality_id, place=place, name=name)
    if valid_from is not None:
        Licence.objects.create(
            premise=premise,
            holder=holder,
            valid_from=valid_from,
            valid_to=valid_to,
            serving_until=EVENINGS,
        )
    return premise
