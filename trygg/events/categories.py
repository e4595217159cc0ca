"""The category tree: loading it and the police type mapping from category_seed (idempotent),
and walking it (`CategoryTree`; a category's own subtree is `Category.descendant_ids`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from trygg.core.trees import ancestor_chain
from trygg.events.category_seed import (
    POLICE_SUMMARY_TYPES,
    POLICE_TYPE_CATEGORY,
    iter_categories,
)


def load_categories(Category, PoliceEventType) -> int:
    """Create or update the seeded categories and police types; models passed in for migrations."""
    by_code: dict[str | None, Any] = {}  # None: a top-level category has no parent
    for code, name_sv, name_en, parent_code, is_checklist, sort_order in iter_categories():
        category, _ = Category.objects.update_or_create(
            code=code,
            defaults={
                "name_sv": name_sv,
                "name_en": name_en,
                "parent": by_code.get(parent_code),
                "is_checklist": is_checklist,
                "sort_order": sort_order,
            },
        )
        by_code[code] = category
    for police_type, code in POLICE_TYPE_CATEGORY.items():
        PoliceEventType.objects.update_or_create(
            name=police_type,
            defaults={"category": by_code[code], "is_summary": police_type in POLICE_SUMMARY_TYPES},
        )
    return len(by_code)


class CategoryTree:
    """The whole category tree read in one query, for the pages and reports that fold counts
    into top-level categories or groups: every walk up or down the tree goes through here."""

    def __init__(self, categories: list) -> None:
        self.categories = {category.pk: category for category in categories}
        self.parent = {category.pk: category.parent_id for category in categories}
        self.name = {category.pk: category.name_sv for category in categories}

    @classmethod
    def load(cls) -> CategoryTree:
        from trygg.events.models import Category

        return cls(list(Category.objects.order_by("sort_order", "code")))

    def chain(self, pk: int) -> list[int]:
        """From the top-level category down to `pk`."""
        return ancestor_chain(self.parent, pk)

    def top(self, pk: int) -> int:
        return self.chain(pk)[0]

    def second(self, pk: int) -> int | None:
        path = self.chain(pk)
        return path[1] if len(path) > 1 else None

    def tops(self) -> list:
        """The top-level categories in tree order."""
        return [c for pk, c in self.categories.items() if self.parent[pk] is None]

    def group_of(self, heads: Iterable[int]) -> dict[int, int]:
        """Every category at or below one of `heads` -> the nearest of them at or above it."""
        head_set, groups = set(heads), {}
        for pk in self.categories:
            found = next((a for a in reversed(self.chain(pk)) if a in head_set), None)
            if found is not None:
                groups[pk] = found
        return groups

    def depth_first(self) -> list[tuple]:
        """Every category with its depth, each followed by those under it (for selects). A
        cycle in the parents has no top, so it is never reached."""
        children: dict[int | None, list] = {}
        for category in self.categories.values():
            children.setdefault(category.parent_id, []).append(category)
        ordered: list[tuple] = []

        def walk(parent_id: int | None, depth: int) -> None:
            for category in children.get(parent_id, []):
                ordered.append((category, depth))
                walk(category.pk, depth + 1)

        walk(None, 0)
        return ordered
