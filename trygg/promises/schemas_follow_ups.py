"""Shapes of the promises API's follow-ups: each period with its counts by state, a
commitment's status with the indicator's value, and the bodies that open a follow-up, record a
status and publish. Commitments are named by id, organisations by code; nothing names a
person."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from ninja import Field, Schema

from trygg.measures.schemas import OrganisationRef, organisation_ref
from trygg.promises.models import Commitment, CommitmentStatus, FollowUp
from trygg.promises.schemas import MAX_SOURCE, MAX_TEXT, BodyIn, decimal_of

VALUE_DIGITS = 12  # CommitmentStatus.value
STATES = "done (genomfört), on_plan (enligt plan), behind (efter plan) eller dropped (utgår)."


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


class StatusIn(BodyIn):
    """Ett åtagandes status vid uppföljningen. En beräknad indikator räknas fram och sparas;
    ett värde som förs in för hand behöver sin källa; ett åtagande som utgår sitt skäl."""

    commitment: int = Field(..., description="Åtagandets id.")
    state: str = Field(..., description=STATES)
    reason: str = Field("", max_length=MAX_TEXT, description="Krävs för dropped.")
    value: Annotated[Decimal | None, decimal_of(VALUE_DIGITS)] = Field(
        None, description="Bara för entered (två decimaler)."
    )
    value_source: str = Field("", max_length=MAX_SOURCE)
    note: str = Field("", max_length=MAX_TEXT)


class FollowUpIn(BodyIn):
    """Starta uppföljningen av en av överenskommelsens perioder som är slut."""

    first_day: dt.date = Field(..., description="Periodens första dag (ÅÅÅÅ-MM-DD).")
    last_day: dt.date = Field(..., description="Periodens sista dag, före i dag.")


class PublishIn(BodyIn):
    """Publicera uppföljningen för invånarna; den ändras inte sedan."""

    summary: str = Field("", max_length=MAX_TEXT, description="Hur arbetet har gått.")
    next_steps: str = Field("", max_length=MAX_TEXT, description="Vad som händer nu (krävs).")
    published_on: dt.date | None = Field(
        None,
        description="Publiceringsdagen: tidigast periodens sista dag, senast i dag (null: i dag).",
    )
