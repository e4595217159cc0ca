"""The survey in a problem area's evidence (issue 14, point 2): the latest survey up to the
period's end, its index for the sub-areas in the problem's areas beside the municipality's,
the questions about the problem's categories marked and their shares shown; nothing to say
without a survey. Registered in situation.evidence_sections from SurveysConfig.ready."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template.loader import render_to_string

from trygg.events.models import Category
from trygg.places.tests.factories import box, make_area
from trygg.situation import evidence_sections
from trygg.surveys import evidence
from trygg.surveys.actions.frame import import_population, set_sample_sizes
from trygg.surveys.actions.responses import import_responses
from trygg.surveys.tests.factories import (
    generated_rows,
    make_survey,
    population_csv,
    responses_csv,
)

pytestmark = [pytest.mark.django_db, pytest.mark.frozen]

PERIOD = (dt.date(2025, 11, 1), dt.date(2026, 10, 31))


def cat(code: str) -> Category:
    return Category.objects.get(code=code)


def _answer(survey, user, areas_and_counts, *, litter: str, seed: int = 1) -> None:
    items = list(survey.questionnaire.items.all())
    rows = []
    for area, per_cell in areas_and_counts:
        rows += generated_rows([area], items, per_cell=per_cell, seed=seed)
    for row in rows:
        row["nedskrapning"] = litter
    columns = ["delomrade", "kon", "aldersgrupp"] + [i.code for i in items]
    import_responses(
        survey, responses_csv(rows, columns), f"svar-{survey.year}.csv", acting_user=user
    )


@pytest.fixture
def survey(karlstad, centrum, kronoparken, analyst):
    """2024: littering "Litet problem" for everyone (index 2,0); 2022: "Inget problem" (0)."""
    for year, litter in ((2022, "1"), (2024, "2")):
        made = make_survey(karlstad, year=year)
        import_population(
            made, population_csv([centrum, kronoparken]), "scb.csv", acting_user=analyst
        )
        _answer(made, analyst, [(centrum, 5), (kronoparken, 5)], litter=litter, seed=year)
        set_sample_sizes(made, {centrum.pk: 80, kronoparken.pk: 80}, acting_user=analyst)
    return made


def test_the_sub_area_in_the_problems_area_stands_beside_the_municipality(
    karlstad, survey, centrum
):
    data = evidence.evidence_section(karlstad, [centrum], [cat("otrygg_plats")], *PERIOD)

    assert data["survey"]["year"] == 2024 and data["previous_year"] == 2022
    assert data["matched"]
    assert [c["name"] for c in data["columns"]] == ["Centrum", "Hela kommunen"]
    assert data["columns"][0]["inside"] == 100
    littering = next(r for r in data["index_rows"] if r["code"] == "nedskrapning")
    assert littering["related"]  # littering is compared with "otrygg_plats.nedskrapning"
    assert littering["cells"][0]["figure"].startswith("2,00")
    assert littering["cells"][0]["change"] == "+2,00 högre"
    # The related questions come first; the dark places and littering both are.
    assert [r["code"] for r in data["index_rows"][:2]] == ["nedskrapning", "morka_platser"]
    assert not next(r for r in data["index_rows"] if r["code"] == "klotter")["related"]


def test_a_sub_area_mostly_inside_a_drawn_area_counts_and_says_how_much(karlstad, survey, centrum):
    # Three quarters of Centrum's box (13.49–13.52 E) and nothing else.
    drawn = make_area(karlstad, "Stråket", box(13.4975, 59.37, 13.53, 59.39), kind="custom")

    data = evidence.evidence_section(karlstad, [drawn], [], *PERIOD)

    assert [c["name"] for c in data["columns"]] == ["Centrum", "Hela kommunen"]
    assert data["columns"][0]["inside"] == 75


def test_the_shares_of_other_questions_about_the_problems_categories_are_shown(
    karlstad, survey, kronoparken
):
    data = evidence.evidence_section(karlstad, [kronoparken], [cat("ordning.vald")], *PERIOD)

    codes = [r["code"] for r in data["share_rows"]]
    assert codes == ["otrygg_kvall", "oro_overfall", "utsatt_vald"]
    assert (
        data["share_rows"][0]["share_label"] == "andel som känner sig ganska eller mycket otrygga"
    )


def test_a_problem_outside_every_sub_area_gets_the_municipalitys_figures(karlstad, survey):
    elsewhere = make_area(karlstad, "Skåre", box(13.40, 59.43, 13.43, 59.45))

    data = evidence.evidence_section(karlstad, [elsewhere], [], *PERIOD)

    assert not data["matched"]
    assert [c["name"] for c in data["columns"]] == ["Hela kommunen"]
    page = render_to_string("surveys/evidence_section.html", {"data": data})
    assert "så här står bara kommunens siffror" in page
    assert '<th scope="col">Hela kommunen</th>' in page


def test_the_survey_used_is_the_latest_up_to_the_periods_end_and_none_before_any(
    karlstad, survey, centrum
):
    data = evidence.evidence_section(
        karlstad, [centrum], [], dt.date(2022, 1, 1), dt.date(2023, 6, 30)
    )
    assert data["survey"]["year"] == 2022 and data["previous_year"] is None

    assert (
        evidence.evidence_section(
            karlstad, [centrum], [], dt.date(2020, 1, 1), dt.date(2021, 12, 31)
        )
        is None
    )


def test_the_section_is_registered_for_the_evidence_page(karlstad, survey, centrum):
    [section] = [s for s in evidence_sections.registered() if s.key == "survey"]

    computed = evidence_sections.compute_all(karlstad, [centrum], [], *PERIOD)

    assert section.compute is evidence.evidence_section
    assert [c.section.key for c in computed][:1] == ["survey"]
    page = render_to_string(section.template, {"data": computed[0].data})
    assert "Problem i bostadsområdet, index 0–6 med 95 % intervall, 2024" in page
    assert "<caption" in page and 'scope="row"' in page


def test_the_figures_are_kept_until_a_new_file_changes_them(
    karlstad, survey, centrum, analyst, monkeypatch
):
    from trygg.surveys import report

    estimated = []
    real = report.figures_with_previous
    monkeypatch.setattr(
        report, "figures_with_previous", lambda s: estimated.append(s.pk) or real(s)
    )

    first = evidence.evidence_section(karlstad, [centrum], [], *PERIOD)
    again = evidence.evidence_section(karlstad, [centrum], [], *PERIOD)
    assert again == first and len(estimated) == 1

    _answer(survey, analyst, [(centrum, 1)], litter="4", seed=99)  # more answers in Centrum

    changed = evidence.evidence_section(karlstad, [centrum], [], *PERIOD)
    assert len(estimated) == 2
    littering = next(r for r in changed["index_rows"] if r["code"] == "nedskrapning")
    before = next(r for r in first["index_rows"] if r["code"] == "nedskrapning")
    assert littering["cells"][0]["n"] > before["cells"][0]["n"]
