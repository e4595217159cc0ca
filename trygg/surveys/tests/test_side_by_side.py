"""A survey beside the events: which events count for an item in a sub-area (its categories and
those under them, its polygon, the survey year in local time, counted and visible to the
reader), the rate per 1,000 residents, and the sub-areas where feeling and facts part."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from trygg.events.models import Category, Status, Visibility
from trygg.events.tests.factories import make_event
from trygg.places.tests.factories import box, make_area
from trygg.surveys.actions.frame import import_population
from trygg.surveys.actions.responses import import_responses
from trygg.surveys.side_by_side import FEELS_WORSE, MORE_EVENTS, _rank, compare
from trygg.surveys.tests.factories import make_survey, population_csv, responses_csv

pytestmark = [pytest.mark.django_db, pytest.mark.frozen]

GROUPS = ("16-24", "25-44", "45-64", "65-85")
# population_csv: 400 people at each one-year age 16–85, for each of two sexes.
PEOPLE = 400 * 70 * 2
STOCKHOLM = timezone.get_default_timezone()


def at(year: int, month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=STOCKHOLM)


def centre_of(area) -> dict:
    ring = area.geometry["coordinates"][0]
    return {"lon": (ring[0][0] + ring[2][0]) / 2, "lat": (ring[0][1] + ring[2][1]) / 2}


def answers(area, litter: str, per_cell: int = 5) -> list[dict]:
    return [
        {"delomrade": area.code, "kon": sex, "aldersgrupp": group, "nedskrapning": litter}
        for sex in ("kvinna", "man")
        for group in GROUPS
        for _ in range(per_cell)
    ]


@pytest.fixture
def varmland(karlstad):
    """A third sub-area west of the centre, apart from Centrum and Kronoparken."""
    return make_area(karlstad, "Våxnäs", box(13.44, 59.39, 13.47, 59.41))


@pytest.fixture
def survey(karlstad, analyst, centrum, kronoparken, varmland):
    """Litter felt as a very big problem in Centrum, a small one in Kronoparken, none in
    Våxnäs (every answer alike, so the ranks are certain)."""
    survey = make_survey(karlstad, year=2024)
    areas = [centrum, kronoparken, varmland]
    import_population(survey, population_csv(areas), "scb.csv", acting_user=analyst)
    rows = answers(centrum, "4") + answers(kronoparken, "2") + answers(varmland, "1")
    columns = ["delomrade", "kon", "aldersgrupp"] + [
        i.code for i in survey.questionnaire.items.all()
    ]
    import_responses(survey, responses_csv(rows, columns), "svar.csv", acting_user=analyst)
    return survey


def litter_event(organisation, area, when, **fields):
    category = Category.objects.get(code="otrygg_plats.nedskrapning")
    values = {"category": category, "occurred_from": when} | centre_of(area) | fields
    return make_event(organisation, **values)


def item(data, code):
    return next(i for i in data["items"] if i["code"] == code)


def rows_by_name(item_data):
    return {row["name"]: row for row in item_data["rows"]}


def test_events_count_in_the_sub_area_their_position_lies_in_during_the_local_year(
    survey, coordinator, kommunen, centrum, kronoparken, varmland
):
    litter_event(kommunen, kronoparken, at(2024, 1, 1, 0, 30))  # 23:30 UTC on New Year's Eve
    litter_event(kommunen, kronoparken, at(2024, 12, 31, 23, 30))
    litter_event(kommunen, kronoparken, at(2023, 12, 31, 23, 30))  # the year before
    litter_event(kommunen, kronoparken, at(2025, 1, 1, 0, 10))  # the year after
    litter_event(kommunen, varmland, at(2024, 6, 1, 12), status=Status.REJECTED)
    litter_event(kommunen, varmland, at(2024, 6, 1, 12), status=Status.DUPLICATE)
    # A police feed position at the municipality's centroid lies in no sub-area.
    litter_event(kommunen, centrum, at(2024, 6, 1, 12), precision_m=5000)
    # Outside every sub-area of the frame: not in any row, not in the whole either.
    litter_event(kommunen, centrum, at(2024, 6, 1, 12), lon=13.70, lat=59.30)

    litter = item(compare(survey, coordinator), "nedskrapning")

    rows = rows_by_name(litter)
    assert [rows[name]["events"] for name in ("Centrum", "Kronoparken", "Våxnäs")] == [0, 2, 0]
    assert litter["whole"]["events"] == 2
    assert rows["Kronoparken"]["population"] == PEOPLE
    assert rows["Kronoparken"]["rate"] == pytest.approx(2 * 1000 / PEOPLE)
    assert litter["whole"]["population"] == 3 * PEOPLE


def test_a_code_counts_the_categories_under_it(survey, coordinator, kommunen, centrum):
    graffiti = Category.objects.get(code="skadegorelse.klotter")
    glass = Category.objects.get(code="skadegorelse.glaskross")
    for category in (graffiti, glass):
        make_event(
            kommunen, category=category, occurred_from=at(2024, 5, 5, 22), **centre_of(centrum)
        )

    data = compare(survey, coordinator)

    assert rows_by_name(item(data, "klotter"))["Centrum"]["events"] == 1
    assert rows_by_name(item(data, "skadegorelse"))["Centrum"]["events"] == 2
    # Items without categories are not compared.
    assert "avstar" not in {i["code"] for i in data["items"]}


def test_only_events_the_reader_may_see_count(
    survey, coordinator, police_officer, polisen, kronoparken
):
    litter_event(polisen, kronoparken, at(2024, 3, 3, 3), visibility=Visibility.ORGANISATION)

    for_coordinator = rows_by_name(item(compare(survey, coordinator), "nedskrapning"))
    for_police = rows_by_name(item(compare(survey, police_officer), "nedskrapning"))

    assert for_coordinator["Kronoparken"]["events"] == 0
    assert for_police["Kronoparken"]["events"] == 1


def test_sub_areas_where_feeling_and_events_part_are_marked(
    survey, coordinator, kommunen, kronoparken, varmland
):
    # Feeling: Centrum > Kronoparken > Våxnäs. Events: Våxnäs > Kronoparken > Centrum.
    for _ in range(2):
        litter_event(kommunen, kronoparken, at(2024, 4, 4, 12))
    for _ in range(6):
        litter_event(kommunen, varmland, at(2024, 4, 4, 12))

    litter = item(compare(survey, coordinator), "nedskrapning")

    rows = rows_by_name(litter)
    assert litter["measure"] == "index"
    assert rows["Centrum"]["value"] == pytest.approx(6.0)
    assert (rows["Centrum"]["feeling_rank"], rows["Centrum"]["events_rank"]) == (1, 3)
    assert rows["Centrum"]["verdict"] == FEELS_WORSE
    assert rows["Centrum"]["verdict_text"] == "känns otryggare än händelserna visar"
    assert rows["Våxnäs"]["rank_difference"] == -2
    assert rows["Våxnäs"]["verdict"] == MORE_EVENTS
    assert rows["Kronoparken"]["differs"] is False and rows["Kronoparken"]["verdict"] == ""
    assert litter["spearman"] == pytest.approx(-1.0)
    assert litter["ranked"] == 3
    assert "går isär" in litter["agreement"]


def _plain_rows(values, events):
    return [
        {"value": v, "rate": float(e), "events": e, "verdict": "", "verdict_text": ""}
        for v, e in zip(values, events, strict=True)
    ]


def test_a_sub_area_without_events_is_never_said_to_have_more_events():
    # Ten sub-areas, events in one: the nine without share places 2–10 (6 on average). The
    # last on feeling is four places below that, a third of the ranking, but has no events.
    rows = _plain_rows(list(range(9, -1, -1)), [5] + [0] * 9)

    rho, ranked = _rank(rows)

    assert ranked == 10 and rho is not None
    assert [row["events_rank"] for row in rows] == [1] + [6] * 9
    assert rows[9]["rank_difference"] == -4
    assert rows[9]["verdict"] == "" and not rows[9]["differs"]
    assert rows[1]["verdict"] == FEELS_WORSE  # second on feeling, no events: place 6


def test_events_that_do_not_differ_between_sub_areas_mark_nothing():
    rows = _plain_rows([6, 5, 4, 3, 2, 1, 0], [0] * 7)

    rho, ranked = _rank(rows)

    assert ranked == 7 and rho is None  # events do not vary: no correlation to speak of
    assert [row["events_rank"] for row in rows] == [4] * 7
    assert not any(row["differs"] for row in rows)


def test_half_places_are_kept(survey, coordinator, kommunen, kronoparken):
    litter_event(kommunen, kronoparken, at(2024, 4, 4, 12))

    rows = rows_by_name(item(compare(survey, coordinator), "nedskrapning"))

    assert [rows[n]["events_rank"] for n in ("Kronoparken", "Centrum", "Våxnäs")] == [1, 2.5, 2.5]


def test_a_sub_area_with_too_few_answers_gets_no_rank(
    karlstad, analyst, coordinator, kommunen, centrum, kronoparken
):
    survey = make_survey(karlstad, year=2024)
    import_population(
        survey, population_csv([centrum, kronoparken]), "scb.csv", acting_user=analyst
    )
    rows = answers(centrum, "4") + answers(kronoparken, "2", per_cell=1)
    columns = ["delomrade", "kon", "aldersgrupp", "nedskrapning"] + [
        i.code for i in survey.questionnaire.items.exclude(code="nedskrapning")
    ]
    import_responses(survey, responses_csv(rows, columns), "svar.csv", acting_user=analyst)
    litter_event(kommunen, kronoparken, at(2024, 4, 4, 12))

    litter = item(compare(survey, coordinator), "nedskrapning")

    few = rows_by_name(litter)["Kronoparken"]
    assert few["too_few"] and few["value"] is None
    assert few["events"] == 1  # the events are still shown
    assert few["feeling_rank"] is None and few["verdict"] == ""
    assert litter["spearman"] is None and litter["ranked"] == 1


def test_an_item_outside_the_index_is_compared_by_its_share(survey, coordinator):
    unsafe = item(compare(survey, coordinator), "otrygg_kvall")

    assert unsafe["measure"] == "share"
    # Nobody answered the question: every sub-area says "too few".
    assert all(row["too_few"] for row in unsafe["rows"])


# --- the page ----------------------------------------------------------------------------------


def test_the_page_puts_feeling_beside_events_in_a_table_per_item(
    client, analyst, survey, kommunen, kronoparken, varmland
):
    for _ in range(2):
        litter_event(kommunen, kronoparken, at(2024, 4, 4, 12))
    for _ in range(6):
        litter_event(kommunen, varmland, at(2024, 4, 4, 12))
    client.force_login(analyst)

    response = client.get(reverse("surveys:events", args=[survey.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="fraga-nedskrapning"' in page
    assert "Känns otryggare än händelserna visar" in page
    assert "Fler händelser än oron visar" in page
    assert "<td>6,00 (6,00–6,00)</td>" in page  # Centrum: every answer "very big problem"
    assert "Spearmans rangkorrelation" in page
    config = response.context["map_config"]
    assert {a["name"] for a in config["areas"]} == {"Centrum", "Kronoparken", "Våxnäs"}
    litter = next(i for i in config["items"] if i["code"] == "nedskrapning")
    assert litter["rows"][str(varmland.pk)]["events"] == 6
    assert varmland.geometry in [a["geometry"] for a in config["areas"]]


def test_the_survey_page_links_to_the_comparison(client, analyst, survey):
    client.force_login(analyst)

    page = client.get(reverse("surveys:detail", args=[survey.pk])).content.decode()

    assert reverse("surveys:events", args=[survey.pk]) in page


def test_another_municipality_gets_404_and_a_visitor_the_login(
    client, other_municipality_user, survey
):
    url = reverse("surveys:events", args=[survey.pk])

    assert client.get(url).status_code == 302
    client.force_login(other_municipality_user)
    assert client.get(url).status_code == 404


def test_a_frame_that_does_not_meet_its_answers_names_the_cell_on_the_page(
    client, coordinator, survey
):
    survey.respondents.filter(frame_area__area__name="Våxnäs", sex="kvinna").delete()
    client.force_login(coordinator)

    response = client.get(reverse("surveys:events", args=[survey.pk]))

    page = response.content.decode()
    assert "Cellen Våxnäs · kvinna · 16-24 har befolkning men inga svarande." in page
    assert "map_config" not in response.context
