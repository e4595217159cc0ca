"""The dialogues API: who sees which dialogue (404 for the rest), a dialogue with its counts and
quotes, and the summary with its checks."""

from __future__ import annotations

import datetime as dt

import pytest

from trygg.citizens.actions import dialogues as actions
from trygg.citizens.actions.dialogues import MentionRow
from trygg.citizens.models import Theme
from trygg.citizens.tests.factories import dialogue as make_dialogue
from trygg.organisations.models import Membership, Organisation
from trygg.organisations.tests.factories import bearer, make_organisation, make_person

pytestmark = [pytest.mark.django_db, pytest.mark.frozen]


@pytest.fixture
def spring(coordinator, karlstad, kommunen, polisen, kronoparken):
    dialogue = make_dialogue(
        coordinator,
        karlstad,
        [kommunen, polisen],
        held_on=dt.date(2026, 4, 15),
        area=kronoparken,
        visitors=40,
    )
    actions.set_mentions(
        dialogue,
        [MentionRow(Theme.VIOLENCE, kronoparken, 3), MentionRow(Theme.YOUTH, None, 2)],
        acting_user=coordinator,
    )
    actions.add_quote(
        dialogue,
        theme=Theme.VIOLENCE,
        area=kronoparken,
        text="Det är stökigt vid hållplatsen, ring 070-123 45 67",
        acting_user=coordinator,
    )
    return dialogue


def test_the_list_and_one_dialogue_with_its_counts_and_quotes(client, housing_reporter, spring):
    listed = client.get("/api/v1/dialogues", **bearer(housing_reporter)).json()
    assert listed["count"] == 1
    item = listed["items"][0]
    assert item["municipality"] == "1780"
    assert item["held_on"] == "2026-04-15"
    assert {o["code"] for o in item["organisations"]} == {
        "karlstad-kommunledning",
        "polisen-karlstad",
    }

    one = client.get(f"/api/v1/dialogues/{spring.pk}", **bearer(housing_reporter)).json()
    assert [(m["theme"], m["area"] and m["area"]["name"], m["count"]) for m in one["mentions"]] == [
        ("violence", "Kronoparken", 3),
        ("youth", None, 2),
    ]
    assert len(one["quotes"]) == 1
    assert "070" not in one["quotes"][0]["text"]
    assert "created_by" not in one


def test_another_municipality_gets_404_and_an_empty_list(client, other_municipality_user, spring):
    headers = bearer(other_municipality_user)
    assert client.get(f"/api/v1/dialogues/{spring.pk}", **headers).status_code == 404
    assert client.get("/api/v1/dialogues", **headers).json()["count"] == 0
    summary = client.get(
        "/api/v1/dialogues/summary",
        {"municipality": "1780", "start": "2026-04-01", "end": "2026-06-30"},
        **headers,
    )
    assert summary.status_code == 404


def test_the_police_of_a_neighbouring_municipality_sees_the_dialogue_it_was_at(
    client, coordinator, karlstad, karlskoga, kommunen
):
    neighbours = make_organisation(
        karlskoga, "polisen-karlskoga", "Polisen Karlskoga", Organisation.Kind.POLICE
    )
    officer = make_person("grannpolis", neighbours, Membership.Role.REPORTER)
    present = make_dialogue(coordinator, karlstad, [kommunen, neighbours])
    absent = make_dialogue(coordinator, karlstad, [kommunen])

    listed = client.get("/api/v1/dialogues", **bearer(officer)).json()
    assert [item["id"] for item in listed["items"]] == [present.pk]
    assert client.get(f"/api/v1/dialogues/{absent.pk}", **bearer(officer)).status_code == 404


def test_without_a_token_nothing(client, spring):
    assert client.get(f"/api/v1/dialogues/{spring.pk}").status_code == 401


def test_the_list_filters_by_municipality_and_period(client, coordinator, spring):
    headers = bearer(coordinator)
    later = client.get("/api/v1/dialogues", {"start": "2026-05-01"}, **headers).json()
    assert later["count"] == 0
    wrong = client.get("/api/v1/dialogues", {"municipality": "9999"}, **headers)
    assert wrong.status_code == 422
    assert wrong.json()["detail"][0]["field"] == "municipality"


def test_the_summary_as_on_the_page(client, analyst, spring, kronoparken):
    response = client.get(
        "/api/v1/dialogues/summary",
        {"municipality": "1780", "start": "2026-04-01", "end": "2026-06-30"},
        **bearer(analyst),
    )
    assert response.status_code == 200
    body = response.json()
    assert body["ranking"] == ["violence", "youth"]
    assert body["visitors"] == 40
    violence = body["themes"][0]
    assert violence["mentions_by_area"] == {str(kronoparken.pk): 3, "hela": 0}
    assert violence["events"] == 0
    assert violence["quotes"][0]["area"] == "Kronoparken"


def test_the_summary_reads_the_quotes_and_their_dialogues_in_the_municipality(
    client, analyst, spring
):
    """Citus refuses joining the quotes with their dialogues on the id alone."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from trygg.organisations.tests.one_shard import joins_without_municipality

    with CaptureQueriesContext(connection) as queries:
        response = client.get(
            "/api/v1/dialogues/summary",
            {"municipality": "1780", "start": "2026-04-01", "end": "2026-06-30"},
            **bearer(analyst),
        )
    assert response.json()["themes"][0]["quotes"]
    statements = [q["sql"] for q in queries.captured_queries]
    assert any("citizens_dialoguequote" in sql for sql in statements)
    assert joins_without_municipality(statements) == []


def test_the_summary_names_what_is_wrong(client, coordinator):
    response = client.get(
        "/api/v1/dialogues/summary",
        {"municipality": "1780", "start": "2026-06-30", "end": "2026-04-01"},
        **bearer(coordinator),
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "end"
    missing = client.get(
        "/api/v1/dialogues/summary", {"municipality": "1780"}, **bearer(coordinator)
    )
    assert missing.status_code == 422
    assert {e["field"] for e in missing.json()["detail"]} == {"start", "end"}
