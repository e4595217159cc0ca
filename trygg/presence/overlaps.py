"""Two groups out in the same place at the same time: pure functions over plain slots.

"The same place" is the same area, or one area inside the other (Klara lies in Centrum): the
area tree, given as each area's chain of parents. Shifts of one group never clash with each
other, and a warning never stops a plan: it is shown beside it (docs/decisions/0024).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Slot:
    """One shift as the checks need it: who, where, from when to when."""

    id: int
    group_id: int
    area_id: int
    start: dt.datetime
    end: dt.datetime


def lineage(parents: Mapping[int, int | None], area_id: int) -> frozenset[int]:
    """The area and every area above it, following `parents` (area id -> parent id)."""
    chain = {area_id}
    parent = parents.get(area_id)
    while parent is not None and parent not in chain:  # a loop in bad data must not hang
        chain.add(parent)
        parent = parents.get(parent)
    return frozenset(chain)


def same_place(a: int, b: int, parents: Mapping[int, int | None]) -> bool:
    """True when the two areas are one, or one lies within the other."""
    return a == b or a in lineage(parents, b) or b in lineage(parents, a)


def clash(a: Slot, b: Slot, parents: Mapping[int, int | None]) -> bool:
    """Two groups' shifts at overlapping times in the same place (touching ends do not)."""
    return (
        a.group_id != b.group_id
        and a.start < b.end
        and b.start < a.end
        and same_place(a.area_id, b.area_id, parents)
    )


def clashing_pairs(
    slots: Sequence[Slot], parents: Mapping[int, int | None]
) -> dict[int, list[int]]:
    """Every slot's id -> the ids it clashes with. One sweep by start time: a slot is compared
    only with those still running when it starts."""
    found: dict[int, list[int]] = {}
    running: list[Slot] = []
    for slot in sorted(slots, key=lambda s: (s.start, s.id)):
        running = [other for other in running if other.end > slot.start]
        for other in running:
            if clash(slot, other, parents):
                found.setdefault(slot.id, []).append(other.id)
                found.setdefault(other.id, []).append(slot.id)
        running.append(slot)
    return found


def related_areas(parents: Mapping[int, int | None], area_id: int) -> frozenset[int]:
    """Every area that is "the same place" as `area_id`: itself, the areas above it and the
    areas within it."""
    below = {other for other in parents if area_id in lineage(parents, other)}
    return lineage(parents, area_id) | below
