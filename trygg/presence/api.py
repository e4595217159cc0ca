"""The presence API (issue 15, point 8): groups and shifts of the shared calendar. List (by
municipality, group, area and time), read, create, change, cancel, and a series.

Everything is visible to the staff of the municipality's organisations, 404 for anyone else.
Every write goes through the actions in trygg.presence.actions, which check who may write (403
with the reason), validate with the pages' Swedish messages (422 by field, nothing written),
scrub free text and audit. A shift's `clashes` are warnings, never refusals."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router

from trygg.core.api_errors import FieldErrors, FieldErrorsOut, MessageOut, field_error
from trygg.core.resolve import Resolver
from trygg.events.schemas import parse_moment
from trygg.measures.schemas import body_openapi, parse_body, refused_by_field
from trygg.organisations.lookups import ORGANISATION
from trygg.organisations.shards import joined_in_municipality
from trygg.places.lookups import AREA, MUNICIPALITY
from trygg.presence import api_reports
from trygg.presence.actions.groups import GroupInput, create_group, update_group
from trygg.presence.actions.series import SeriesInput, plan_series
from trygg.presence.actions.shifts import ShiftInput, cancel_shift, plan_shift, update_shift
from trygg.presence.api_guards import router as guards_router
from trygg.presence.api_inspections import router as inspections_router
from trygg.presence.calendar import area_parents, clashes_among
from trygg.presence.lookups import GROUP
from trygg.presence.models import PresenceGroup, Shift, ShiftState
from trygg.presence.overlaps import related_areas
from trygg.presence.schemas import (
    CancelIn,
    GroupFilters,
    GroupIn,
    GroupListOut,
    GroupOut,
    GroupPatch,
    SeriesIn,
    SeriesOut,
    ShiftFilters,
    ShiftIn,
    ShiftListOut,
    ShiftOut,
    ShiftPatch,
    group_item,
    series_item,
    shift_item,
)

router = Router(tags=["närvaro"])
# Krogtillsyn's premises and inspections, in a module of their own under the same prefix.
router.add_router("", inspections_router)
# Ordningsvakter: the guard areas and the export of the guards' reports.
router.add_router("", guards_router)

ERRORS = {401: MessageOut, 403: MessageOut, 422: FieldErrorsOut}
NOT_FOUND = {404: MessageOut}


def _url(request, obj) -> str:
    return request.build_absolute_uri(obj.get_absolute_url())


# --- groups -----------------------------------------------------------------------------------


def _groups(user):
    groups = PresenceGroup.objects.visible_to(user).select_related("organisation", "municipality")
    return groups.defer("municipality__geometry")


@router.get(
    "/presence/groups",
    response={200: GroupListOut, **ERRORS},
    summary="Närvarogrupper",
    description="Grupperna i kommunerna där du arbetar, efter namn.",
)
def list_groups(request, filters: Query[GroupFilters]):
    groups = _groups(request.auth)
    if filters.municipality is not None:
        lookups = Resolver()
        municipality = lookups.get(MUNICIPALITY, filters.municipality, "municipality")
        lookups.check()
        groups = groups.filter(municipality=municipality)
    if filters.active is not None:
        groups = groups.filter(active=filters.active)
    items = [group_item(g, _url(request, g)) for g in groups.order_by("name", "pk")]
    return {"count": len(items), "items": items}


@router.get(
    "/presence/groups/{group_id}",
    response={200: GroupOut, **NOT_FOUND, **ERRORS},
    summary="En närvarogrupp",
)
def get_group(request, group_id: int):
    group = get_object_or_404(_groups(request.auth), pk=group_id)
    return group_item(group, _url(request, group))


@router.post(
    "/presence/groups",
    response={201: GroupOut, **ERRORS},
    summary="Lägg upp en grupp",
    description="Organisationens egna medlemmar (rapportör, samordnare, administratör) och "
    "kommunens samordnare. Organisationen ska höra till kommunen; namnet ska vara unikt där.",
    openapi_extra=body_openapi(GroupIn),
)
def post_group(request):
    data = parse_body(request.body, GroupIn)
    lookups = Resolver()
    municipality = lookups.get(MUNICIPALITY, data.municipality, "municipality")
    organisation = lookups.get(ORGANISATION, data.organisation, "organisation")
    lookups.check()
    assert municipality is not None  # noqa: S101 -- a required field: lookups.check() raised
    with refused_by_field():
        group = create_group(
            municipality,
            organisation,
            GroupInput(kind=data.kind, name=data.name, active=data.active),
            acting_user=request.auth,
        )
    return 201, get_group(request, group.pk)


@router.patch(
    "/presence/groups/{group_id}",
    response={200: GroupOut, **NOT_FOUND, **ERRORS},
    summary="Ändra en grupp",
    description="Slag, namn och om gruppen är aktiv. En inaktiv grupp behåller sina pass men "
    "får inga nya.",
    openapi_extra=body_openapi(GroupPatch),
)
def patch_group(request, group_id: int):
    data = parse_body(request.body, GroupPatch)
    group = get_object_or_404(_groups(request.auth), pk=group_id)
    given = data.model_fields_set
    if not given:
        raise FieldErrors([field_error("body", _("Ange minst ett fält att ändra."))])
    values = {"kind": group.kind, "name": group.name, "active": group.active}
    values |= {name: getattr(data, name) for name in given}
    with refused_by_field():
        update_group(group, GroupInput(**values), acting_user=request.auth)
    return get_group(request, group.pk)


# --- shifts -----------------------------------------------------------------------------------


def _shifts(user):
    """The shifts with their group, joined on the municipality too (a group's shifts are in
    its municipality) so that Citus joins them shard by shard."""
    shifts = (
        Shift.objects.visible_to(user)
        .filter(**joined_in_municipality("group"))
        .select_related("group__organisation", "municipality", "area")
    )
    return shifts.defer("municipality__geometry", "area__geometry")


def _items(request, shifts: list[Shift]) -> list[dict[str, Any]]:
    """The items with each shift's clashes, one query per municipality in the page."""
    clashes: dict[int, list[Shift]] = {}
    for municipality_id in {s.municipality_id for s in shifts}:
        clashes |= clashes_among([s for s in shifts if s.municipality_id == municipality_id])
    return [shift_item(s, clashes.get(s.pk, []), _url(request, s)) for s in shifts]


def _detail(request, shift_id: int) -> dict[str, Any]:
    shift = get_object_or_404(_shifts(request.auth), pk=shift_id)
    return _items(request, [shift])[0]


def _shift_rule(lookups: Resolver, filters: ShiftFilters) -> Q:
    rule = Q()
    if filters.municipality is not None:
        rule &= Q(municipality=lookups.get(MUNICIPALITY, filters.municipality, "municipality"))
    if filters.group is not None:
        rule &= Q(group=lookups.get(GROUP, filters.group, "group"))
    area = lookups.get(AREA, filters.area, "area")
    if area is not None:
        rule &= Q(area_id__in=related_areas(area_parents(area.municipality_id), area.pk))
    for name, value, end in (("from", filters.from_, False), ("to", filters.to, True)):
        moment = parse_moment(value, end=end) if value is not None else None
        if value is not None and moment is None:
            lookups.fail(name, _("Ange ett datum eller en tidpunkt i ISO 8601-format."))
        elif moment is not None:
            rule &= Q(starts_at__gte=moment) if name == "from" else Q(starts_at__lt=moment)
    if filters.state is not None:
        if filters.state not in ShiftState.values:
            lookups.fail("state", _("Välj ett av: planned, held, cancelled."))
        rule &= Q(state=filters.state)
    return rule


@router.get(
    "/presence/shifts",
    response={200: ShiftListOut, **ERRORS},
    summary="Pass",
    description="Passen i kommunerna där du arbetar, efter starttid. Filtrera på kommun, "
    "grupp, område och tid (from, to); varje pass med sina varningar (clashes).",
)
def list_shifts(request, filters: Query[ShiftFilters]):
    lookups = Resolver()
    rule = _shift_rule(lookups, filters)
    lookups.check()
    shifts = _shifts(request.auth).filter(rule).order_by("starts_at", "pk")
    page = list(shifts[filters.offset : filters.offset + filters.limit])
    return {"count": shifts.count(), "items": _items(request, page)}


@router.get(
    "/presence/shifts/{shift_id}",
    response={200: ShiftOut, **NOT_FOUND, **ERRORS},
    summary="Ett pass",
)
def get_shift(request, shift_id: int):
    return _detail(request, shift_id)


@router.post(
    "/presence/shifts",
    response={201: ShiftOut, **ERRORS},
    summary="Planera ett pass",
    description="Gruppens organisation och kommunens samordnare. Passet ska sluta efter att "
    "det börjar (högst 24 timmar), ligga i ett område i kommunen och ha minst en person. "
    "Krockar det med en annan grupps pass sparas det ändå, med varningen i clashes.",
    openapi_extra=body_openapi(ShiftIn),
)
def post_shift(request):
    data = parse_body(request.body, ShiftIn)
    lookups = Resolver()
    municipality = lookups.get(MUNICIPALITY, data.municipality, "municipality")
    group = lookups.get(GROUP, data.group, "group")
    area = lookups.get(AREA, data.area, "area")
    lookups.check()
    assert municipality is not None  # noqa: S101 -- a required field: lookups.check() raised
    values = ShiftInput(area, data.starts_at, data.ends_at, data.people, data.note)
    with refused_by_field():
        shift = plan_shift(municipality, group, values, acting_user=request.auth)
    return 201, _detail(request, shift.pk)


@router.patch(
    "/presence/shifts/{shift_id}",
    response={200: ShiftOut, **NOT_FOUND, **ERRORS},
    summary="Ändra ett pass",
    description="Område, tider, antal och anteckning för ett planerat pass; bara fälten som "
    "skickas ändras. Samma kontroller som när det planeras.",
    openapi_extra=body_openapi(ShiftPatch),
)
def patch_shift(request, shift_id: int):
    data = parse_body(request.body, ShiftPatch)
    shift = get_object_or_404(_shifts(request.auth), pk=shift_id)
    given = data.model_fields_set
    lookups = Resolver()
    if not given:
        lookups.fail("body", _("Ange minst ett fält att ändra."))
    area = lookups.get(AREA, data.area, "area") if "area" in given else shift.area
    lookups.check()
    values = {n: getattr(shift, n) for n in ("starts_at", "ends_at", "people", "note")}
    values |= {n: getattr(data, n) for n in given if n != "area"}
    with refused_by_field():
        update_shift(shift, ShiftInput(area=area, **values), acting_user=request.auth)
    return _detail(request, shift.pk)


@router.post(
    "/presence/shifts/{shift_id}/cancel",
    response={200: ShiftOut, **NOT_FOUND, **ERRORS},
    summary="Ställ in ett pass",
    description="Ett planerat pass ställs in med ett skäl; det står kvar i kalendern som inställt.",
    openapi_extra=body_openapi(CancelIn),
)
def post_cancel(request, shift_id: int):
    data = parse_body(request.body, CancelIn)
    shift = get_object_or_404(_shifts(request.auth), pk=shift_id)
    with refused_by_field():
        cancel_shift(shift, data.reason, acting_user=request.auth)
    return _detail(request, shift.pk)


@router.post(
    "/presence/series",
    response={201: SeriesOut, **ERRORS},
    summary="Planera en serie pass",
    description="Samma pass varje vecka på valda veckodagar i högst 52 veckor. Går något av "
    "passen inte att planera sparas inget av dem.",
    openapi_extra=body_openapi(SeriesIn),
)
def post_series(request):
    data = parse_body(request.body, SeriesIn)
    lookups = Resolver()
    municipality = lookups.get(MUNICIPALITY, data.municipality, "municipality")
    group = lookups.get(GROUP, data.group, "group")
    area = lookups.get(AREA, data.area, "area")
    lookups.check()
    assert municipality is not None  # noqa: S101 -- a required field: lookups.check() raised
    values = data.model_dump(exclude={"municipality", "group", "area"})
    with refused_by_field():
        series = plan_series(
            municipality, group, SeriesInput(area=area, **values), acting_user=request.auth
        )
    shifts = list(_shifts(request.auth).filter(series=series).order_by("starts_at"))
    return 201, series_item(series, _items(request, shifts))


api_reports.register(router)
