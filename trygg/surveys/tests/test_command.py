"""`trygg import survey` and `trygg import survey-population` on files: exit 0 and a line that
says what was written, or exit 2 with each problem by row and column and nothing written."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from trygg.cli import with_command_names
from trygg.surveys.models import Population, Respondent
from trygg.surveys.tests.factories import (
    generated_rows,
    make_survey,
    population_csv,
    responses_csv,
)

pytestmark = pytest.mark.django_db


def test_the_import_verb_reaches_the_surveys_command():
    assert with_command_names(["trygg", "import", "survey", "svar.csv"])[1] == "import_survey"
    assert with_command_names(["trygg", "import", "survey-population", "b.csv"])[1] == (
        "import_survey"
    )
    assert with_command_names(["trygg", "import", "polisen", "e.json"])[1] == "import_events"


def test_population_then_responses_from_files(tmp_path, karlstad, centrum, analyst, capsys):
    survey = make_survey(karlstad)
    table = tmp_path / "scb.csv"
    table.write_bytes(population_csv([centrum]))
    call_command(
        "import_survey", "survey-population", str(table), survey=survey.pk, user="analytiker"
    )
    items = list(survey.questionnaire.items.all())
    answers = tmp_path / "svar.csv"
    columns = ["delomrade", "kon", "aldersgrupp"] + [item.code for item in items]
    answers.write_bytes(responses_csv(generated_rows([centrum], items, 2), columns))

    call_command("import_survey", "survey", str(answers), survey=survey.pk, user="analytiker")
    call_command("import_survey", "survey", str(answers), survey=survey.pk, user="analytiker")

    out = capsys.readouterr().out
    assert "16 svarande importerade" in out and "redan importerad" in out
    assert Population.objects.count() == 8 and Respondent.objects.count() == 16


def test_a_bad_file_exits_2_naming_row_and_column(tmp_path, karlstad, centrum, analyst):
    survey = make_survey(karlstad)
    table = tmp_path / "scb.csv"
    table.write_bytes(population_csv([centrum]).replace(b";2024", b";2024;2023"))

    with pytest.raises(CommandError) as refused:
        call_command(
            "import_survey", "survey-population", str(table), survey=survey.pk, user="analytiker"
        )

    assert refused.value.returncode == 2
    assert "inget importerat" in str(refused.value) and "rad 1" in str(refused.value)
    assert not Population.objects.exists()
