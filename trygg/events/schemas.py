"""Shapes of the event API: what a report may contain, what an event looks like, and errors.

Errors are one shape everywhere: `{"detail": [{"field": ..., "message": ...}]}`, with `index`
added for items of a list. Messages are Swedish (through gettext), also for pydantic's checks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
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


class FieldErrors(Exception):
    """Request data that cannot be used: answered 422 with every problem found."""

    def __init__(self, errors: list[dict[str, Any]], status: int = 422):
        self.errors = errors
        self.status = status
        super().__init__(errors)


def field_error(field: str, message: str, index: int | None = None) -> dict[str, Any]:
    error: dict[str, Any] = {"field": field, "message": str(message)}
    if index is not None:
        error = {"index": index, **error}
    return error


def swedish_message(error: Mapping[str, Any]) -> str:
    """pydantic's error for one field, said in Swedish (our own validators already are)."""
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    messages = {
        "missing": _("Fältet måste anges."),
        "extra_forbidden": _("Okänt fält."),
        "finite_number": _("Ange ett ändligt tal."),
        "string_type": _("Ange text."),
        "model_type": _("Varje händelse ska vara ett JSON-objekt."),
        "model_attributes_type": _("Varje händelse ska vara ett JSON-objekt."),
        "dict_type": _("Varje händelse ska vara ett JSON-objekt."),
        "list_type": _("Ange en lista."),
        "bool_type": _("Ange true eller false."),
        "bool_parsing": _("Ange true eller false."),
    }
    if kind in messages:
        return messages[kind]
    if kind.startswith(("float_", "int_")):
        return _("Ange ett tal.")
    if kind.startswith(("datetime_", "date_")):
        return _("Ange en tidpunkt i ISO 8601-format, t.ex. 2026-05-01T21:30.")
    if kind == "string_too_long":
        return _("Texten är för lång (högst %(n)s tecken).") % {"n": ctx.get("max_length")}
    if kind == "string_too_short":
        return _("Får inte vara tomt.")
    if kind == "literal_error":
        return _("Välj ett av: %(choices)s.") % {"choices": ctx.get("expected", "")}
    if kind in {"greater_than_equal", "greater_than"}:
        return _("Måste vara minst %(n)s.") % {"n": ctx.get("ge", ctx.get("gt"))}
    if kind in {"less_than_equal", "less_than"}:
        return _("Får vara högst %(n)s.") % {"n": ctx.get("le", ctx.get("lt"))}
    if kind == "value_error":
        return str(ctx.get("error", error.get("msg", "")))
    return _("Ogiltigt värde (%(msg)s).") % {"msg": error.get("msg", kind)}


def field_name(loc: tuple | list) -> str:
    """'lat' from pydantic's ('lat',) or ninja's ('query', 'limit'); nested parts joined by '.'."""
    parts = [str(part) for part in loc if not isinstance(part, int)]
    if parts and parts[0] in {"body", "query", "path", "header", "cookie", "form"}:
        parts = parts[1:]
    return ".".join(parts) or "body"


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
            "municipality": event.municipality.code if event.municipality else None,
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


class FieldErrorOut(Schema):
    index: int | None = Field(None, description="Listans index (0-baserat) vid en lista.")
    field: str
    message: str


class FieldErrorsOut(Schema):
    detail: list[FieldErrorOut]


class MessageOut(Schema):
    detail: str
    index: int | None = None


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
