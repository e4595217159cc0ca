"""A survey side by side with the events (issue 13, point 6): for each item compared with event
categories, per sub-area of the frame, what residents feel (the item's 0–6 index, or its
headline share for items outside the index, with the interval) beside the events reported in
the item's categories in the same sub-area and year, as a count and per 1,000 residents.

Where feeling and facts part: the sub-areas are ranked on each (1 = the most problems felt, the
most events per resident), the two rankings compared with Spearman's rank correlation over the
sub-areas, and each sub-area's rank difference shown (ties share their average place). A
difference of at least a third of the ranking (and at least two places) is marked in words.
Sub-areas with too few answers get no figure and no rank ("för få svar").

Which events count:
- in the item's categories, a code including everything under it (`CategoryTree`);
- whose position lies in the sub-area's geometry: survey sub-areas (RegSO, delområden) are
  rarely the districts events are assigned to when written, so the positions are looked up in
  the frame's own polygons. Positions vaguer than `AREA_PRECISION_LIMIT_M` (the police feed's
  municipality centroids) lie in no sub-area, as they get no district;
- that happened in the survey year, local time;
- that the statistics count (`events.daily_counts.counted`) and the reader may see
  (`Event.objects.visible_to`).

The rate's denominator is the frame's population of the sub-area, all sexes and age groups in
the table (the survey's 16–85, not every resident): the same people the feelings are of.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import numpy as np
from django.db.models import Sum
from django.utils.translation import gettext as _
from scipy.stats import rankdata, spearmanr

from trygg.analysis.survey import Estimate
from trygg.core.periods import midnight
from trygg.events.categories import CategoryTree
from trygg.events.daily_counts import counted
from trygg.events.models import Event
from trygg.places.geo import PolygonIndex
from trygg.places.index import AREA_PRECISION_LIMIT_M
from trygg.surveys.estimates import WHOLE, SurveyFigures, estimate_survey
from trygg.surveys.in_municipality import population_of
from trygg.surveys.models import FrameArea, Item, Survey

# Spearman needs a few sub-areas to mean anything; with fewer the rankings are still shown.
MIN_AREAS_FOR_CORRELATION = 3
MIN_RANK_GAP = 2

FEELS_WORSE = "feels_worse"
MORE_EVENTS = "more_events"


def compare(survey: Survey, user) -> dict[str, Any]:
    """The comparison as plain data. Raises `FileProblems` when the survey cannot be estimated
    (frame and answers do not meet)."""
    figures = estimate_survey(survey)
    items = [item for item in figures.items if item.category_codes]
    areas = sorted(figures.areas, key=lambda fa: fa.area.name)
    population = _population(survey)
    tree = CategoryTree.load()
    categories = {item.code: _category_ids(tree, item.category_codes) for item in items}
    events = _event_counts(survey, user, areas, categories)
    return {
        "survey": {"id": survey.pk, "name": survey.name, "year": survey.year},
        "municipality": {"code": survey.municipality.code, "name": survey.municipality.name},
        "start": dt.date(survey.year, 1, 1).isoformat(),
        "end": dt.date(survey.year, 12, 31).isoformat(),
        "areas": [{"id": fa.area_id, "frame_area": fa.pk, "name": fa.area.name} for fa in areas],
        "items": [
            _item(item, figures, areas, population, events[item.code], tree) for item in items
        ],
    }


def _population(survey: Survey) -> dict[int, int]:
    """Frame area id -> the people of all its cells."""
    rows = (
        population_of(survey)
        .values("frame_area_id")
        .annotate(people=Sum("people"))
        .values_list("frame_area_id", "people")
    )
    return {frame_area: int(people or 0) for frame_area, people in rows}


def _category_ids(tree: CategoryTree, codes: list[str]) -> frozenset[int]:
    """The categories named by `codes` and every category under them; unknown codes (a
    municipality's own questionnaire may name one it has not got) match nothing."""
    by_code = {category.code: pk for pk, category in tree.categories.items()}
    heads = [by_code[code] for code in codes if code in by_code]
    return frozenset(tree.group_of(heads))


def _event_counts(
    survey: Survey, user, areas: list[FrameArea], categories: dict[str, frozenset[int]]
) -> dict[str, dict[int | None, int]]:
    """Item code -> {frame area id: events, WHOLE: events in any of the frame's sub-areas}."""
    wanted = frozenset().union(*categories.values())
    counts: dict[str, dict[int | None, int]] = {
        code: {fa.pk: 0 for fa in areas} | {WHOLE: 0} for code in categories
    }
    if not wanted or not areas:
        return counts
    rows = np.array(
        list(
            counted(Event.objects.visible_to(user))
            .filter(
                municipality_id=survey.municipality_id,
                occurred_from__gte=midnight(dt.date(survey.year, 1, 1)),
                occurred_from__lt=midnight(dt.date(survey.year + 1, 1, 1)),
                precision_m__lte=AREA_PRECISION_LIMIT_M,
                category_id__in=wanted,
            )
            .order_by()
            .values_list("x", "y", "category_id")
        ),
        dtype=np.float64,
    ).reshape(-1, 3)
    index = PolygonIndex.build([(fa.pk, fa.area.geometry) for fa in areas])
    frame_area = index.lookup(rows[:, 0], rows[:, 1])
    inside = frame_area >= 0
    category = rows[inside, 2].astype(np.int64)
    frame_area = frame_area[inside]
    for code, ids in categories.items():
        matching = np.isin(category, np.fromiter(ids, dtype=np.int64, count=len(ids)))
        keys, n = np.unique(frame_area[matching], return_counts=True)
        counts[code].update({int(k): int(c) for k, c in zip(keys, n, strict=True)})
        counts[code][WHOLE] = int(matching.sum())
    return counts


def _item(
    item: Item,
    figures: SurveyFigures,
    areas: list[FrameArea],
    population: dict[int, int],
    events: dict[int | None, int],
    tree: CategoryTree,
) -> dict[str, Any]:
    measure = "index" if item.has_index else "share"
    rows = [
        _row(
            fa.pk,
            fa.area_id,
            fa.area.name,
            _figure(figures, fa.pk, item),
            events[fa.pk],
            population.get(fa.pk, 0),
        )
        for fa in areas
    ]
    whole_people = sum(population.get(fa.pk, 0) for fa in areas)
    whole = _row(
        None,
        None,
        figures.survey.municipality.name,
        _figure(figures, WHOLE, item),
        events[WHOLE],
        whole_people,
    )
    correlation, ranked = _rank(rows)
    return {
        "code": item.code,
        "label": item.label,
        "kind": item.kind,
        "measure": measure,
        "share_label": item.share_label,
        "categories": list(item.category_codes),
        "category_names": [
            tree.name[pk]
            for pk, category in tree.categories.items()
            if category.code in item.category_codes
        ],
        "rows": rows,
        "whole": whole,
        "ranked": ranked,
        "spearman": correlation,
        "agreement": _agreement(correlation),
    }


def _figure(figures: SurveyFigures, key: int | None, item: Item) -> Estimate:
    item_figures = figures.figures[key][item.code]
    return item_figures.index if item.has_index and item_figures.index else item_figures.share


def _row(
    frame_area: int | None,
    area: int | None,
    name: str,
    estimate: Estimate,
    events: int,
    people: int,
) -> dict[str, Any]:
    return {
        "frame_area": frame_area,
        "area": area,
        "name": name,
        "value": estimate.value,
        "low": estimate.low,
        "high": estimate.high,
        "se": estimate.se,
        "n": estimate.n,
        "too_few": estimate.too_few,
        "events": events,
        "population": people,
        "rate": 1000 * events / people if people else None,
        "feeling_rank": None,
        "events_rank": None,
        "rank_difference": None,
        "differs": None,
        "verdict": "",
        "verdict_text": "",
    }


def _rank(rows: list[dict[str, Any]]) -> tuple[float | None, int]:
    """Rank the sub-areas with a figure and residents on feeling and on events (1 = most),
    mark the rows whose ranks part, and return Spearman's rho over them (None with too few
    sub-areas or when either side does not vary) and how many were ranked.

    Ties share the average of their places, as Spearman's rho counts them: a dozen sub-areas
    without events sit together in the middle of their places, not all at the top of them,
    so that none of them is said to have more events than its worry shows."""
    ranked = [row for row in rows if row["value"] is not None and row["rate"] is not None]
    if len(ranked) < 2:
        return None, len(ranked)
    feeling = rankdata([-row["value"] for row in ranked])
    facts = rankdata([-row["rate"] for row in ranked])
    # Events that do not differ between the sub-areas (often none at all) rank nothing: every
    # sub-area shares one place, and the felt ranking alone would make every verdict.
    events_vary = len({row["rate"] for row in ranked}) > 1
    gap = max(MIN_RANK_GAP, math.ceil(len(ranked) / 3))
    for row, by_feeling, by_facts in zip(ranked, feeling, facts, strict=True):
        difference = float(by_facts - by_feeling)
        row["feeling_rank"], row["events_rank"] = _place(by_feeling), _place(by_facts)
        row["rank_difference"] = _place(difference)
        row["differs"] = (
            events_vary and abs(difference) >= gap and (difference > 0 or row["events"] > 0)
        )
        if row["differs"]:
            row["verdict"] = FEELS_WORSE if difference > 0 else MORE_EVENTS
            row["verdict_text"] = verdict_text(row["verdict"])
    if len(ranked) < MIN_AREAS_FOR_CORRELATION:
        return None, len(ranked)
    values = [row["value"] for row in ranked]
    rates = [row["rate"] for row in ranked]
    if len(set(values)) < 2 or len(set(rates)) < 2:
        return None, len(ranked)
    rho = float(spearmanr(values, rates).statistic)
    return rho, len(ranked)


def _place(rank: float) -> float | int:
    """A whole rank as an int; a shared one keeps its half (3.5)."""
    return int(rank) if float(rank).is_integer() else float(rank)


def _agreement(rho: float | None) -> str:
    """Spearman's rho in words (the thresholds are the usual rule of thumb for a strong,
    moderate and weak association)."""
    if rho is None:
        return ""
    if rho >= 0.5:
        return _("Känsla och händelser följs i stort åt mellan delområdena.")
    if rho > 0.2:
        return _("Känsla och händelser följs delvis åt mellan delområdena.")
    if rho > -0.2:
        return _("Känsla och händelser följs inte åt mellan delområdena.")
    return _("Känsla och händelser går isär: där oron är störst finns färre händelser.")


def verdict_text(verdict: str) -> str:
    """A marked row's verdict in plain words."""
    return {
        FEELS_WORSE: _("känns otryggare än händelserna visar"),
        MORE_EVENTS: _("fler händelser än oron visar"),
    }.get(verdict, "")
