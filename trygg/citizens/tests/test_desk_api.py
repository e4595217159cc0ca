"""The desk's cases in the API: who sees which case (404 for the rest, 401 without a token),
recording and closing through the actions, 422 in the shared shape with Swedish messages and
nothing written."""

from __future__ import annotations

import json

import pytest

from trygg.citizens.models import DeskCase
from trygg.citizens.tests.desk_factories import desk_case, make_centre
from trygg.organisations.tests.factories import bearer
from trygg.places.tests.factories import make_place

pytestmark = [pytest.mark.django_db, pytest.mark.frozen]


@pytest.fixture
def centre(karlstad, kommunen, polisen):
    return make_centre(karlstad, kommunen, polisen)


@pytest.fixture
def housing_case(centre, police_officer, centrum, bostadsbolaget):
    return desk_case(centre, police_officer, area=centrum, taken_by=bostadsbolaget, note="Dörr")


@pytest.fixture
def police_case(centre, police_officer, kronoparken, polisen):
    return desk_case(centre, police_officer, area=kronoparken, taken_by=polisen, topic="traffic")


def _post(client, url, user, body):
    return client.post(url, json.dumps(body), content_type="application/json", **bearer(user))


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("police_officer", {"housing_case", "police_case"}),
        ("housing_reporter", {"housing_case"}),
        ("analyst", {"housing_case", "police_case"}),
        ("other_municipality_user", set()),
    ],
)
def test_the_list_holds_the_cases_the_caller_may_see(
    client, housing_case, police_case, persona, expected, request
):
    ids = {"housing_case": housing_case.pk, "police_case": police_case.pk}

    body = client.get("/api/v1/desk-cases", **bearer(request.getfixturevalue(persona))).json()

    assert body["count"] == len(expected)
    assert {item["id"] for item in body["items"]} == {ids[name] for name in expected}


def test_the_list_filters_and_pages(client, housing_case, police_case, police_officer):
    headers = bearer(police_officer)

    by_partner = client.get("/api/v1/desk-cases?taken_by=kbab", **headers).json()
    by_topic = client.get("/api/v1/desk-cases?topic=traffic&state=open", **headers).json()
    first = client.get("/api/v1/desk-cases?limit=1", **headers).json()

    assert [item["id"] for item in by_partner["items"]] == [housing_case.pk]
    assert [item["id"] for item in by_topic["items"]] == [police_case.pk]
    assert first["count"] == 2 and len(first["items"]) == 1


def test_a_bad_filter_is_a_422_naming_the_field(client, housing_case, police_officer):
    response = client.get("/api/v1/desk-cases?state=pending", **bearer(police_officer))

    assert response.status_code == 422
    assert response.json() == {
        "detail": [{"field": "state", "message": "Välj bland: open, closed."}]
    }


def test_one_case_names_organisations_and_never_a_person(client, housing_case, housing_reporter):
    item = client.get(f"/api/v1/desk-cases/{housing_case.pk}", **bearer(housing_reporter)).json()

    assert item["taken_by"] == {"code": "kbab", "name": "Karlstads Bostads AB"}
    assert item["recorded_by_organisation"]["code"] == "polisen-karlstad"
    assert item["area"]["name"] == "Centrum" and item["state"] == "open"
    assert not {"recorded_by", "closed_by"} & item.keys()


def test_a_case_the_caller_may_not_see_is_404_and_without_a_token_401(
    client, police_case, housing_reporter
):
    url = f"/api/v1/desk-cases/{police_case.pk}"

    assert client.get(url, **bearer(housing_reporter)).status_code == 404
    assert client.get(url).status_code == 401


def test_staff_record_a_case(client, centre, police_officer, karlstad, centrum, bostadsbolaget):
    torget = make_place(karlstad)

    response = _post(
        client,
        "/api/v1/desk-cases",
        police_officer,
        {"centre": centre.pk, "topic": "drugs", "place": torget.pk, "taken_by": "kbab"},
    )

    assert response.status_code == 201
    item = response.json()
    assert item["area"] == {"id": centrum.pk, "name": "Centrum"}
    assert item["visited_on"] == "2026-11-22" and item["state"] == "open"
    assert DeskCase.objects.get().taken_by.code == "kbab"


def test_a_field_for_a_person_is_refused_and_nothing_is_written(
    client, centre, police_officer, centrum
):
    response = _post(
        client,
        "/api/v1/desk-cases",
        police_officer,
        {"centre": centre.pk, "topic": "drugs", "area": centrum.pk, "name": "Anna"},
    )

    assert response.status_code == 422
    assert response.json() == {"detail": [{"field": "name", "message": "Okänt fält."}]}
    assert not DeskCase.objects.exists()


def test_the_actions_checks_come_back_as_422_with_fields(
    client, centre, police_officer, karlskoga_kommun
):
    response = _post(
        client,
        "/api/v1/desk-cases",
        police_officer,
        {"centre": centre.pk, "topic": "drugs", "visited_on": "2026-12-01"},
    )
    elsewhere = _post(
        client,
        "/api/v1/desk-cases",
        police_officer,
        {"centre": centre.pk, "topic": "drugs", "taken_by": "karlskoga-kommun"},
    )

    assert response.status_code == 422
    assert sorted(response.json()["detail"], key=lambda e: e["field"]) == [
        {"field": "place", "message": "Ange en plats eller ett område."},
        {"field": "visited_on", "message": "Besöksdagen ligger i framtiden."},
    ]
    assert elsewhere.json() == {
        "detail": [{"field": "taken_by", "message": "Organisationen hör till en annan kommun."}]
    }
    assert not DeskCase.objects.exists()


def test_only_the_centres_staff_record(client, centre, housing_reporter, centrum):
    response = _post(
        client,
        "/api/v1/desk-cases",
        housing_reporter,
        {"centre": centre.pk, "topic": "drugs", "area": centrum.pk},
    )

    assert response.status_code == 403
    assert not DeskCase.objects.exists()


def test_the_partner_closes_its_case(client, housing_case, housing_reporter):
    url = f"/api/v1/desk-cases/{housing_case.pk}/close"

    empty = _post(client, url, housing_reporter, {"note": ""})
    done = _post(client, url, housing_reporter, {"note": "Dörren lagad"})

    assert empty.status_code == 422
    assert empty.json() == {"detail": [{"field": "note", "message": "Skriv en kort anteckning."}]}
    assert done.status_code == 200
    assert done.json()["state"] == "closed" and done.json()["closing_note"] == "Dörren lagad"


def test_closing_a_case_the_caller_may_not_see_is_404(client, police_case, housing_reporter):
    response = _post(
        client, f"/api/v1/desk-cases/{police_case.pk}/close", housing_reporter, {"note": "Klart"}
    )

    assert response.status_code == 404
    police_case.refresh_from_db()
    assert police_case.state == DeskCase.State.OPEN
