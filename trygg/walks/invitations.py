"""Who should be asked to walk: the organisations that answer for the ground the route crosses.

Two sources, as the method asks (Boverket, Brå: "the managers of the places along the route"):

* the managers (`Place.manager`) of the stops' places and of the named places within
  ROUTE_RADIUS_M of the route line or of a stop;
* the organisations that active responsibility rules name for where the walk goes: a rule
  whose area is the walk's area, an area the route passes through, or a parent of one; a rule
  for one of the places along the route; a rule for a kind of place the route passes.

A rule with no condition of place (only a category, or nothing) is left out: it names its
organisation for every walk in the municipality, and the findings' own suggestion
(`measures.routing.suggest`) routes those when they are made. Only the walk's own
municipality is read, so nothing is suggested from elsewhere.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import shapely

from trygg.core.trees import ancestor_chain
from trygg.measures.models import ResponsibilityRule
from trygg.measures.routing import rank
from trygg.organisations.models import Organisation
from trygg.places import index
from trygg.places.geo import to_sweref
from trygg.places.models import Area, Place
from trygg.walks.in_municipality import children
from trygg.walks.models import Invitation, Walk

# A place counts as "along the route" within this distance of the line or a stop (metres).
ROUTE_RADIUS_M = 50.0


@dataclass
class Suggested:
    """One organisation to invite, the reason stored on its invitation and the reasons shown."""

    organisation: Organisation
    reason: str
    because: list[str] = field(default_factory=list)

    @property
    def reason_label(self) -> str:
        return str(Invitation.Reason(self.reason).label)


def suggest_invitations(walk: Walk) -> list[Suggested]:
    """Managers first, then the rules' organisations, each by name; never the organiser."""
    places = route_places(walk)
    found: dict[int, Suggested] = {}
    for place in places:
        if place.manager is not None:
            _add(found, place.manager, Invitation.Reason.MANAGER, place.name)
    for rule in concerning_rules(walk, places):
        _add(found, rule.organisation, Invitation.Reason.RULE, rule.describe())
    found.pop(walk.organisation_id, None)
    order = {str(Invitation.Reason.MANAGER): 0, str(Invitation.Reason.RULE): 1}
    return sorted(found.values(), key=lambda s: (order[s.reason], s.organisation.name))


def _add(found: dict[int, Suggested], organisation: Organisation, reason: str, why: str) -> None:
    # A manager that a rule also names keeps "manager": it is the stronger reason to walk.
    entry = found.setdefault(organisation.pk, Suggested(organisation, reason))
    if why not in entry.because:
        entry.because.append(why)


def route_points(walk: Walk) -> tuple[list[tuple[float, float]], list[tuple[float, float]]]:
    """(route vertices, stop positions) as WGS84 (lon, lat)."""
    line = []
    if walk.route and walk.route.get("type") == "LineString":
        line = [(float(lon), float(lat)) for lon, lat, *_ in walk.route.get("coordinates", [])]
    stops = [(stop.lon, stop.lat) for stop in children(walk, "stops")]
    return line, stops


def route_geometry(walk: Walk):
    """The route line and the stops as one shapely geometry in SWEREF 99 TM, or None."""
    line, stops = route_points(walk)
    parts = []
    if len(line) >= 2:
        xs, ys = to_sweref([p[0] for p in line], [p[1] for p in line])
        parts.append(shapely.linestrings(np.column_stack([xs, ys])))
    if stops:
        xs, ys = to_sweref([p[0] for p in stops], [p[1] for p in stops])
        parts.extend(shapely.points(np.column_stack([xs, ys])))
    return shapely.union_all(parts) if parts else None


def route_places(walk: Walk) -> list[Place]:
    """The stops' places and the municipality's named places near the route, by name."""
    chosen = {stop.place_id for stop in children(walk, "stops") if stop.place_id is not None}
    geometry = route_geometry(walk)
    near: set[int] = set()
    if geometry is not None:
        x0, y0, x1, y1 = geometry.bounds
        r = ROUTE_RADIUS_M
        candidates = list(
            Place.objects.filter(
                municipality_id=walk.municipality_id,
                x__range=(x0 - r, x1 + r),
                y__range=(y0 - r, y1 + r),
            ).values_list("pk", "x", "y")
        )
        if candidates:
            points = shapely.points([(x, y) for _pk, x, y in candidates])
            close = shapely.distance(geometry, points) <= r
            near = {pk for (pk, _x, _y), hit in zip(candidates, close, strict=True) if hit}
    return list(
        Place.objects.filter(pk__in=chosen | near, municipality_id=walk.municipality_id)
        .select_related("manager")
        .order_by("name", "pk")
    )


def route_area_ids(walk: Walk, places: Iterable[Place]) -> set[int]:
    """The walk's area, the areas its stops, route and places lie in, and all their parents."""
    line, stops = route_points(walk)
    points = line + stops
    leaves = {walk.area_id} | {place.area_id for place in places}
    if points:
        located = index.locate(
            [p[0] for p in points],
            [p[1] for p in points],
            municipality_id=[walk.municipality_id] * len(points),
        )
        leaves |= {int(a) for a in located.area_id if a >= 0}
    leaves.discard(None)
    parent_of = dict(
        Area.objects.filter(municipality_id=walk.municipality_id).values_list("pk", "parent_id")
    )
    return {pk for leaf in leaves for pk in ancestor_chain(parent_of, leaf)}


def concerning_rules(walk: Walk, places: list[Place]) -> list[ResponsibilityRule]:
    """Active rules of the walk's municipality with a condition of place that the route meets,
    best first (the order `measures.routing` ranks them in)."""
    area_ids = route_area_ids(walk, places)
    place_ids = {place.pk for place in places}
    kinds = {place.kind for place in places}
    rules = ResponsibilityRule.objects.filter(
        municipality_id=walk.municipality_id, is_active=True
    ).select_related("organisation", "category", "area", "place")
    return sorted(
        (r for r in rules if _concerns(r, area_ids, place_ids, kinds)), key=rank, reverse=True
    )


def _concerns(rule: ResponsibilityRule, area_ids, place_ids, kinds) -> bool:
    if rule.area_id is None and rule.place_id is None and not rule.place_kind:
        return False
    if rule.area_id is not None and rule.area_id not in area_ids:
        return False
    if rule.place_id is not None and rule.place_id not in place_ids:
        return False
    return not rule.place_kind or rule.place_kind in kinds
