"""The safety survey in a problem area's evidence (issue 14, point 2): the latest survey up to
the period's end, its 0–6 index for the sub-areas that lie in the problem's areas beside the
municipality's, each with its interval and the change since the previous survey, and the
shares of the other questions that ask about the problem's categories.

The promises app gathers the evidence but may not import this app (decision 0014): the section
is registered in `situation.evidence_sections` from SurveysConfig.ready. The figures are
`estimates.estimate_survey` and `report.changes_since`, as on the survey's own report.

Which sub-areas: a survey's sub-areas (RegSO, delområden) are rarely the districts a problem
names, so a sub-area counts when it is one of the problem's areas or lies under one, or when
at least half of it lies inside the problem's areas, or when at least half of the problem's
areas lie inside it. The page says how much of each sub-area is inside.

The figures are kept in the cache under a fingerprint of the stored answers, population and
sample sizes of both surveys, so a new file shows at once and an unchanged survey is not
estimated again for every reader."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

import shapely
from django.core.cache import cache
from django.db.models import Count, Max, Sum
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from shapely.geometry import shape

from trygg.events.categories import CategoryTree
from trygg.events.models import Category
from trygg.places.models import Area
from trygg.surveys import report
from trygg.surveys.estimates import WHOLE, SurveyFigures, min_answers
from trygg.surveys.files import FileProblems
from trygg.surveys.headline import latest_survey
from trygg.surveys.in_municipality import frame_of, population_of, respondents_of
from trygg.surveys.models import FrameArea, Item, Survey
from trygg.surveys.templatetags.survey_figures import (
    index_change,
    index_figure,
    share_change,
    share_figure,
)

HEADING = gettext_lazy("Trygghetsmätningen")
MIN_OVERLAP = 0.5
# Estimating a survey and the one before costs a few hundred milliseconds and gives the same
# figures until a file is imported, which changes the key (`fingerprint`).
CACHE_SECONDS = 24 * 3600


@dataclass(frozen=True)
class Column:
    key: int | None  # the frame area's id in this survey, or WHOLE
    name: str
    area_id: int | None  # the frame area's places.Area, None for the municipality
    inside: float | None  # the share of the sub-area inside the problem's areas


def evidence_section(
    municipality,
    areas: list[Area],
    categories: list[Category],
    first_day: dt.date,
    last_day: dt.date,
) -> dict[str, Any] | None:
    """The survey's figures for the problem's areas as JSON-ready data, or None without a
    survey up to the period's last year that can be estimated."""
    survey = latest_survey(municipality, last_day.year)
    if survey is None:
        return None
    key = _cache_key(survey, areas, categories)
    cached = cache.get(key)
    if cached is None:
        cached = _section(survey, areas, categories) or {}
        cache.set(key, cached, CACHE_SECONDS)
    return cached or None


def _cache_key(survey: Survey, areas: list[Area], categories: list[Category]) -> str:
    """What the section depends on: the survey's and the previous survey's stored data (a
    fingerprint that changes with every response file, population table and sample size),
    the problem's areas and categories, the rule for too few answers and the language."""
    earlier = report.previous_survey(survey)
    parts = [
        get_language() or "",
        min_answers(),
        fingerprint(survey),
        fingerprint(earlier) if earlier else None,
        sorted(area.pk for area in areas),
        sorted(category.pk for category in categories),
    ]
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()
    return f"survey-evidence:{digest}"


def fingerprint(survey: Survey) -> tuple:
    """Changes whenever what `estimate_survey` reads changes: answers come and go in whole
    files (new rows), a population table is replaced (new rows), sample sizes are set."""
    answers = respondents_of(survey).aggregate(n=Count("pk"), last=Max("pk"))
    frame = frame_of(survey).aggregate(n=Count("pk"), last=Max("pk"), drawn=Sum("sample_size"))
    people = population_of(survey).aggregate(n=Count("pk"), last=Max("pk"), people=Sum("people"))
    return (
        survey.pk,
        survey.name,
        survey.year,
        survey.questionnaire_id,
        tuple(survey.age_groups),
        tuple(answers.values()),
        tuple(frame.values()),
        tuple(people.values()),
    )


def _section(survey: Survey, areas: list[Area], categories: list[Category]) -> dict | None:
    try:
        figures, before = report.figures_with_previous(survey)
    except FileProblems:
        return None
    columns = matching_columns(figures, areas)
    related = related_items(figures.items, categories)
    # The questions about the problem's categories first, each group in the questionnaire's order.
    index_items = sorted(
        (item for item in figures.items if item.has_index), key=lambda i: i.code not in related
    )
    share_items = [item for item in figures.items if not item.has_index and item.code in related]
    return {
        "survey": {"id": survey.pk, "name": survey.name, "year": survey.year},
        "previous_year": before.survey.year if before else None,
        "whole_municipality": not areas,
        "matched": len(columns) > 1,
        "columns": [
            {"name": c.name, "inside": None if c.inside is None else round(100 * c.inside)}
            for c in columns
        ],
        "index_rows": [
            _row(item, columns, figures, before, index=True, related=item.code in related)
            for item in index_items
        ],
        "share_rows": [
            _row(item, columns, figures, before, index=False, related=True) for item in share_items
        ],
        "min_answers": min_answers(),
    }


def matching_columns(figures: SurveyFigures, areas: list[Area]) -> list[Column]:
    """The frame's sub-areas that describe the problem's areas (by name), then the
    municipality; only the municipality when the problem is about all of it."""
    whole = Column(WHOLE, _("Hela kommunen"), None, None)
    if not areas:
        return [whole]
    below = {pk for area in areas for pk in area.descendant_ids()}
    # Shares of areas are compared in longitude and latitude as stored: within a municipality
    # the map projection is as good as a linear one, which leaves ratios of areas unchanged,
    # and projecting 31 detailed outlines would cost more than the rest of the section.
    outline = shapely.union_all([shape(a.geometry) for a in areas]).buffer(0)
    matched = []
    for frame_area in sorted(figures.areas, key=lambda fa: fa.area.name):
        if frame_area.area_id in below:
            matched.append(_column(frame_area, 1.0))
            continue
        outline_of = shape(frame_area.area.geometry)
        if not outline_of.intersects(outline):
            continue
        overlap = outline_of.intersection(outline).area
        inside = overlap / outline_of.area if outline_of.area else 0.0
        covers = overlap / outline.area if outline.area else 0.0
        if inside >= MIN_OVERLAP or covers >= MIN_OVERLAP:
            matched.append(_column(frame_area, inside))
    return [*matched, whole]


def _column(frame_area: FrameArea, inside: float) -> Column:
    return Column(frame_area.pk, frame_area.area.name, frame_area.area_id, inside)


def related_items(items: list[Item], categories: list[Category]) -> set[str]:
    """The codes of the items compared with one of the problem's categories: an item's
    category (or one under it) is one of them, or lies under one."""
    if not categories:
        return set()
    tree = CategoryTree.load()
    chosen = set(tree.group_of([c.pk for c in categories]))
    by_code = {c.code: pk for pk, c in tree.categories.items()}
    related = set()
    for item in items:
        heads = [by_code[code] for code in item.category_codes if code in by_code]
        if not heads:
            continue
        # Two subtrees meet only where one holds the other, and then both hold its top.
        if chosen & set(tree.group_of(heads)):
            related.add(item.code)
    return related


def _row(
    item: Item,
    columns: list[Column],
    figures: SurveyFigures,
    before: SurveyFigures | None,
    *,
    index: bool,
    related: bool,
) -> dict[str, Any]:
    earlier = {fa.area_id: fa.pk for fa in before.areas} if before else {}
    cells = []
    for column in columns:
        now = figures.figures[column.key][item.code]
        key = WHOLE if column.area_id is None else earlier.get(column.area_id, -1)
        index_result, share_result = report.changes_since(item, now, before, key)
        estimate = now.index if index else now.share
        result = index_result if index else share_result
        cells.append(
            {
                "figure": (index_figure if index else share_figure)(estimate),
                "too_few": bool(estimate is None or estimate.too_few),
                "n": None if estimate is None else estimate.n,
                "change": (index_change if index else share_change)(result),
            }
        )
    return {
        "code": item.code,
        "label": item.label,
        "share_label": "" if index else item.share_label,
        "related": related,
        "cells": cells,
    }
