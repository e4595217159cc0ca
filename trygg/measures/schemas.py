"""Shapes of the measures API: a measure and its timeline, what may be sent to create or change
one, responsibility rules and the routing suggestion.

Organisations are named by code, municipalities by kommunkod, places and areas by id. The
timeline names organisations, never the people who wrote: partners see each other's
organisations, not their staff. Errors have the shape every endpoint shares (trygg.core.api_errors).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import pydantic
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import ConfigDict, field_validator

from trygg.core.api_errors import FieldErrors, field_error, field_name, swedish_message
from trygg.measures.models import Measure, MeasureEntry, ResponsibilityRule

MAX_TITLE = 160
MAX_TEXT = 4000
MAX_COST = 10**12 - 1  # the column holds twelve digits

# --- references ---------------------------------------------------------------------------


KIND_HELP = (
    "Typ: other, camera, lighting, vegetation, graffiti_guard, fence eller other_physical. "
    "De fysiska kräver en plats."
)


class NamedRef(Schema):
    id: int
    name: str


class OrganisationRef(Schema):
    code: str
    name: str


class DecisionRef(Schema):
    meeting: int = Field(..., description="EST-mötets id.")
    text: str


def named(obj) -> dict[str, Any] | None:
    return None if obj is None else {"id": obj.pk, "name": obj.name}


def organisation_ref(organisation) -> dict[str, Any] | None:
    return None if organisation is None else {"code": organisation.code, "name": organisation.name}


# --- measures out -------------------------------------------------------------------------


class MeasureOut(Schema):
    id: int
    title: str
    description: str
    status: str = Field(..., description="proposed, agreed, in_progress, done eller cancelled.")
    status_label: str
    kind: str = Field(
        ...,
        description=KIND_HELP,
    )
    kind_label: str
    category: str | None = Field(None, description="Kategorins kod.")
    place: NamedRef | None
    area: NamedRef | None
    municipality: str = Field(..., description="Kommunkod, t.ex. 1780.")
    responsible: OrganisationRef | None
    due: dt.date | None = Field(None, description="Ska vara klar senast.")
    cost: int | None = Field(None, description="Kostnad i kronor.")
    started_on: dt.date | None
    done_on: dt.date | None
    cancel_reason: str
    event_ids: list[int] = Field(..., description="Kopplade händelser som du får se.")
    decision: DecisionRef | None = Field(None, description="EST-mötets beslut, om det finns.")
    url: str = Field(..., description="Åtgärdens sida.")
    created_at: dt.datetime
    updated_at: dt.datetime


class EntryOut(Schema):
    """En rad i åtgärdens logg. Organisationen, aldrig personen."""

    kind: str = Field(..., description="created, assigned, status, edited eller comment.")
    kind_label: str
    old: str
    new: str
    text: str
    organisation: str | None = Field(None, description="Organisationens kod.")
    organisation_name: str | None
    created_at: dt.datetime


class MeasureDetailOut(MeasureOut):
    timeline: list[EntryOut]


class MeasureListOut(Schema):
    count: int = Field(..., description="Antal träffar totalt (före limit/offset).")
    items: list[MeasureOut]


class MeasureFilters(Schema):
    """The list's query parameters; codes and ids are looked up by the endpoint."""

    municipality: str | None = Field(None, description="Kommunkod, t.ex. 1780.")
    status: list[str] | None = Field(None, description="En eller flera: upprepa eller komma.")
    responsible: str | None = Field(None, description="Ansvarig organisations kod.")
    area: int | None = Field(None, description="Områdets id; delområden ingår.")
    place: int | None = Field(None, description="Platsens id.")
    category: str | None = Field(
        None, description="Kategorins kod eller namn; underkategorier ingår."
    )
    due_before: dt.date | None = Field(None, description="Klar senast detta datum eller före.")
    due_after: dt.date | None = Field(None, description="Klar senast detta datum eller senare.")
    overdue: bool | None = Field(None, description="true: bara försenade; false: inga försenade.")
    updated_since: str | None = Field(
        None, description="Ändrade (eller kommenterade) från och med detta datum/denna tidpunkt."
    )
    limit: int = Field(100, ge=1, le=1000)
    offset: int = Field(0, ge=0)


def measure_item(measure: Measure, *, event_ids: list[int], url: str) -> dict[str, Any]:
    """The item for one measure (category, place, area, municipality, responsible and decision
    loaded by select_related). `event_ids` are the linked events the caller may see."""
    decision = getattr(measure, "decision", None)
    return {
        "id": measure.pk,
        "title": measure.title,
        "description": measure.description,
        "status": measure.status,
        "status_label": str(measure.get_status_display()),
        "kind": measure.kind,
        "kind_label": str(measure.get_kind_display()),
        "category": measure.category.code if measure.category else None,
        "place": named(measure.place),
        "area": named(measure.area),
        "municipality": measure.municipality.code,
        "responsible": organisation_ref(measure.responsible),
        "due": measure.due,
        "cost": None if measure.cost is None else int(measure.cost),
        "started_on": measure.started_on,
        "done_on": measure.done_on,
        "cancel_reason": measure.cancel_reason,
        "event_ids": event_ids,
        "decision": {"meeting": decision.meeting_id, "text": decision.text} if decision else None,
        "url": url,
        "created_at": timezone.localtime(measure.created_at),
        "updated_at": timezone.localtime(measure.updated_at),
    }


def entry_item(entry: MeasureEntry) -> dict[str, Any]:
    organisation = entry.organisation
    return {
        "kind": entry.kind,
        "kind_label": str(entry.get_kind_display()),
        "old": entry.old,
        "new": entry.new,
        "text": entry.text,
        "organisation": organisation.code if organisation else None,
        "organisation_name": organisation.name if organisation else None,
        "created_at": timezone.localtime(entry.created_at),
    }


# --- measures in --------------------------------------------------------------------------


def refuse_null(value):
    """For fields that may be left out of a change but not set to null."""
    if value is None:
        raise ValueError(_("Får inte vara null: utelämna fältet om det inte ska ändras."))
    return value


class MeasureIn(Schema):
    """En ny åtgärd. Andra än samordnare kan bara föreslå (status proposed)."""

    model_config = ConfigDict(extra="forbid")

    municipality: str = Field(..., min_length=1, description="Kommunkod, t.ex. 1780.")
    title: str = Field(..., min_length=1, max_length=MAX_TITLE)
    description: str = Field("", max_length=MAX_TEXT)
    kind: str = Field(
        "other",
        description=KIND_HELP,
    )
    category: str | None = Field(None, description="Kategorins kod eller namn.")
    place: int | None = Field(None, description="Platsens id.")
    area: int | None = Field(None, description="Områdets id.")
    responsible: str | None = Field(None, description="Ansvarig organisations kod.")
    due: dt.date | None = Field(None, description="Klar senast (ÅÅÅÅ-MM-DD).")
    cost: int | None = Field(None, ge=0, le=MAX_COST, description="Kostnad i kronor.")
    event_ids: list[int] = Field([], description="Händelser som åtgärden svarar på.")
    status: str = Field("proposed", description="proposed, agreed eller in_progress.")


class MeasurePatch(Schema):
    """Ändra en åtgärd: bara fälten som skickas ändras. Status kan ansvarig organisation
    ändra (beslutad → pågår → klar); övrigt ändrar samordnare."""

    model_config = ConfigDict(extra="forbid")

    status: str | None = Field(None, description="Ny status.")
    reason: str = Field("", max_length=MAX_TEXT, description="Skäl; krävs vid cancelled.")
    responsible: str | None = Field(None, description="Ny ansvarig organisations kod.")
    title: str | None = Field(None, min_length=1, max_length=MAX_TITLE)
    description: str | None = Field(None, max_length=MAX_TEXT)
    kind: str | None = Field(
        None,
        description=KIND_HELP,
    )
    category: str | None = Field(None, description="Kategorins kod eller namn; null tar bort den.")
    place: int | None = Field(None, description="Platsens id; null tar bort den.")
    area: int | None = Field(None, description="Områdets id; null tar bort det.")
    due: dt.date | None = Field(None, description="Klar senast; null tar bort datumet.")
    cost: int | None = Field(None, ge=0, le=MAX_COST, description="Kostnad i kronor.")

    # Leaving a field out changes nothing; an explicit null is refused where there must be a
    # value (a measure always has a title and a status, and its owner can be moved, not removed).
    @field_validator("status", "responsible", "title", "description", "kind", mode="before")
    @classmethod
    def _not_null(cls, value):
        return refuse_null(value)


class CommentIn(Schema):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(..., min_length=1, max_length=MAX_TEXT)


# --- responsibility rules -----------------------------------------------------------------


class RuleOut(Schema):
    id: int
    municipality: str = Field(..., description="Kommunkod.")
    organisation: OrganisationRef
    category: str | None = Field(None, description="Kategorins kod; null: alla kategorier.")
    include_subcategories: bool
    area: NamedRef | None = Field(None, description="null: hela kommunen.")
    place_kind: str = Field(..., description="Platstyp; tom: alla.")
    place: NamedRef | None
    priority: int
    preferred: bool
    note: str
    is_active: bool
    description: str = Field(..., description="Villkoren i ord.")


class RuleListOut(Schema):
    count: int
    items: list[RuleOut]


class RuleIn(Schema):
    """En ansvarsregel: organisationen svarar för det som passar alla ifyllda villkor."""

    model_config = ConfigDict(extra="forbid")

    municipality: str = Field(..., min_length=1, description="Kommunkod.")
    organisation: str = Field(..., min_length=1, description="Ansvarig organisations kod.")
    category: str | None = Field(
        None, description="Kategorins kod eller namn; null: alla kategorier."
    )
    include_subcategories: bool = True
    area: int | None = Field(None, description="Områdets id; null: hela kommunen.")
    place_kind: str = Field("", description="Platstyp (t.ex. stairwell); tom: alla.")
    place: int | None = Field(None, description="En enskild plats (id).")
    priority: int = Field(0, ge=-32768, le=32767, description="Högre tal vinner.")
    preferred: bool = Field(False, description="Går före alla andra regler som passar.")
    note: str = Field("", max_length=200)
    is_active: bool = True


class RulePatch(Schema):
    """Ändra en regel: bara fälten som skickas ändras (kommunen ligger fast)."""

    model_config = ConfigDict(extra="forbid")

    organisation: str | None = Field(None, min_length=1, description="Ansvarig organisations kod.")
    category: str | None = None
    include_subcategories: bool | None = None
    area: int | None = None
    place_kind: str | None = None
    place: int | None = None
    priority: int | None = Field(None, ge=-32768, le=32767)
    preferred: bool | None = None
    note: str | None = Field(None, max_length=200)
    is_active: bool | None = None

    @field_validator(
        "organisation",
        "include_subcategories",
        "place_kind",
        "priority",
        "preferred",
        "note",
        "is_active",
        mode="before",
    )
    @classmethod
    def _not_null(cls, value):
        return refuse_null(value)


def rule_item(rule: ResponsibilityRule) -> dict[str, Any]:
    return {
        "id": rule.pk,
        "municipality": rule.municipality.code,
        "organisation": organisation_ref(rule.organisation),
        "category": rule.category.code if rule.category else None,
        "include_subcategories": rule.include_subcategories,
        "area": named(rule.area),
        "place_kind": rule.place_kind,
        "place": named(rule.place),
        "priority": rule.priority,
        "preferred": rule.preferred,
        "note": rule.note,
        "is_active": rule.is_active,
        "description": rule.describe(),
    }


# --- routing ------------------------------------------------------------------------------


class RuleRef(Schema):
    id: int
    description: str


class SuggestionOut(Schema):
    organisation: OrganisationRef | None = Field(None, description="Föreslagen ansvarig.")
    reason: str = Field(..., description="rule, manager, coordinator eller none.")
    reason_label: str
    rule: RuleRef | None = Field(None, description="Regeln som gav förslaget.")
    area: NamedRef | None = Field(None, description="Området som förslaget gäller.")
    place: NamedRef | None = Field(None, description="Platsen som förslaget gäller.")


# --- parsing ------------------------------------------------------------------------------

SchemaT = TypeVar("SchemaT", bound=Schema)


def parse_body(body: bytes, schema: type[SchemaT]) -> SchemaT:
    """The JSON body as `schema`, or 422 naming every field that is wrong (in Swedish).

    Parsed here rather than by ninja so that fields are named as sent ("title"), not after
    the endpoint's parameter ("payload.title")."""
    try:
        data = json.loads(body or b"null")
    except (ValueError, UnicodeDecodeError):
        raise FieldErrors([field_error("body", _("Ogiltig JSON."))]) from None
    if not isinstance(data, dict):
        raise FieldErrors([field_error("body", _("Skicka ett JSON-objekt."))])
    try:
        return schema.model_validate(data)
    except pydantic.ValidationError as exc:
        errors = [
            field_error(field_name(error["loc"]), swedish_message(dict(error)))
            for error in exc.errors(include_url=False)
        ]
        raise FieldErrors(errors) from None


def body_openapi(schema: type[Schema]) -> dict[str, Any]:
    """The request body for the OpenAPI document (the body is parsed by parse_body)."""
    content = {"application/json": {"schema": schema.model_json_schema()}}
    return {"requestBody": {"required": True, "content": content}}


def action_errors(exc: ValidationError, renamed: dict[str, str]) -> FieldErrors:
    """An action's field errors, named as the API names them (events -> event_ids)."""
    if not hasattr(exc, "error_dict"):
        return FieldErrors([field_error("body", message) for message in exc.messages])
    return FieldErrors(
        [
            field_error(renamed.get(name, name), message)
            for name, messages in exc.message_dict.items()
            for message in messages
        ]
    )


@contextmanager
def refused_by_field(renamed: dict[str, str] | None = None, status: int = 422) -> Iterator[None]:
    """An action's ValidationError as the API's field errors (422, or `status`), its fields
    named as the API names them: the action has written nothing."""
    try:
        yield
    except ValidationError as exc:
        errors = action_errors(exc, renamed or {})
        errors.status = status
        raise errors from None
