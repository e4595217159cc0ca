"""Shapes of the promises API's agreements: the parties with the body that adopted the
agreement, Brå's steps, the ranked problems with their cause analysis, and the promises.
Organisations are named by code, municipalities by kommunkod, categories by code, areas by
id."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema

from trygg.measures.schemas import NamedRef, OrganisationRef, named, organisation_ref
from trygg.promises.models import Agreement, AgreementParty, Problem, ProcessStep, Promise


class PartyOut(Schema):
    organisation: OrganisationRef
    role: str = Field(..., description="municipality, police eller other.")
    role_label: str
    adopted_by: str = Field(..., description="Organet som beslutade, aldrig en person.")
    decided_on: dt.date


class StepOut(Schema):
    step: str = Field(..., description="Steget i Brås process, t.ex. cause_analysis.")
    label: str
    position: int = Field(..., description="1–9 i processens ordning.")
    done_on: dt.date | None = Field(None, description="null: inte klart.")
    note: str


class CauseAnalysisOut(Schema):
    places: str = Field(..., description="Var: platser och miljöer.")
    times: str = Field(..., description="När: tider, dagar, säsonger.")
    circumstances: str = Field(..., description="Vad som gör det möjligt. Aldrig personer.")


class ProblemOut(Schema):
    id: int
    title: str
    categories: list[str] = Field(..., description="Händelsekategoriernas koder.")
    areas: list[NamedRef] = Field(..., description="Tom: hela kommunen.")
    notes: str
    rank: int | None = Field(None, description="1 = högst prioritet; null: kandidat.")
    cause_analysis: CauseAnalysisOut | None = Field(None, description="null: ingen ännu.")


class PromiseRef(Schema):
    id: int
    title: str
    start: dt.date
    end: dt.date


class AgreementOut(Schema):
    id: int
    municipality: str = Field(..., description="Kommunkod.")
    title: str
    start: dt.date
    end: dt.date
    follow_up_interval: str = Field(..., description="tertial, half_year eller year.")
    follow_up_interval_label: str
    url: str = Field(..., description="Överenskommelsens sida.")


class AgreementDetailOut(AgreementOut):
    parties: list[PartyOut]
    steps: list[StepOut] = Field(..., description="Brås process i ordning.")
    problems: list[ProblemOut] = Field(..., description="Prioriterade först, i ordning.")
    promises: list[PromiseRef]


class AgreementListOut(Schema):
    count: int
    items: list[AgreementOut]


class AgreementFilters(Schema):
    municipality: str | None = Field(None, description="Kommunkod, t.ex. 1780.")


def agreement_item(agreement: Agreement, url: str) -> dict[str, Any]:
    return {
        "id": agreement.pk,
        "municipality": agreement.municipality.code,
        "title": agreement.title,
        "start": agreement.start,
        "end": agreement.end,
        "follow_up_interval": agreement.follow_up_interval,
        "follow_up_interval_label": str(agreement.get_follow_up_interval_display()),
        "url": url,
    }


def party_item(party: AgreementParty) -> dict[str, Any]:
    return {
        "organisation": organisation_ref(party.organisation),
        "role": party.role,
        "role_label": str(party.get_role_display()),
        "adopted_by": party.adopted_by,
        "decided_on": party.decided_on,
    }


def step_item(step: ProcessStep) -> dict[str, Any]:
    return {
        "step": step.step,
        "label": str(step.get_step_display()),
        "position": step.position,
        "done_on": step.done_on,
        "note": step.note,
    }


def problem_item(problem: Problem) -> dict[str, Any]:
    """One problem (categories and areas prefetched)."""
    cause = None
    if problem.has_cause_analysis:
        cause = {
            "places": problem.cause_places,
            "times": problem.cause_times,
            "circumstances": problem.cause_circumstances,
        }
    return {
        "id": problem.pk,
        "title": problem.title,
        "categories": [c.code for c in problem.categories.all()],
        "areas": [named(a) for a in problem.areas.all()],
        "notes": problem.notes,
        "rank": problem.rank,
        "cause_analysis": cause,
    }


def promise_ref(promise: Promise) -> dict[str, Any]:
    return {"id": promise.pk, "title": promise.title, "start": promise.start, "end": promise.end}
