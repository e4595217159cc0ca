"""Indicators: counts that follow a commitment (a medborgarlöfte's, or any goal's) from
Trygg's own data, for a municipality, an optional category and area, and a period.

The spine runs one way: the promises app reads indicators, and apps beside it (walks,
citizens) own some of the data. So the kinds are registered here, below them all, each from
its app's AppConfig.ready: measures registers measures done and events (below), walks
registers walks held, citizens the dialogues held. A kind says which of category and area it
uses and whether it compares with a baseline period, so a form can refuse a target the
indicator cannot measure before anything is written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise as LazyText
from django.utils.translation import gettext_lazy as _

from trygg.analysis.counts import CountComparison, compare_counts
from trygg.core.periods import midnight
from trygg.events.daily_counts import counted
from trygg.events.models import Category, Event, Visibility
from trygg.places.models import Area


@dataclass(frozen=True)
class IndicatorQuery:
    municipality_id: int
    first_day: dt.date
    last_day: dt.date  # included
    category: Category | None = None
    area: Area | None = None
    # For kinds that compare: the baseline period, both days included.
    baseline: tuple[dt.date, dt.date] | None = None

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1


@dataclass(frozen=True)
class IndicatorValue:
    value: int
    comparison: CountComparison | None = None  # against the baseline, for kinds that compare
    baseline_days: int | None = None

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"value": self.value}
        if self.comparison is not None:
            c = self.comparison
            data["baseline"] = {
                "count": c.baseline,
                "days": self.baseline_days,
                "expected": round(c.expected, 2),
                "change_percent": None if c.change_percent is None else round(c.change_percent, 1),
                "p_value": round(c.p_value, 4),
                "verdict": str(c.verdict),
            }
        return data


@dataclass(frozen=True)
class IndicatorKind:
    key: str
    label: str | LazyText
    unit: str | LazyText  # what is counted, in the plural: "trygghetsvandringar"
    compute: Callable[[IndicatorQuery], IndicatorValue]
    uses_category: bool = False
    requires_category: bool = False
    uses_area: bool = False
    compares: bool = False  # can say fewer/more than a baseline period


_KINDS: dict[str, IndicatorKind] = {}


def register(kind: IndicatorKind) -> None:
    existing = _KINDS.get(kind.key)
    if existing is not None and existing != kind:
        raise ValueError(f"indicator kind {kind.key!r} is already registered")
    _KINDS[kind.key] = kind


def registered() -> list[IndicatorKind]:
    return list(_KINDS.values())


def kind(key: str) -> IndicatorKind | None:
    return _KINDS.get(key)


def compute(key: str, query: IndicatorQuery) -> IndicatorValue:
    found = _KINDS.get(key)
    if found is None:
        raise KeyError(f"no indicator kind {key!r}")
    return found.compute(query)


# --- the kinds measures owns ------------------------------------------------------------------


def measures_done(query: IndicatorQuery) -> IndicatorValue:
    """Measures of the municipality marked done in the period (of the category's subtree, in
    the area or at a place in it, when given)."""
    from trygg.measures.models import Measure, Status

    measures = Measure.objects.filter(
        municipality_id=query.municipality_id,
        status=Status.DONE,
        done_on__gte=query.first_day,
        done_on__lte=query.last_day,
    )
    if query.category is not None:
        measures = measures.filter(category_id__in=query.category.descendant_ids())
    if query.area is not None:
        measures = measures.in_area(query.area)
    return IndicatorValue(measures.count())


# Events every partner may see: a public indicator is computed from what all partners share.
SHARED = (Visibility.PUBLIC, Visibility.PARTNERS)


def shared_events(query: IndicatorQuery, first_day: dt.date, last_day: dt.date):
    events = counted(Event.objects.filter(municipality_id=query.municipality_id)).filter(
        visibility__in=SHARED,
        occurred_from__gte=midnight(first_day),
        occurred_from__lt=midnight(last_day + dt.timedelta(days=1)),
    )
    if query.category is not None:
        events = events.filter(category_id__in=query.category.descendant_ids())
    if query.area is not None:
        events = events.in_area(query.area)
    return events


def events(query: IndicatorQuery) -> IndicatorValue:
    """Events of the category in the area in the period; with a baseline period, compared
    with it by the exact test of two Poisson counts (analysis.counts), scaled by the periods'
    lengths, so "fewer" is said only when the counts can show it."""
    current = shared_events(query, query.first_day, query.last_day).count()
    if query.baseline is None:
        return IndicatorValue(current)
    first, last = query.baseline
    baseline = shared_events(query, first, last).count()
    baseline_days = (last - first).days + 1
    comparison = compare_counts(current, baseline, exposure_ratio=query.days / baseline_days)
    return IndicatorValue(current, comparison=comparison, baseline_days=baseline_days)


MEASURES_DONE = IndicatorKind(
    "measures_done",
    _("Åtgärder klara"),
    _("åtgärder"),
    measures_done,
    uses_category=True,
    uses_area=True,
)
EVENTS = IndicatorKind(
    "events",
    _("Händelser i kategorin"),
    _("händelser"),
    events,
    uses_category=True,
    requires_category=True,
    uses_area=True,
    compares=True,
)
