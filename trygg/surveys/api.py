"""The surveys API (issue 13, point 8): the questionnaires, the surveys of the municipalities
you work in with their frame, every estimate (JSON, or CSV as on the survey page) and the change
since the previous survey.

Read-only: surveys are created and filled on the pages. A survey is visible to the staff of
its municipality's organisations, as the pages (404 for anyone else). A survey whose frame and
answers do not meet in some cell cannot be estimated: 409 with each cell named. No endpoint
returns a respondent: only counts and weighted figures.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from django.db.models import Count, Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Query, Router

from trygg.analysis.survey import change
from trygg.core.api_errors import FieldErrors, FieldErrorsOut, MessageOut, field_error
from trygg.core.resolve import Resolver
from trygg.measures.schemas import named
from trygg.organisations.access import access_for
from trygg.places.lookups import MUNICIPALITY
from trygg.surveys import report
from trygg.surveys.estimates import WHOLE, SurveyFigures, estimate_survey, min_answers
from trygg.surveys.files import FileProblems
from trygg.surveys.in_municipality import frame_of, population_of, respondents_of
from trygg.surveys.models import FrameArea, Item, Questionnaire, Survey
from trygg.surveys.schemas import (
    ChangesOut,
    EstimatesOut,
    QuestionnaireOut,
    SurveyDetailOut,
    SurveyFilters,
    SurveyListOut,
    change_item,
    estimate_item,
    item_item,
    questionnaire_item,
    survey_item,
    survey_ref,
)
from trygg.surveys.templatetags.survey_figures import index_change, share_change

router = Router(tags=["trygghetsmätningar"])

ERRORS = {401: MessageOut, 403: MessageOut, 422: FieldErrorsOut}
NOT_FOUND = {404: MessageOut}
NOT_ESTIMATED = {409: FieldErrorsOut}


def _surveys(user):
    """The surveys of the municipalities the user works in."""
    surveys = Survey.objects.select_related("municipality", "questionnaire").defer(
        "municipality__geometry"
    )
    access = access_for(user)
    if access.is_superuser:
        return surveys
    return surveys.filter(municipality_id__in=access.municipality_ids)


def _visible_survey(user, survey_id: int) -> Survey:
    return get_object_or_404(_surveys(user), pk=survey_id)


def _estimated(survey: Survey) -> SurveyFigures:
    """The survey's figures, or 409 naming every cell where population and answers part."""
    try:
        return estimate_survey(survey)
    except FileProblems as problems:
        raise FieldErrors(
            [field_error("frame", str(problem)) for problem in problems.problems], status=409
        ) from None


# --- questionnaires ----------------------------------------------------------------------------


@router.get(
    "/questionnaires",
    response={200: list[QuestionnaireOut], **ERRORS},
    summary="Frågeformulären",
    description="Varje version av varje frågeformulär med frågorna, svarsalternativen och hur "
    "varje svar räknas i index 0–6 och i andelen.",
)
def list_questionnaires(request):
    questionnaires = Questionnaire.objects.prefetch_related(
        Prefetch("items", queryset=Item.objects.order_by("order", "pk"))
    )
    return [questionnaire_item(q) for q in questionnaires]


# --- surveys -----------------------------------------------------------------------------------


@router.get(
    "/surveys",
    response={200: SurveyListOut, **ERRORS},
    summary="Trygghetsmätningar du får se",
    description="Mätningarna i kommunerna där du arbetar, senaste år först.",
)
def list_surveys(request, filters: Query[SurveyFilters]):
    surveys = _surveys(request.auth)
    if filters.municipality is not None:
        lookups = Resolver()
        municipality = lookups.get(MUNICIPALITY, filters.municipality, "municipality")
        lookups.check()
        surveys = surveys.filter(municipality=municipality)
    if filters.year is not None:
        surveys = surveys.filter(year=filters.year)
    surveys = surveys.order_by("-year", "municipality__name", "name", "pk")
    return {"count": surveys.count(), "items": [survey_item(s) for s in surveys]}


@router.get(
    "/surveys/{survey_id}",
    response={200: SurveyDetailOut, **NOT_FOUND, **ERRORS},
    summary="En trygghetsmätning med urvalsramen",
    description="Frågeformuläret med frågor och svarsalternativ, urvalsramens delområden med "
    "urval, befolkning per kön och åldersgrupp och antal svarande, och svarsfrekvensen.",
)
def get_survey(request, survey_id: int):
    survey = _visible_survey(request.auth, survey_id)
    frame = _frame(survey)
    sampled = sum(area["sample_size"] for area in frame)
    respondents = sum(area["respondents"] for area in frame)
    return survey_item(survey) | {
        "notes": survey.notes,
        "questionnaire_items": [item_item(i) for i in survey.questionnaire.items.all()],
        "frame": frame,
        "sampled": sampled,
        "respondents": respondents,
        "response_rate": respondents / sampled if sampled else None,
    }


def _frame(survey: Survey) -> list[dict]:
    areas = list(
        frame_of(survey).select_related("area").defer("area__geometry").order_by("area__name", "pk")
    )
    cells: dict[int, list[dict]] = {area.pk: [] for area in areas}
    for cell in population_of(survey).order_by("frame_area_id", "sex", "age_group"):
        cells[cell.frame_area_id].append(
            {"sex": cell.sex, "age_group": cell.age_group, "people": cell.people}
        )
    answered = dict(
        respondents_of(survey)
        .values("frame_area_id")
        .annotate(n=Count("pk"))
        .values_list("frame_area_id", "n")
    )
    return [
        {
            "area": named(area.area),
            "code": area.area.code,
            "sample_size": area.sample_size,
            "population": sum(cell["people"] for cell in cells[area.pk]),
            "cells": cells[area.pk],
            "respondents": answered.get(area.pk, 0),
            "response_rate": (
                answered.get(area.pk, 0) / area.sample_size if area.sample_size else None
            ),
        }
        for area in areas
    ]


# --- estimates ---------------------------------------------------------------------------------


@router.get(
    "/surveys/{survey_id}/estimates",
    response={200: EstimatesOut, **NOT_FOUND, **NOT_ESTIMATED, **ERRORS},
    summary="Alla skattningar med intervall",
    description="För hela kommunen (area null) och varje delområde, för varje fråga: index 0–6 "
    "(frågor i indexet) och andelen, med 95 %-intervall, medelfel, antal svar och too_few "
    "(”för få svar”: då ingen siffra). 409 när befolkning och svar inte möts i någon cell.",
)
def get_estimates(request, survey_id: int):
    figures = _estimated(_visible_survey(request.auth, survey_id))
    places = [(WHOLE, None)] + [(fa.pk, named(fa.area)) for fa in _by_name(figures.areas)]
    return {
        "survey": figures.survey.pk,
        "min_answers": min_answers(),
        "respondents": figures.respondents,
        "response_rate": figures.response_rate,
        "figures": [
            {
                "area": area,
                "item": item.code,
                "index": _estimate_or_none(figures.figures[key][item.code].index),
                "share": estimate_item(figures.figures[key][item.code].share),
            }
            for key, area in places
            for item in figures.items
        ],
    }


def _estimate_or_none(estimate):
    return None if estimate is None else estimate_item(estimate)


def _by_name(areas: list[FrameArea]) -> list[FrameArea]:
    return sorted(areas, key=lambda fa: (fa.area.name, fa.pk))


@router.get(
    "/surveys/{survey_id}/estimates.csv",
    response={**NOT_FOUND, **NOT_ESTIMATED, **ERRORS},
    summary="Alla skattningar som CSV",
    description="Samma fil som på mätningens sida: en rad per delområde (och kommunen), fråga "
    "och mått; UTF-8 med BOM och semikolon, så att svenska Excel öppnar den direkt.",
    openapi_extra={
        "responses": {
            "200": {
                "description": "Filen.",
                "content": {"text/csv": {"schema": {"type": "string"}}},
            }
        }
    },
)
def estimates_csv(request, survey_id: int):
    survey = _visible_survey(request.auth, survey_id)
    figures = _estimated(survey)
    text = io.StringIO()
    text.write("\ufeff")  # Excel reads UTF-8 with a byte-order mark
    csv.writer(text, delimiter=";").writerows(report.csv_rows(figures))
    response = HttpResponse(text.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="matning-{survey.year}-{survey.pk}.csv"'
    )
    return response


# --- change since the previous survey ----------------------------------------------------------


@router.get(
    "/surveys/{survey_id}/change",
    response={200: ChangesOut, **NOT_FOUND, **NOT_ESTIMATED, **ERRORS},
    summary="Förändringen sedan förra mätningen",
    description="Kommunens senaste tidigare mätning med samma frågeformulär: för kommunen och "
    "varje delområde som finns i båda, för varje fråga vars svar räknas lika båda åren, "
    "skillnaden med 95 %-intervall och en bedömning i ord (inom bruset eller inte).",
)
def get_change(request, survey_id: int):
    survey = _visible_survey(request.auth, survey_id)
    figures = _estimated(survey)
    previous = report.previous_survey(survey)
    result: dict[str, Any] = {
        "survey": survey_ref(survey),
        "previous": None,
        "problems": [],
        "rows": [],
    }
    if previous is None:
        return result
    result["previous"] = survey_ref(previous)
    try:
        before = estimate_survey(previous)
    except FileProblems as problems:
        result["problems"] = [str(p) for p in problems.problems]
        return result
    result["rows"] = _change_rows(figures, before)
    return result


def _change_rows(figures: SurveyFigures, before: SurveyFigures) -> list[dict]:
    earlier_key = {fa.area_id: fa.pk for fa in before.areas}
    places: list[tuple[int | None, int | None, dict | None]] = [(WHOLE, WHOLE, None)]
    places += [
        (fa.pk, earlier_key[fa.area_id], named(fa.area))
        for fa in _by_name(figures.areas)
        if fa.area_id in earlier_key
    ]
    earlier_items = {item.code: item for item in before.items}
    rows = []
    for key, old_key, area in places:
        for item in figures.items:
            if not report.comparable(item, earlier_items.get(item.code)):
                continue
            now, then = figures.figures[key][item.code], before.figures[old_key][item.code]
            pairs = [("share", then.share, now.share, share_change)]
            if now.index is not None and then.index is not None:
                pairs.insert(0, ("index", then.index, now.index, index_change))
            for measure, earlier, later, in_words in pairs:
                result = change(earlier, later)
                rows.append(
                    {
                        "area": area,
                        "item": item.code,
                        "measure": measure,
                        "earlier": estimate_item(earlier),
                        "later": estimate_item(later),
                        "change": change_item(result, in_words(result)),
                    }
                )
    return rows
