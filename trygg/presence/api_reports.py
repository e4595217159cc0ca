"""The shift report in the API: `/api/v1/presence/shifts/{id}/report`.

GET reads it (the staff of the municipality; observations as far as their events are visible
to the reader). POST is the phone's send: with the phone's id (`client_id`) a report sent
again is stored once and answered 200 with what was stored. PUT replaces it (a correction,
audited field by field) or files it if there is none. Only the group's own organisation
writes (403); a shift that does not exist or lies elsewhere is 404 with the reason; every
other refusal is 422 by field with nothing written."""

from __future__ import annotations

import uuid

from django.utils.translation import gettext as _
from ninja import Router

from trygg.core.api_errors import FieldErrors, FieldErrorsOut, MessageOut, field_error
from trygg.core.resolve import Resolver
from trygg.events.lookups import REPORTABLE_CATEGORY
from trygg.events.models import Event
from trygg.measures.schemas import body_openapi, parse_body, refused_by_field
from trygg.organisations.shards import joined_in_municipality
from trygg.presence.actions.reports import (
    ObservationInput,
    ReportInput,
    check_may_report,
    correct_report,
    file_report,
)
from trygg.presence.models import Shift, ShiftReport
from trygg.presence.schemas_reports import ReportIn, ReportOut, report_item

PATH = "/presence/shifts/{shift_id}/report"
ANSWERS = {
    401: MessageOut,
    403: MessageOut,
    404: MessageOut,
    422: FieldErrorsOut,
}


def no_shift() -> tuple[int, dict]:
    return 404, {"detail": _("Passet finns inte, eller hör till en kommun där du inte arbetar.")}


def _shift(request, shift_id: int) -> Shift | None:
    shifts = (
        Shift.objects.visible_to(request.auth)
        .filter(**joined_in_municipality("group"))
        .select_related("group__organisation", "municipality", "area")
    )
    return shifts.filter(pk=shift_id).first()


def answer(request, report: ShiftReport) -> dict:
    # The observations' events, all in the report's municipality: named on the events and on
    # the observations they are reached through, so that Citus reads that shard alone.
    municipality_id = report.municipality_id
    events = (
        Event.objects.visible_to(request.auth)
        .filter(
            municipality_id=municipality_id,
            shift_observation__municipality_id=municipality_id,
            shift_observation__report=report,
        )
        .select_related("category", "area")
        .order_by("occurred_from", "pk")
    )
    url = request.build_absolute_uri(report.get_absolute_url())
    return report_item(report, list(events), url)


def get_report(request, shift_id: int):
    shift = _shift(request, shift_id)
    if shift is None:
        return no_shift()
    report = ShiftReport.objects.filter(municipality_id=shift.municipality_id, shift=shift).first()
    if report is None:
        return 404, {"detail": _("Passet har ingen rapport än.")}
    report.shift = shift  # read above with its group, not joined again
    return 200, answer(request, report)


def post_report(request, shift_id: int):
    shift = _shift(request, shift_id)
    if shift is None:
        return no_shift()
    check_may_report(shift, request.auth)  # before the body: a 422 tells an outsider nothing
    data = parse_body(request.body, ReportIn)
    if data.client_id is None:
        raise FieldErrors([field_error("client_id", _("Fältet måste anges."))])
    with refused_by_field():
        report, created = file_report(shift, _resolved(data), acting_user=request.auth)
    return (201 if created else 200), answer(request, report)


def put_report(request, shift_id: int):
    shift = _shift(request, shift_id)
    if shift is None:
        return no_shift()
    check_may_report(shift, request.auth)
    data = parse_body(request.body, ReportIn)
    with refused_by_field():
        report, created = correct_report(shift, _resolved(data), acting_user=request.auth)
    return (201 if created else 200), answer(request, report)


def _resolved(data: ReportIn) -> ReportInput:
    """Category codes turned into rows; 422 naming every one that names nothing."""
    lookups = Resolver()
    lookups.preload(REPORTABLE_CATEGORY, {o.category for o in data.observations})
    observations = []
    for index, item in enumerate(data.observations):
        field = f"observations.{index}.category"
        category = lookups.get(REPORTABLE_CATEGORY, item.category, field)
        observations.append(
            ObservationInput(
                client_id=uuid.UUID(item.client_id),
                category=category,
                observed_at=item.observed_at,
                lat=item.lat,
                lon=item.lon,
                note=item.note,
            )
        )
    lookups.check()
    return ReportInput(
        client_id=uuid.UUID(data.client_id) if data.client_id else None,
        met=data.met,
        interventions=data.interventions,
        note=data.note,
        observations=observations,
    )


def register(router: Router) -> None:
    """The three methods on the presence router (ninja gives one path to one router)."""
    router.add_api_operation(
        PATH,
        ["GET"],
        get_report,
        response={200: ReportOut, **ANSWERS},
        summary="Ett pass rapport",
        url_name="get_shift_report",
    )
    router.add_api_operation(
        PATH,
        ["POST"],
        post_report,
        response={201: ReportOut, 200: ReportOut, **ANSWERS},
        summary="Skicka passets rapport (från telefonen)",
        description="Gruppens organisation skickar rapporten när passet är slut: mötta "
        "personer per åldersband, insatser per slag, en anteckning och iakttagelser (händelser "
        "med källa shift). Enhetens id (client_id) gör att en rapport som skickas igen sparas en "
        "gång: svaret är då 200 med det som sparades första gången. Passet markeras genomfört. "
        "Ett inställt pass, ett pass som inte börjat och negativa antal avvisas (422).",
        openapi_extra=body_openapi(ReportIn),
        url_name="post_shift_report",
    )
    router.add_api_operation(
        PATH,
        ["PUT"],
        put_report,
        response={201: ReportOut, 200: ReportOut, **ANSWERS},
        summary="Rätta passets rapport",
        description="Ersätter antalen och anteckningen (varje ändring i granskningsloggen); "
        "nya iakttagelser läggs till, de som redan sparats står kvar som händelser.",
        openapi_extra=body_openapi(ReportIn),
        url_name="put_shift_report",
    )
