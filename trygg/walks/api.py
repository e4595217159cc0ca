"""The walks API: walks, their findings and the managers' answers, the findings as GeoJSON and
CSV for the partners' own maps and spreadsheets; the coordinator's confirmation of who answers
for a finding and the responsible organisation's answer, through the same actions as the pages.

Walks are read through `Walk.objects.visible_to(user)` (404 for one you may not see, as for
events and measures); a walk's findings further through `Event.objects.visible_to(user)`: a
finding whose event the caller may not see is left out, everywhere, the exports included.
Findings are sent from the phones by their own router (POST /walks/{walk_id}/findings).
"""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Query, Router

from trygg.core.api_errors import FieldErrorsOut, MessageOut
from trygg.core.resolve import Resolver
from trygg.events.models import Event
from trygg.measures.schemas import body_openapi, parse_body, refused_by_field
from trygg.organisations.lookups import ORGANISATION
from trygg.organisations.shards import prefetch_in_municipalities
from trygg.places.lookups import MUNICIPALITY
from trygg.walks import api_findings, export
from trygg.walks.actions import answers, review
from trygg.walks.in_municipality import (
    answers_prefetch,
    photos_prefetch,
    scores_prefetch,
    stop_prefetch,
    walk_findings,
)
from trygg.walks.models import Answer, Finding, Walk
from trygg.walks.schemas import (
    AnswerIn,
    AnswerListOut,
    AnswerOut,
    FindingListOut,
    FindingOut,
    ResponsibleIn,
    WalkDetailOut,
    WalkFilters,
    WalkListOut,
    answer_item,
    finding_item,
    walk_detail,
    walk_item,
)

router = Router(tags=["trygghetsvandringar"])

ERRORS = {401: MessageOut, 403: MessageOut, 422: FieldErrorsOut}
NOT_FOUND = {404: MessageOut}


def _walks(user):
    return (
        Walk.objects.visible_to(user)
        .select_related("municipality", "organisation", "area", "template")
        .defer("municipality__geometry", "area__geometry")
    )


def _visible_walk(user, walk_id: int) -> Walk:
    return get_object_or_404(_walks(user), pk=walk_id)


def visible_findings(walk: Walk, user):
    """The walk's findings whose events `user` may see, with all that an item shows."""
    # Every query (and the events' subquery) names the walk's municipality, the optional stop
    # and measure read apart: sharded by municipality (Citus), each goes to the walk's shard.
    municipality_id = walk.municipality_id
    events = Event.objects.visible_to(user).filter(municipality_id=municipality_id)
    return (
        walk_findings(walk)
        .filter(event__in=events.values("pk"))
        .select_related("event__category", "responsible", "suggested_responsible")
        .prefetch_related(
            stop_prefetch(municipality_id),
            scores_prefetch(municipality_id),
            answers_prefetch(municipality_id, organisation=True, measure=True),
            photos_prefetch(municipality_id),
        )
        .order_by("number")
    )


# --- walks ---------------------------------------------------------------------------------


@router.get(
    "/walks",
    response={200: WalkListOut, **ERRORS},
    summary="Trygghetsvandringar du får se",
    description="Vandringar i kommunerna där du arbetar och de du är inbjuden till, senaste först.",
)
def list_walks(request, filters: Query[WalkFilters]):
    walks = _walks(request.auth)
    lookups = Resolver()
    if filters.municipality is not None:
        walks = walks.filter(
            municipality=lookups.get(MUNICIPALITY, filters.municipality, "municipality")
        )
    statuses = {p.strip() for v in filters.status or [] for p in v.split(",") if p.strip()}
    if statuses - set(Walk.Status.values):
        choices = ", ".join(Walk.Status.values)
        lookups.fail("status", _("Välj bland: %(choices)s.") % {"choices": choices})
    lookups.check()
    if statuses:
        walks = walks.filter(status__in=statuses)
    walks = walks.order_by("-walk_at", "-pk")
    page = walks[filters.offset : filters.offset + filters.limit]
    return {"count": walks.count(), "items": [walk_item(walk) for walk in page]}


@router.get(
    "/walks/{walk_id}",
    response={200: WalkDetailOut, **NOT_FOUND, **ERRORS},
    summary="En vandring",
    description="Fakta, rutt, stopp, deltagare per grupp (aldrig namn), inbjudna organisationer "
    "och checklistans punkter.",
)
def get_walk(request, walk_id: int):
    return walk_detail(_visible_walk(request.auth, walk_id))


# --- findings and answers ------------------------------------------------------------------


def _photo_url(request):
    return lambda photo: request.build_absolute_uri(reverse("walks:photo", args=[photo.pk]))


@router.get(
    "/walks/{walk_id}/findings",
    response={200: FindingListOut, **NOT_FOUND, **ERRORS},
    summary="Vandringens iakttagelser",
    description="Varje iakttagelse med position, kategori, anteckning, poäng, stopp, ansvarig, "
    "foton och svar. Iakttagelser vars händelse du inte får se är utelämnade.",
)
def list_findings(request, walk_id: int):
    walk = _visible_walk(request.auth, walk_id)
    photo_url = _photo_url(request)
    items = [finding_item(f, photo_url) for f in visible_findings(walk, request.auth)]
    return {"count": len(items), "items": items}


@router.get(
    "/walks/{walk_id}/answers",
    response={200: AnswerListOut, **NOT_FOUND, **ERRORS},
    summary="De ansvarigas svar",
    description="Svaren på vandringens iakttagelser, i iakttagelsernas ordning.",
)
def list_answers(request, walk_id: int):
    walk = _visible_walk(request.auth, walk_id)
    items = [
        answer_item(answer, finding)
        for finding in visible_findings(walk, request.auth)
        for answer in finding.answers.all()
    ]
    return {"count": len(items), "items": items}


# --- routing and answering -----------------------------------------------------------------


def _visible_finding(user, walk_id: int, finding_id: int) -> Finding:
    walk = _visible_walk(user, walk_id)
    return get_object_or_404(visible_findings(walk, user), pk=finding_id)


@router.put(
    "/walks/{walk_id}/findings/{finding_id}/responsible",
    response={200: FindingOut, **NOT_FOUND, **ERRORS},
    summary="Bekräfta vem som ansvarar för en iakttagelse",
    description="Samordnare i vandringens kommun. Ansvarsreglerna föreslår; först när en "
    "samordnare bekräftat får organisationen iakttagelsen att svara på.",
    openapi_extra=body_openapi(ResponsibleIn),
)
def put_responsible(request, walk_id: int, finding_id: int):
    data = parse_body(request.body, ResponsibleIn)
    finding = _visible_finding(request.auth, walk_id, finding_id)
    lookups = Resolver()
    organisation = lookups.get(ORGANISATION, data.organisation, "organisation")
    lookups.check()
    with refused_by_field({"responsible": "organisation"}):
        review.confirm_responsible(finding, organisation, acting_user=request.auth)
    finding = _visible_finding(request.auth, walk_id, finding_id)
    return 200, finding_item(finding, _photo_url(request))


@router.put(
    "/walks/{walk_id}/findings/{finding_id}/answer",
    response={200: AnswerOut, **NOT_FOUND, **ERRORS},
    summary="Svara på en iakttagelse",
    description="Den ansvariga organisationen, när protokollet är skickat: will_act (vad och "
    "när; öppnar en åtgärd som organisationen äger), planned, will_not (skäl krävs) eller "
    "not_ours (skäl krävs; iakttagelsen går tillbaka till samordnaren). Ett svar kan ändras "
    "fram till uppföljningsmötet.",
    openapi_extra=body_openapi(AnswerIn),
)
def put_answer(request, walk_id: int, finding_id: int):
    data = parse_body(request.body, AnswerIn)
    finding = _visible_finding(request.auth, walk_id, finding_id)
    with refused_by_field():
        answer = answers.answer_finding(
            finding, acting_user=request.auth, kind=data.kind, text=data.text, due=data.due
        )
    # The measure read in the answer's municipality: a join to it on its id alone (an outer
    # join, as the measure is optional) is what Citus refuses.
    answer = (
        Answer.objects.filter(municipality_id=answer.municipality_id)
        .select_related("organisation")
        .get(pk=answer.pk)
    )
    prefetch_in_municipalities([answer], "measure")
    return 200, answer_item(answer, finding)


# --- exports -------------------------------------------------------------------------------


def _file_response(content: bytes | str, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@router.get(
    "/walks/{walk_id}/findings.geojson",
    response={**NOT_FOUND, **ERRORS},
    summary="Iakttagelserna som GeoJSON",
    description="En FeatureCollection med en punkt (WGS84) per iakttagelse du får se.",
    openapi_extra=export.openapi_response("application/geo+json", export.GEOJSON_SCHEMA),
)
def findings_geojson(request, walk_id: int):
    walk = _visible_walk(request.auth, walk_id)
    findings = visible_findings(walk, request.auth)
    body = export.geojson_bytes(findings, _photo_url(request))
    return _file_response(body, "application/geo+json", f"vandring-{walk.pk}.geojson")


@router.get(
    "/walks/{walk_id}/findings.csv",
    response={**NOT_FOUND, **ERRORS},
    summary="Iakttagelserna som CSV",
    description="En rad per iakttagelse du får se: UTF-8 med BOM, semikolon, decimalkomma "
    "(öppnas direkt i svenska Excel). En kolumn per punkt i checklistan.",
    openapi_extra=export.openapi_response("text/csv", {"type": "string"}),
)
def findings_csv(request, walk_id: int):
    walk = _visible_walk(request.auth, walk_id)
    body = export.csv_text(walk, visible_findings(walk, request.auth))
    return _file_response(body, "text/csv; charset=utf-8", f"vandring-{walk.pk}.csv")


# The phones' POST shares the path of the GET above: ninja gives one path to one router, so
# the POST joins this router (trygg/walks/api_findings.py).
api_findings.register(router)
