"""The Purple Flag API (issue 15, point 8): certification years with their steps, the
self-assessment grid, linked evening walks, measures by focus area and the evening and night
picture. A year is visible to the staff of the municipality's organisations, 404 for anyone
else; writes go through trygg.purpleflag.actions (403 when the user may not, 422 by field in
Swedish, nothing written)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router

from trygg.core.api_errors import FieldErrorsOut, MessageOut
from trygg.core.resolve import Lookup, Resolver
from trygg.measures.models import Measure
from trygg.measures.schemas import body_openapi, parse_body, refused_by_field
from trygg.organisations.shards import linked
from trygg.places.lookups import AREA, MUNICIPALITY
from trygg.purpleflag import actions
from trygg.purpleflag.access import check_may_run
from trygg.purpleflag.grid import grid, measures_by_focus_area
from trygg.purpleflag.models import Certification
from trygg.purpleflag.picture import evening_picture
from trygg.purpleflag.schemas import (
    AssessmentIn,
    EveningOut,
    StepIn,
    TagIn,
    WalkIn,
    YearFilters,
    YearIn,
    YearListOut,
    YearOut,
)
from trygg.purpleflag.status import checks, renewal
from trygg.walks.models import Walk

router = Router(tags=["purple flag"])

ERRORS = {401: MessageOut, 403: MessageOut, 422: FieldErrorsOut}
NOT_FOUND = {404: MessageOut}
WALK = Lookup(Walk.objects.all(), "pk", _("Okänd vandring."))


def _years(user):
    return Certification.objects.visible_to(user).select_related("area", "municipality")


def _year(request, pk: int) -> Certification:
    return get_object_or_404(_years(request.auth), pk=pk)


def year_item(request, year: Certification) -> dict:
    today = timezone.localdate()
    data = grid(year)
    return {
        "id": year.pk,
        "url": request.build_absolute_uri(year.get_absolute_url()),
        "municipality": year.municipality.code,
        "area": year.area_id,
        "area_name": year.area.name,
        **{
            name: getattr(year, name)
            for name in (
                "year",
                "step",
                "starts_on",
                "application_due",
                "submitted_on",
                "visit_on",
                "decided_on",
                "renewal_due",
            )
        },
        "checks": [vars(check) for check in checks(year, today)],
        "renewal": renewal(year, today),
        "grid": [{"focus_area": r["focus_area"], "cells": r["cells"]} for r in data["rows"]],
        "walks": [
            {"id": w.pk, "title": w.title, "walk_at": w.walk_at, "status": w.status}
            # Through the link rows in the year's municipality (where its walks lie).
            for w in linked(year, "walks").order_by("walk_at")
        ],
        "measures": [
            {
                "focus_area": area["focus_area"],
                "measures": [
                    {
                        "measure": t.measure_id,
                        "title": t.measure.title,
                        "status": t.measure.status,
                        "due": t.measure.due,
                    }
                    for t in area["tags"]
                ],
            }
            for area in measures_by_focus_area(year)
        ],
    }


@router.get(
    "/purpleflag/years",
    response={200: YearListOut, **ERRORS},
    summary="Purple Flag-år",
    description="Purple Flag-åren i kommunerna där du arbetar, senaste först.",
)
def list_years(request, filters: Query[YearFilters]):
    years = _years(request.auth)
    if filters.municipality is not None:
        lookups = Resolver()
        municipality = lookups.get(MUNICIPALITY, filters.municipality, "municipality")
        lookups.check()
        years = years.filter(municipality=municipality)
    items = [year_item(request, y) for y in years.order_by("-year", "pk")]
    return {"count": len(items), "items": items}


@router.get(
    "/purpleflag/years/{year_id}",
    response={200: YearOut, **NOT_FOUND, **ERRORS},
    summary="Ett Purple Flag-år: status, rutnät, vandringar och åtgärder",
)
def get_year(request, year_id: int):
    return year_item(request, _year(request, year_id))


@router.post(
    "/purpleflag/years",
    response={201: YearOut, **ERRORS},
    summary="Lägg upp ett Purple Flag-år",
    description="Kommunens samordnare. Området ska ligga i kommunen; ett område har ett år en "
    "gång; sista dag för ansökan kan inte vara före starten.",
    openapi_extra=body_openapi(YearIn),
)
def post_year(request):
    data = parse_body(request.body, YearIn)
    lookups = Resolver()
    municipality = lookups.get(MUNICIPALITY, data.municipality, "municipality")
    area = lookups.get(AREA, data.area, "area", within=municipality.pk if municipality else None)
    lookups.check()
    assert municipality is not None  # noqa: S101 -- a required field: lookups.check() raised
    check_may_run(request.auth, municipality.pk)
    values = actions.CertificationInput(
        area=area,
        year=data.year,
        starts_on=data.starts_on,
        application_due=data.application_due,
        notes=data.notes,
    )
    with refused_by_field():
        year = actions.create_certification(municipality, values, acting_user=request.auth)
    return 201, year_item(request, year)


@router.post(
    "/purpleflag/years/{year_id}/step",
    response={200: YearOut, **NOT_FOUND, **ERRORS},
    summary="Flytta året till ett steg, med datumen",
    description="Datumen i arbetets ordning: start ≤ inskickad ≤ besök ≤ beslut < förnyelse.",
    openapi_extra=body_openapi(StepIn),
)
def post_step(request, year_id: int):
    data = parse_body(request.body, StepIn)
    year = _year(request, year_id)
    with refused_by_field():
        actions.set_step(year, actions.StepInput(**data.model_dump()), acting_user=request.auth)
    return year_item(request, year)


@router.put(
    "/purpleflag/years/{year_id}/assessment",
    response={200: YearOut, **NOT_FOUND, **ERRORS},
    summary="Spara rutor i den egna bedömningen",
    description="Poäng 0–3 per fokusområde och tidszon (null: inte bedömd). Fel anges som "
    "cells.<n>.score, n från 0.",
    openapi_extra=body_openapi(AssessmentIn),
)
def put_assessment(request, year_id: int):
    data = parse_body(request.body, AssessmentIn)
    year = _year(request, year_id)
    cells = [actions.CellInput(**cell.model_dump()) for cell in data.cells]
    renamed = {
        actions.cell_key(c.focus_area, c.zone): f"cells.{i}.score" for i, c in enumerate(cells)
    }
    with refused_by_field(renamed):
        actions.save_assessment(year, cells, acting_user=request.auth)
    return year_item(request, year)


@router.post(
    "/purpleflag/years/{year_id}/walks",
    response={200: YearOut, **NOT_FOUND, **ERRORS},
    summary="Koppla en kvällsvandring till året",
    openapi_extra=body_openapi(WalkIn),
)
def post_walk(request, year_id: int):
    data = parse_body(request.body, WalkIn)
    year = _year(request, year_id)
    lookups = Resolver()
    walk = lookups.get(WALK, data.walk, "walk")
    lookups.check()
    with refused_by_field():
        actions.link_walk(year, walk, acting_user=request.auth)
    return year_item(request, year)


@router.post(
    "/purpleflag/years/{year_id}/measures",
    response={200: YearOut, **NOT_FOUND, **ERRORS},
    summary="Räkna en åtgärd under ett fokusområde",
    description="En åtgärd i årets kommun; en åtgärd som redan finns flyttas till fokusområdet.",
    openapi_extra=body_openapi(TagIn),
)
def post_measure(request, year_id: int):
    data = parse_body(request.body, TagIn)
    year = _year(request, year_id)
    lookups = Resolver()
    measures = Lookup(Measure.objects.visible_to(request.auth), "pk", _("Okänd åtgärd."))
    measure = lookups.get(measures, data.measure, "measure")
    lookups.check()
    with refused_by_field():
        actions.tag_measure(year, measure, data.focus_area, acting_user=request.auth)
    return year_item(request, year)


@router.get(
    "/purpleflag/years/{year_id}/evening",
    response={200: EveningOut, **NOT_FOUND, **ERRORS},
    summary="Kvälls- och nattbilden",
    description="Händelser i området per tidszon och kategori, årets kvällar mot samma kvällar "
    "året innan, med det du får se. 'verdict' är lägesbildens jämförelse (exakt test av två "
    "Poissontal; too_few när talen är för små för att säga något).",
)
def get_evening(request, year_id: int):
    year = _year(request, year_id)
    picture = evening_picture(year, request.auth, timezone.localdate())
    return {
        "first": picture["span"]["first"],
        "last": picture["span"]["last"],
        "earlier_first": picture["earlier"]["first"],
        "earlier_last": picture["earlier"]["last"],
        "rows": [
            {
                "category": row["category"],
                "cells": row["cells"],
                "now": row["now"],
                "before": row["before"],
                "verdict": row["change"]["verdict"],
            }
            for row in picture["rows"]
        ],
        "zones": [
            {"zone": z["zone"], "now": z["now"], "before": z["before"]} for z in picture["zones"]
        ],
        "now": picture["now"],
        "before": picture["before"],
    }
