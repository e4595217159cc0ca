"""The sample frame from an SCB table and the responses from a file: all or nothing, every
problem named by row and column, anonymous by construction, a repeated file adds nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from trygg.core.models import AuditEntry
from trygg.surveys.actions.frame import import_population, set_sample_sizes
from trygg.surveys.actions.responses import import_responses
from trygg.surveys.files import FileProblems
from trygg.surveys.models import FrameArea, Population, Respondent, ResponseFile
from trygg.surveys.tests.factories import (
    generated_rows,
    make_survey,
    population_csv,
    responses_csv,
)

pytestmark = pytest.mark.django_db

BASE = ["delomrade", "kon", "aldersgrupp"]


@pytest.fixture
def survey(karlstad):
    return make_survey(karlstad)


@pytest.fixture
def framed(survey, centrum, kronoparken, analyst):
    import_population(
        survey, population_csv([centrum, kronoparken]), "scb.csv", acting_user=analyst
    )
    return survey


def _columns(survey):
    return BASE + [item.code for item in survey.questionnaire.items.all()]


def test_an_scb_table_becomes_population_by_sex_and_age_group(survey, centrum, analyst):
    cells = import_population(survey, population_csv([centrum]), "scb.csv", acting_user=analyst)

    assert cells == 8  # 2 sexes × 4 age groups; ages 0–15 and 86–100 left out
    young_women = Population.objects.get(frame_area__area=centrum, sex="kvinna", age_group="16-24")
    assert young_women.people == 9 * 400  # ages 16 … 24
    oldest = Population.objects.get(frame_area__area=centrum, sex="man", age_group="65-85")
    assert oldest.people == 21 * 400
    assert AuditEntry.objects.filter(action="import", field="population").exists()


def test_a_band_across_two_age_groups_is_refused_and_nothing_written(survey, centrum, analyst):
    table = population_csv([centrum], ages=["16-24 år", "25-49 år", "50-64 år", "65+ år"])

    with pytest.raises(FileProblems) as refused:
        import_population(survey, table, "scb.csv", acting_user=analyst)

    messages = [(p.row, p.column) for p in refused.value.problems]
    assert (3, "ålder") in messages  # 25-49 straddles 25-44 and 45-64
    assert not Population.objects.exists() and not FrameArea.objects.exists()


def test_an_unknown_region_is_named_by_row(survey, centrum, analyst):
    table = population_csv([centrum]).replace(b"test-centrum Centrum", b"1780R999 Ingenstans", 1)

    with pytest.raises(FileProblems) as refused:
        import_population(survey, table, "scb.csv", acting_user=analyst)

    problem = refused.value.problems[0]
    assert (problem.row, problem.column) == (2, "region")
    assert "1780R999" in problem.message


@pytest.mark.parametrize(
    "persona", ["police_officer", "housing_reporter", "other_municipality_user"]
)
def test_only_the_municipalitys_analysts_and_coordinators_change_a_survey(
    persona, request, survey, centrum
):
    with pytest.raises(PermissionDenied):
        import_population(
            survey,
            population_csv([centrum]),
            "scb.csv",
            acting_user=request.getfixturevalue(persona),
        )
    assert not Population.objects.exists()


def test_responses_are_imported_once(framed, centrum, kronoparken, analyst):
    items = list(framed.questionnaire.items.all())
    data = responses_csv(generated_rows([centrum, kronoparken], items), _columns(framed))

    first = import_responses(framed, data, "svar.csv", acting_user=analyst)
    again = import_responses(framed, data, "svar.csv", acting_user=analyst)

    assert first.new and first.rows == 2 * 2 * 4 * 6
    assert not again.new and again.rows == first.rows
    assert Respondent.objects.count() == first.rows
    assert ResponseFile.objects.count() == 1


def test_every_problem_in_a_response_file_is_named_and_nothing_written(framed, centrum, analyst):
    items = list(framed.questionnaire.items.all())
    rows = generated_rows([centrum], items, per_cell=1)
    rows[0]["fortkorning"] = "7"  # outside the scale
    rows[1]["delomrade"] = "Våxnäs"  # not in the frame
    rows[2]["aldersgrupp"] = "10-15"
    rows[3]["kon"] = "okänt"

    with pytest.raises(FileProblems) as refused:
        import_responses(
            framed, responses_csv(rows, _columns(framed)), "svar.csv", acting_user=analyst
        )

    where = {(p.row, p.column) for p in refused.value.problems}
    assert {(2, "fortkorning"), (3, "delomrade"), (4, "aldersgrupp"), (5, "kon")} <= where
    assert not Respondent.objects.exists() and not ResponseFile.objects.exists()


def test_a_column_naming_people_is_refused_as_not_anonymous(framed, centrum, analyst):
    items = list(framed.questionnaire.items.all())
    rows = generated_rows([centrum], items, per_cell=1)
    for row in rows:
        row["personnummer"] = "19800101-1234"

    with pytest.raises(FileProblems) as refused:
        import_responses(
            framed,
            responses_csv(rows, [*_columns(framed), "personnummer"]),
            "svar.csv",
            acting_user=analyst,
        )

    problem = refused.value.problems[0]
    assert problem.column == "personnummer" and "anonyma" in problem.message
    assert not Respondent.objects.exists()


def test_a_missing_item_column_is_named(framed, centrum, analyst):
    items = list(framed.questionnaire.items.all())
    columns = [c for c in _columns(framed) if c != "klotter"]

    with pytest.raises(FileProblems) as refused:
        import_responses(
            framed,
            responses_csv(generated_rows([centrum], items, 1), columns),
            "svar.csv",
            acting_user=analyst,
        )

    assert [(p.row, p.column) for p in refused.value.problems] == [(1, "klotter")]


def test_a_free_text_answer_is_scrubbed(framed, centrum, analyst):
    items = list(framed.questionnaire.items.all())
    rows = generated_rows([centrum], items, per_cell=1)
    rows[0]["kommentar"] = "Ring mig på 070-123 45 67 om lampan"

    import_responses(
        framed,
        responses_csv(rows, [*_columns(framed), "kommentar"]),
        "svar.csv",
        acting_user=analyst,
    )

    comment = Respondent.objects.exclude(comment="").get().comment
    assert "070" not in comment and "lampan" in comment


def test_a_respondent_in_a_cell_without_population_is_refused(survey, centrum, analyst):
    table = population_csv([centrum]).replace(b";kvinnor;", ";män;".encode())  # no women
    import_population(survey, table, "scb.csv", acting_user=analyst)
    items = list(survey.questionnaire.items.all())

    with pytest.raises(FileProblems) as refused:
        import_responses(
            survey,
            responses_csv(generated_rows([centrum], items, 1), _columns(survey)),
            "svar.csv",
            acting_user=analyst,
        )

    assert any("ingen befolkning" in p.message for p in refused.value.problems)
    assert not Respondent.objects.exists()


def test_sample_sizes_are_kept_per_sub_area(framed, centrum, kronoparken, analyst):
    set_sample_sizes(framed, {centrum.pk: 700, kronoparken.pk: 800}, acting_user=analyst)

    assert framed.sampled == 1500


def test_the_frame_and_the_responses_carry_the_surveys_municipality(
    framed, centrum, kronoparken, analyst, karlstad
):
    items = list(framed.questionnaire.items.all())
    data = responses_csv(generated_rows([centrum, kronoparken], items), _columns(framed))
    import_responses(framed, data, "svar.csv", acting_user=analyst)

    # The respondents are written with plain statements, not through save() or bulk_create.
    rows = [
        *FrameArea.objects.filter(survey=framed),
        *Population.objects.filter(frame_area__survey=framed),
        *ResponseFile.objects.filter(survey=framed),
        *Respondent.objects.filter(survey=framed),
    ]
    assert {type(row) for row in rows} == {FrameArea, Population, ResponseFile, Respondent}
    assert {row.municipality_id for row in rows} == {framed.municipality_id} == {karlstad.pk}
