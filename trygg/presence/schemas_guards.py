"""Shapes of the ordningsvakter API: the county's decided guard areas and the export of the
guards' shift reports for a period (counts, times and areas, never who: decision 0032).

Municipalities are named by kommunkod, areas and guard areas by id."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema
from pydantic import ConfigDict, field_validator

from trygg.measures.schemas import NamedRef, refuse_null
from trygg.presence.models import GuardArea

MAX_NAME = 120
MAX_REFERENCE = 200


class GuardAreaFilters(Schema):
    municipality: str | None = Field(None, description="Kommunkod, t.ex. 1780.")
    valid_on: dt.date | None = Field(None, description="Bara de som gäller den dagen.")


class GuardAreaIn(Schema):
    """Länsstyrelsens beslut om ett ordningsvaktsområde. Kommunens samordnare."""

    model_config = ConfigDict(extra="forbid")

    municipality: str = Field(..., min_length=1, description="Kommunkod, t.ex. 1780.")
    name: str = Field(..., max_length=MAX_NAME)
    decision_reference: str = Field(
        ..., max_length=MAX_REFERENCE, description="T.ex. ”Länsstyrelsen Värmland dnr 2024-1234”."
    )
    decided_on: dt.date
    valid_from: dt.date
    valid_to: dt.date | None = Field(None, description="Sista dagen; utelämnad: tills vidare.")
    areas: list[int] = Field(..., description="Id för kommunens områden som beslutet omfattar.")


class GuardAreaPatch(Schema):
    """Ändra ett beslut: bara fälten som skickas ändras. valid_to avslutar området."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(None, max_length=MAX_NAME)
    decision_reference: str | None = Field(None, max_length=MAX_REFERENCE)
    decided_on: dt.date | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = Field(None, description="null: tills vidare.")
    areas: list[int] | None = None

    _not_null = field_validator("name", "decision_reference", "decided_on", "valid_from", "areas")(
        refuse_null
    )


class GuardAreaOut(Schema):
    id: int
    name: str
    municipality: str = Field(..., description="Kommunkod.")
    decision_reference: str
    decided_on: dt.date
    valid_from: dt.date
    valid_to: dt.date | None
    valid_today: bool
    areas: list[NamedRef]
    geometry: dict[str, Any] = Field(..., description="GeoJSON MultiPolygon, WGS84.")


class GuardAreaListOut(Schema):
    count: int
    items: list[GuardAreaOut]


class GuardReportFilters(Schema):
    municipality: str = Field(..., min_length=1, description="Kommunkod, t.ex. 1780.")
    start: dt.date = Field(..., description="Periodens första dag.")
    end: dt.date = Field(..., description="Periodens sista dag.")
    guard_area: int | None = Field(None, description="Bara pass i detta ordningsvaktsområde.")


class GuardReportRow(Schema):
    shift: int = Field(..., description="Passets id.")
    day: dt.date
    start: str = Field(..., description="Svensk tid, HH:MM.")
    end: str
    area: str
    people: int
    met: dict[str, int] = Field(..., description="Mötta per åldersband.")
    interventions: dict[str, int]
    observed: dict[str, int] = Field(..., description="Iakttagelser per kategorikod.")


class GuardReportsOut(Schema):
    municipality: str
    start: dt.date
    end: dt.date
    guard_area: NamedRef | None
    count: int
    items: list[GuardReportRow]


def guard_area_item(guard_area: GuardArea, today: dt.date) -> dict[str, Any]:
    """One guard area (municipality and areas loaded)."""
    return {
        "id": guard_area.pk,
        "name": guard_area.name,
        "municipality": guard_area.municipality.code,
        "decision_reference": guard_area.decision_reference,
        "decided_on": guard_area.decided_on,
        "valid_from": guard_area.valid_from,
        "valid_to": guard_area.valid_to,
        "valid_today": guard_area.is_valid_on(today),
        "areas": [{"id": a.pk, "name": a.name} for a in guard_area.areas.all()],
        "geometry": guard_area.geometry,
    }
