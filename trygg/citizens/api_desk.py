"""The Trygghetscenter's cases in the API (issue 12, points 6 and 9): list, read (with the
case's history), record, close and send back to the desk, through the same actions as the desk
pages.

A case is seen by members of the centre's organisations, of the partner that took it on, and
by the municipality's coordinators and analysts (`actions.desk.visible_cases`); anyone else
gets 404, as for an event they may not see. Nothing here is public. A case names
organisations, never the staff member who wrote it, and never who came to the desk: the body
of a POST takes no other fields than those below (an unknown field is a 422), and the note is
scrubbed before it is stored.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Query, Router, Schema
from pydantic import ConfigDict

from trygg.citizens.actions import desk
from trygg.citizens.actions.desk import NOTE_MAX_LENGTH
from trygg.citizens.desk_history import case_history
from trygg.citizens.models import Centre, DeskCase, DeskTopic
from trygg.core.api_errors import FieldErrorsOut, MessageOut
from trygg.core.resolve import Lookup, Resolver
from trygg.measures.schemas import (
    NamedRef,
    OrganisationRef,
    body_openapi,
    named,
    organisation_ref,
    parse_body,
    refused_by_field,
)
from trygg.organisations.access import access_for
from trygg.organisations.lookups import ORGANISATION
from trygg.places.lookups import AREA, PLACE

router = Router(tags=["trygghetscenter"])

ERRORS = {401: MessageOut, 403: MessageOut, 422: FieldErrorsOut}
NOT_FOUND = {404: MessageOut}
CENTRE = Lookup(Centre.objects.all(), "pk", gettext_lazy("Okänt trygghetscenter."))


class DeskCaseOut(Schema):
    id: int
    centre: NamedRef
    municipality: str = Field(..., description="Kommunkod, t.ex. 1780.")
    visited_on: dt.date = Field(..., description="Besöksdagen.")
    topic: str = Field(..., description="Ämnets kod.")
    topic_label: str
    place: NamedRef | None
    area: NamedRef | None
    note: str = Field(..., description="Vad det gäller (rensad från personuppgifter).")
    taken_by: OrganisationRef | None = Field(
        None, description="Organisationen som tagit ärendet; null: klart vid disken."
    )
    state: str = Field(..., description="open eller closed.")
    state_label: str
    closing_note: str
    closed_at: dt.datetime | None
    recorded_by_organisation: OrganisationRef = Field(
        ..., description="Organisationen vars personal förde ärendet."
    )
    returned_by: OrganisationRef | None = Field(
        None, description="Partnern som senast skickade tillbaka ärendet till disken."
    )
    return_reason: str = Field("", description="Partnerns skäl (rensat från personuppgifter).")
    returned_at: dt.datetime | None
    created_at: dt.datetime


class HistoryStepOut(Schema):
    at: dt.datetime
    kind: str = Field(..., description="recorded, sent, returned eller closed.")
    kind_label: str
    by: OrganisationRef | None = Field(
        None, description="Organisationen som förde (recorded) eller skickade tillbaka (returned)."
    )
    to: OrganisationRef | None = Field(
        None, description="Partnern ärendet gick till (recorded, sent); null: klart vid disken."
    )
    text: str = Field(..., description="Skälet (returned) eller anteckningen (closed).")


class DeskCaseDetailOut(DeskCaseOut):
    history: list[HistoryStepOut] = Field(..., description="Vad som hänt, äldst först.")


class DeskCaseListOut(Schema):
    count: int = Field(..., description="Antal träffar totalt (före limit/offset).")
    items: list[DeskCaseOut]


class DeskCaseFilters(Schema):
    centre: int | None = Field(None, description="Trygghetscentrets id.")
    state: str | None = Field(None, description="open eller closed.")
    topic: str | None = Field(None, description="Ämnets kod.")
    taken_by: str | None = Field(None, description="Organisationens kod.")
    at_desk: bool | None = Field(
        None,
        description="true: ärenden utan partner (klara vid disken eller tillbakaskickade; med "
        "state=open de som väntar på disken); false: ärenden som en partner har.",
    )
    visited_from: dt.date | None = Field(None, description="Besök från och med (ÅÅÅÅ-MM-DD).")
    visited_to: dt.date | None = Field(None, description="Besök till och med (ÅÅÅÅ-MM-DD).")
    limit: int = Field(100, ge=1, le=1000)
    offset: int = Field(0, ge=0)


class DeskCaseIn(Schema):
    """Ett besök vid trygghetscentret: vad det gällde, var och vem som tar det. Aldrig vem som
    kom."""

    model_config = ConfigDict(extra="forbid")

    centre: int = Field(..., description="Trygghetscentrets id.")
    topic: str = Field(..., description="Ämnets kod: " + ", ".join(DeskTopic.values) + ".")
    visited_on: dt.date | None = Field(None, description="Besöksdag; i dag om den utelämnas.")
    place: int | None = Field(None, description="Platsens id.")
    area: int | None = Field(None, description="Områdets id; fylls i från platsen annars.")
    taken_by: str | None = Field(
        None, description="Organisationens kod; utelämnad: klart vid disken (stängs direkt)."
    )
    note: str = Field("", max_length=NOTE_MAX_LENGTH, description="Vad det gäller, kort.")
    organisation: str | None = Field(
        None, description="Organisationen du för ärendet för, om du hör till flera på centret."
    )


class CloseIn(Schema):
    model_config = ConfigDict(extra="forbid")

    note: str = Field(..., max_length=NOTE_MAX_LENGTH, description="Vad ni gjorde.")


class ReturnIn(Schema):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(
        ..., max_length=NOTE_MAX_LENGTH, description="Varför ärendet inte är ert, kort."
    )


def case_item(case: DeskCase) -> dict[str, Any]:
    return {
        "id": case.pk,
        "centre": named(case.centre),
        "municipality": case.municipality.code,
        "visited_on": case.visited_on,
        "topic": case.topic,
        "topic_label": case.get_topic_display(),
        "place": named(case.place),
        "area": named(case.area),
        "note": case.note,
        "taken_by": organisation_ref(case.taken_by),
        "state": case.state,
        "state_label": case.get_state_display(),
        "closing_note": case.closing_note,
        "closed_at": case.closed_at,
        "recorded_by_organisation": organisation_ref(case.recorded_by_organisation),
        "returned_by": organisation_ref(case.returned_by),
        "return_reason": case.return_reason,
        "returned_at": case.returned_at,
        "created_at": case.created_at,
    }


def case_detail(case: DeskCase) -> dict[str, Any]:
    history = [
        {
            "at": step.at,
            "kind": step.kind,
            "kind_label": step.label,
            "by": organisation_ref(step.by),
            "to": organisation_ref(step.to),
            "text": step.text,
        }
        for step in case_history(case)
    ]
    return case_item(case) | {"history": history}


def _cases(user):
    # The centres in a query of their own, naming the user's municipalities: Citus cannot
    # join the cases of several municipalities to their centres (both sharded).
    centres = Centre.objects.all()
    access = access_for(user)
    if not access.is_superuser:
        centres = centres.filter(municipality_id__in=list(access.municipality_ids))
    return (
        desk.visible_cases(user)
        .prefetch_related(Prefetch("centre", queryset=centres))
        .select_related(
            "municipality",
            "place",
            "area",
            "taken_by",
            "recorded_by_organisation",
            "returned_by",
        )
        .defer("municipality__geometry", "area__geometry")
    )


def _visible_case(user, case_id: int) -> DeskCase:
    return get_object_or_404(_cases(user), pk=case_id)


def _choice(lookups: Resolver, field: str, value: str | None, allowed: list[str]) -> None:
    if value is not None and value not in allowed:
        lookups.fail(field, _("Välj bland: %(choices)s.") % {"choices": ", ".join(allowed)})


@router.get(
    "/desk-cases",
    response={200: DeskCaseListOut, **ERRORS},
    summary="Ärenden från trygghetscentret",
    description="Ärenden du får se: personal på centret, organisationen som tagit ärendet och "
    "kommunens samordnare och analytiker. Senaste besök först.",
)
def list_cases(request, filters: Query[DeskCaseFilters]):
    cases = _cases(request.auth)
    lookups = Resolver()
    _choice(lookups, "state", filters.state, list(DeskCase.State.values))
    _choice(lookups, "topic", filters.topic, list(DeskTopic.values))
    taken_by = lookups.get(ORGANISATION, filters.taken_by, "taken_by")
    if filters.visited_from and filters.visited_to and filters.visited_to < filters.visited_from:
        lookups.fail("visited_to", _("Slutdagen är före startdagen."))
    lookups.check()
    wanted: dict[str, Any] = {
        "centre_id": filters.centre,
        "state": filters.state,
        "topic": filters.topic,
        "taken_by": taken_by,
        "taken_by__isnull": filters.at_desk,
        "visited_on__gte": filters.visited_from,
        "visited_on__lte": filters.visited_to,
    }
    cases = cases.filter(**{key: value for key, value in wanted.items() if value is not None})
    cases = cases.order_by("-visited_on", "-pk")
    page = cases[filters.offset : filters.offset + filters.limit]
    return {"count": cases.count(), "items": [case_item(case) for case in page]}


@router.get(
    "/desk-cases/{case_id}",
    response={200: DeskCaseDetailOut, **NOT_FOUND, **ERRORS},
    summary="Ett ärende från trygghetscentret",
    description="Med ärendets historik: förd, skickad, tillbakaskickad (med skäl), avslutad. "
    "Historiken nämner organisationer, aldrig vem i personalen.",
)
def get_case(request, case_id: int):
    return case_detail(_visible_case(request.auth, case_id))


@router.post(
    "/desk-cases",
    response={201: DeskCaseOut, **ERRORS},
    summary="För ett ärende vid trygghetscentret",
    description="Personal från organisationerna på centret. Ange plats eller område (eller "
    "båda); utan taken_by avslutas ärendet direkt som klart vid disken.",
    openapi_extra=body_openapi(DeskCaseIn),
)
def post_case(request):
    data = parse_body(request.body, DeskCaseIn)
    lookups = Resolver()
    centre = lookups.get(CENTRE, data.centre, "centre")
    within = centre.municipality_id if centre is not None else None
    place = lookups.get(PLACE, data.place, "place", within=within)
    area = lookups.get(AREA, data.area, "area", within=within)
    taken_by = lookups.get(ORGANISATION, data.taken_by, "taken_by", within=within)
    organisation = lookups.get(ORGANISATION, data.organisation, "organisation")
    lookups.check()
    assert centre is not None  # noqa: S101 -- a required field: lookups.check() raised
    with refused_by_field():
        case = desk.record_case(
            centre,
            acting_user=request.auth,
            topic=data.topic,
            visited_on=data.visited_on,
            place=place,
            area=area,
            taken_by=taken_by,
            note=data.note,
            organisation=organisation,
        )
    return 201, case_item(_visible_case(request.auth, case.pk))


@router.post(
    "/desk-cases/{case_id}/close",
    response={200: DeskCaseOut, **NOT_FOUND, **ERRORS},
    summary="Avsluta ett ärende",
    description="Organisationen som tagit ärendet, eller kommunens samordnare, med en kort "
    "anteckning om vad som gjordes (krävs).",
    openapi_extra=body_openapi(CloseIn),
)
def close_case(request, case_id: int):
    data = parse_body(request.body, CloseIn)
    case = _visible_case(request.auth, case_id)
    with refused_by_field():
        desk.close_case(case, note=data.note, acting_user=request.auth)
    return case_item(_visible_case(request.auth, case_id))


@router.post(
    "/desk-cases/{case_id}/return",
    response={200: DeskCaseOut, **NOT_FOUND, **ERRORS},
    summary="Skicka tillbaka ett ärende till trygghetscentret",
    description="Organisationen som har ärendet, när det inte är dess: ärendet blir öppet utan "
    "partner hos centret, som skickar det vidare eller avslutar det. Skälet krävs och rensas "
    "från personuppgifter. Svaret är ärendet som det blev; därefter ser partnern det inte "
    "längre, om den inte också sitter på centret.",
    openapi_extra=body_openapi(ReturnIn),
)
def return_case(request, case_id: int):
    data = parse_body(request.body, ReturnIn)
    case = _visible_case(request.auth, case_id)
    with refused_by_field():
        desk.return_case(case, reason=data.reason, acting_user=request.auth)
    return case_item(case)
