"""The map: server-side grid aggregation, its limits, the boundaries and the nearest places."""

from __future__ import annotations

import pytest
from django.urls import reverse

from trygg.events import queries
from trygg.events.models import Event, Source, Visibility
from trygg.places.tests.factories import make_place

DATA = "/handelser/karta/data.json"
# Around Karlstad's centre: 13.45–13.55 E, 59.36–59.40 N. Kronoparken (13.57 E) lies outside.
CENTRE_BBOX = "13.45,59.36,13.55,59.40"


@pytest.fixture
def spread_events(make_event, kommunen, bostadsbolaget, polisen):
    """Events in the centre box, one outside it, and police-internal ones inside it."""
    inside = [make_event(kommunen, lat=59.37 + i * 0.002, lon=13.46 + i * 0.004) for i in range(10)]
    inside.append(make_event(bostadsbolaget, lat=59.385, lon=13.50))
    outside = make_event(kommunen, lat=59.39, lon=13.58)
    hidden = [
        make_event(
            polisen, visibility=Visibility.ORGANISATION, source=Source.POLICE, lat=59.38, lon=13.5
        )
        for _ in range(3)
    ]
    return inside, outside, hidden


def test_the_cell_counts_add_up_to_the_visible_events_in_the_view(
    client, housing_reporter, spread_events
):
    inside, _outside, _hidden = spread_events
    client.force_login(housing_reporter)

    data = client.get(DATA, {"bbox": CENTRE_BBOX, "zoom": 12}).json()

    assert data["mode"] == "cells"
    assert data["cell_m"] == 1000
    assert sum(cell["n"] for cell in data["cells"]) == data["total"] == len(inside)
    assert all(59.36 <= c["lat"] <= 59.40 and 13.45 <= c["lon"] <= 13.55 for c in data["cells"])


def test_the_aggregation_counts_only_what_the_user_may_see(
    client, housing_reporter, police_officer, spread_events
):
    inside, _outside, hidden = spread_events
    client.force_login(police_officer)
    police_total = client.get(DATA, {"bbox": CENTRE_BBOX, "zoom": 12}).json()["total"]

    client.force_login(housing_reporter)
    housing = client.get(DATA, {"bbox": CENTRE_BBOX, "zoom": 18}).json()

    assert police_total == len(inside) + len(hidden)
    assert housing["total"] == len(inside)
    assert not {p["id"] for p in housing["points"]} & {event.pk for event in hidden}


def test_a_karlskoga_user_gets_no_karlstad_partner_events_on_the_map(
    client, other_municipality_user, spread_events
):
    client.force_login(other_municipality_user)

    data = client.get(DATA, {"bbox": CENTRE_BBOX, "zoom": 12}).json()

    assert data["total"] == 0
    assert data["cells"] == []


def test_close_up_few_events_come_as_points_with_what_the_popup_shows(
    client, coordinator, make_event, kommunen
):
    event = make_event(kommunen, source=Source.DEMO)
    client.force_login(coordinator)

    data = client.get(DATA, {"bbox": CENTRE_BBOX, "zoom": 16}).json()

    assert data["mode"] == "points"
    [point] = data["points"]
    assert point["id"] == event.pk
    assert point["category"] == "Klotter"
    assert point["generated"] is True
    assert point["url"] == reverse("events:detail", args=[event.pk])


def test_the_map_never_returns_more_points_than_the_limit(
    client, coordinator, make_event, kommunen, monkeypatch
):
    monkeypatch.setattr(queries, "POINT_LIMIT", 5)
    for i in range(6):
        make_event(kommunen, lat=59.379 + i * 0.0001, lon=13.503)
    client.force_login(coordinator)

    data = client.get(DATA, {"bbox": CENTRE_BBOX, "zoom": 18}).json()

    assert data["mode"] == "cells"
    assert len(data["points"]) <= 5
    assert data["total"] == 6


def test_far_out_the_cells_are_large_and_a_huge_box_gets_larger_cells():
    assert queries.cell_size_for(10, 59.4) == 5000
    assert queries.cell_size_for(16, 59.4) == 100
    sweden = queries.sweref_box(10.5, 55.0, 24.5, 69.2)
    size = queries.cell_size_for(16, 62.0, sweden)
    assert (sweden.width / size + 1) * (sweden.height / size + 1) <= queries.MAX_CELLS


def test_the_map_data_uses_the_same_filters_as_the_list(client, coordinator, make_event, kommunen):
    make_event(kommunen, source=Source.WALK)
    make_event(kommunen, source=Source.PARTNER)
    client.force_login(coordinator)

    data = client.get(DATA, {"bbox": CENTRE_BBOX, "zoom": 12, "kalla": "walk"}).json()

    assert data["total"] == 1


@pytest.mark.parametrize("bbox", ["1,2,3", "a,b,c,d", "13.6,59.3,13.4,59.4", "nan,1,2,3"])
def test_a_bad_view_is_refused(client, coordinator, bbox):
    client.force_login(coordinator)

    response = client.get(DATA, {"bbox": bbox, "zoom": 12})

    assert response.status_code == 400


def test_a_view_outside_sweden_is_empty(client, coordinator, make_event, kommunen):
    make_event(kommunen)
    client.force_login(coordinator)

    data = client.get(DATA, {"bbox": "-5,40,0,45", "zoom": 8}).json()

    assert data["total"] == 0


def test_the_map_page_states_the_count_and_links_the_table(
    client, coordinator, make_event, kommunen
):
    make_event(kommunen)
    make_event(kommunen)
    client.force_login(coordinator)

    response = client.get("/handelser/karta/", {"kalla": "partner"})

    page = response.content.decode()
    assert "2 händelser" in page
    assert 'href="/handelser/?kalla=partner"' in page
    assert "js_lib_leaflet/leaflet.js" in page
    assert "unpkg" not in page and "cdn" not in page.lower()
    assert "kalla=partner" in response.context["map_config"]["dataUrl"]


def test_the_boundaries_are_the_users_districts_and_municipality(
    client, coordinator, other_municipality_user, centrum, kronoparken
):
    client.force_login(coordinator)

    features = client.get("/handelser/karta/omraden.geojson").json()["features"]

    names = {(f["properties"]["kind"], f["properties"]["name"]) for f in features}
    assert names == {("municipality", "Karlstad"), ("area", "Centrum"), ("area", "Kronoparken")}

    client.force_login(other_municipality_user)
    features = client.get("/handelser/karta/omraden.geojson").json()["features"]
    assert {f["properties"]["name"] for f in features} == {"Karlskoga"}


def test_the_nearest_places_come_sorted_by_distance_within_500_metres(
    client, housing_reporter, karlstad, karlskoga
):
    # Along a line of latitude from Stora torget: 0.001 degree of longitude is about 57 m.
    make_place(karlstad, "Tredje", lat=59.3793, lon=13.5036 + 0.004)
    make_place(karlstad, "Först", lat=59.3793, lon=13.5036 + 0.001)
    make_place(karlstad, "Andra", lat=59.3793, lon=13.5036 - 0.002)
    make_place(karlstad, "För långt bort", lat=59.3793, lon=13.5036 + 0.010)
    make_place(karlskoga, "Annan kommun", lat=59.3794, lon=13.5036)  # not the user's municipality
    client.force_login(housing_reporter)

    places = client.get("/handelser/platser-nara.json", {"lat": 59.3793, "lon": 13.5036}).json()[
        "places"
    ]

    assert [p["name"] for p in places] == ["Först", "Andra", "Tredje"]
    distances = [p["distance_m"] for p in places]
    assert distances == sorted(distances)
    assert 50 < distances[0] < 65
    assert all(d <= 500 for d in distances)


def test_at_most_five_places_are_offered(client, housing_reporter, karlstad):
    for i in range(8):
        make_place(karlstad, f"Plats {i}", lat=59.3793 + i * 0.0002, lon=13.5036)
    client.force_login(housing_reporter)

    places = client.get("/handelser/platser-nara.json", {"lat": "59,3793", "lon": "13,5036"})

    assert [p["name"] for p in places.json()["places"]] == [f"Plats {i}" for i in range(5)]


def test_the_nearest_places_need_numbers(client, housing_reporter):
    client.force_login(housing_reporter)

    assert client.get("/handelser/platser-nara.json", {"lat": "x", "lon": "1"}).status_code == 400


def test_points_are_built_in_two_queries_not_one_per_event(
    coordinator, make_event, kommunen, django_assert_num_queries
):
    for _ in range(5):
        make_event(kommunen)
    events = Event.objects.visible_to(coordinator)
    with django_assert_num_queries(2):  # the keys, then the rows with their names
        data = queries.map_data(events, zoom=17, bbox=(13.45, 59.36, 13.55, 59.40))
    assert len(data["points"]) == 5
