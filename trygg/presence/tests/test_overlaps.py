"""Two groups in the same place at the same time: the pure rules, by hand and against a
brute-force comparison of every pair."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from trygg.core.tests.clock import at
from trygg.presence.overlaps import (
    Slot,
    clash,
    clashing_pairs,
    lineage,
    related_areas,
    same_place,
)

FRIDAY = dt.date(2026, 11, 27)
# 1 Centrum ⊃ 2 Klara ⊃ 3 Kvarteret; 4 Kronoparken stands alone.
PARENTS: dict[int, int | None] = {1: None, 2: 1, 3: 2, 4: None}


def slot(pk, group, area, start, end) -> Slot:
    return Slot(pk, group, area, at(FRIDAY, *start), at(FRIDAY, *end))


def test_an_areas_lineage_runs_up_to_the_top():
    assert lineage(PARENTS, 3) == {3, 2, 1}
    assert lineage(PARENTS, 4) == {4}


def test_a_loop_in_the_area_tree_does_not_hang():
    assert lineage({1: 2, 2: 1}, 1) == {1, 2}


def test_an_area_and_the_areas_within_it_are_the_same_place():
    assert same_place(1, 3, PARENTS) and same_place(3, 1, PARENTS)
    assert not same_place(1, 4, PARENTS)
    assert related_areas(PARENTS, 2) == {1, 2, 3}


def test_two_groups_in_one_area_at_overlapping_times_clash():
    assert clash(slot(1, 10, 1, (19, 0), (22, 0)), slot(2, 20, 1, (21, 0), (23, 0)), PARENTS)


def test_a_group_in_a_part_of_the_area_clashes_too():
    assert clash(slot(1, 10, 1, (19, 0), (22, 0)), slot(2, 20, 3, (20, 0), (21, 0)), PARENTS)


def test_one_shift_ending_as_the_next_starts_does_not_clash():
    assert not clash(slot(1, 10, 1, (19, 0), (21, 0)), slot(2, 20, 1, (21, 0), (23, 0)), PARENTS)


def test_the_same_group_twice_does_not_clash_with_itself():
    assert not clash(slot(1, 10, 1, (19, 0), (22, 0)), slot(2, 10, 1, (20, 0), (23, 0)), PARENTS)


def test_different_places_do_not_clash():
    assert not clash(slot(1, 10, 1, (19, 0), (22, 0)), slot(2, 20, 4, (19, 0), (22, 0)), PARENTS)


def test_clashing_pairs_name_both_sides():
    slots = [
        slot(1, 10, 1, (19, 0), (22, 0)),
        slot(2, 20, 2, (21, 0), (23, 0)),
        slot(3, 30, 4, (19, 0), (23, 0)),
    ]
    assert clashing_pairs(slots, PARENTS) == {1: [2], 2: [1]}


starts = st.integers(min_value=0, max_value=20 * 60)
shifts = st.lists(
    st.tuples(
        st.integers(1, 3),  # group
        st.integers(1, 4),  # area
        starts,
        st.integers(min_value=1, max_value=300),  # length in minutes
    ),
    max_size=10,
)


@given(shifts)
def test_the_sweep_finds_exactly_the_pairs_a_full_comparison_finds(rows):
    base = at(FRIDAY, 0)
    slots = [
        Slot(n, g, a, base + dt.timedelta(minutes=s), base + dt.timedelta(minutes=s + length))
        for n, (g, a, s, length) in enumerate(rows)
    ]
    expected: dict[int, set[int]] = {}
    for a in slots:
        for b in slots:
            if a.id != b.id and clash(a, b, PARENTS):
                expected.setdefault(a.id, set()).add(b.id)
    found = clashing_pairs(slots, PARENTS)
    assert {k: set(v) for k, v in found.items()} == expected
    assert all(len(v) == len(set(v)) for v in found.values())
