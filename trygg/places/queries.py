"""Read helpers over places for pages: the named places near a position."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import F, FloatField
from django.db.models.expressions import ExpressionWrapper

from trygg.places.geo import to_sweref
from trygg.places.models import Place

NEAR_RADIUS_M = 500
NEAR_LIMIT = 5


def nearest_places(
    lat: float,
    lon: float,
    municipality_ids: Iterable[int],
    *,
    radius_m: float = NEAR_RADIUS_M,
    limit: int = NEAR_LIMIT,
) -> list[Place]:
    """The named places within `radius_m` of a position in these municipalities, nearest first.

    A box around the point uses the (municipality, x, y) index; the squared SWEREF 99 TM
    distance (metres) then filters to the circle and orders what is left. Each place carries
    `distance_m`.
    """
    x, y = to_sweref(lon, lat)
    dx, dy = F("x") - x, F("y") - y
    squared = ExpressionWrapper(dx * dx + dy * dy, output_field=FloatField())
    places: list[Place] = list(
        Place.objects.filter(
            municipality_id__in=list(municipality_ids),
            x__range=(x - radius_m, x + radius_m),
            y__range=(y - radius_m, y + radius_m),
        )
        .annotate(distance_squared=squared)
        .filter(distance_squared__lte=radius_m * radius_m)
        .order_by("distance_squared", "name", "pk")[:limit]
    )
    for place in places:
        # distance_m and distance_squared exist only on the places this function returns.
        place.distance_m = place.distance_squared**0.5  # type: ignore[attr-defined]
    return places
