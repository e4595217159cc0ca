"""Shapes of the walks API: walks with their stops, route, participant counts and checklist;
findings with their scores, photos and answers; the answers on their own.

Organisations are named by code, municipalities by kommunkod, as in the measures API. Nothing
names a person: not who captured a finding, not who answered (the organisation answers).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.utils import timezone
from ninja import Field, Schema

from trygg.measures.schemas import NamedRef, OrganisationRef, named, organisation_ref
from trygg.walks.in_municipality import children
from trygg.walks.models import PARTICIPANT_GROUPS, Answer, Finding, Walk, WalkStop

# --- walks ---------------------------------------------------------------------------------


class WalkFilters(Schema):
    municipality: str | None = Field(None, description="Kommunkod, t.ex. 1780.")
    status: list[str] | None = Field(
        None, description="planned, walked, protocol_sent eller followed_up; upprepa eller komma."
    )
    limit: int = Field(100, ge=1, le=1000)
    offset: int = Field(0, ge=0)


class WalkOut(Schema):
    id: int
    title: str
    municipality: str = Field(..., description="Kommunkod.")
    organisation: OrganisationRef = Field(..., description="Arrangören.")
    area: NamedRef | None
    light: str = Field(..., description="day eller dark.")
    status: str = Field(..., description="planned, walked, protocol_sent eller followed_up.")
    status_label: str
    template: str = Field(..., description="Checklistans kod.")
    premeeting_at: dt.datetime | None = Field(None, description="Förmötet.")
    walk_at: dt.datetime
    followup_at: dt.datetime | None = Field(None, description="Uppföljningsmötet.")
    previous: int | None = Field(None, description="Tidigare vandring på samma rutt (id).")
    published_at: dt.datetime | None = Field(None, description="null: inte publicerad.")


class WalkListOut(Schema):
    count: int
    items: list[WalkOut]


class StopOut(Schema):
    id: int
    order: int
    name: str
    place: NamedRef | None
    lat: float
    lon: float


class ItemOut(Schema):
    code: str
    label: str
    label_en: str
    order: int


class TemplateOut(Schema):
    code: str
    name: str
    kind: str = Field(..., description="items, scored eller purple_flag.")
    scale_max: int | None = Field(None, description="Högsta poäng; null: punkter bockas av.")
    items: list[ItemOut]


class WalkDetailOut(WalkOut):
    purpose: str
    meeting_place: str
    route: dict[str, Any] | None = Field(None, description="GeoJSON LineString i WGS84.")
    stops: list[StopOut]
    participants: dict[str, int | None] = Field(
        ..., description="Antal deltagare per grupp (aldrig namn); null: inte angivet."
    )
    invited: list[OrganisationRef]
    checklist: TemplateOut


def _local(moment: dt.datetime | None) -> dt.datetime | None:
    return timezone.localtime(moment) if moment else None


def walk_item(walk: Walk) -> dict[str, Any]:
    """One walk (municipality, organisation, area and template loaded by select_related)."""
    return {
        "id": walk.pk,
        "title": walk.title,
        "municipality": walk.municipality.code,
        "organisation": organisation_ref(walk.organisation),
        "area": named(walk.area),
        "light": walk.light,
        "status": walk.status,
        "status_label": str(walk.get_status_display()),
        "template": walk.template.code,
        "premeeting_at": _local(walk.premeeting_at),
        "walk_at": _local(walk.walk_at),
        "followup_at": _local(walk.followup_at),
        "previous": walk.previous_id,
        "published_at": _local(walk.published_at),
    }


def stop_item(stop: WalkStop) -> dict[str, Any]:
    return {
        "id": stop.pk,
        "order": stop.order,
        "name": stop.name,
        "place": named(stop.place),
        "lat": stop.lat,
        "lon": stop.lon,
    }


def walk_detail(walk: Walk) -> dict[str, Any]:
    template = walk.template
    return walk_item(walk) | {
        "purpose": walk.purpose,
        "meeting_place": walk.meeting_place,
        "route": walk.route,
        "stops": [stop_item(s) for s in children(walk, "stops").select_related("place")],
        "participants": {
            column.removeprefix("participants_"): getattr(walk, column)
            for column, _label in PARTICIPANT_GROUPS
        },
        "invited": [
            organisation_ref(i.organisation)
            for i in children(walk, "invitations").select_related("organisation")
        ],
        "checklist": {
            "code": template.code,
            "name": template.name,
            "kind": template.kind,
            "scale_max": template.scale_max,
            "items": [
                {"code": i.code, "label": i.label, "label_en": i.label_en, "order": i.order}
                for i in template.items.all()
            ],
        },
    }


# --- findings and answers ------------------------------------------------------------------


class ScoreOut(Schema):
    item: str = Field(..., description="Checklistpunktens kod.")
    score: int | None = Field(None, description="Poäng; null där checklistan inte sätter poäng.")


class StopRef(Schema):
    id: int
    order: int
    name: str


class PhotoOut(Schema):
    url: str
    review: str = Field(..., description="pending, approved eller rejected.")


class MeasureRef(Schema):
    id: int
    title: str
    status: str


class AnswerOut(Schema):
    finding: int = Field(..., description="Iakttagelsens id.")
    number: int = Field(..., description="Iakttagelsens nummer på vandringen.")
    organisation: OrganisationRef
    kind: str = Field(..., description="will_act, planned, will_not eller not_ours.")
    kind_label: str
    text: str
    due: dt.date | None
    measure: MeasureRef | None = Field(None, description="Åtgärden som svaret öppnade.")
    answered_at: dt.datetime


class AnswerListOut(Schema):
    count: int
    items: list[AnswerOut]


class FindingOut(Schema):
    id: int
    number: int
    client_id: uuid.UUID = Field(..., description="Id:t som telefonen gav iakttagelsen.")
    event: int = Field(..., description="Händelsen på den gemensamma loggen (id).")
    captured_at: dt.datetime
    lat: float
    lon: float
    category: str = Field(..., description="Kategorins kod.")
    category_name: str
    note: str = Field(..., description="Anteckningen, rensad från personuppgifter.")
    scores: list[ScoreOut]
    stop: StopRef | None
    time_band: str = Field(..., description="Purple Flags tidszon, t.ex. 20-23; tom annars.")
    responsible: OrganisationRef | None = Field(None, description="Bekräftad ansvarig.")
    suggested_responsible: OrganisationRef | None = Field(None, description="Reglernas förslag.")
    photos: list[PhotoOut]
    answers: list[AnswerOut]


class FindingListOut(Schema):
    count: int
    items: list[FindingOut]


def answer_item(answer: Answer, finding: Finding) -> dict[str, Any]:
    measure = answer.measure
    return {
        "finding": finding.pk,
        "number": finding.number,
        "organisation": organisation_ref(answer.organisation),
        "kind": answer.kind,
        "kind_label": str(answer.get_kind_display()),
        "text": answer.text,
        "due": answer.due,
        "measure": {"id": measure.pk, "title": measure.title, "status": measure.status}
        if measure
        else None,
        "answered_at": timezone.localtime(answer.answered_at),
    }


def finding_item(finding: Finding, photo_url) -> dict[str, Any]:
    """One finding (event, category, stop, organisations, scores, photos, answers loaded);
    `photo_url(photo)` makes the absolute address of a photo."""
    event = finding.event
    stop = finding.stop
    return {
        "id": finding.pk,
        "number": finding.number,
        "client_id": finding.client_id,
        "event": event.pk,
        "captured_at": timezone.localtime(event.occurred_from),
        "lat": event.lat,
        "lon": event.lon,
        "category": event.category.code,
        "category_name": event.category.name,
        "note": event.description,
        "scores": [{"item": s.item.code, "score": s.score} for s in finding.scores.all()],
        "stop": {"id": stop.pk, "order": stop.order, "name": stop.name} if stop else None,
        "time_band": finding.time_band,
        "responsible": organisation_ref(finding.responsible),
        "suggested_responsible": organisation_ref(finding.suggested_responsible),
        "photos": [{"url": photo_url(p), "review": p.review} for p in finding.photos.all()],
        "answers": [answer_item(a, finding) for a in finding.answers.all()],
    }


# --- writes: the coordinator's routing, the responsible organisation's answer ---------------


class ResponsibleIn(Schema):
    organisation: str = Field(..., description="Koden för organisationen som ska svara.")


class AnswerIn(Schema):
    kind: str = Field(..., description="will_act, planned, will_not eller not_ours.")
    text: str = Field(
        "",
        description="Vad ni gör (krävs för will_act), eller varför inte (krävs för will_not "
        "och not_ours). Rensas från personuppgifter.",
    )
    due: dt.date | None = Field(None, description="Klart senast (krävs för will_act).")
