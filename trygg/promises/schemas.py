"""Shapes of the promises API: the promise with its adopted versions and the working copy's
commitments; the indicator kinds and a commitment's indicator over a period; the bodies that
adopt a version and mark a commitment for removal. The agreements' shapes are in
schemas_agreements.py, the follow-ups' in schemas_follow_ups.py.

Organisations are named by code, municipalities by kommunkod, categories by code, areas,
measures and commitments by id. What a version says is its snapshot, exactly as adopted; the
working copy (`commitments`) is what the partners are editing for the next version. Nothing
names a person: who wrote or adopted is an organ or an organisation.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import BeforeValidator, ConfigDict, field_validator

from trygg.measures import indicators
from trygg.measures.schemas import NamedRef, OrganisationRef, named, organisation_ref, refuse_null
from trygg.promises.models import (
    Column,
    Commitment,
    Promise,
    PromiseVersion,
)
from trygg.promises.progress import TargetProgress
from trygg.promises.snapshot import indicator_text, target_text

MAX_TEXT = 4000
MAX_SOURCE = 200  # Commitment.indicator_source, CommitmentStatus.value_source
MAX_ORGAN = 160  # PromiseVersion.adopted_by
# As the pages' forms allow (AdoptForm.changes, RemovalForm.removal_reason).
MAX_CHANGES = 5000
MAX_REASON = 2000
TARGET_DIGITS = 10  # Commitment.target_value

COLUMNS = "police (polisen), together (tillsammans) eller municipality (kommunen)."
COMPARISONS = "at_least (minst), at_most (högst) eller fewer (färre än jämförelseperioden)."
PERS = "month, tertial, year eller period (löftets hela period)."


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


def decimal_of(digits: int) -> BeforeValidator:
    """A body's number read by `number` for a column of `digits` digits."""
    return BeforeValidator(lambda value: number(value, digits=digits))


TargetNumber = Annotated[Decimal | None, decimal_of(TARGET_DIGITS)]


class BodyIn(Schema):
    """A request body: a field the endpoint does not know is refused (422), so nothing that
    was sent is dropped without a word."""

    model_config = ConfigDict(extra="forbid")


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


class AdoptIn(BodyIn):
    """Anta arbetskopian som löftets nästa version."""

    adopted_on: dt.date = Field(..., description="Dagen då löftet antogs (ÅÅÅÅ-MM-DD).")
    adopted_by: str = Field(
        ..., max_length=MAX_ORGAN, description="Organet som antog det, aldrig en person."
    )
    changes: str = Field(
        "",
        max_length=MAX_CHANGES,
        description="Vad revideringen ändrar, med vanliga ord (krävs för en revidering; "
        "tomt när löftet antas första gången).",
    )


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


class CommitmentIn(BodyIn):
    """Ett åtagande i arbetskopian; invånarna ser det när nästa version antas."""

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
    target_value: TargetNumber = Field(None, description="Målets antal (två decimaler).")
    target_comparison: str = Field("", description=COMPARISONS)
    target_per: str = Field("", description=PERS)
    baseline_start: dt.date | None = Field(None, description="Jämförelseperiodens första dag.")
    baseline_end: dt.date | None = Field(None, description="Jämförelseperiodens sista dag.")
    measure_ids: list[int] = Field([], description="Åtgärder som genomför åtagandet.")


class CommitmentPatch(BodyIn):
    """Ändra ett åtagande: bara fälten som skickas ändras, allt eller inget."""

    column: str | None = Field(None, description=COLUMNS)
    text: str | None = Field(None, max_length=MAX_TEXT)
    owner: str | None = Field(None, description="Ansvarig organisations kod.")
    indicator_kind: str | None = None
    indicator_category: str | None = Field(None, description="Kod eller namn; null tar bort.")
    indicator_area: int | None = Field(None, description="Områdets id; null: hela kommunen.")
    indicator_source: str | None = Field(None, max_length=MAX_SOURCE)
    target_value: TargetNumber = Field(None, description="Målets antal; null tar bort.")
    target_comparison: str | None = None
    target_per: str | None = None
    baseline_start: dt.date | None = None
    baseline_end: dt.date | None = None
    measure_ids: list[int] | None = Field(None, description="Ersätter de kopplade åtgärderna.")

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


class RemovalIn(BodyIn):
    """Ta bort ett antaget åtagande vid nästa revidering."""

    removal_reason: str = Field(
        ..., max_length=MAX_REASON, description="Varför, med vanliga ord: invånarna ser det."
    )
    measures_on_removal: str = Field(
        "",
        description="Vad som händer med åtgärderna som inte är klara: move (flyttas), cancel "
        "(avbryts) eller release (fortsätter utan löftet). Krävs när det finns sådana.",
    )
    move_measures_to: int | None = Field(
        None, description="För move: id för ett annat åtagande som finns kvar i löftet."
    )


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
