"""Who should act on this? The responsibility rules applied to an event or a place.

Order of answers: the best matching rule; else the place's manager (who looks after it is
the natural owner of what happens there); else the municipality's coordinating organisation,
which takes everything nobody else owns."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from trygg.core.trees import ancestor_chain
from trygg.events.categories import CategoryTree
from trygg.events.models import Category
from trygg.measures.models import ResponsibilityRule
from trygg.organisations.models import Membership, Organisation
from trygg.places.models import Area, Place


class Reason(StrEnum):
    RULE = "rule"
    MANAGER = "manager"
    COORDINATOR = "coordinator"
    NONE = "none"


@dataclass(frozen=True)
class Suggestion:
    organisation: Organisation | None
    reason: Reason
    rule: ResponsibilityRule | None = None
    # Every rule that matched, best first, so a page can show what else would have applied.
    matches: list[ResponsibilityRule] = field(default_factory=list)


@dataclass(frozen=True)
class Situation:
    """What a rule is matched against: the ancestors of the category and the area."""

    category_ids: tuple[int, ...]  # the category first, then its parents
    area_ids: tuple[int, ...]  # the area first, then its parents
    place: Place | None


def suggest(
    municipality_id: int,
    *,
    category: Category | None = None,
    area: Area | None = None,
    place: Place | None = None,
) -> Suggestion:
    """The organisation that should answer for `category` at `place` (or in `area`)."""
    if place is not None and area is None:
        area = place.area
    tree = CategoryTree.load()  # once: the situation and every rule's depth read it
    situation = Situation(_category_chain(category, tree), _area_chain(area), place)
    rules = ResponsibilityRule.objects.filter(
        municipality_id=municipality_id, is_active=True
    ).select_related("organisation", "category", "area", "place")
    matches = sorted(
        (r for r in rules if matches_rule(r, situation)),
        key=lambda rule: rank(rule, tree),
        reverse=True,
    )
    if matches:
        return Suggestion(matches[0].organisation, Reason.RULE, matches[0], matches)
    if place is not None and place.manager_id is not None:
        return Suggestion(place.manager, Reason.MANAGER)
    coordinator = coordinating_organisation(municipality_id)
    if coordinator is not None:
        return Suggestion(coordinator, Reason.COORDINATOR)
    return Suggestion(None, Reason.NONE)


def suggest_for_event(event) -> Suggestion:
    return suggest(
        event.municipality_id, category=event.category, area=event.area, place=event.place
    )


def matches_rule(rule: ResponsibilityRule, situation: Situation) -> bool:
    """Every condition the rule has filled in holds for the situation."""
    if rule.category_id is not None:
        chain = situation.category_ids if rule.include_subcategories else situation.category_ids[:1]
        if rule.category_id not in chain:
            return False
    if rule.area_id is not None and rule.area_id not in situation.area_ids:
        return False
    place = situation.place
    if rule.place_id is not None and (place is None or place.pk != rule.place_id):
        return False
    return not rule.place_kind or (place is not None and place.kind == rule.place_kind)


def rank(rule: ResponsibilityRule, tree: CategoryTree | None = None) -> tuple:
    """Higher is better: an explicit preference, then the priority an admin set, then the
    more specific rule (a single place before a kind of place before an area before a
    category alone; a deeper category before its parent), then the older rule."""
    conditions = sum(
        1 for filled in (rule.category_id, rule.area_id, rule.place_kind, rule.place_id) if filled
    )
    return (
        rule.preferred,
        rule.priority,
        rule.place_id is not None,
        bool(rule.place_kind),
        rule.area_id is not None,
        conditions,
        _depth(rule.category, tree),
        -rule.pk,
    )


def coordinating_organisation(municipality_id: int) -> Organisation | None:
    """The municipality's own department that has a coordinator: the EST group's secretary,
    who takes what no rule assigns."""
    # One simple query (each resident's report asks): the few organisations with a coordinator,
    # a municipal department before any other kind, then by name.
    coordinators = Organisation.objects.filter(
        municipality_id=municipality_id,
        memberships__role__in=[Membership.Role.COORDINATOR, Membership.Role.ADMIN],
    ).distinct()
    return min(
        coordinators,
        key=lambda org: (org.kind != Organisation.Kind.MUNICIPAL_DEPARTMENT, org.name, org.pk),
        default=None,
    )


def _category_chain(category: Category | None, tree: CategoryTree | None = None) -> tuple[int, ...]:
    """The category first, then its parents."""
    if category is None:
        return ()
    return tuple(reversed((tree or CategoryTree.load()).chain(category.pk)))


def _area_chain(area: Area | None) -> tuple[int, ...]:
    """The area first, then its parents."""
    if area is None:
        return ()
    rows = Area.objects.filter(municipality_id=area.municipality_id)
    parent_of = dict(rows.values_list("pk", "parent_id"))
    return tuple(reversed(ancestor_chain(parent_of, area.pk)))


def _depth(category: Category | None, tree: CategoryTree | None = None) -> int:
    return len(_category_chain(category, tree))
