"""The surveys API: who sees which survey (404 for the rest), the shapes of the questionnaire,
the frame and the estimates, the CSV that is the page's, the change since the previous survey,
409 naming the cells where frame and answers part, and never a respondent."""

from __future__ import annotations

import pytest
from django.urls import reverse

from trygg.organisations.tests.factories import bearer
from trygg.surveys.actions.frame import import_population, set_sample_sizes
from trygg.surveys.actions.responses import import_responses
from trygg.surveys.estimates import WHOLE, estimate_survey
from trygg.surveys.tests.factories import (
    generated_rows,
    make_survey,
    population_csv,
    responses_csv,
)

pytestmark = [pytest.mark.django_db, pytest.mark.frozen]

STAFF = ["coordinator", "analyst", "police_officer", "housing_reporter"]


def _answered(municipality, analyst, areas_and_sizes, *, year: int, seed: int = 1):
    survey = make_survey(municipality, year=year)
    areas = [area for area, _size in areas_and_sizes]
    import_population(survey, population_csv(areas), "scb.csv", acting_user=analyst)
    items = list(survey.questionnaire.items.all())
    rows = []
    for area, per_cell in areas_and_sizes:
        rows += generated_rows([area], items, per_cell=per_cell, seed=seed)
    columns = ["delomrade", "kon", "aldersgrupp"] + [i.code for i in items]
    import_responses(survey, responses_csv(rows, columns), "svar.csv", acting_user=analyst)
    set_sample_sizes(survey, {area.pk: 100 for area in areas}, acting_user=analyst)
    return survey


@pytest.fixture
def survey(karlstad, analyst, centrum, kronoparken):
    """2024: 40 answers in Centrum, 8 in Kronoparken (too few for a figure)."""
    return _answered(karlstad, analyst, [(centrum, 5), (kronoparken, 1)], year=2024)


@pytest.fixture
def earlier(karlstad, analyst, centrum, kronoparken):
    return _answered(karlstad, analyst, [(centrum, 6), (kronoparken, 6)], year=2022, seed=7)


@pytest.mark.parametrize("persona", STAFF)
def test_the_staff_of_the_municipality_list_and_read_its_surveys(client, request, persona, survey):
    headers = bearer(request.getfixturevalue(persona))

    listed = client.get("/api/v1/surveys", **headers).json()
    one = client.get(f"/api/v1/surveys/{survey.pk}", **headers)

    assert [s["id"] for s in listed["items"]] == [survey.pk]
    assert listed["items"][0]["municipality"] == {"code": "1780", "name": "Karlstad"}
    assert one.status_code == 200 and one.json()["year"] == 2024


def test_another_municipality_gets_404_everywhere_and_an_empty_list(
    client, other_municipality_user, survey
):
    headers = bearer(other_municipality_user)

    assert client.get("/api/v1/surveys", **headers).json() == {"count": 0, "items": []}
    for tail in ("", "/estimates", "/estimates.csv", "/change"):
        response = client.get(f"/api/v1/surveys/{survey.pk}{tail}", **headers)
        assert response.status_code == 404, tail
        assert response.json() == {"detail": "Hittades inte."}


def test_without_a_token_nothing_is_answered(client, survey):
    response = client.get(f"/api/v1/surveys/{survey.pk}/estimates")

    assert response.status_code == 401
    assert "value" not in response.content.decode()


def test_the_list_filters_by_municipality_and_year(client, coordinator, survey, earlier):
    headers = bearer(coordinator)

    by_year = client.get("/api/v1/surveys", {"year": 2022}, **headers).json()
    both = client.get("/api/v1/surveys", {"municipality": "1780"}, **headers).json()
    unknown = client.get("/api/v1/surveys", {"municipality": "9999"}, **headers)

    assert [s["id"] for s in by_year["items"]] == [earlier.pk]
    assert [s["year"] for s in both["items"]] == [2024, 2022]
    assert unknown.status_code == 422
    assert unknown.json()["detail"] == [{"field": "municipality", "message": "Okänd kommunkod."}]


def test_a_survey_has_its_questionnaire_and_frame_and_no_respondent(
    client, analyst, survey, centrum
):
    body = client.get(f"/api/v1/surveys/{survey.pk}", **bearer(analyst)).json()

    litter = next(i for i in body["questionnaire_items"] if i["code"] == "nedskrapning")
    assert litter["has_index"] and litter["category_codes"] == ["otrygg_plats.nedskrapning"]
    assert litter["options"][2] == {
        "code": "3",
        "label": "Ganska stort problem",
        "index": 4,
        "share": True,
    }
    frame = {area["area"]["name"]: area for area in body["frame"]}
    assert frame["Centrum"]["code"] == centrum.code
    assert frame["Centrum"]["sample_size"] == 100
    assert frame["Centrum"]["respondents"] == 40
    assert frame["Centrum"]["response_rate"] == pytest.approx(0.4)
    assert len(frame["Centrum"]["cells"]) == 8
    assert frame["Centrum"]["cells"][0] == {
        "sex": "kvinna",
        "age_group": "16-24",
        "people": 9 * 400,
    }
    assert frame["Centrum"]["population"] == 400 * 70 * 2
    assert (body["sampled"], body["respondents"]) == (200, 48)
    assert body["response_rate"] == pytest.approx(0.24)
    # Counts only: no answers, no comments, no row of any one respondent.
    assert not {"answers", "comment", "respondent"} & _all_keys(body)


def test_every_estimate_for_the_municipality_and_each_sub_area(client, analyst, survey):
    body = client.get(f"/api/v1/surveys/{survey.pk}/estimates", **bearer(analyst)).json()

    figures = estimate_survey(survey)
    items = list(survey.questionnaire.items.all())
    assert len(body["figures"]) == 3 * len(items)
    assert body["min_answers"] == 30 and body["respondents"] == 48
    whole = next(f for f in body["figures"] if f["area"] is None and f["item"] == "klotter")
    expected = figures.figures[WHOLE]["klotter"].index
    assert whole["index"]["value"] == pytest.approx(expected.value)
    assert (whole["index"]["low"], whole["index"]["high"]) == pytest.approx(
        (expected.low, expected.high)
    )
    assert whole["index"]["se"] == pytest.approx(expected.se)
    assert whole["index"]["n"] == expected.n
    few = next(f for f in body["figures"] if f["area"] and f["area"]["name"] == "Kronoparken")
    assert few["share"]["too_few"] and few["share"]["value"] is None
    unsafe = next(f for f in body["figures"] if f["item"] == "otrygg_kvall")
    assert unsafe["index"] is None and unsafe["share"]["n"] > 0


def test_the_csv_is_the_pages_csv(client, analyst, survey):
    from_api = client.get(f"/api/v1/surveys/{survey.pk}/estimates.csv", **bearer(analyst))
    client.force_login(analyst)
    from_page = client.get(reverse("surveys:csv", args=[survey.pk]))

    assert from_api.status_code == 200
    assert from_api["Content-Type"] == "text/csv; charset=utf-8"
    assert from_api.content == from_page.content
    lines = from_api.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "delomrade;fraga;matt;varde;lagre;ovre;n;for_fa_svar"
    assert any(line.startswith("Kronoparken;klotter;index;;;;") for line in lines)


def test_a_frame_that_does_not_meet_its_answers_is_409_naming_the_cell(client, analyst, survey):
    survey.respondents.filter(
        frame_area__area__name="Centrum", sex="man", age_group="65-85"
    ).delete()
    headers = bearer(analyst)

    for tail in ("/estimates", "/estimates.csv", "/change"):
        response = client.get(f"/api/v1/surveys/{survey.pk}{tail}", **headers)
        assert response.status_code == 409, tail
        assert response.json()["detail"] == [
            {
                "field": "frame",
                "message": "Cellen Centrum · man · 65-85 har befolkning men inga svarande.",
            }
        ]
    # The frame itself is still readable, so the cell can be found and mended.
    assert client.get(f"/api/v1/surveys/{survey.pk}", **headers).status_code == 200


def test_the_change_since_the_previous_survey(client, coordinator, survey, earlier):
    body = client.get(f"/api/v1/surveys/{survey.pk}/change", **bearer(coordinator)).json()

    assert body["previous"] == {"id": earlier.pk, "year": 2022, "name": earlier.name}
    row = next(
        r
        for r in body["rows"]
        if r["area"] is None and r["item"] == "klotter" and r["measure"] == "index"
    )
    now = estimate_survey(survey).figures[WHOLE]["klotter"].index
    then = estimate_survey(earlier).figures[WHOLE]["klotter"].index
    assert row["change"]["difference"] == pytest.approx(now.value - then.value)
    assert row["change"]["low"] < row["change"]["difference"] < row["change"]["high"]
    if row["change"]["within_noise"]:
        assert row["change"]["verdict"].startswith("ingen säker förändring")
    else:
        assert row["change"]["verdict"].endswith(("högre", "lägre"))
    # Kronoparken had too few answers in 2024: a row without a difference, not a made-up one.
    few = next(
        r
        for r in body["rows"]
        if r["area"] and r["area"]["name"] == "Kronoparken" and r["measure"] == "share"
    )
    assert few["change"]["difference"] is None and few["change"]["within_noise"] is None


def test_the_first_survey_has_nothing_to_compare_with(client, coordinator, earlier):
    body = client.get(f"/api/v1/surveys/{earlier.pk}/change", **bearer(coordinator)).json()

    assert body["previous"] is None and body["rows"] == [] and body["problems"] == []


def test_the_questionnaires_with_each_version(client, housing_reporter):
    body = client.get("/api/v1/questionnaires", **bearer(housing_reporter)).json()

    assert [(q["code"], q["version"]) for q in body] == [
        ("polisens-trygghetsmatning", 2024),
        ("polisens-trygghetsmatning", 2022),
    ]
    unsafe = next(i for i in body[0]["items"] if i["code"] == "otrygg_kvall")
    assert unsafe["has_index"] is False
    assert unsafe["share_label"] == "andel som känner sig ganska eller mycket otrygga"


def _all_keys(value) -> set[str]:
    if isinstance(value, dict):
        return set(value) | set().union(*(_all_keys(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(*(_all_keys(v) for v in value)) if value else set()
    return set()
