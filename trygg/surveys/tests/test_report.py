"""The survey report as the analyst hands it on: the municipality's and a sub-area's figures
with intervals and n, "för få svar" where too few answered, the change since the previous
survey in words, the map coloured by the chosen item, the response rate and what it means —
on the page and as a PDF; other municipalities get 404. And the survey in the annual
lägesbild (point 6): the latest survey up to the report's year gives its headline figures,
kept in the version; without a survey there is no such section."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from trygg.analysis.survey import Estimate
from trygg.core.tests.clock import TODAY
from trygg.situation import annual
from trygg.situation.actions import create_annual_report
from trygg.surveys import report_map
from trygg.surveys.actions.frame import import_population, set_sample_sizes
from trygg.surveys.actions.responses import import_responses
from trygg.surveys.tests.factories import (
    generated_rows,
    make_survey,
    population_csv,
    responses_csv,
)

pytestmark = [pytest.mark.django_db, pytest.mark.frozen]


def _box(west: float, south: float, east: float, north: float) -> dict:
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


def _columns(survey):
    return ["delomrade", "kon", "aldersgrupp"] + [i.code for i in survey.questionnaire.items.all()]


def _answer(survey, user, areas_and_counts, *, litter: str | None = None, seed: int = 1):
    """Respondents in every cell of each (area, per cell); `litter` fixes every answer to
    the littering item, so its index is known."""
    items = list(survey.questionnaire.items.all())
    rows = []
    for area, per_cell in areas_and_counts:
        rows += generated_rows([area], items, per_cell=per_cell, seed=seed)
    if litter is not None:
        for row in rows:
            row["nedskrapning"] = litter
    data = responses_csv(rows, _columns(survey))
    import_responses(survey, data, f"svar-{survey.year}.csv", acting_user=user)


@pytest.fixture
def answered(karlstad, centrum, kronoparken, analyst):
    """2024: Centrum 40 answers, all "Litet problem" with littering (index 2,0); Kronoparken 8
    answers (too few). 80 drawn in Centrum, 20 in Kronoparken."""
    survey = make_survey(karlstad)
    import_population(
        survey, population_csv([centrum, kronoparken]), "scb.csv", acting_user=analyst
    )
    _answer(survey, analyst, [(centrum, 5), (kronoparken, 1)], litter="2")
    set_sample_sizes(survey, {centrum.pk: 80, kronoparken.pk: 20}, acting_user=analyst)
    return survey


@pytest.fixture
def earlier(karlstad, centrum, kronoparken, analyst):
    """2022: the same frame, littering "Inget problem" for everyone (index 0)."""
    survey = make_survey(karlstad, year=2022)
    import_population(
        survey, population_csv([centrum, kronoparken]), "scb.csv", acting_user=analyst
    )
    _answer(survey, analyst, [(centrum, 5), (kronoparken, 1)], litter="1", seed=2)
    return survey


def _svg_areas(page: str) -> dict[str, str]:
    """data-area -> fill of each sub-area's shape on the map."""
    return dict(
        re.findall(r'<path class="survey-area" data-area="(\d+)" d="[^"]*" fill="([^"]+)"', page)
    )


# --- the municipality's report ---------------------------------------------------------------


def test_the_report_shows_every_figure_with_its_interval_n_and_too_few(
    client, analyst, answered, centrum, kronoparken
):
    client.force_login(analyst)

    response = client.get(reverse("surveys:report", args=[answered.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    context = response.context
    index_items = [r.item.code for r in context["index_rows"]]
    assert index_items == [i.code for i in answered.questionnaire.items.all() if i.has_index]
    assert len(context["share_rows"]) == answered.questionnaire.items.count()
    assert "Index 0–6 med 95 % intervall, Karlstad" in page
    assert "2,00" in page  # littering in Karlstad: everyone answered "Litet problem"
    # Kronoparken, 8 answers: too few for any figure on the map's table.
    areas = {row.frame_area.area.name: row for row in context["area_rows"]}
    assert areas["Kronoparken"].row.figures.index.too_few
    assert areas["Kronoparken"].respondents == 8
    assert "för få svar" in page
    assert areas["Centrum"].response_rate == pytest.approx(40 / 80)
    assert "48 av 100 tillfrågade svarade, en svarsfrekvens på 48 %." in page
    assert "Svarsfrekvensen är låg, under hälften." in page
    assert "Vikterna rättar bara för kön och ålder" in page
    assert "Det finns ingen tidigare mätning att jämföra med." in page


def test_the_map_has_one_shape_per_sub_area_coloured_by_the_chosen_item(
    client, analyst, answered, centrum, kronoparken
):
    client.force_login(analyst)

    page = client.get(
        reverse("surveys:report", args=[answered.pk]), {"fraga": "nedskrapning"}
    ).content.decode()

    shapes = _svg_areas(page)
    assert set(shapes) == {str(centrum.pk), str(kronoparken.pk)}
    assert shapes[str(centrum.pk)] == "#3182bd"  # index 2,0: the class 2,0–2,5
    assert shapes[str(kronoparken.pk)] == report_map.TOO_FEW
    assert "2,0–2,5" in page and "för få svar" in page  # the legend


def test_the_change_since_the_previous_survey_gets_a_verdict(client, analyst, answered, earlier):
    client.force_login(analyst)

    response = client.get(reverse("surveys:report", args=[answered.pk]))

    page = response.content.decode()
    littering = next(r for r in response.context["index_rows"] if r.item.code == "nedskrapning")
    assert littering.row.index_change.difference == pytest.approx(2.0)
    assert "Förändring sedan 2022" in page
    assert "+2,00 högre" in page
    assert "Nedskräpning: +2,00 högre" in response.context["changed"]
    assert "<li>Nedskräpning: +2,00 högre</li>" in page
    assert "övriga skillnader ligger inom bruset" in page


# --- a sub-area's report ---------------------------------------------------------------------


def test_a_sub_area_report_puts_its_figures_beside_the_municipality(
    client, analyst, answered, earlier, centrum
):
    client.force_login(analyst)

    response = client.get(reverse("surveys:area_report", args=[answered.pk, centrum.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "rapport för Centrum" in page
    littering = next(r for r in response.context["index_rows"] if r.item.code == "nedskrapning")
    assert littering.row.label == "Centrum"
    assert littering.row.figures.index.n == 40
    assert littering.whole.figures.index.n == 48
    assert littering.row.index_change.difference == pytest.approx(2.0)  # Centrum since 2022
    assert "Hela Karlstad" in page
    assert "40 av 80 tillfrågade svarade" in page
    assert 'stroke-width="3"' in page  # Centrum outlined on the map


def test_a_sub_area_with_too_few_answers_says_so_instead_of_figures(
    client, analyst, answered, kronoparken
):
    client.force_login(analyst)

    response = client.get(reverse("surveys:area_report", args=[answered.pk, kronoparken.pk]))

    rows = response.context["share_rows"]
    assert all(r.row.figures.share.too_few for r in rows)
    assert response.content.decode().count("för få svar") >= len(rows)


def test_an_area_outside_the_frame_is_not_found(client, analyst, answered, klara):
    client.force_login(analyst)

    assert (
        client.get(reverse("surveys:area_report", args=[answered.pk, klara.pk])).status_code == 404
    )


# --- who reads it ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona", ["analyst", "coordinator", "police_officer", "housing_reporter"]
)
def test_the_municipalitys_staff_read_the_report(client, request, persona, answered, centrum):
    client.force_login(request.getfixturevalue(persona))

    for url in (
        reverse("surveys:report", args=[answered.pk]),
        reverse("surveys:area_report", args=[answered.pk, centrum.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Index 0–6 med 95 % intervall" in response.content.decode()


def test_another_municipality_gets_404_for_every_report(
    client, other_municipality_user, answered, centrum
):
    client.force_login(other_municipality_user)

    for url in (
        reverse("surveys:report", args=[answered.pk]),
        reverse("surveys:report_pdf", args=[answered.pk]),
        reverse("surveys:area_report", args=[answered.pk, centrum.pk]),
        reverse("surveys:area_report_pdf", args=[answered.pk, centrum.pk]),
    ):
        assert client.get(url).status_code == 404, url


def test_a_visitor_is_sent_to_log_in(client, answered):
    response = client.get(reverse("surveys:report", args=[answered.pk]))

    assert response.status_code == 302 and "/konto/logga-in/" in response.url


def test_the_survey_page_links_to_the_report(client, analyst, answered):
    client.force_login(analyst)

    page = client.get(reverse("surveys:detail", args=[answered.pk])).content.decode()

    assert reverse("surveys:report", args=[answered.pk]) in page
    assert reverse("surveys:report_pdf", args=[answered.pk]) in page


def test_a_survey_without_answers_has_no_report_to_print(client, analyst, karlstad):
    survey = make_survey(karlstad)
    client.force_login(analyst)

    page = client.get(reverse("surveys:report", args=[survey.pk]))
    pdf = client.get(reverse("surveys:report_pdf", args=[survey.pk]))

    assert "Inga svar är inlästa ännu" in page.content.decode()
    assert pdf.status_code == 409


# --- the PDF ---------------------------------------------------------------------------------


@pytest.mark.parametrize("area", [False, True])
def test_the_report_pdf_is_a_pdf(client, analyst, answered, centrum, area):
    client.force_login(analyst)
    url = (
        reverse("surveys:area_report_pdf", args=[answered.pk, centrum.pk])
        if area
        else reverse("surveys:report_pdf", args=[answered.pk])
    )

    response = client.get(url, {"fraga": "otrygg_kvall"})

    if response.status_code == 503:  # core.pdf.render_pdf returned None: no Pango here
        pytest.skip("WeasyPrint cannot load Pango here")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    name = "trygghetsmatning-2024-1780" + ("-" + (centrum.code or str(centrum.pk)) if area else "")
    assert f'filename="{name}.pdf"' in response["Content-Disposition"]


# --- the map on its own ----------------------------------------------------------------------


def _estimate(value: float | None, n: int = 50) -> Estimate:
    if value is None:
        return Estimate(None, None, None, None, n, too_few=True)
    return Estimate(value, 0.1, value - 0.2, value + 0.2, n, too_few=False)


@pytest.mark.parametrize(
    ("value", "measure", "fill"),
    [
        (0.4, "index", "#eff3ff"),
        (1.0, "index", "#bdd7e7"),
        (1.49, "index", "#bdd7e7"),
        (2.7, "index", "#08519c"),
        (0.05, "share", "#eff3ff"),
        (0.25, "share", "#6baed6"),
        (0.4, "share", "#08519c"),
        (None, "index", report_map.TOO_FEW),
    ],
)
def test_a_figure_is_coloured_by_its_fixed_class(value, measure, fill):
    assert report_map.fill_for(_estimate(value), measure) == fill


def test_the_map_draws_each_area_north_up_inside_the_picture():
    south = _box(13.49, 59.37, 13.52, 59.39)
    north = _box(13.49, 59.39, 13.52, 59.41)

    figure = report_map.survey_map(
        [(1, "Söder", south, _estimate(1.2)), (2, "Norr", north, _estimate(None, 3))],
        "index",
        label_of=lambda e: "x",
        title_of=lambda e: "y",
    )

    assert figure is not None
    south_shape, north_shape = figure.shapes
    assert (south_shape.fill, north_shape.fill) == ("#bdd7e7", report_map.TOO_FEW)
    assert north_shape.y < south_shape.y  # north is up
    numbers = [float(v) for v in re.findall(r"[-\d.]+", south_shape.path + north_shape.path)]
    assert min(numbers) >= 0 and max(numbers) <= figure.width
    assert [entry.text for entry in figure.legend][-1] == "för få svar"
    assert len(figure.legend) == len(report_map.PALETTE) + 1


def test_no_polygons_no_map():
    assert report_map.survey_map([(1, "X", {}, None)], "share", label_of=str, title_of=str) is None


# --- the annual lägesbild --------------------------------------------------------------------

YEAR = TODAY.year - 1  # 2025 on the frozen clock: the 2024 survey is the latest up to it


def test_the_annual_report_keeps_the_latest_surveys_headline(
    client, coordinator, karlstad, answered, earlier
):
    report, _created = create_annual_report(karlstad, YEAR, acting_user=coordinator)

    data = report.latest().generated["sections"]["survey"]
    assert data["survey"] == {"id": answered.pk, "name": answered.name, "year": 2024}
    assert data["previous_year"] == 2022
    assert data["response_rate"] == pytest.approx(48 / 100)
    index = {row["label"]: row for row in data["index_rows"]}
    assert set(index) == {i.label for i in answered.questionnaire.items.all() if i.has_index}
    littering = index["Nedskräpning"]
    assert littering["index"]["value"] == pytest.approx(2.0) and littering["index"]["n"] == 48
    assert littering["change"]["difference"] == pytest.approx(2.0)
    assert littering["change"]["within_noise"] is False
    unsafe = {row["label"]: row for row in data["unsafe_rows"]}
    assert "Otrygg ute ensam sent en kväll" in unsafe
    assert unsafe["Otrygg ute ensam sent en kväll"]["share"]["n"] > 0

    client.force_login(coordinator)
    page = client.get(report.get_absolute_url()).content.decode()
    assert 'id="avsnitt-survey"' in page
    assert "Trygghetsmätning 2024" in page
    assert reverse("surveys:detail", args=[answered.pk]) in page
    assert "+2,00 högre" in page
    assert "48 av 100 tillfrågade svarade, en svarsfrekvens på 48 %." in page


def test_without_a_survey_the_annual_report_has_no_survey_section(client, coordinator, karlstad):
    report, _created = create_annual_report(karlstad, YEAR, acting_user=coordinator)

    sections = report.latest().generated["sections"]
    assert "survey" not in sections
    client.force_login(coordinator)
    page = client.get(report.get_absolute_url()).content.decode()
    assert 'id="avsnitt-survey"' not in page
    assert "survey" not in [entry["key"] for entry in annual.outline(sections)]


def test_a_survey_after_the_reports_year_or_without_answers_is_not_used(
    coordinator, analyst, karlstad, centrum
):
    make_survey(karlstad, year=2024)  # no answers yet
    later = make_survey(karlstad, year=2026)
    import_population(later, population_csv([centrum]), "scb.csv", acting_user=analyst)
    _answer(later, analyst, [(centrum, 5)])

    report, _created = create_annual_report(karlstad, YEAR, acting_user=coordinator)

    assert "survey" not in report.latest().generated["sections"]
    this_year, _created = create_annual_report(karlstad, 2026, acting_user=coordinator)
    assert this_year.latest().generated["sections"]["survey"]["survey"]["year"] == 2026


def test_the_annual_pdf_carries_the_survey_section(client, coordinator, karlstad, answered):
    report, _created = create_annual_report(karlstad, YEAR, acting_user=coordinator)
    client.force_login(coordinator)

    response = client.get(f"/lagesbild/ar/{report.pk}/version/1/pdf/")

    if response.status_code == 503:  # core.pdf.render_pdf returned None: no Pango here
        pytest.skip("WeasyPrint cannot load Pango here")
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
