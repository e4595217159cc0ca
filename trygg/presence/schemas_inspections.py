"""Shapes of the krogtillsyn API: premises with their licences, inspections with their findings
(events) and follow-ups (measures), and the month-by-month count against the plan's target.

Municipalities are named by kommunkod, organisations by code, categories by code, premises,
places and inspections by id. A licence holder is a company's name; no shape names a person."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import ConfigDict, field_validator

from trygg.events.schemas import as_stockholm
from trygg.measures.schemas import NamedRef, OrganisationRef, named, organisation_ref
from trygg.organisations.shards import prefetch_in_municipalities
from trygg.presence.actions.inspections import MAX_FINDINGS
from trygg.presence.inspections import load_links
from trygg.presence.models import Inspection, Licence, Premise

MAX_TEXT = 4000
MOMENT = "ISO 8601; utan tidszon tolkas tiden som svensk tid."
KINDS = "overserving, responsible, drugs eller order."


class LicenceIn(Schema):
    model_config = ConfigDict(extra="forbid")

    holder: str = Field(..., max_length=160, description="Bolagets namn, aldrig en person.")
    valid_from: dt.date
    valid_to: dt.date | None = Field(None, description="Sista dagen; utelämnad: tills vidare.")
    serving_from: dt.time = Field(dt.time(11, 0), description="När serveringen börjar.")
    serving_until: list[dt.time | None] = Field(
        ...,
        min_length=7,
        max_length=7,
        description="Sju klockslag, måndag först; null en dag utan servering. Ett klockslag "
        "före serving_from är natten efter.",
    )


class LicenceOut(Schema):
    id: int
    holder: str
    valid_from: dt.date
    valid_to: dt.date | None
    serving_from: str
    serving_until: list[str | None]


class PremiseFilters(Schema):
    municipality: str | None = Field(None, description="Kommunkod, t.ex. 1780.")


class PremiseIn(Schema):
    """Ett nytt serveringsställe, med sitt första tillstånd. Kommunens samordnare."""

    model_config = ConfigDict(extra="forbid")

    municipality: str = Field(..., min_length=1, description="Kommunkod, t.ex. 1780.")
    place: int = Field(..., description="Platsens id.")
    name: str = Field(..., min_length=1, max_length=120)
    licence: LicenceIn | None = None


class PremiseOut(Schema):
    id: int
    name: str
    municipality: str = Field(..., description="Kommunkod.")
    place: NamedRef
    licence_today: LicenceOut | None = Field(..., description="Tillståndet som gäller i dag.")
    licences: list[LicenceOut]
    url: str = Field(..., description="Serveringsställets sida med dess historik.")


class PremiseListOut(Schema):
    count: int
    items: list[PremiseOut]


class FindingIn(Schema):
    model_config = ConfigDict(extra="forbid")

    category: str = Field(..., description="Kategorikod under krog, t.ex. krog.overservering.")
    description: str = Field("", max_length=MAX_TEXT, description="Rensas från personuppgifter.")


class InspectionIn(Schema):
    """En genomförd tillsyn. Serveringsstället ska ha ett gällande tillstånd den dagen."""

    model_config = ConfigDict(extra="forbid")

    premise: int = Field(..., description="Serveringsställets id.")
    starts_at: dt.datetime = Field(..., description=MOMENT)
    kind: str = Field(..., description=KINDS)
    organisations: list[str] = Field(..., description="De deltagande organisationernas koder.")
    organisation: str = Field(..., description="Koden för den som registrerar (en deltagare).")
    note: str = Field("", max_length=MAX_TEXT, description="Rensas från personuppgifter.")
    findings: list[FindingIn] = Field([], max_length=MAX_FINDINGS)

    @field_validator("starts_at", mode="before")
    @classmethod
    def _text_only(cls, value):
        # A bare number would be read as a Unix timestamp: almost surely a client's mistake.
        if not isinstance(value, str):
            raise ValueError(_("Ange tidpunkten som text i ISO 8601-format."))
        return value

    @field_validator("starts_at")
    @classmethod
    def _local_time(cls, value):
        return as_stockholm(value)


class InspectionFilters(Schema):
    municipality: str | None = Field(None, description="Kommunkod.")
    premise: int | None = Field(None, description="Serveringsställets id.")
    year: int | None = Field(None, description="Bara tillsyner det året (svensk tid).")
    limit: int = Field(100, ge=1, le=500)
    offset: int = Field(0, ge=0)


class FindingOut(Schema):
    event: int = Field(..., description="Händelsens id (källa inspection).")
    category: str
    category_name: str
    description: str


class MeasureRef(Schema):
    id: int
    title: str
    status: str


class InspectionOut(Schema):
    id: int
    premise: NamedRef
    municipality: str
    starts_at: dt.datetime
    kind: str = Field(..., description=KINDS)
    kind_label: str
    organisations: list[OrganisationRef]
    organisation: OrganisationRef
    licence_holder: str
    note: str
    findings: list[FindingOut]
    measures: list[MeasureRef]
    url: str


class InspectionListOut(Schema):
    count: int
    items: list[InspectionOut]


class FollowUpIn(Schema):
    """En uppföljande åtgärd. Samordnare beslutar den; andra föreslår den för EST-gruppen."""

    model_config = ConfigDict(extra="forbid")

    title: str = Field(..., min_length=1, max_length=200)
    responsible: str | None = Field(None, description="Ansvarig organisations kod.")
    due: dt.date | None = None
    description: str = Field("", max_length=MAX_TEXT)


class MonthOut(Schema):
    month: int
    count: int
    target: int | None
    met: bool | None = Field(..., description="null: inget mål, eller månaden pågår.")


class MonthsOut(Schema):
    municipality: str
    year: int
    target_per_month: int | None
    months: list[MonthOut]


def licence_item(licence: Licence) -> dict[str, Any]:
    return {
        "id": licence.pk,
        "holder": licence.holder,
        "valid_from": licence.valid_from,
        "valid_to": licence.valid_to,
        "serving_from": licence.serving_from.strftime("%H:%M"),
        "serving_until": licence.serving_until,
    }


# A premise's licences, latest first, read naming the premises' municipalities
# (`prefetch_in_municipalities`).
LICENCES = Prefetch("licences", Licence.objects.order_by("-valid_from"))


def premise_item(premise: Premise, today: dt.date, url: str) -> dict[str, Any]:
    """One premise (place and municipality loaded), with its licences: read here in its
    municipality unless a list read them for all its premises."""
    prefetch_in_municipalities([premise], LICENCES)
    licences = list(premise.licences.all())
    current = next(
        (
            lic
            for lic in licences
            if lic.valid_from <= today and (lic.valid_to is None or lic.valid_to >= today)
        ),
        None,
    )
    return {
        "id": premise.pk,
        "name": premise.name,
        "municipality": premise.municipality.code,
        "place": named(premise.place),
        "licence_today": licence_item(current) if current else None,
        "licences": [licence_item(lic) for lic in licences],
        "url": url,
    }


def inspection_item(inspection: Inspection, url: str) -> dict[str, Any]:
    """One inspection (premise, municipality, organisation and licence loaded), with its
    linked organisations, findings and measures: read here in its municipality unless a
    list read them for all its inspections (`load_links`)."""
    if "findings" not in getattr(inspection, "_prefetched_objects_cache", {}):
        load_links([inspection])
    return {
        "id": inspection.pk,
        "premise": named(inspection.premise),
        "municipality": inspection.municipality.code,
        "starts_at": inspection.starts_at,
        "kind": inspection.kind,
        "kind_label": inspection.get_kind_display(),
        "organisations": [organisation_ref(o) for o in inspection.organisations.all()],
        "organisation": organisation_ref(inspection.organisation),
        "licence_holder": inspection.licence.holder,
        "note": inspection.note,
        "findings": [
            {
                "event": e.pk,
                "category": e.category.code,
                "category_name": e.category.name_sv,
                "description": e.description,
            }
            for e in inspection.findings.all()
        ],
        "measures": [
            {"id": m.pk, "title": m.title, "status": m.status} for m in inspection.measures.all()
        ],
        "url": url,
    }
