"""How API input names a category: by its code, or by its Swedish name in any case (names are
unique in the seeded tree; a name that is not gets an error asking for the code).

A category that is no longer used still selects the events filed under it (filters, measures,
responsibility rules); only a newly reported event must be filed under an active one, as on
the reporting form.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from trygg.core.resolve import Lookup
from trygg.events.models import Category

AMBIGUOUS = object()


@dataclass(frozen=True, eq=False)
class CategoryLookup(Lookup):
    active_only: bool = False

    def find(self, values: set) -> dict[Any, Any]:
        # .all(): a fresh query each time (the module-level QuerySet must never cache rows).
        tree = list(self.rows.all())  # about a hundred rows: one query for any number of values
        by_code = {category.code: category for category in tree}
        by_name: dict[str, list[Category]] = {}
        for category in tree:
            by_name.setdefault(category.name_sv.casefold(), []).append(category)
        found = {}
        for value in values:
            named = by_name.get(str(value).strip().casefold(), [])
            if value in by_code:
                found[value] = by_code[value]
            elif named:
                found[value] = named[0] if len(named) == 1 else AMBIGUOUS
        return found

    def refusal(self, value: Any, row: Any) -> Any:
        if row is None:
            return self.unknown
        if row is AMBIGUOUS:
            return _("Flera kategorier heter så: ange koden.")
        if self.active_only and not row.is_active:
            return _("Kategorin används inte längre.")
        return None


UNKNOWN = _("Okänd kategori. Se /api/v1/categories.")
CATEGORY = CategoryLookup(Category.objects.all(), "code", UNKNOWN)
# For filing a new event.
REPORTABLE_CATEGORY = CategoryLookup(Category.objects.all(), "code", UNKNOWN, active_only=True)
