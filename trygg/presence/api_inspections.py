"""The krogtillsyn API (issue 15, point 8): premises with their licences, inspections with
their findings and follow-ups, and the month-by-month count against the plan's target.

Everything is visible to the staff of the municipality's organisations, 404 for anyone else.
Writes go through trygg.presence.actions (403 with the reason when the user may not, 422 by
field in the pages' Swedish, nothing written): an inspection of a premise without a licence in
force that day is a 422 on `premise`."""

from __future__ import annotations

import datetime as dt

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router

from trygg.core.api_errors import FieldErrorsOut, MessageOut
from trygg.core.periods import midnight
from trygg.core.resolve import Resolver
from trygg.events.lookups import CATEGORY
from trygg.measures.schemas import body_openapi, parse_body, refused_by_field
from trygg.organisations.lookups import ORGANISATION
from trygg.organisations.shards import joined_in_municipality, prefetch_in_municipalities
from trygg.places.lookups import MUNICIPALITY, PLACE
from trygg.presence.access import may_view
from trygg.presence.actions.inspections import (
    FindingInput,
    InspectionInput,
    add_follow_up,
    record_inspection,
)
from trygg.presence.actions.premises import (
    FIRST_YEAR,
    LAST_YEAR,
    LicenceInput,
    add_licence,
    create_premise,
)
from trygg.presence.inspections import load_links, monthly
from trygg.presence.models import Inspection, InspectionPlan, Premise
from trygg.presence.schemas_inspections import (
    LICENCES,
    FollowUpIn,
    InspectionFilters,
    InspectionIn,
    InspectionListOut,
    InspectionOut,
    LicenceIn,
    LicenceOut,
    MonthsOut,
    PremiseFilters,
    PremiseIn,
    PremiseListOut,
    PremiseOut,
    inspection_item,
    licence_item,
    premise_item,
)

router = Router(tags=["krogtillsyn"])

ERRORS = {401: MessageOut, 403: MessageOut, 422: FieldErrorsOut}
NOT_FOUND = {404: MessageOut}


def _url(request, obj) -> str:
    return request.build_absolute_uri(obj.get_absolute_url())


def _licence_input(data: LicenceIn) -> LicenceInput:
    return LicenceInput(**data.model_dump())


# --- premises ---------------------------------------------------------------------------------


def _premises(user):
    """The premises with their place and municipality; `premise_item` reads the licences
    (those of a list at once), naming the premises' municipalities."""
    premises = Premise.objects.visible_to(user).select_related("place", "municipality")
    return premises.defer("municipality__geometry")


def _premise(request, premise_id: int) -> dict:
    premise = get_object_or_404(_premises(request.auth), pk=premise_id)
    return premise_item(premise, timezone.localdate(), _url(request, premise))


@router.get(
    "/presence/premises",
    response={200: PremiseListOut, **ERRORS},
    summary="Serveringsställen",
    description="Serveringsställena i kommunerna där du arbetar, med tillstånden och det som "
    "gäller i dag.",
)
def list_premises(request, filters: Query[PremiseFilters]):
    premises = _premises(request.auth)
    if filters.municipality is not None:
        lookups = Resolver()
        municipality = lookups.get(MUNICIPALITY, filters.municipality, "municipality")
        lookups.check()
        premises = premises.filter(municipality=municipality)
    today = timezone.localdate()
    rows = prefetch_in_municipalities(premises.order_by("name", "pk"), LICENCES)
    items = [premise_item(p, today, _url(request, p)) for p in rows]
    return {"count": len(items), "items": items}


@router.get(
    "/presence/premises/{premise_id}",
    response={200: PremiseOut, **NOT_FOUND, **ERRORS},
    summary="Ett serveringsställe",
)
def get_premise(request, premise_id: int):
    return _premise(request, premise_id)


@router.post(
    "/presence/premises",
    response={201: PremiseOut, **ERRORS},
    summary="Lägg upp ett serveringsställe",
    description="Kommunens samordnare. Platsen ska ligga i kommunen och namnet vara unikt där; "
    "med ett tillstånd sparas båda eller inget.",
    openapi_extra=body_openapi(PremiseIn),
)
def post_premise(request):
    data = parse_body(request.body, PremiseIn)
    lookups = Resolver()
    municipality = lookups.get(MUNICIPALITY, data.municipality, "municipality")
    place = lookups.get(PLACE, data.place, "place")
    lookups.check()
    assert municipality is not None  # noqa: S101 -- a required field: lookups.check() raised
    licence = _licence_input(data.licence) if data.licence is not None else None
    with refused_by_field():
        premise = create_premise(municipality, place, data.name, licence, acting_user=request.auth)
    return 201, _premise(request, premise.pk)


@router.post(
    "/presence/premises/{premise_id}/licences",
    response={201: LicenceOut, **NOT_FOUND, **ERRORS},
    summary="Lägg till ett tillstånd",
    description="Ett förnyat tillstånd, ny tillståndshavare eller nya tider. Får inte "
    "överlappa ett annat tillstånd för stället.",
    openapi_extra=body_openapi(LicenceIn),
)
def post_licence(request, premise_id: int):
    data = parse_body(request.body, LicenceIn)
    premise = get_object_or_404(_premises(request.auth), pk=premise_id)
    with refused_by_field():
        licence = add_licence(premise, _licence_input(data), acting_user=request.auth)
    return 201, licence_item(licence)


# --- inspections ------------------------------------------------------------------------------


def _inspections(user):
    """The inspections with their premise and licence, joined on the municipality too (where
    both lie) so that Citus joins them shard by shard; `inspection_item` reads the linked
    organisations, findings and measures (a list's at once, `load_links`)."""
    inspections = (
        Inspection.objects.visible_to(user)
        .filter(**joined_in_municipality("premise", "licence"))
        .select_related("premise", "municipality", "organisation", "licence")
    )
    return inspections.defer("municipality__geometry")


def _inspection(request, inspection_id: int) -> dict:
    inspection = get_object_or_404(_inspections(request.auth), pk=inspection_id)
    return inspection_item(inspection, _url(request, inspection))


@router.get(
    "/presence/inspections",
    response={200: InspectionListOut, **ERRORS},
    summary="Tillsyner",
    description="Tillsynerna i kommunerna där du arbetar, senaste först; filtrera på kommun, "
    "serveringsställe och år.",
)
def list_inspections(request, filters: Query[InspectionFilters]):
    inspections = _inspections(request.auth)
    lookups = Resolver()
    if filters.municipality is not None:
        municipality = lookups.get(MUNICIPALITY, filters.municipality, "municipality")
        inspections = inspections.filter(municipality=municipality)
    lookups.check()
    if filters.premise is not None:
        inspections = inspections.filter(premise_id=filters.premise)
    if filters.year is not None:
        inspections = inspections.filter(
            starts_at__gte=midnight(dt.date(filters.year, 1, 1)),
            starts_at__lt=midnight(dt.date(filters.year + 1, 1, 1)),
        )
    inspections = inspections.order_by("-starts_at", "pk")
    page = list(inspections[filters.offset : filters.offset + filters.limit])
    load_links(page)
    items = [inspection_item(i, _url(request, i)) for i in page]
    return {"count": inspections.count(), "items": items}


@router.get(
    "/presence/inspections/months",
    response={200: MonthsOut, **ERRORS},
    summary="Tillsyner per månad mot målet",
    description="Årets tolv månader: antal tillsyner (svensk tid) och tillsynsplanens mål.",
)
def inspection_months(request, municipality: str, year: int | None = None):
    lookups = Resolver()
    found = lookups.get(MUNICIPALITY, municipality, "municipality")
    if found is not None and not may_view(request.auth, found.pk):
        lookups.fail("municipality", _("Du arbetar inte i den kommunen."))
    if year is not None and not FIRST_YEAR <= year <= LAST_YEAR:
        lookups.fail("year", _("Ange ett år, till exempel 2026."))
    lookups.check()
    assert found is not None  # noqa: S101 -- a required parameter: lookups.check() raised
    today = timezone.localdate()
    year = year or today.year
    plan = InspectionPlan.objects.filter(municipality=found, year=year).first()
    months = [
        {"month": m.month, "count": m.count, "target": m.target, "met": m.met}
        for m in monthly(found.pk, year, today)
    ]
    return {
        "municipality": found.code,
        "year": year,
        "target_per_month": plan.target_per_month if plan else None,
        "months": months,
    }


@router.get(
    "/presence/inspections/{inspection_id}",
    response={200: InspectionOut, **NOT_FOUND, **ERRORS},
    summary="En tillsyn",
)
def get_inspection(request, inspection_id: int):
    return _inspection(request, inspection_id)


def _findings(lookups: Resolver, data: InspectionIn) -> list[FindingInput]:
    lookups.preload(CATEGORY, [f.category for f in data.findings])
    return [
        FindingInput(lookups.get(CATEGORY, f.category, "findings", index=i), f.description)
        for i, f in enumerate(data.findings)
    ]


@router.post(
    "/presence/inspections",
    response={201: InspectionOut, **ERRORS},
    summary="Registrera en tillsyn",
    description="Den som skriver för den registrerande organisationen, som ska vara en av "
    "de deltagande. Serveringsstället ska ha ett gällande tillstånd den dagen; varje fynd "
    "blir en händelse (källa inspection) i en krog-kategori.",
    openapi_extra=body_openapi(InspectionIn),
)
def post_inspection(request):
    data = parse_body(request.body, InspectionIn)
    lookups = Resolver()
    premise = Premise.objects.visible_to(request.auth).filter(pk=data.premise).first()
    if premise is None:
        lookups.fail("premise", _("Okänt serveringsställe."))
    lookups.preload(ORGANISATION, [*data.organisations, data.organisation])
    organisations = [
        lookups.get(ORGANISATION, code, "organisations", index=i)
        for i, code in enumerate(data.organisations)
    ]
    organisation = lookups.get(ORGANISATION, data.organisation, "organisation")
    findings = _findings(lookups, data)
    lookups.check()
    assert premise is not None  # noqa: S101 -- lookups.check() raised
    values = InspectionInput(
        data.starts_at, data.kind, organisations, organisation, data.note, findings
    )
    with refused_by_field():
        inspection = record_inspection(premise, values, acting_user=request.auth)
    return 201, _inspection(request, inspection.pk)


@router.post(
    "/presence/inspections/{inspection_id}/measures",
    response={201: InspectionOut, **NOT_FOUND, **ERRORS},
    summary="Lägg till en uppföljande åtgärd",
    description="En åtgärd vid serveringsställets plats som svarar på tillsynens fynd.",
    openapi_extra=body_openapi(FollowUpIn),
)
def post_follow_up(request, inspection_id: int):
    data = parse_body(request.body, FollowUpIn)
    inspection = get_object_or_404(_inspections(request.auth), pk=inspection_id)
    lookups = Resolver()
    responsible = lookups.get(
        ORGANISATION, data.responsible, "responsible", within=inspection.municipality_id
    )
    lookups.check()
    with refused_by_field():
        add_follow_up(
            inspection,
            title=data.title,
            responsible=responsible,
            due=data.due,
            description=data.description,
            acting_user=request.auth,
        )
    return 201, _inspection(request, inspection.pk)
