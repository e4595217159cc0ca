"""Who sees what through the API: the personas against list and detail, and no one anonymous."""

import pytest

from trygg.events.models import Visibility
from trygg.organisations.tests.factories import bearer


@pytest.fixture
def events(make_event, kommunen, polisen, bostadsbolaget, karlskoga_kommun):
    return {
        "public": make_event(kommunen, Visibility.PUBLIC),
        "karlstad_partners": make_event(kommunen, Visibility.PARTNERS),
        "kbab_own": make_event(bostadsbolaget, Visibility.ORGANISATION),
        "police_internal": make_event(polisen, Visibility.ORGANISATION, source="police"),
        "karlskoga_partners": make_event(
            karlskoga_kommun, Visibility.PARTNERS, lat=59.327, lon=14.524
        ),
    }


def listed(client, user, **params) -> set[int]:
    response = client.get("/api/v1/events", params, **bearer(user))
    assert response.status_code == 200
    return {item["id"] for item in response.json()["items"]}


def detail_status(client, user, event) -> int:
    return client.get(f"/api/v1/events/{event.pk}", **bearer(user)).status_code


def test_the_housing_company_cannot_see_police_internal_events_in_list_or_detail(
    client, housing_reporter, events
):
    internal = events["police_internal"]
    assert internal.pk not in listed(client, housing_reporter)
    assert internal.pk not in listed(client, housing_reporter, source="police")
    response = client.get(f"/api/v1/events/{internal.pk}", **bearer(housing_reporter))
    assert response.status_code == 404
    assert response.json() == {"detail": "Hittades inte."}


def test_the_police_see_their_own_internal_events(client, police_officer, events):
    assert events["police_internal"].pk in listed(client, police_officer)
    assert detail_status(client, police_officer, events["police_internal"]) == 200


def test_someone_from_another_municipality_sees_public_events_but_not_karlstads_partner_events(
    client, other_municipality_user, events
):
    seen = listed(client, other_municipality_user)
    assert events["public"].pk in seen
    assert events["karlstad_partners"].pk not in seen
    assert detail_status(client, other_municipality_user, events["karlstad_partners"]) == 404
    assert detail_status(client, other_municipality_user, events["public"]) == 200
    assert seen == {events["public"].pk, events["karlskoga_partners"].pk}


def test_a_reporter_sees_their_own_organisations_events(client, housing_reporter, events):
    seen = listed(client, housing_reporter)
    assert seen == {
        events["public"].pk,
        events["karlstad_partners"].pk,
        events["kbab_own"].pk,
    }
    assert detail_status(client, housing_reporter, events["kbab_own"]) == 200


def test_the_coordinator_sees_partner_events_but_not_other_organisations_own_ones(
    client, coordinator, events
):
    seen = listed(client, coordinator)
    assert events["karlstad_partners"].pk in seen
    assert not seen & {events["kbab_own"].pk, events["police_internal"].pk}


def test_a_filter_does_not_widen_what_one_sees(client, housing_reporter, events):
    seen = listed(client, housing_reporter, external_id=events["police_internal"].external_id)
    assert seen == set()


def test_a_logged_in_session_sees_the_same_as_a_token(client, housing_reporter, events):
    client.force_login(housing_reporter)
    response = client.get("/api/v1/events")
    assert {item["id"] for item in response.json()["items"]} == listed(client, housing_reporter)


@pytest.mark.parametrize(
    "method, path",
    [
        ("get", "/api/v1/events"),
        ("get", "/api/v1/events/1"),
        ("post", "/api/v1/events"),
        ("get", "/api/v1/categories"),
        ("get", "/api/v1/organisations"),
    ],
)
def test_without_a_login_or_token_every_endpoint_answers_401_in_json(client, events, method, path):
    response = getattr(client, method)(path, content_type="application/json")
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert "Bearer" in response.json()["detail"]
    assert response["WWW-Authenticate"].startswith("Bearer")
