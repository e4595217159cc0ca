"""A survey's estimates (issue 13, point 4): for every item, the 0–6 index (items in the index)
and the headline share, each with its 95 % interval and n, per sub-area of the frame and for the
municipality. The statistics are `trygg.analysis.survey` (decision 0019); this module turns the
stored respondents into its arrays and back into figures by sub-area and item."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.utils.translation import gettext as _

from trygg.analysis.survey import (
    NO_POPULATION,
    CellMismatch,
    Design,
    Estimate,
    means,
    post_stratified_weights,
)
from trygg.surveys.files import FileProblems, Problem
from trygg.surveys.in_municipality import frame_of, population_of, respondents_of
from trygg.surveys.models import FrameArea, Item, Sex, Survey

WHOLE = None  # the key of the municipality's figures beside the sub-areas' ids


@dataclass(frozen=True)
class ItemFigures:
    index: Estimate | None  # None: the item is not in the index
    share: Estimate


@dataclass(frozen=True)
class SurveyFigures:
    survey: Survey
    items: list[Item]
    areas: list[FrameArea]
    respondents: int
    # {frame area id, or WHOLE: {item code: ItemFigures}}
    figures: dict[int | None, dict[str, ItemFigures]]

    @property
    def response_rate(self) -> float | None:
        sampled = sum(area.sample_size for area in self.areas)
        return self.respondents / sampled if sampled else None


def min_answers() -> int:
    return int(getattr(settings, "TRYGG_SURVEY_MIN_ANSWERS", 30))


def estimate_survey(survey: Survey, *, min_n: int | None = None) -> SurveyFigures:
    """Every item's figures per sub-area and for the municipality. Raises FileProblems naming
    each post-stratification cell where respondents and population do not meet."""
    min_n = min_answers() if min_n is None else min_n
    items = list(survey.questionnaire.items.all())
    areas = list(frame_of(survey).select_related("area"))
    rows = list(respondents_of(survey).values_list("frame_area_id", "sex", "age_group", "answers"))
    stratum_of = {area.pk: k for k, area in enumerate(areas)}
    cells, population = _cells(survey, areas)
    try:
        cell_of_row = np.array([cells[(a, s, g)] for a, s, g, _answers in rows], dtype=np.intp)
    except KeyError as missing:
        raise _mismatch([(missing.args[0], NO_POPULATION)], areas) from None
    try:
        weights = post_stratified_weights(cell_of_row, population)
    except CellMismatch as mismatch:
        names = {index: key for key, index in cells.items()}
        raise _mismatch([(names[c], why) for c, why in mismatch.cells], areas) from None
    stratum = np.array([stratum_of[a] for a, _s, _g, _answers in rows], dtype=np.intp)
    design = Design.of(weights, stratum, cell_of_row)
    columns = _answer_columns(items, [row[3] for row in rows])
    index_values = _values(items, columns, "index")
    share_values = _values(items, columns, "share")
    figures: dict[int | None, dict[str, ItemFigures]] = {}
    whole: list[int | None] = [WHOLE]
    for targets, by_stratum in ((whole, False), ([area.pk for area in areas], True)):
        index_rows = means(design, index_values, by_stratum=by_stratum, min_n=min_n)
        share_rows = means(design, share_values, by_stratum=by_stratum, shares=True, min_n=min_n)
        for target, index_row, share_row in zip(targets, index_rows, share_rows, strict=True):
            figures[target] = {
                item.code: ItemFigures(index_row[j] if item.has_index else None, share_row[j])
                for j, item in enumerate(items)
            }
    return SurveyFigures(survey, items, areas, len(rows), figures)


def _cells(survey: Survey, areas: list[FrameArea]):
    """{(frame area id, sex, age group): cell index} and each cell's population; every cell of
    every frame area, so that a populated cell without respondents is noticed."""
    people = {(p.frame_area_id, p.sex, p.age_group): p.people for p in population_of(survey)}
    keys = [
        (area.pk, sex, group)
        for area in areas
        for sex in Sex.values
        for group in survey.age_groups
        if (area.pk, sex, group) in people
    ]
    cells = {key: index for index, key in enumerate(keys)}
    return cells, np.array([people[key] for key in keys], dtype=np.float64)


def _answer_columns(items: list[Item], answers: list[dict]) -> list[list[str | None]]:
    """Each item's answer codes, one per respondent (None where skipped): read once for the
    index and the share."""
    return [[answer.get(item.code) for answer in answers] for item in items]


def _values(items: list[Item], columns: list[list[str | None]], what: str) -> np.ndarray:
    """Respondents × items: each answer's index value or share (0/1), NaN where not counted.
    A column at a time: NumPy turns the looked-up None into NaN."""
    values = np.full((len(columns[0]) if columns else 0, len(items)), np.nan)
    for j, (item, column) in enumerate(zip(items, columns, strict=True)):
        lookup = {o["code"]: o.get(what) for o in item.options}
        values[:, j] = np.array([lookup.get(code) for code in column], dtype=np.float64)
    return values


def _mismatch(cells, areas: list[FrameArea]) -> FileProblems:
    names = {area.pk: area.area.name for area in areas}
    problems = []
    for (area_id, sex, group), why in cells:
        cell = f"{names.get(area_id, area_id)} · {Sex(sex).label} · {group}"
        if why == NO_POPULATION:
            message = _("Cellen %(cell)s har svarande men ingen befolkning.")
        else:
            message = _("Cellen %(cell)s har befolkning men inga svarande.")
        problems.append(Problem(message % {"cell": cell}))
    return FileProblems(problems)
