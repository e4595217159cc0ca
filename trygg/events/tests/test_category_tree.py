"""The category tree walked one way everywhere: up to the top, down to the subtree."""

from __future__ import annotations

from trygg.events.categories import CategoryTree
from trygg.events.models import Category


def test_a_leaf_folds_into_its_top_level_and_second_level_category(db):
    tree = CategoryTree.load()
    klotter = Category.objects.get(code="skadegorelse.klotter")
    skadegorelse = klotter.parent
    assert tree.chain(klotter.pk) == [skadegorelse.pk, klotter.pk]
    assert (tree.top(klotter.pk), tree.second(klotter.pk)) == (skadegorelse.pk, klotter.pk)
    assert tree.second(skadegorelse.pk) is None


def test_every_category_under_a_head_counts_in_that_head_and_nothing_else_does(db):
    tree = CategoryTree.load()
    skadegorelse = Category.objects.get(code="skadegorelse.klotter").parent
    groups = tree.group_of([skadegorelse.pk])
    assert set(groups) == set(skadegorelse.descendant_ids())
    assert set(groups.values()) == {skadegorelse.pk}


def test_depth_first_lists_each_category_once_right_after_its_parent(db):
    ordered = CategoryTree.load().depth_first()
    assert len(ordered) == Category.objects.count()
    seen = set()
    for category, depth in ordered:
        assert (category.parent_id is None) == (depth == 0)
        assert category.parent_id is None or category.parent_id in seen
        seen.add(category.pk)


def test_a_cycle_in_the_parents_neither_hangs_the_walk_up_nor_the_walk_down(db):
    klotter = Category.objects.get(code="skadegorelse.klotter")
    parent = klotter.parent
    Category.objects.filter(pk=parent.pk).update(parent=klotter)
    assert set(CategoryTree.load().chain(klotter.pk)) == {klotter.pk, parent.pk}
    assert set(klotter.descendant_ids()) >= {klotter.pk, parent.pk}
