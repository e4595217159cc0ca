"""Shapes of the findings API: a finding as a phone (or another client) sends it, and the
answer naming the number it got on the walk.

The checklist's items are named by their code in the walk's checklist, the category by its
code, a stop by its number on the walk. Times without a zone are Swedish local time."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import ConfigDict, field_validator

# A note is a few sentences written on a phone in the street.
MAX_NOTE = 4000


class ScoreIn(Schema):
    model_config = ConfigDict(extra="forbid")

    item: str = Field(..., min_length=1, description="Punktens kod i vandringens checklista.")
    score: int | None = Field(
        None,
        description="Poäng 0 till checklistans högsta; utelämnas (null) när checklistan inte "
        "sätter poäng utan bara bockar av punkter.",
    )


class FindingIn(Schema):
    """En iakttagelse från vandringen. Enhetens id gör att den sparas en gång även om den
    skickas flera gånger."""

    model_config = ConfigDict(extra="forbid")

    client_id: str = Field(..., description="Id som enheten skapat (UUID).")
    lat: float = Field(..., ge=-90, le=90, allow_inf_nan=False, description="Latitud (WGS84).")
    lon: float = Field(..., ge=-180, le=180, allow_inf_nan=False, description="Longitud (WGS84).")
    captured_at: dt.datetime = Field(..., description="När iakttagelsen gjordes (ISO 8601).")
    category: str = Field(
        ..., min_length=1, description="Kategorins kod, t.ex. skadegorelse.klotter."
    )
    note: str = Field(
        "", max_length=MAX_NOTE, description="Anteckning; rensas från personuppgifter."
    )
    scores: list[ScoreIn] = Field(default_factory=list, description="Checklistans punkter.")
    stop: int | None = Field(
        None, description="Stoppets nummer på vandringen; utelämnas: närmaste stopp inom 150 m."
    )

    @field_validator("client_id")
    @classmethod
    def _a_uuid(cls, value: str) -> str:
        try:
            return str(uuid.UUID(value))
        except ValueError:
            raise ValueError(_("Ange enhetens id som ett UUID.")) from None

    @field_validator("captured_at")
    @classmethod
    def _aware(cls, value: dt.datetime) -> dt.datetime:
        return timezone.make_aware(value) if timezone.is_naive(value) else value


class FindingOut(Schema):
    id: str = Field(..., description="Enhetens id (UUID).")
    number: int = Field(..., description="Iakttagelsens nummer på vandringen.")
    walk_id: int
    event_id: int = Field(..., description="Händelsen i den gemensamma loggen (källa walk).")
    stop: int | None = Field(None, description="Stoppets nummer, om någon.")
    photos: int = Field(..., description="Antal sparade foton.")


def finding_out(finding, *, photos: int) -> dict[str, Any]:
    return {
        "id": str(finding.client_id),
        "number": finding.number,
        "walk_id": finding.walk_id,
        "event_id": finding.event_id,
        "stop": finding.stop.order if finding.stop_id else None,
        "photos": photos,
    }


def multipart_openapi() -> dict[str, Any]:
    """The request body for the OpenAPI document: multipart with the finding as JSON and the
    photos as files, or the finding alone as a JSON body."""
    finding = FindingIn.model_json_schema()
    multipart = {
        "type": "object",
        "required": ["finding"],
        "properties": {
            "finding": {
                "type": "string",
                "description": "Iakttagelsen som JSON (samma fält som application/json).",
            },
            "photos": {
                "type": "array",
                "items": {"type": "string", "format": "binary"},
                "description": "Foton (JPEG, PNG eller WebP).",
            },
        },
    }
    content = {
        "multipart/form-data": {
            "schema": multipart,
            "encoding": {"finding": {"contentType": "application/json"}},
        },
        "application/json": {"schema": finding},
    }
    return {"requestBody": {"required": True, "content": content}}
