"""Shapes of the promises API: the agreement with its parties, steps and problems; the promise
with its adopted versions and the working copy's commitments; the indicator kinds and a
commitment's indicator over a period; follow-ups with each commitment's status.

Organisations are named by code, municipalities by kommunkod, categories by code, areas,
measures and commitments by id. What a version says is its snapshot, exactly as adopted; the
working copy (`commitments`) is what the partners are editing for the next version. Nothing
names a person: who wrote or adopted is an organ or an organisation.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import ConfigDict, field_validator

from trygg.measures import indicators
from trygg.measures.schemas import NamedRef, OrganisationRef, named, organisation_ref, refuse_null
from trygg.promises.models import (
    Agreement,
    AgreementParty,
    Column,
    Commitment,
    CommitmentStatus,
    FollowUp,
    Problem,
    ProcessStep,
    Promise,
    PromiseVersion,
)
from trygg.promises.progress import TargetProgress
from trygg.promises.snapshot import indicator_text, target_text

MAX_TEXT = 4000
MAX_SOURCE = 200  # Commitment.indicator_source, CommitmentStatus.value_source
TARGET_DIGITS = 10  # Commitment.target_value
VALUE_DIGITS = 12  # CommitmentStatus.value

COLUMNS = "police (polisen), together (tillsammans) eller municipality (kommunen)."
COMPARISONS = "at_least (minst), at_most (högst) eller fewer (färre än jämförelseperioden)."
PERS = "month, tertial, year eller period (löftets hela period)."
STATES = "done (genomfört), on_plan (enligt plan), behind (efter plan) eller dropped (utgår)."


def number(value: Any, *, digits: int) -> Decimal | None:
    """A number (in JSON or in a string) as the Decimal a column of `digits` digits, two of
    them decimals, holds; said in Swedish when it is not one (text, too many decimals, too
    large)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | str):
        raise ValueError(_("Ange ett tal."))
    try:
        result = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError(_("Ange ett tal.")) from None
    if not result.is_finite():
        raise ValueError(_("Ange ett ändligt tal."))
    if result != result.quantize(Decimal("0.01")):
        raise ValueError(_("Högst två decimaler."))
    if abs(result) >= 10 ** (digits - 2):
        raise ValueError(_("Talet är för stort."))
    return result


# --- agreements -------------------------------------------------------------------------------


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


# --- versions ---------------------------------------------------------------------------------


class SnapshotCommitmentOut(Schema):
    id: int
    column: str
    text: str
    owner: str = Field(..., description="Ansvarig organisation, som den hette då.")
    target: str = Field(..., description="Målet i ord; tomt: inget mätbart mål.")
    indicator: str = Field(..., description="Indikatorn i ord; tomt: ingen.")


class SnapshotRemovedOut(Schema):
    id: int
    column: str = ""
    text: str
    reason: str
    measures: str = Field("", description="Vad som hände med dess öppna åtgärder.")


class SnapshotOut(Schema):
    title: str
    focus: str = ""
    start: str
    end: str
    problems: list[str] = []
    commitments: list[SnapshotCommitmentOut] = []
    removed: list[SnapshotRemovedOut] = Field([], description="Åtaganden versionen tog bort.")


class VersionOut(Schema):
    number: int = Field(..., description="1: som löftet först antogs; sedan revideringar.")
    adopted_on: dt.date
    adopted_by: str
    changes: str = Field(..., description="Vad revideringen ändrade, för invånarna.")
    is_revision: bool
    snapshot: SnapshotOut = Field(..., description="Löftet precis som det antogs.")


def version_item(version: PromiseVersion) -> dict[str, Any]:
    return {
        "number": version.number,
        "adopted_on": version.adopted_on,
        "adopted_by": version.adopted_by,
        "changes": version.changes,
        "is_revision": version.is_revision,
        "snapshot": version.snapshot,
    }


# --- commitments ------------------------------------------------------------------------------


class CommitmentOut(Schema):
    id: int
    promise: int
    column: str = Field(..., description=COLUMNS)
    column_label: str
    text: str
    owner: OrganisationRef
    indicator_kind: str = Field(
        ..., description="Tom: ingen indikator; entered: förs in för hand; annars en indikatorsort."
    )
    indicator_category: str | None = Field(None, description="Kategorins kod.")
    indicator_area: NamedRef | None = Field(None, description="null: hela kommunen.")
    indicator_source: str = Field(..., description="Källan för ett värde som förs in för hand.")
    indicator_text: str = Field(..., description="Indikatorn i ord.")
    target_value: float | None = None
    target_comparison: str = Field(..., description=COMPARISONS + " Tom: inget mål.")
    target_per: str = Field(..., description=PERS)
    target_text: str = Field(..., description="Målet i ord, som i löftet.")
    baseline_start: dt.date | None = None
    baseline_end: dt.date | None = None
    measure_ids: list[int] = Field(..., description="Åtgärderna som genomför åtagandet.")
    added_in: int | None = Field(None, description="Versionen som antog det; null: utkast.")
    removed_in: int | None = Field(None, description="Versionen som tog bort det.")
    removal_reason: str = Field(..., description="Skälet, när det är markerat för borttagning.")
    measures_on_removal: str = Field(..., description="move, cancel eller release; tom.")


class CommitmentListOut(Schema):
    count: int
    items: list[CommitmentOut]


def commitment_item(commitment: Commitment, measure_ids: list[int]) -> dict[str, Any]:
    """One commitment (owner, category, area and versions loaded); `measure_ids`: the linked
    measures the caller may see."""
    added, removed = commitment.added_in, commitment.removed_in
    return {
        "id": commitment.pk,
        "promise": commitment.promise_id,
        "column": commitment.column,
        "column_label": str(commitment.get_column_display()),
        "text": commitment.text,
        "owner": organisation_ref(commitment.owner),
        "indicator_kind": commitment.indicator_kind,
        "indicator_category": (
            commitment.indicator_category.code if commitment.indicator_category else None
        ),
        "indicator_area": named(commitment.indicator_area),
        "indicator_source": commitment.indicator_source,
        "indicator_text": indicator_text(commitment),
        "target_value": (
            None if commitment.target_value is None else float(commitment.target_value)
        ),
        "target_comparison": commitment.target_comparison,
        "target_per": commitment.target_per,
        "target_text": target_text(commitment),
        "baseline_start": commitment.baseline_start,
        "baseline_end": commitment.baseline_end,
        "measure_ids": measure_ids,
        "added_in": added.number if added else None,
        "removed_in": removed.number if removed else None,
        "removal_reason": commitment.removal_reason,
        "measures_on_removal": commitment.measures_on_removal,
    }


def column_order(commitment: Commitment) -> tuple[int, int, int]:
    """As the promise is printed: the police, together, the municipality."""
    return (Column.values.index(commitment.column), commitment.sort_order, commitment.pk)


class CommitmentIn(Schema):
    """Ett åtagande i arbetskopian; invånarna ser det när nästa version antas."""

    model_config = ConfigDict(extra="forbid")

    column: str = Field(..., description=COLUMNS)
    text: str = Field(..., max_length=MAX_TEXT, description="Vad som utlovas.")
    owner: str | None = Field(None, description="Ansvarig organisations kod (krävs).")
    indicator_kind: str = Field(
        "", description="Tom, entered eller en indikatorsort (se /api/v1/indicators)."
    )
    indicator_category: str | None = Field(None, description="Kategorins kod eller namn.")
    indicator_area: int | None = Field(None, description="Områdets id; null: hela kommunen.")
    indicator_source: str = Field(
        "", max_length=MAX_SOURCE, description="Var värdet kommer ifrån (för entered)."
    )
    target_value: Decimal | None = Field(None, description="Målets antal (två decimaler).")
    target_comparison: str = Field("", description=COMPARISONS)
    target_per: str = Field("", description=PERS)
    baseline_start: dt.date | None = Field(None, description="Jämförelseperiodens första dag.")
    baseline_end: dt.date | None = Field(None, description="Jämförelseperiodens sista dag.")
    measure_ids: list[int] = Field([], description="Åtgärder som genomför åtagandet.")

    @field_validator("target_value", mode="before")
    @classmethod
    def _target(cls, value):
        return number(value, digits=TARGET_DIGITS)


class CommitmentPatch(Schema):
    """Ändra ett åtagande: bara fälten som skickas ändras, allt eller inget."""

    model_config = ConfigDict(extra="forbid")

    column: str | None = Field(None, description=COLUMNS)
    text: str | None = Field(None, max_length=MAX_TEXT)
    owner: str | None = Field(None, description="Ansvarig organisations kod.")
    indicator_kind: str | None = None
    indicator_category: str | None = Field(None, description="Kod eller namn; null tar bort.")
    indicator_area: int | None = Field(None, description="Områdets id; null: hela kommunen.")
    indicator_source: str | None = Field(None, max_length=MAX_SOURCE)
    target_value: Decimal | None = Field(None, description="Målets antal; null tar bort.")
    target_comparison: str | None = None
    target_per: str | None = None
    baseline_start: dt.date | None = None
    baseline_end: dt.date | None = None
    measure_ids: list[int] | None = Field(None, description="Ersätter de kopplade åtgärderna.")

    @field_validator("target_value", mode="before")
    @classmethod
    def _target(cls, value):
        return number(value, digits=TARGET_DIGITS)

    @field_validator(
        "column",
        "text",
        "indicator_kind",
        "indicator_source",
        "target_comparison",
        "target_per",
        "measure_ids",
        mode="before",
    )
    @classmethod
    def _not_null(cls, value):
        return refuse_null(value)


# --- indicators -------------------------------------------------------------------------------


class IndicatorKindOut(Schema):
    key: str
    label: str
    unit: str = Field(..., description="Det som räknas, i plural.")
    uses_category: bool
    requires_category: bool
    uses_area: bool
    compares: bool = Field(..., description="Kan jämföras med en tidigare period (fewer).")


def kind_item(kind: indicators.IndicatorKind) -> dict[str, Any]:
    return {
        "key": kind.key,
        "label": str(kind.label),
        "unit": str(kind.unit),
        "uses_category": kind.uses_category,
        "requires_category": kind.requires_category,
        "uses_area": kind.uses_area,
        "compares": kind.compares,
    }


class BaselineOut(Schema):
    start: dt.date
    end: dt.date
    count: int = Field(..., description="Händelser under jämförelseperioden.")
    days: int
    expected: float = Field(..., description="Jämförelseperiodens antal skalat till perioden.")
    change_percent: float | None
    p_value: float
    verdict: str = Field(..., description="more, fewer, no_clear_change eller too_few.")


class ProgressOut(Schema):
    window: list[dt.date] = Field(..., description="Det målet mäts över, så långt det kommit.")
    value: int
    expected: float | None = Field(None, description="Målet i proportion till tiden som gått.")
    suggested: str | None = Field(None, description="Föreslagen status; null: talen säger inte.")
    months_met: list[int] | None = Field(None, description="Per månad: [uppfyllda, månader].")
    verdict: str | None = Field(None, description="Mot jämförelseperioden, för fewer.")


class IndicatorOut(Schema):
    commitment: int
    kind: str
    kind_label: str
    unit: str
    category: str | None
    area: NamedRef | None
    start: dt.date
    end: dt.date
    value: int = Field(..., description="Räknat ur Trygg för perioden.")
    baseline: BaselineOut | None = Field(None, description="Jämförelsen, för en jämförande sort.")
    target: str = Field(..., description="Målet i ord.")
    progress: ProgressOut | None = Field(None, description="Mot målet; null: inget mål.")


class PeriodFilters(Schema):
    start: dt.date = Field(..., description="Första dagen (ÅÅÅÅ-MM-DD), ingår.")
    end: dt.date = Field(..., description="Sista dagen (ÅÅÅÅ-MM-DD), ingår.")


def indicator_item(
    commitment: Commitment,
    start: dt.date,
    end: dt.date,
    value: indicators.IndicatorValue,
    progress: TargetProgress | None,
) -> dict[str, Any]:
    kind = indicators.kind(commitment.indicator_kind)
    assert kind is not None  # noqa: S101 -- only asked for computed indicators
    baseline = None
    if value.comparison is not None and commitment.baseline_start and commitment.baseline_end:
        baseline = {
            "start": commitment.baseline_start,
            "end": commitment.baseline_end,
            **value.as_json()["baseline"],
        }
    return {
        "commitment": commitment.pk,
        "kind": kind.key,
        "kind_label": str(kind.label),
        "unit": str(kind.unit),
        "category": commitment.indicator_category.code if commitment.indicator_category else None,
        "area": named(commitment.indicator_area),
        "start": start,
        "end": end,
        "value": value.value,
        "baseline": baseline,
        "target": target_text(commitment),
        "progress": None if progress is None else progress.as_json(),
    }


# --- follow-ups -------------------------------------------------------------------------------


class StateCountsOut(Schema):
    done: int
    on_plan: int
    behind: int
    dropped: int


class FollowUpOut(Schema):
    id: int
    promise: int
    first_day: dt.date
    last_day: dt.date
    published_on: dt.date | None = Field(None, description="null: inte publicerad.")
    states: StateCountsOut = Field(..., description="Antal åtaganden per status.")
    url: str = Field(..., description="Uppföljningens sida.")


class FollowUpListOut(Schema):
    count: int
    items: list[FollowUpOut]


class CommitmentRef(Schema):
    id: int
    column: str
    text: str
    owner: OrganisationRef


class StatusOut(Schema):
    commitment: CommitmentRef
    state: str = Field(..., description=STATES)
    state_label: str
    reason: str = Field(..., description="Varför åtagandet utgår.")
    value: float | None = Field(None, description="Indikatorns värde för perioden.")
    value_source: str = Field(..., description="Källan, för ett värde som förts in för hand.")
    computed: dict[str, Any] = Field(
        ..., description="Den beräknade indikatorn som den räknades när statusen fördes in."
    )
    note: str


class FollowUpDetailOut(FollowUpOut):
    summary: str
    next_steps: str
    statuses: list[StatusOut]
    missing: list[CommitmentRef] = Field(..., description="Åtaganden som saknar status.")


def commitment_ref(commitment: Commitment) -> dict[str, Any]:
    return {
        "id": commitment.pk,
        "column": commitment.column,
        "text": commitment.text,
        "owner": organisation_ref(commitment.owner),
    }


def status_item(status: CommitmentStatus) -> dict[str, Any]:
    return {
        "commitment": commitment_ref(status.commitment),
        "state": status.state,
        "state_label": str(status.get_state_display()),
        "reason": status.reason,
        "value": None if status.value is None else float(status.value),
        "value_source": status.value_source,
        "computed": status.computed,
        "note": status.note,
    }


def follow_up_item(follow_up: FollowUp, states: dict[str, int], url: str) -> dict[str, Any]:
    return {
        "id": follow_up.pk,
        "promise": follow_up.promise_id,
        "first_day": follow_up.first_day,
        "last_day": follow_up.last_day,
        "published_on": follow_up.published_on,
        "states": {name: states.get(name, 0) for name in ("done", "on_plan", "behind", "dropped")},
        "url": url,
    }


class StatusIn(Schema):
    """Ett åtagandes status vid uppföljningen. En beräknad indikator räknas fram och sparas;
    ett värde som förs in för hand behöver sin källa; ett åtagande som utgår sitt skäl."""

    model_config = ConfigDict(extra="forbid")

    commitment: int = Field(..., description="Åtagandets id.")
    state: str = Field(..., description=STATES)
    reason: str = Field("", max_length=MAX_TEXT, description="Krävs för dropped.")
    value: Decimal | None = Field(None, description="Bara för entered (två decimaler).")
    value_source: str = Field("", max_length=MAX_SOURCE)
    note: str = Field("", max_length=MAX_TEXT)

    @field_validator("value", mode="before")
    @classmethod
    def _value(cls, value):
        return number(value, digits=VALUE_DIGITS)


# --- promises ---------------------------------------------------------------------------------


class VersionRef(Schema):
    number: int
    adopted_on: dt.date
    adopted_by: str
    changes: str


class PromiseOut(Schema):
    id: int
    agreement: int
    municipality: str = Field(..., description="Kommunkod.")
    title: str
    focus: str
    start: dt.date
    end: dt.date
    problems: list[int] = Field(..., description="Problemområdenas id.")
    current_version: VersionRef | None = Field(None, description="null: inte antaget än.")
    url: str = Field(..., description="Löftets sida.")


class PromiseDetailOut(PromiseOut):
    current: VersionOut | None = Field(None, description="Den gällande versionen som antagen.")
    versions: list[VersionRef] = Field(..., description="Alla antagna versioner, äldst först.")
    commitments: list[CommitmentOut] = Field(
        ..., description="Arbetskopian: åtagandena som gäller och utkasten till nästa version."
    )


class PromiseListOut(Schema):
    count: int
    items: list[PromiseOut]


class PromiseFilters(Schema):
    municipality: str | None = Field(None, description="Kommunkod, t.ex. 1780.")
    agreement: int | None = Field(None, description="Överenskommelsens id.")


def version_ref(version: PromiseVersion | None) -> dict[str, Any] | None:
    if version is None:
        return None
    return {
        "number": version.number,
        "adopted_on": version.adopted_on,
        "adopted_by": version.adopted_by,
        "changes": version.changes,
    }


def promise_item(promise: Promise, current: PromiseVersion | None, url: str) -> dict[str, Any]:
    """One promise (agreement and municipality loaded, problems prefetched)."""
    return {
        "id": promise.pk,
        "agreement": promise.agreement_id,
        "municipality": promise.agreement.municipality.code,
        "title": promise.title,
        "focus": promise.focus,
        "start": promise.start,
        "end": promise.end,
        "problems": [p.pk for p in promise.problems.all()],
        "current_version": version_ref(current),
        "url": url,
    }
