"""Where a position is: municipality, area and the nearest named place, or why it cannot be used.

Every app that takes a position from a person (the reporting form, a walk finding, a citizen
report, a guard's shift report) asks `locate` and gets one small answer, or a ValidationError
with a Swedish message it can show as it is. Municipality and area come from the same polygon
indexes the importers use (`index.py`), so a point is placed the same way on every path.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from trygg.places.index import locate_one
from trygg.places.models import Area, Municipality, Place
from trygg.places.queries import NEAR_RADIUS_M, nearest_places

__all__ = ["Location", "locate"]

# Enough to find a chosen place among its neighbours in a dense centre.
CHOSEN_PLACE_LIMIT = 50


@dataclass(frozen=True)
class Location:
    """A position resolved: WGS84 and SWEREF 99 TM, its municipality, the area whose current
    boundary holds it (None outside every area, or when too imprecise), and the named place
    chosen or nearest within the search radius (None if there is none)."""

    lat: float
    lon: float
    x: float
    y: float
    municipality: Municipality
    area_id: int | None
    place: Place | None
    place_distance_m: float | None

    @cached_property
    def area(self) -> Area | None:
        """The area's row, read when first asked for: a report stores only its id."""
        if self.area_id is None:
            return None
        return Area.objects.defer("geometry").get(pk=self.area_id)

    @property
    def located(self) -> tuple[float, float, int, int | None]:
        """(x, y, municipality id, area id): what `events.actions.report_event` takes as
        `located`, so a position resolved here is not looked up a second time."""
        return (self.x, self.y, self.municipality.pk, self.area_id)


def locate(
    lat: float,
    lon: float,
    *,
    municipality: Municipality | None = None,
    place_id: int | None = None,
    radius_m: float = NEAR_RADIUS_M,
    precision_m: int | None = None,
) -> Location:
    """Resolve a position; ValidationError (Swedish) if it is outside Sweden, outside the given
    `municipality`, or `place_id` is not a named place within `radius_m` of it."""
    if not (_finite(lat) and _finite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValidationError(_("Positionen är inte en giltig koordinat."), code="invalid")
    x, y, municipality_id, area_id = locate_one(lon, lat, precision_m)
    if municipality_id is None:
        raise ValidationError(_("Positionen ligger utanför Sverige."), code="outside_sweden")
    if municipality is not None and municipality_id != municipality.pk:
        raise ValidationError(
            _("Positionen ligger utanför %(municipality)s kommun.")
            % {"municipality": municipality.name},
            code="outside_municipality",
        )
    found = municipality or Municipality.objects.defer("geometry").get(pk=municipality_id)
    place = _place(lat, lon, municipality_id, place_id, radius_m)
    return Location(
        lat=lat,
        lon=lon,
        x=x,
        y=y,
        municipality=found,
        area_id=area_id,
        place=place,
        # distance_m exists only on the places nearest_places() returns.
        place_distance_m=place.distance_m if place is not None else None,  # type: ignore[attr-defined]
    )


def _place(lat, lon, municipality_id, place_id, radius_m) -> Place | None:
    if place_id is None:
        nearest = nearest_places(lat, lon, [municipality_id], radius_m=radius_m, limit=1)
        return nearest[0] if nearest else None
    near = nearest_places(lat, lon, [municipality_id], radius_m=radius_m, limit=CHOSEN_PLACE_LIMIT)
    chosen = next((place for place in near if place.pk == place_id), None)
    if chosen is None:
        raise ValidationError(
            _("Den valda platsen ligger inte inom %(radius)s m från positionen.")
            % {"radius": int(radius_m)},
            code="place_not_near",
        )
    return chosen


def _finite(value) -> bool:
    return isinstance(value, int | float) and math.isfinite(value)
