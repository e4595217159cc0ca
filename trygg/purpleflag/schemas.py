"""Shapes of the Purple Flag API: a certification year with its steps and dates, the 5 × 4
grid of self-assessment and walk scores, the linked walks, the measures by focus area, and the
evening and night picture. Municipalities by kommunkod, areas, walks and measures by id."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema
from pydantic import ConfigDict

FOCUS = "sakerhet, tillganglighet, utbud, plats eller policy."
ZONE = "17-20, 20-23, 23-02 eller 02-05."
STEPS = "preparation, self_assessment, submitted, visit, certified eller not_certified."


class YearFilters(Schema):
    municipality: str | None = Field(None, description="Kommunkod, t.ex. 1780.")


class YearIn(Schema):
    """Ett nytt Purple Flag-år för ett område. Kommunens samordnare."""

    model_config = ConfigDict(extra="forbid")

    municipality: str = Field(..., min_length=1, description="Kommunkod, t.ex. 1780.")
    area: int = Field(..., description="Områdets id; ska ligga i kommunen.")
    year: int
    starts_on: dt.date
    application_due: dt.date | None = None
    notes: str = Field("", max_length=4000)


class StepIn(Schema):
    model_config = ConfigDict(extra="forbid")

    step: str = Field(..., description=STEPS)
    submitted_on: dt.date | None = None
    visit_on: dt.date | None = None
    decided_on: dt.date | None = None
    renewal_due: dt.date | None = Field(
        None, description="Utelämnad vid certifiering: ett år efter beslutet."
    )


class CellIn(Schema):
    model_config = ConfigDict(extra="forbid")

    focus_area: str = Field(..., description=FOCUS)
    zone: str = Field(..., description=ZONE)
    score: int | None = Field(..., description="0–3; null: inte bedömd.")
    note: str = Field("", max_length=300)


class AssessmentIn(Schema):
    model_config = ConfigDict(extra="forbid")

    cells: list[CellIn] = Field(..., max_length=20)


class WalkIn(Schema):
    model_config = ConfigDict(extra="forbid")

    walk: int = Field(..., description="En kvällsvandring (Purple Flags checklista) i kommunen.")


class TagIn(Schema):
    model_config = ConfigDict(extra="forbid")

    measure: int = Field(..., description="En åtgärd i kommunen.")
    focus_area: str = Field(..., description=FOCUS)


class CheckOut(Schema):
    key: str
    done: bool
    text: str


class CellOut(Schema):
    zone: str
    score: int | None
    note: str
    walk_mean: float | None
    walk_n: int


class GridRowOut(Schema):
    focus_area: str
    cells: list[CellOut]


class WalkOut(Schema):
    id: int
    title: str
    walk_at: dt.datetime
    status: str


class TaggedOut(Schema):
    measure: int
    title: str
    status: str
    due: dt.date | None


class FocusMeasuresOut(Schema):
    focus_area: str
    measures: list[TaggedOut]


class RenewalOut(Schema):
    """The certification in force: the year's own once certified, else the area's latest
    certified earlier year, whose renewal this year's work is."""

    due: dt.date
    days: int = Field(..., description="Dagar kvar; negativt: passerat.")
    overdue: bool
    of_year: int


class YearOut(Schema):
    id: int
    url: str
    municipality: str
    area: int
    area_name: str
    year: int
    step: str
    starts_on: dt.date
    application_due: dt.date | None
    submitted_on: dt.date | None
    visit_on: dt.date | None
    decided_on: dt.date | None
    renewal_due: dt.date | None
    checks: list[CheckOut]
    renewal: RenewalOut | None
    grid: list[GridRowOut]
    walks: list[WalkOut]
    measures: list[FocusMeasuresOut]


class YearListOut(Schema):
    count: int
    items: list[YearOut]


class ZoneCountOut(Schema):
    zone: str
    now: int
    before: int


class EveningRowOut(Schema):
    category: str
    cells: list[ZoneCountOut]
    now: int
    before: int
    verdict: str = Field(..., description="more, fewer, no_clear_change eller too_few.")


class EveningOut(Schema):
    first: dt.date
    last: dt.date
    earlier_first: dt.date
    earlier_last: dt.date
    rows: list[EveningRowOut]
    zones: list[ZoneCountOut]
    now: int
    before: int
