"""GET /api/v1/presence/coverage: the coverage analysis as JSON (issue 15, point 3): the share
of evening events that fell where and when someone was out, each area × weekday × hour cell
with events or presence, the evening cells nobody covered (many events first) and suggested
shifts. Counted from the events the caller may see; the municipality's staff only."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from trygg.core.api_errors import FieldErrors, FieldErrorsOut, MessageOut, field_error
from trygg.core.resolve import Resolver
from trygg.places.lookups import MUNICIPALITY
from trygg.presence import coverage
from trygg.presence.access import may_view
from trygg.presence.coverage_data import (
    Report,
    build,
    default_period,
    period_errors,
    shown_rows,
)

router = Router(tags=["närvaro"])
# The page lists twenty; a caller gets more, but not every quiet hour of a big municipality.
GAPS = 100


class CoverageFilters(Schema):
    kommun: str = Field(..., description="Kommunkod, t.ex. 1780.")
    from_: str | None = Field(
        None, alias="from", description="Första dagen (ÅÅÅÅ-MM-DD); utan: 91 dagar före to."
    )
    to: str | None = Field(None, description="Sista dagen (ÅÅÅÅ-MM-DD); utan: i går.")


class AreaOut(Schema):
    """Ett område (stadsdel) med sina celler: sju rader (måndag först; före kl. 02 räknas
    dagen innan) med 24 timmar var."""

    index: int
    name: str
    kind: str
    area_ids: list[int] = Field(..., description="Områdets alla versioner och delområden.")
    events: list[list[int]]
    covered: list[list[int]] = Field(
        ..., description="Händelser den timme ett pass var ute i området."
    )
    people_hours: list[list[float]]
    shift_hours: list[list[float]]
    verdict: list[list[str]] = Field(
        ..., description="Kvällstimmar: many, not_many eller too_few; annars tomt."
    )


class GapOut(Schema):
    area: int = Field(..., description="Index i areas.")
    weekday: int = Field(..., description="ISO-veckodag (måndag 1); före kl. 02 dagen innan.")
    hour: int
    events: int
    verdict: str


class SuggestionOut(Schema):
    area: int = Field(..., description="Index i areas.")
    weekday: int
    start_hour: int
    end_hour: int = Field(..., description="Till och med 18 betyder nästa morgon.")
    events: int


class CoverageOut(Schema):
    municipality: str
    from_: dt.date = Field(..., alias="from")
    to: dt.date
    evening_events: int
    covered: int
    share: float | None
    without_area: int = Field(..., description="Kvällshändelser utan område, inte räknade.")
    min_events: int = Field(..., description="Färre händelser i en cell: för få för att säga.")
    areas: list[AreaOut]
    gaps: list[GapOut] = Field(
        ..., description="Högst 100 kvällstimmar utan närvaro med händelser, många först."
    )
    suggestions: list[SuggestionOut]


def _day(lookups: Resolver, name: str, value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value is not None else None
    except ValueError:
        lookups.fail(name, _("Ange dagen som ÅÅÅÅ-MM-DD."))
        return None


def _area(report: Report, i: int) -> dict[str, Any]:
    area, cells = report.areas[i], report.cells
    return {
        "index": i,
        "name": area.name,
        "kind": area.kind,
        "area_ids": list(area.area_ids),
        "events": cells.events[i].tolist(),
        "covered": cells.covered[i].tolist(),
        "people_hours": np.round(cells.people_hours[i], 2).tolist(),
        "shift_hours": np.round(cells.shift_hours[i], 2).tolist(),
        "verdict": cells.verdict[i].tolist(),
    }


def report_json(report: Report) -> dict[str, Any]:
    return {
        "municipality": report.municipality.code,
        "from": report.first,
        "to": report.last,
        "evening_events": report.evening_events,
        "covered": report.covered,
        "share": report.share,
        "without_area": report.without_area,
        "min_events": coverage.MIN_EVENTS,
        "areas": [_area(report, i) for i in shown_rows(report)],
        "gaps": [
            {
                "area": g.area,
                "weekday": g.weekday + 1,
                "hour": g.hour,
                "events": g.events,
                "verdict": g.verdict,
            }
            for g in report.gaps[:GAPS]
        ],
        "suggestions": [
            {
                "area": s.area,
                "weekday": s.weekday + 1,
                "start_hour": s.start,
                "end_hour": s.end % 24,
                "events": s.events,
            }
            for s in report.suggestions
        ],
    }


@router.get(
    "/presence/coverage",
    response={200: CoverageOut, 401: MessageOut, 403: MessageOut, 422: FieldErrorsOut},
    by_alias=True,
    summary="Är vi ute där problemen finns?",
    description="Närvaro (planerade och genomförda pass) och händelserna du kan se per område "
    "(stadsdel), veckodag och timme för en period på högst ett år, andelen kvällshändelser "
    "(kl. 18–02) där och när någon var ute, kvällstimmarna utan närvaro och förslag på pass.",
)
def get_coverage(request, filters: Query[CoverageFilters]):
    lookups = Resolver()
    municipality = lookups.get(MUNICIPALITY, filters.kommun, "kommun")
    first = _day(lookups, "from", filters.from_)
    last = _day(lookups, "to", filters.to)
    lookups.check()
    assert municipality is not None  # noqa: S101 -- a required field: lookups.check() raised
    if not may_view(request.auth, municipality.pk):
        raise PermissionDenied(_("Du arbetar inte i den kommunen."))
    default_first, default_last = default_period(timezone.localdate())
    last = last or default_last
    first = first or (
        default_first if filters.to is None else last - (default_last - default_first)
    )
    errors = period_errors(first, last)
    if errors:
        raise FieldErrors([field_error(f, m) for f, messages in errors.items() for m in messages])
    return report_json(build(request.auth, municipality, first, last))
