"""Shapes of the shift report in the API: what the phone (or another client) sends, and the
stored report. Counts by age band and by kind of intervention, never people; observations
are events named by the category's code, placed at a position or only in the shift's area."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import ConfigDict, field_validator

from trygg.events.schemas import as_stockholm
from trygg.presence.models import AGE_BANDS, INTERVENTIONS, ShiftReport

MAX_NOTE = 4000
MET = "Mötta personer per åldersband: " + ", ".join(key for key, _c, _l in AGE_BANDS) + "."
DONE = "Insatser per slag: " + ", ".join(key for key, _c, _l in INTERVENTIONS) + "."


def _uuid(value: str) -> str:
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise ValueError(_("Ange enhetens id som ett UUID.")) from None


class ObservationIn(Schema):
    """Något gruppen såg: blir en händelse med källa shift."""

    model_config = ConfigDict(extra="forbid")

    client_id: str = Field(..., description="Id som enheten skapat (UUID); händelsens externa id.")
    category: str = Field(..., min_length=1, description="Kategorins kod.")
    observed_at: dt.datetime | None = Field(
        None, description="När (ISO 8601); utelämnad: när passet slutade."
    )
    lat: float | None = Field(None, ge=-90, le=90, allow_inf_nan=False)
    lon: float | None = Field(None, ge=-180, le=180, allow_inf_nan=False)
    note: str = Field("", max_length=MAX_NOTE, description="Rensas från personuppgifter.")

    _id = field_validator("client_id")(_uuid)

    @field_validator("observed_at")
    @classmethod
    def _local(cls, value):
        return None if value is None else as_stockholm(value)


class ReportIn(Schema):
    """En passrapport. Antal, aldrig vilka: inga fält för personer."""

    model_config = ConfigDict(extra="forbid")

    client_id: str | None = Field(
        None,
        description="Id som enheten skapat (UUID). Krävs vid POST: en rapport som skickas igen "
        "sparas en gång.",
    )
    met: dict[str, int] = Field(default_factory=dict, description=MET)
    interventions: dict[str, int] = Field(default_factory=dict, description=DONE)
    note: str = Field("", max_length=MAX_NOTE, description="Rensas från personuppgifter.")
    observations: list[ObservationIn] = Field(default_factory=list)

    @field_validator("client_id")
    @classmethod
    def _id(cls, value):
        return None if value is None else _uuid(value)


class ObservationOut(Schema):
    event_id: int
    client_id: str
    category: str
    category_name: str
    observed_at: dt.datetime
    lat: float
    lon: float
    precision_m: int = Field(..., description="Stor när iakttagelsen bara angavs till området.")
    area: str | None
    description: str


class ReportOut(Schema):
    shift: int
    client_id: str
    met: dict[str, int]
    met_total: int
    interventions: dict[str, int]
    note: str
    observations: list[ObservationOut] = Field(
        ..., description="Bara de händelser du får se (efter deras synlighet)."
    )
    created_at: dt.datetime
    updated_at: dt.datetime
    url: str = Field(..., description="Rapportens sida.")


def observation_item(event) -> dict[str, Any]:
    return {
        "event_id": event.pk,
        "client_id": event.external_id,
        "category": event.category.code,
        "category_name": event.category.name,
        "observed_at": timezone.localtime(event.occurred_from),
        "lat": event.lat,
        "lon": event.lon,
        "precision_m": event.precision_m,
        "area": event.area.name if event.area_id else None,
        "description": event.description,
    }


def report_item(report: ShiftReport, events: list, url: str) -> dict[str, Any]:
    return {
        "shift": report.shift_id,
        "client_id": str(report.client_id),
        "met": {key: count for key, _label, count in report.met},
        "met_total": report.met_total,
        "interventions": {key: count for key, _label, count in report.interventions},
        "note": report.note,
        "observations": [observation_item(event) for event in events],
        "created_at": timezone.localtime(report.created_at),
        "updated_at": timezone.localtime(report.updated_at),
        "url": url,
    }
