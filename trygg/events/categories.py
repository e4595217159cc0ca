"""Loading the category tree and the police type mapping from category_seed (idempotent)."""

from __future__ import annotations

from typing import Any

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
