"""Codes and ids in API input turned into rows, every one that names nothing a field error.

A `Lookup` says how one kind of reference is found: in which rows, by which column, and what
to answer when nothing matches. Each app defines its own beside its models (`places/lookups.py`,
`organisations/lookups.py`, `events/lookups.py`), since core must not know them. A `Resolver`
applies lookups to one request and collects every problem, so that one 422 names them all in
the shape of trygg.core.api_errors.

One rule everywhere: None means "not given" and resolves to None; any other value, the empty
string included, must name a row, or its field gets the lookup's message.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from trygg.core.api_errors import FieldErrors, field_error


@dataclass(frozen=True, eq=False)
class Lookup:
    """One kind of reference: `rows` searched by `key`; `unknown` said when nothing matches,
    `elsewhere` when a row lies outside the municipality the request is about. `rows` lives as
    long as the process: always query a copy (`filter`, `all`), never the QuerySet itself, or
    its cached rows would outlive every change."""

    rows: QuerySet
    key: str
    unknown: Any  # a (lazy) message
    elsewhere: Any = None

    def find(self, values: set) -> dict[Any, Any]:
        """The rows that `values` name, by value, in one query (what names nothing is absent)."""
        matches = self.rows.filter(**{f"{self.key}__in": values})
        return {getattr(row, self.key): row for row in matches}

    def refusal(self, value: Any, row: Any) -> Any:
        """Why `row`, found for `value`, cannot be used (None: it can)."""
        return self.unknown if row is None else None


class Resolver:
    """The references of one request: `get` each, then `check` raises 422 with every problem."""

    def __init__(self) -> None:
        self.errors: list[dict[str, Any]] = []
        self._found: dict[Lookup, dict[Any, Any]] = {}

    def fail(self, field: str, message: Any, index: int | None = None) -> None:
        self.errors.append(field_error(field, message, index))

    def check(self) -> None:
        if self.errors:
            raise FieldErrors(self.errors)

    def preload(self, lookup: Lookup, values: Iterable) -> None:
        """Find many values at once (the items of a list), so that `get` asks nothing more."""
        found = self._found.setdefault(lookup, {})
        missing = {value for value in values if value is not None} - found.keys()
        if missing:
            rows = lookup.find(missing)
            found.update({value: rows.get(value) for value in missing})

    def get(
        self,
        lookup: Lookup,
        value: Any,
        field: str,
        *,
        index: int | None = None,
        within: int | None = None,
    ) -> Any:
        """The row `value` names, or None (noting the problem on `field`). With `within`, a
        row of another municipality is refused too."""
        if value is None:
            return None
        self.preload(lookup, [value])
        row = self._found[lookup][value]
        problem = lookup.refusal(value, row)
        if problem is None and within is not None and row.municipality_id != within:
            problem = lookup.elsewhere
        if problem is not None:
            self.fail(field, problem, index)
            return None
        return row
