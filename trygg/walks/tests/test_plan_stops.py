"""The route and its stops: inside the municipality, numbered in the order given, re-ordered
and removed, all written or none."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from trygg.core.models import AuditEntry
from trygg.places.tests.factories import make_place
from trygg.walks.actions import plans
from trygg.walks.actions.plans import StopInput
from trygg.walks.models import WalkStop
from trygg.walks.tests.factories import capture, make_walk

pytestmark = [pytest.mark.django_db, pytest.mark.frozen]

LINE = {"type": "LineString", "coordinates": [[13.5036, 59.3793], [13.5060, 59.3800]]}
KARLSKOGA = (59.3300, 14.5200)  # lat, lon


@pytest.fixture
def walk(kommunen, centrum):
    return make_walk(kommunen)


def stops_of(walk):
    return [(stop.order, stop.name) for stop in walk.stops.all()]


def test_stops_are_stored_in_order_from_a_place_or_a_point(walk, coordinator, karlstad):
    park = make_place(karlstad, "Järnvägsparken", lat=59.3800, lon=13.5060, kind="park")
    first, second = walk.stops.all()

    plans.save_route(
        walk,
        [
            StopInput(pk=second.pk, name="Järnvägsgatan"),
            StopInput(place=park),
            StopInput(name="Trappan vid ån", lat=59.3790, lon=13.5100),
        ],
        route=LINE,
        acting_user=coordinator,
    )

    walk.refresh_from_db()
    assert stops_of(walk) == [(1, "Järnvägsgatan"), (2, "Järnvägsparken"), (3, "Trappan vid ån")]
    from_place = walk.stops.get(order=2)
    assert from_place.place == park and (from_place.lat, from_place.lon) == (59.3800, 13.5060)
    assert from_place.x == pytest.approx(park.x)
    assert walk.stops.get(order=1).pk == second.pk  # moved, not replaced
    assert not WalkStop.objects.filter(pk=first.pk).exists()
    assert walk.route == LINE
    assert AuditEntry.objects.filter(object_id=str(walk.pk), field="stops").exists()


def test_a_stop_outside_the_municipality_is_refused_and_nothing_is_written(walk, coordinator):
    before = stops_of(walk)
    with pytest.raises(ValidationError) as refused:
        plans.save_route(
            walk,
            [
                StopInput(name="Ny", lat=59.38, lon=13.51),
                StopInput(name="Fel", lat=KARLSKOGA[0], lon=KARLSKOGA[1]),
            ],
            route=LINE,
            acting_user=coordinator,
        )

    assert refused.value.message_dict["stops.2.lat"] == [
        "Positionen ligger utanför Karlstad kommun."
    ]
    walk.refresh_from_db()
    assert stops_of(walk) == before and walk.route is None
    assert not AuditEntry.objects.exists()


def test_a_route_point_outside_the_municipality_is_named(walk, coordinator):
    line = {"type": "LineString", "coordinates": [[13.5036, 59.3793], [KARLSKOGA[1], KARLSKOGA[0]]]}
    with pytest.raises(ValidationError) as refused:
        plans.save_route(walk, [], route=line, acting_user=coordinator)
    assert refused.value.message_dict["route"] == [
        "Punkt 2 på rutten: Positionen ligger utanför Karlstad kommun."
    ]
    assert walk.stops.count() == 2


def test_a_route_with_too_many_points_or_too_many_stops_is_refused(walk, coordinator):
    many = [[13.50 + i * 0.0001, 59.38] for i in range(plans.MAX_ROUTE_POINTS + 1)]
    with pytest.raises(ValidationError) as refused:
        plans.save_route(
            walk,
            [StopInput(name=f"S{i}", lat=59.38, lon=13.50) for i in range(plans.MAX_STOPS + 1)],
            route={"type": "LineString", "coordinates": many},
            acting_user=coordinator,
        )
    assert set(refused.value.message_dict) == {"route", "stops"}


def test_a_stop_with_findings_cannot_be_removed(walk, coordinator):
    capture(walk, coordinator)  # at the first stop
    second = walk.stops.get(order=2)
    with pytest.raises(ValidationError) as refused:
        plans.save_route(
            walk, [StopInput(pk=second.pk, name=second.name)], route=None, acting_user=coordinator
        )
    assert "har iakttagelser" in refused.value.message_dict["stops"][0]
    assert walk.stops.count() == 2


def test_only_the_municipalitys_coordinators_change_the_route(walk, police_officer):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        plans.save_route(walk, [], route=LINE, acting_user=police_officer)


def post_stops(client, walk, rows, route=""):
    data = {
        "stopp-TOTAL_FORMS": str(len(rows)),
        "stopp-INITIAL_FORMS": str(sum(1 for row in rows if row.get("id"))),
        "stopp-MIN_NUM_FORMS": "0",
        "stopp-MAX_NUM_FORMS": "1000",
        "route": route,
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"stopp-{index}-{key}"] = value
    return client.post(reverse("walks:stops", args=[walk.pk]), data)


def test_the_page_reorders_and_removes_stops_without_javascript(client, walk, coordinator):
    first, second = walk.stops.all()
    client.force_login(coordinator)
    assert client.get(reverse("walks:stops", args=[walk.pk])).status_code == 200

    response = post_stops(
        client,
        walk,
        [
            {"id": first.pk, "name": first.name, "lat": "59,3793", "lon": "13,5036", "ORDER": "2"},
            {
                "id": second.pk,
                "name": second.name,
                "lat": "59.3810",
                "lon": "13.5080",
                "ORDER": "1",
            },
            {"name": "Nytt stopp", "lat": "59.3800", "lon": "13.5060"},
            {"name": "", "lat": "", "lon": ""},  # an empty extra row is no stop
        ],
        route='{"type": "LineString", "coordinates": [[13.5036, 59.3793], [13.508, 59.381]]}',
    )

    assert response.status_code == 302
    assert stops_of(walk) == [(1, "Järnvägsgatan"), (2, "Stora torget"), (3, "Nytt stopp")]
    walk.refresh_from_db()
    assert len(walk.route["coordinates"]) == 2

    post_stops(
        client,
        walk,
        [
            {
                "id": s.pk,
                "name": s.name,
                "ORDER": str(s.order),
                "DELETE": "on" if s.order == 3 else "",
            }
            for s in walk.stops.all()
        ],
    )
    assert stops_of(walk) == [(1, "Järnvägsgatan"), (2, "Stora torget")]


def test_the_page_puts_the_error_on_the_stop_that_is_outside(client, walk, coordinator):
    client.force_login(coordinator)
    response = post_stops(
        client, walk, [{"name": "Karlskoga", "lat": str(KARLSKOGA[0]), "lon": str(KARLSKOGA[1])}]
    )
    assert response.status_code == 400
    row = response.context["formset"].forms[0]
    assert row.errors["lat"] == ["Positionen ligger utanför Karlstad kommun."]
    assert "Stopp 1, Latitud" in response.content.decode()
    assert walk.stops.count() == 2
