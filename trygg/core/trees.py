"""Walking the two trees the project keeps in a `parent` column: categories and areas.

Both are shallow (a few levels) but edited by hand in the admin, so every walk stops at a
cycle instead of hanging.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import TypeVar

from django.db.models import QuerySet

K = TypeVar("K", bound=Hashable)


def descendant_ids(rows: QuerySet, root_id: int) -> list[int]:
    """`root_id` and the ids of every row under it in `rows` (one query per level)."""
    ids, seen, frontier = [root_id], {root_id}, [root_id]
    while frontier:
        below = rows.filter(parent_id__in=frontier).values_list("pk", flat=True)
        frontier = [pk for pk in below if pk not in seen]
        seen.update(frontier)
        ids.extend(frontier)
    return ids


def ancestor_chain(parent_of: Mapping[K, K | None], key: K) -> list[K]:
    """From the top of the tree down to `key`, given every node's parent (None at the top)."""
    chain = [key]
    while (parent := parent_of.get(chain[-1])) is not None and parent not in chain:
        chain.append(parent)
    return chain[::-1]
