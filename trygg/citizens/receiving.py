"""Who takes residents' reports, as each post asks it: the municipality by its code, the
organisation its reports belong to, and the EST category a resident's category stands for.

These answers change when someone edits memberships or categories, not from one post to the
next, and a hundred residents posting at once asked the database the same three questions a
hundred times. They are kept in Django's cache for `CACHE_S` seconds (per process with the
default local-memory cache): after such an edit, posts may see the previous answer for that
long. Every other page asks the database itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache

from trygg.events.models import Category
from trygg.measures.routing import coordinating_organisation
from trygg.organisations.models import Membership, Organisation
from trygg.places.models import Municipality

CACHE_S = 30
_NOTHING = "nothing"  # a cached None (the cache's own None means "not cached")
# Kommunkoder: what a post may name; anything else is looked up without the cache.
_MUNICIPALITY_CODE = re.compile(r"\d{4}")

T = TypeVar("T")


def receiving_municipalities():
    """Municipalities whose own department has a coordinator: they take residents' reports."""
    return (
        Municipality.objects.filter(
            organisations__memberships__role__in=[
                Membership.Role.COORDINATOR,
                Membership.Role.ADMIN,
            ]
        )
        .distinct()
        .defer("geometry")
        .order_by("name")
    )


def receiving_municipality(code: str) -> Municipality | None:
    """The municipality with kommunkod `code`, if it takes residents' reports."""

    def look_up() -> Municipality | None:
        return receiving_municipalities().filter(code=code).first()

    if not _MUNICIPALITY_CODE.fullmatch(code):
        return look_up()
    return _kept(f"citizens:receiving:{code}", look_up)


def reports_owner(municipality_id: int) -> Organisation | None:
    """The organisation residents' reports in the municipality belong to (its coordinating
    organisation, `measures.routing.coordinating_organisation`); None if it has none."""
    return _kept(
        f"citizens:owner:{municipality_id}", lambda: coordinating_organisation(municipality_id)
    )


def est_category(code: str) -> Category:
    """The EST category with this code (a resident category's `est_code`)."""
    category = _kept(f"citizens:category:{code}", lambda: Category.objects.get(code=code))
    assert category is not None  # noqa: S101 -- get() raises rather than answer None
    return category


def _kept(key: str, look_up: Callable[[], T | None]) -> T | None:
    kept = cache.get(key)
    if kept is not None:
        return None if kept == _NOTHING else kept
    found = look_up()
    cache.set(key, _NOTHING if found is None else found, CACHE_S)
    return found
