"""Shapes of the event API: what a report may contain and what an event looks like.

Errors have the shape every endpoint shares (trygg/core/api_errors.py).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import ConfigDict, field_validator

from trygg.events.models import Event

STOCKHOLM = ZoneInfo("Europe/Stockholm")
MAX_DESCRIPTION = 4000
# One call may carry a day's worth of a partner's reports, not a whole import (use the importer).
MAX_ITEMS_PER_POST = 1000


def as_stockholm(value: dt.datetime) -> dt.datetime:
    """Aware as given; a time without offset is Swedish local time."""
    if timezone.is_naive(value):
        return timezone.make_aware(value, STOCKHOLM)
    return value


def parse_moment(value: str, *, end: bool = False) -> dt.datetime | None:
    """An ISO date or datetime from a query string (None if it is neither). A date as `end`
    means the end of that day."""
    text = value.strip().replace(" ", "+")  # an unencoded '+' in '+02:00' arrives as a space
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        pass
    else:
        start = dt.datetime.combine(day + dt.timedelta(days=1 if end else 0), dt.time())
        return as_stockholm(start)
    try:
        return as_stockholm(dt.datetime.fromisoformat(text))
    except ValueError:
        return None


class EventIn(Schema):
    """En rapporterad händelse. Aldrig vem: beskrivningen rensas från personuppgifter."""

    model_config = ConfigDict(extra="forbid")

    category: str = Field(
        ..., min_length=1, description="Kategorins kod (t.ex. skadegorelse.klotter) eller namn."
    )
    occurred_from: dt.datetime = Field(
        ..., description="När det inträffade (ISO 8601); utan tidszon tolkas tiden som svensk tid."
    )
    occurred_to: dt.datetime | None = Field(None, description="Till (om det pågick en tid).")
    lat: float = Field(..., strict=True, allow_inf_nan=False, description="Latitud (WGS84).")
    lon: float = Field(..., strict=True, allow_inf_nan=False, description="Longitud (WGS84).")
    description: str = Field("", max_length=MAX_DESCRIPTION)
    visibility: Literal["public", "partners", "organisation"] = "partners"
    place: int | None = Field(None, description="Platsens id.")
    organisation: str | None = Field(
        None, description="Organisationens kod; behövs bara om du rapporterar för flera."
    )
    external_id: str | None = Field(
        None,
        min_length=1,
        max_length=80,
        description="Ert eget id för händelsen: samma id igen skapar ingen dubblett.",
    )

    @field_validator("occurred_from", "occurred_to", mode="before")
    @classmethod
    def _text_only(cls, value):
        # A bare number would be read as a Unix timestamp: almost surely a client's mistake.
        if value is not None and not isinstance(value, str):
            raise ValueError(_("Ange tidpunkten som text i ISO 8601-format."))
        return value

    @field_validator("occurred_from", "occurred_to")
    @classmethod
    def _local_time(cls, value):
        return None if value is None else as_stockholm(value)


class EventOut(Schema):
    id: int
    category: str
    category_name: str
    occurred_from: dt.datetime
    occurred_to: dt.datetime | None
    lat: float
    lon: float
    x: float
    y: float
    precision_m: int
    municipality: str | None = Field(None, description="Kommunkod, t.ex. 1780.")
    area: int | None
    area_name: str | None
    place: int | None
    place_name: str | None
    organisation: str
    source: str
    external_id: str | None
    external_type: str
    description: str
    visibility: str
    status: str
    was_scrubbed: bool
    reported_at: dt.datetime

    @classmethod
    def of(cls, event: Event) -> dict[str, Any]:
        """The item for one event (with category, municipality, area, place, organisation
        loaded by select_related, so a list costs one query)."""
        local = timezone.localtime
        return {
            "id": event.pk,
            "category": event.category.code,
            "category_name": event.category.name,
            "occurred_from": local(event.occurred_from),
            "occurred_to": local(event.occurred_to) if event.occurred_to else None,
            "lat": event.lat,
            "lon": event.lon,
            "x": event.x,
            "y": event.y,
            "precision_m": event.precision_m,
            # A county-level police event's key is its county's row, which is no kommun: none.
            "municipality": None if event.municipality.county_level else event.municipality.code,
            "area": event.area_id,
            "area_name": event.area.name if event.area else None,
            "place": event.place_id,
            "place_name": event.place.name if event.place else None,
            "organisation": event.organisation.code,
            "source": event.source,
            "external_id": event.external_id,
            "external_type": event.external_type,
            "description": event.description,
            "visibility": event.visibility,
            "status": event.status,
            "was_scrubbed": event.was_scrubbed,
            "reported_at": local(event.reported_at),
        }


class EventPostOut(EventOut):
    created: bool = Field(..., description="false: samma external_id fanns redan; inget skapades.")


class EventListOut(Schema):
    count: int = Field(..., description="Antal träffar totalt (före limit/offset).")
    items: list[EventOut]


class CategoryOut(Schema):
    code: str
    name: str
    parent: str | None
    is_active: bool


class CategoryListOut(Schema):
    count: int
    items: list[CategoryOut]


def request_body_openapi() -> dict[str, Any]:
    """The POST body for the OpenAPI document: one event or a list (parsed by hand, see api)."""
    one = EventIn.model_json_schema()
    many = {"type": "array", "items": one, "minItems": 1, "maxItems": MAX_ITEMS_PER_POST}
    return {
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"oneOf": [one, many]}}},
        }
    }
