"""A survey's figures from its stored respondents: post-stratified to the population, per
sub-area and for the municipality, "too few" under the threshold, and cells that do not meet
named. The statistics themselves are checked against samplics in analysis/tests/test_survey.py."""

from __future__ import annotations

import pytest

from trygg.surveys.actions.frame import import_population
from trygg.surveys.actions.responses import import_responses
from trygg.surveys.estimates import WHOLE, estimate_survey
from trygg.surveys.files import FileProblems
from trygg.surveys.models import Population
from trygg.surveys.tests.factories import make_survey, population_csv, responses_csv

pytestmark = pytest.mark.django_db

GROUPS = ("16-24", "25-44", "45-64", "65-85")


def _rows(area, per_cell: int, answer_of) -> list[dict]:
    return [
        {"delomrade": area.code, "kon": sex, "aldersgrupp": group, "fortkorning": answer_of(sex)}
        for sex in ("kvinna", "man")
        for group in GROUPS
        for _ in range(per_cell)
    ]


def _survey_with(karlstad, analyst, areas, rows):
    survey = make_survey(karlstad)
    import_population(survey, population_csv(areas), "scb.csv", acting_user=analyst)
    columns = ["delomrade", "kon", "aldersgrupp"] + [
        i.code for i in survey.questionnaire.items.all()
    ]
    import_responses(survey, responses_csv(rows, columns), "svar.csv", acting_user=analyst)
    return survey


def test_the_index_is_weighted_to_the_population_not_to_who_answered(karlstad, centrum, analyst):
    # Women see a very big problem (6), men none (0); many more men answered, but the
    # population has as many women as men, so the index is 3, not near 0.
    rows = _rows(centrum, 4, lambda sex: "4" if sex == "kvinna" else "1")
    rows += _rows(centrum, 12, lambda sex: "1")  # more men (and women) answering "no problem"
    rows = [r for r in rows if not (r["kon"] == "kvinna" and r["fortkorning"] == "1")]
    survey = _survey_with(karlstad, analyst, [centrum], rows)

    figures = estimate_survey(survey)

    speeding = figures.figures[WHOLE]["fortkorning"]
    assert speeding.index.value == pytest.approx(3.0)
    assert speeding.share.value == pytest.approx(0.5)
    assert speeding.index.n == len(rows)
    # Within each cell everyone answered alike: weighted to the population, nothing is left
    # uncertain (the variance lives within the post-strata).
    assert speeding.index.se == pytest.approx(0.0, abs=1e-12)
    # The sub-area's own figure is the same here: one sub-area is the whole frame.
    assert figures.figures[figures.areas[0].pk]["fortkorning"].index.value == pytest.approx(3.0)


def test_population_shares_change_the_estimate(karlstad, centrum, analyst):
    rows = _rows(centrum, 5, lambda sex: "4" if sex == "kvinna" else "1")
    survey = _survey_with(karlstad, analyst, [centrum], rows)
    Population.objects.filter(sex="man").update(people=3000)
    Population.objects.filter(sex="kvinna").update(people=1000)

    speeding = estimate_survey(survey).figures[WHOLE]["fortkorning"]

    assert speeding.index.value == pytest.approx((3000 * 0 + 1000 * 6) / 4000)


def test_a_sub_area_with_too_few_answers_gives_no_figure(karlstad, centrum, kronoparken, analyst):
    rows = _rows(centrum, 5, lambda sex: "2") + _rows(kronoparken, 2, lambda sex: "3")
    survey = _survey_with(karlstad, analyst, [centrum, kronoparken], rows)

    figures = estimate_survey(survey, min_n=30)

    by_area = {fa.area_id: figures.figures[fa.pk]["fortkorning"] for fa in figures.areas}
    assert not by_area[centrum.pk].index.too_few  # 40 answers
    assert by_area[kronoparken.pk].index.too_few and by_area[kronoparken.pk].index.value is None
    assert by_area[kronoparken.pk].index.n == 16
    assert not figures.figures[WHOLE]["fortkorning"].index.too_few


def test_an_item_outside_the_index_has_a_share_only(karlstad, centrum, analyst):
    rows = _rows(centrum, 5, lambda sex: "2")
    for row in rows:
        row["otrygg_kvall"] = "3"
    survey = _survey_with(karlstad, analyst, [centrum], rows)

    unsafe = estimate_survey(survey).figures[WHOLE]["otrygg_kvall"]

    assert unsafe.index is None and unsafe.share.value == pytest.approx(1.0)


def test_a_populated_cell_without_respondents_is_named(karlstad, centrum, analyst):
    rows = _rows(centrum, 5, lambda sex: "2")
    survey = _survey_with(karlstad, analyst, [centrum], rows)
    survey.respondents.filter(sex="man", age_group="65-85").delete()

    with pytest.raises(FileProblems) as refused:
        estimate_survey(survey)

    assert [p.message for p in refused.value.problems] == [
        "Cellen Centrum · man · 65-85 har befolkning men inga svarande."
    ]
