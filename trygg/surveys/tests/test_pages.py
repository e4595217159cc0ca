"""The survey pages as the analyst uses them: create a survey, read in the population and the
answers (problems listed by row and column, nothing written), read the figures and download
them; other municipalities see nothing, partners read but do not change."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from trygg.surveys.actions.frame import import_population
from trygg.surveys.actions.responses import import_responses
from trygg.surveys.models import Population, Respondent, Survey
from trygg.surveys.tests.factories import (
    generated_rows,
    make_survey,
    population_csv,
    responses_csv,
)

pytestmark = [pytest.mark.django_db, pytest.mark.frozen]


def _columns(survey):
    return ["delomrade", "kon", "aldersgrupp"] + [i.code for i in survey.questionnaire.items.all()]


@pytest.fixture
def answered(karlstad, centrum, kronoparken, analyst):
    survey = make_survey(karlstad)
    import_population(
        survey, population_csv([centrum, kronoparken]), "scb.csv", acting_user=analyst
    )
    items = list(survey.questionnaire.items.all())
    rows = generated_rows([centrum], items, per_cell=5) + generated_rows([kronoparken], items, 1)
    import_responses(survey, responses_csv(rows, _columns(survey)), "svar.csv", acting_user=analyst)
    return survey


def test_an_analyst_creates_a_survey(client, analyst, karlstad):
    client.force_login(analyst)

    response = client.post(
        reverse("surveys:new") + f"?kommun={karlstad.pk}",
        {
            "name": "Trygghetsmätning",
            "year": 2026,
            "questionnaire": _questionnaire_pk(),
            "age_groups": "16-24, 25-44, 45-64, 65-85",
        },
    )

    survey = Survey.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "surveys:files", args=[survey.pk]
    )
    assert survey.age_groups == ["16-24", "25-44", "45-64", "65-85"]


def test_a_year_ahead_and_overlapping_age_groups_are_refused_in_swedish(client, analyst, karlstad):
    client.force_login(analyst)

    response = client.post(
        reverse("surveys:new") + f"?kommun={karlstad.pk}",
        {
            "name": "Trygghetsmätning",
            "year": 2031,
            "questionnaire": _questionnaire_pk(),
            "age_groups": "16-30, 25-44",
        },
    )

    assert response.status_code == 400
    assert "Året ska vara mellan 2000 och 2026" in response.content.decode()
    assert not Survey.objects.exists()


def test_a_bad_response_file_lists_its_problems_and_writes_nothing(
    client, analyst, karlstad, centrum
):
    survey = make_survey(karlstad)
    import_population(survey, population_csv([centrum]), "scb.csv", acting_user=analyst)
    rows = generated_rows([centrum], list(survey.questionnaire.items.all()), 1)
    rows[2]["klotter"] = "7"
    client.force_login(analyst)

    response = client.post(
        reverse("surveys:responses", args=[survey.pk]),
        {"svar-file": SimpleUploadedFile("svar.csv", responses_csv(rows, _columns(survey)))},
    )

    assert response.status_code == 400
    assert "rad 4, kolumn klotter" in response.content.decode()
    assert not Respondent.objects.exists()


def test_the_population_is_uploaded_from_the_files_page(client, analyst, karlstad, centrum):
    survey = make_survey(karlstad)
    client.force_login(analyst)

    response = client.post(
        reverse("surveys:population", args=[survey.pk]),
        {"befolkning-file": SimpleUploadedFile("scb.csv", population_csv([centrum]))},
    )

    assert response.status_code == 302
    assert Population.objects.filter(frame_area__survey=survey).count() == 8


def test_the_figures_page_shows_intervals_and_too_few(client, analyst, answered, kronoparken):
    client.force_login(analyst)

    response = client.get(reverse("surveys:detail", args=[answered.pk]), {"fraga": "nedskrapning"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "för få svar" in page  # Kronoparken: 8 respondents
    rows = {row.label: row for row in response.context["area_rows"]}
    assert rows["Kronoparken"].figures.index.too_few
    assert not rows["Centrum"].figures.index.too_few
    assert "Index 0–6 (95 % intervall)" in page


def test_the_csv_holds_every_figure(client, analyst, answered):
    client.force_login(analyst)

    response = client.get(reverse("surveys:csv", args=[answered.pk]))

    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "delomrade;fraga;matt;varde;lagre;ovre;n;for_fa_svar"
    items = answered.questionnaire.items.all()
    indexed = sum(1 for item in items if item.has_index)
    assert len(lines) == 1 + 3 * (len(items) + indexed)  # Karlstad and two sub-areas


def test_another_municipality_sees_no_survey(client, other_municipality_user, answered):
    client.force_login(other_municipality_user)

    assert client.get(reverse("surveys:detail", args=[answered.pk])).status_code == 404
    assert client.get(reverse("surveys:csv", args=[answered.pk])).status_code == 404


def test_a_partner_reads_the_figures_but_cannot_change_the_survey(
    client, housing_reporter, answered, centrum
):
    client.force_login(housing_reporter)

    assert client.get(reverse("surveys:detail", args=[answered.pk])).status_code == 200
    response = client.post(
        reverse("surveys:population", args=[answered.pk]),
        {"befolkning-file": SimpleUploadedFile("scb.csv", population_csv([centrum]))},
    )
    assert response.status_code == 403
    assert Population.objects.filter(frame_area__area__name="Kronoparken").exists()


def _questionnaire_pk() -> int:
    from trygg.surveys.tests.factories import shipped_questionnaire

    return shipped_questionnaire().pk
