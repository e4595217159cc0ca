"""The ordningsvakter API (issue 15, point 4): the county's decided guard areas, listed, read,
entered and changed (a `valid_to` ends one), and the export of a period's guards' shift reports
as JSON for sending on to the police.

Guard areas are read by the staff of the municipality's organisations (404 for anyone else);
the municipality's coordinators enter and change them (403 otherwise). The export is made by the
coordinators and the guards' own organisation, as on the page. Writes go through
trygg.presence.actions.guards: a refusal is a 422 naming the field, nothing written."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router

from trygg.core.api_errors import FieldErrors, FieldErrorsOut, MessageOut, field_error
from trygg.core.resolve import Resolver
from trygg.measures.schemas import body_openapi, parse_body, refused_by_field
from trygg.organisations.access import access_for
from trygg.places.lookups import MUNICIPALITY
from trygg.presence.access import may_export_guard_reports
from trygg.presence.actions.guards import (
    GuardAreaInput,
    create_guard_area,
    input_of,
    update_guard_area,
)
from trygg.presence.guards import guard_export
from trygg.presence.models import AGE_BANDS, INTERVENTIONS, GroupKind, GuardArea, PresenceGroup
from trygg.presence.schemas_guards import (
    GuardAreaFilters,
    GuardAreaIn,
    GuardAreaListOut,
    GuardAreaOut,
    GuardAreaPatch,
    GuardReportFilters,
    GuardReportsOut,
    guard_area_item,
)

router = Router(tags=["ordningsvakter"])

ERRORS = {401: MessageOut, 403: MessageOut, 422: FieldErrorsOut}
NOT_FOUND = {404: MessageOut}
# The API names the outline's areas `areas`, as the action does.
RENAMED = {"area_ids": "areas"}


def _guard_areas(user):
    guard_areas = GuardArea.objects.select_related("municipality").defer("municipality__geometry")
    access = access_for(user)
    if not access.is_superuser:
        guard_areas = guard_areas.filter(municipality_id__in=access.municipality_ids)
    return guard_areas.prefetch_related("areas")


def _detail(request, guard_area_id: int) -> dict:
    guard_area = get_object_or_404(_guard_areas(request.auth), pk=guard_area_id)
    return guard_area_item(guard_area, timezone.localdate())


@router.get(
    "/presence/guard-areas",
    response={200: GuardAreaListOut, **ERRORS},
    summary="Ordningsvaktsområden",
    description="Länsstyrelsens beslutade ordningsvaktsområden i kommunerna där du arbetar, "
    "efter namn; filtrera på kommun och på dem som gäller en viss dag.",
)
def list_guard_areas(request, filters: Query[GuardAreaFilters]):
    guard_areas = _guard_areas(request.auth)
    if filters.municipality is not None:
        lookups = Resolver()
        municipality = lookups.get(MUNICIPALITY, filters.municipality, "municipality")
        lookups.check()
        guard_areas = guard_areas.filter(municipality=municipality)
    if filters.valid_on is not None:
        guard_areas = guard_areas.valid_on(filters.valid_on)
    today = timezone.localdate()
    items = [guard_area_item(g, today) for g in guard_areas.order_by("name", "pk")]
    return {"count": len(items), "items": items}


@router.get(
    "/presence/guard-areas/{guard_area_id}",
    response={200: GuardAreaOut, **NOT_FOUND, **ERRORS},
    summary="Ett ordningsvaktsområde",
)
def get_guard_area(request, guard_area_id: int):
    return _detail(request, guard_area_id)


@router.post(
    "/presence/guard-areas",
    response={201: GuardAreaOut, **ERRORS},
    summary="Lägg in ett beslut om ordningsvaktsområde",
    description="Kommunens samordnare. Området byggs av kommunens egna områden (`areas`); "
    "sista giltighetsdagen får inte ligga före den första.",
    openapi_extra=body_openapi(GuardAreaIn),
)
def post_guard_area(request):
    data = parse_body(request.body, GuardAreaIn)
    lookups = Resolver()
    municipality = lookups.get(MUNICIPALITY, data.municipality, "municipality")
    lookups.check()
    assert municipality is not None  # noqa: S101 -- a required field: lookups.check() raised
    values = data.model_dump(exclude={"municipality", "areas"})
    with refused_by_field(RENAMED):
        guard_area = create_guard_area(
            municipality, GuardAreaInput(**values, area_ids=data.areas), acting_user=request.auth
        )
    return 201, _detail(request, guard_area.pk)


@router.patch(
    "/presence/guard-areas/{guard_area_id}",
    response={200: GuardAreaOut, **NOT_FOUND, **ERRORS},
    summary="Ändra ett ordningsvaktsområde",
    description="Kommunens samordnare: namn, beslut, datum, giltighet (`valid_to` avslutar "
    "området) och områdena det byggs av. Varje ändrat fält får en rad i granskningsloggen.",
    openapi_extra=body_openapi(GuardAreaPatch),
)
def patch_guard_area(request, guard_area_id: int):
    data = parse_body(request.body, GuardAreaPatch)
    guard_area = get_object_or_404(_guard_areas(request.auth), pk=guard_area_id)
    given = data.model_fields_set
    if not given:
        raise FieldErrors([field_error("body", _("Ange minst ett fält att ändra."))])
    values = input_of(guard_area)
    for name in given:
        setattr(values, "area_ids" if name == "areas" else name, getattr(data, name))
    with refused_by_field(RENAMED):
        update_guard_area(guard_area, values, acting_user=request.auth)
    return _detail(request, guard_area.pk)


@router.get(
    "/presence/guard-reports",
    response={200: GuardReportsOut, **ERRORS},
    summary="Ordningsvakternas passrapporter för en period",
    description="En rad per rapporterat pass av kommunens ordningsvakter: tider, område, antal "
    "personer, mötta per åldersband, insatser och iakttagelser per kategori; inga namn och "
    "ingen anteckning. Kommunens samordnare och ordningsvakternas organisation.",
)
def guard_reports(request, filters: Query[GuardReportFilters]):
    lookups = Resolver()
    municipality = lookups.get(MUNICIPALITY, filters.municipality, "municipality")
    if municipality is not None and not access_for(request.auth).can_view(municipality.pk):
        lookups.fail("municipality", _("Du arbetar inte i den kommunen."))
    if filters.end < filters.start:
        lookups.fail("end", _("Periodens sista dag kan inte vara före den första."))
    guard_area = None
    if filters.guard_area is not None and municipality is not None:
        guard_area = GuardArea.objects.filter(
            pk=filters.guard_area, municipality=municipality
        ).first()
        if guard_area is None:
            lookups.fail("guard_area", _("Inget ordningsvaktsområde i kommunen har det id:t."))
    lookups.check()
    assert municipality is not None  # noqa: S101 -- a required parameter: lookups.check() raised
    guard_orgs = PresenceGroup.objects.filter(
        municipality=municipality, kind=GroupKind.ORDER_GUARDS
    ).values_list("organisation_id", flat=True)
    if not may_export_guard_reports(request.auth, municipality.pk, set(guard_orgs)):
        raise PermissionDenied(
            _("Bara kommunens samordnare och ordningsvakternas organisation kan ta ut rapporterna.")
        )
    export = guard_export(municipality, filters.start, filters.end, guard_area)
    return {
        "municipality": municipality.code,
        "start": filters.start,
        "end": filters.end,
        "guard_area": {"id": guard_area.pk, "name": guard_area.name} if guard_area else None,
        "count": len(export.rows),
        "items": [_row(row) for row in export.rows],
    }


def _row(row: dict) -> dict:
    counts = dict(zip((k for k, _c, _l in AGE_BANDS + INTERVENTIONS), row["counts"], strict=True))
    return {
        "shift": row["shift_id"],
        "day": row["day"],
        "start": row["start"],
        "end": row["end"],
        "area": row["area"],
        "people": row["people"],
        "met": {k: counts[k] for k, _c, _l in AGE_BANDS},
        "interventions": {k: counts[k] for k, _c, _l in INTERVENTIONS},
        "observed": row["observed_codes"],
    }
