"""The shapes of the residents' reports in the API: the report as staff see it, the filters of
the list, and the bodies of the moderation endpoints.

What a report item never holds, whoever asks: the tracking link's hash or token, the
resident's address for status mails (`StatusContact`), the channel and the Open311 client it
came through. The moderation-only field (the reason a report was hidden) is null for others.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, Literal

from django.utils import timezone
from ninja import Field, Schema
from pydantic import ConfigDict

from trygg.citizens.categories import BY_CODE
from trygg.citizens.models import CitizenReport, Outcome, ReportPhoto
from trygg.citizens.status import status_lines
from trygg.measures.schemas import NamedRef, OrganisationRef, named, organisation_ref

MAX_TEXT = 2000

# --- out ------------------------------------------------------------------------------------


class ResidentCategoryOut(Schema):
    code: str = Field(..., description="Invånarkategorins kod (även Open311:s service_code).")
    label: str


class PositionOut(Schema):
    lat: float
    lon: float
    precision_m: int


class StatusLineOut(Schema):
    date: dt.date
    text: str = Field(..., description="Som den som rapporterade ser det, på svenska.")


class PhotoOut(Schema):
    id: int
    review: str = Field(..., description="pending, approved eller rejected.")
    url: str = Field(..., description="Fotot (kräver inloggning eller token).")


class CitizenReportOut(Schema):
    id: int
    event: int = Field(..., description="Händelsens id (/api/v1/events/{id}).")
    municipality: str = Field(..., description="Kommunkod.")
    resident_category: ResidentCategoryOut
    category: str = Field(..., description="EST-kategorins kod på händelsen.")
    position: PositionOut
    area: NamedRef | None
    place: NamedRef | None
    description: str = Field(..., description="Beskrivningen, rensad från personuppgifter.")
    moderation: str = Field(..., description="pending, published, hidden eller duplicate.")
    moderation_label: str
    hidden_reason: str | None = Field(
        None, description="Skälet att dölja; bara för den som granskar kommunens rapporter."
    )
    duplicate_of: int | None = Field(None, description="Originalrapportens id.")
    me_too: int = Field(..., description="Fler som sagt att de sett samma sak.")
    routed_to: OrganisationRef | None
    routed_at: dt.datetime | None
    outcome: str | None = Field(None, description="fixed, not_ours eller no_action.")
    closing_note: str
    closed_at: dt.datetime | None
    created_at: dt.datetime
    status: list[StatusLineOut]
    photos: list[PhotoOut]


class CitizenReportListOut(Schema):
    count: int = Field(..., description="Antal träffar totalt (före limit/offset).")
    items: list[CitizenReportOut]


def report_item(
    report: CitizenReport,
    *,
    moderates: bool,
    photos: list[ReportPhoto],
    photo_url: Callable[[ReportPhoto], str],
) -> dict[str, Any]:
    """One report (event with category, area, place; routed_to loaded). `moderates`: whether
    the caller moderates the report's municipality; `photos`: the photos the caller may see."""
    event = report.event
    resident = BY_CODE.get(report.resident_category)
    local = timezone.localtime
    return {
        "id": report.pk,
        "event": event.pk,
        "municipality": report.municipality.code,
        "resident_category": {
            "code": report.resident_category,
            "label": str(resident.label) if resident else report.resident_category,
        },
        "category": event.category.code,
        "position": {"lat": event.lat, "lon": event.lon, "precision_m": event.precision_m},
        "area": named(event.area),
        "place": named(event.place),
        "description": event.description,
        "moderation": report.moderation,
        "moderation_label": str(report.get_moderation_display()),
        "hidden_reason": report.hidden_reason if moderates else None,
        "duplicate_of": report.duplicate_of_id,
        "me_too": report.me_too,
        "routed_to": organisation_ref(report.routed_to),
        "routed_at": local(report.routed_at) if report.routed_at else None,
        "outcome": report.outcome or None,
        "closing_note": report.closing_note,
        "closed_at": local(report.closed_at) if report.closed_at else None,
        "created_at": local(report.created_at),
        "status": [{"date": day, "text": text} for day, text in status_lines(report)],
        "photos": [
            {"id": photo.pk, "review": photo.review, "url": photo_url(photo)} for photo in photos
        ],
    }


# --- the list's filters ---------------------------------------------------------------------


class CitizenReportFilters(Schema):
    """The list's query parameters; codes are looked up by the endpoint."""

    municipality: str | None = Field(None, description="Kommunkod, t.ex. 1780.")
    moderation: list[str] | None = Field(
        None, description="pending, published, hidden, duplicate; upprepa eller komma."
    )
    state: Literal["open", "closed"] | None = Field(
        None, description="open: inte avslutade (väntande eller publicerade); closed: avslutade."
    )
    category: str | None = Field(None, description="Invånarkategorins kod, t.ex. belysning.")
    routed_to: str | None = Field(None, description="Organisationens kod.")
    created_from: dt.date | None = Field(None, description="Inkomna från och med detta datum.")
    created_to: dt.date | None = Field(None, description="Inkomna till och med detta datum.")
    limit: int = Field(100, ge=1, le=1000)
    offset: int = Field(0, ge=0)


# --- moderation bodies ----------------------------------------------------------------------


class HideIn(Schema):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(
        ..., max_length=MAX_TEXT, description="Syns för kommunen och för den som rapporterade."
    )


class DuplicateIn(Schema):
    model_config = ConfigDict(extra="forbid")

    original: int = Field(..., description="Id för den öppna rapporten i samma kommun.")


class CorrectIn(Schema):
    """Rätta kategori och/eller position (lat och lon tillsammans); det som utelämnas ändras
    inte."""

    model_config = ConfigDict(extra="forbid")

    category: str | None = Field(None, description="Invånarkategorins kod.")
    lat: float | None = Field(None, ge=-90, le=90, description="Latitud (WGS84).")
    lon: float | None = Field(None, ge=-180, le=180, description="Longitud (WGS84).")


class RouteIn(Schema):
    model_config = ConfigDict(extra="forbid")

    organisation: str = Field(..., min_length=1, description="Organisationens kod.")


class CloseIn(Schema):
    model_config = ConfigDict(extra="forbid")

    outcome: str = Field(..., description=", ".join(Outcome.values))
    note: str = Field(..., max_length=MAX_TEXT, description="Beskedet till den som rapporterade.")


class PhotoReviewIn(Schema):
    model_config = ConfigDict(extra="forbid")

    review: str = Field(..., description="approved eller rejected.")
