"""The walks API: walks, findings and answers as the caller may see them, in the OpenAPI
document, with the project's error shapes."""

from __future__ import annotations

import pytest

from trygg.events.models import Event
from trygg.organisations.ownership import Visibility
from trygg.organisations.tests.factories import bearer
from trygg.walks.models import Invitation, Walk
from trygg.walks.tests.factories import answer, capture, item, jpeg, make_walk, measure_for

pytestmark = [pytest.mark.django_db, pytest.mark.frozen]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    # Photos are written to disk: not into the installation's media folder.
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def walk(kommunen, centrum):
    return make_walk(
        kommunen,
        status=Walk.Status.WALKED,
        participants_residents=8,
        participants_women=6,
        route={"type": "LineString", "coordinates": [[13.5036, 59.3793], [13.5080, 59.3810]]},
    )


def test_the_list_holds_the_walks_the_caller_may_see(client, walk, police_officer):
    response = client.get("/api/v1/walks", **bearer(police_officer))

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    (listed,) = body["items"]
    assert listed["id"] == walk.pk and listed["municipality"] == "1780"
    assert listed["organisation"]["code"] == "karlstad-kommunledning"
    assert listed["template"] == "safetipin" and listed["status"] == "walked"


def test_another_municipality_sees_no_walk_and_gets_404_for_one(
    client, walk, other_municipality_user
):
    headers = bearer(other_municipality_user)
    assert client.get("/api/v1/walks", **headers).json()["count"] == 0
    response = client.get(f"/api/v1/walks/{walk.pk}", **headers)
    assert response.status_code == 404 and response.json() == {"detail": "Hittades inte."}


def test_an_invited_organisation_elsewhere_sees_the_walk(
    client, walk, karlskoga_kommun, other_municipality_user
):
    Invitation.objects.create(walk=walk, organisation=karlskoga_kommun, reason="added")
    response = client.get("/api/v1/walks", **bearer(other_municipality_user))
    assert [w["id"] for w in response.json()["items"]] == [walk.pk]


def test_the_filters_narrow_the_list_and_bad_ones_are_named(client, walk, kommunen, coordinator):
    make_walk(kommunen, title="Planerad")
    headers = bearer(coordinator)

    planned = client.get("/api/v1/walks", {"status": "planned"}, **headers).json()
    assert [w["title"] for w in planned["items"]] == ["Planerad"]
    both = client.get("/api/v1/walks", {"status": "planned,walked"}, **headers).json()
    assert both["count"] == 2
    assert client.get("/api/v1/walks", {"municipality": "1883"}, **headers).json()["count"] == 0

    response = client.get("/api/v1/walks", {"status": "gone", "municipality": "0000"}, **headers)
    assert response.status_code == 422
    fields = {error["field"] for error in response.json()["detail"]}
    assert fields == {"status", "municipality"}


def test_a_walk_shows_its_facts_stops_route_participants_and_checklist(client, walk, coordinator):
    response = client.get(f"/api/v1/walks/{walk.pk}", **bearer(coordinator))

    body = response.json()
    assert [s["name"] for s in body["stops"]] == ["Stora torget", "Järnvägsgatan"]
    assert body["route"]["type"] == "LineString"
    assert body["participants"]["residents"] == 8 and body["participants"]["women"] == 6
    assert body["participants"]["men"] is None
    assert body["checklist"]["scale_max"] == 3
    assert [i["code"] for i in body["checklist"]["items"]][:2] == ["lighting", "openness"]


def test_findings_carry_scores_photos_and_answers(client, walk, coordinator, bostadsbolaget):
    finding = capture(
        walk,
        coordinator,
        note="Ring 070-123 45 67",
        scores={item(walk, "lighting"): 1, item(walk, "openness"): 2},
        photos=[jpeg()],
    )
    finding.responsible = bostadsbolaget
    finding.save()
    measure = measure_for(finding, bostadsbolaget)
    answer(finding, bostadsbolaget, text="Vi byter lampan", measure=measure)

    response = client.get(f"/api/v1/walks/{walk.pk}/findings", **bearer(coordinator))

    assert response.status_code == 200
    (got,) = response.json()["items"]
    assert got["number"] == 1 and got["client_id"] == str(finding.client_id)
    assert got["category"] == "otrygg_plats.belysning" and "070" not in got["note"]
    assert got["scores"] == [{"item": "lighting", "score": 1}, {"item": "openness", "score": 2}]
    assert got["stop"]["name"] == "Stora torget"
    assert got["responsible"]["code"] == "kbab"
    (photo,) = got["photos"]
    assert photo["review"] == "pending" and photo["url"].startswith("http://testserver/")
    (given,) = got["answers"]
    assert given["kind"] == "will_act" and given["measure"]["id"] == measure.pk
    # Never who captured it.
    assert "captured_by" not in got and coordinator.get_username() not in response.content.decode()


def test_a_finding_whose_event_the_caller_may_not_see_is_left_out(
    client, walk, coordinator, police_officer
):
    shown = capture(walk, coordinator)
    hidden = capture(walk, coordinator)
    Event.objects.filter(pk=hidden.event_id).update(visibility=Visibility.ORGANISATION)

    findings = client.get(f"/api/v1/walks/{walk.pk}/findings", **bearer(police_officer)).json()
    assert [f["id"] for f in findings["items"]] == [shown.pk]
    mine = client.get(f"/api/v1/walks/{walk.pk}/findings", **bearer(coordinator)).json()
    assert mine["count"] == 2


def test_the_answers_are_listed_in_the_order_of_the_findings(
    client, walk, coordinator, bostadsbolaget, polisen
):
    first, second = capture(walk, coordinator), capture(walk, coordinator)
    answer(second, polisen, "not_ours", text="Gäller gatubelysningen")
    answer(first, bostadsbolaget, "planned", text="Ingår i vårens upprustning")

    body = client.get(f"/api/v1/walks/{walk.pk}/answers", **bearer(coordinator)).json()

    assert [(a["number"], a["kind"]) for a in body["items"]] == [(1, "planned"), (2, "not_ours")]
    assert body["items"][1]["organisation"]["code"] == "polisen-karlstad"


def test_without_a_token_the_api_answers_401(client, walk):
    response = client.get(f"/api/v1/walks/{walk.pk}/findings")
    assert response.status_code == 401 and "detail" in response.json()


def test_the_endpoints_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/walks",
        "/api/v1/walks/{walk_id}",
        "/api/v1/walks/{walk_id}/findings",
        "/api/v1/walks/{walk_id}/answers",
        "/api/v1/walks/{walk_id}/findings.geojson",
        "/api/v1/walks/{walk_id}/findings.csv",
    ):
        expected = {"401", "422"} if path.endswith("/walks") else {"401", "404", "422"}
        assert expected <= set(paths[path]["get"]["responses"]), path
    geojson = paths["/api/v1/walks/{walk_id}/findings.geojson"]["get"]["responses"]["200"]
    assert "application/geo+json" in geojson["content"]
