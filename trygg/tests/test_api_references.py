"""One rule for codes and ids in API input (core/resolve.py), held to by the event API and the
measures API alike: the same field error for what names nothing, categories by code or name,
inactive categories only refused for new events, an empty code never read as none."""

from __future__ import annotations

import pytest

from trygg.events.models import Category, Event
from trygg.events.tests.factories import api_report
from trygg.measures.models import Measure
from trygg.organisations.tests.factories import bearer
from trygg.places.models import Area

UNKNOWN = {
    "category": "Okänd kategori. Se /api/v1/categories.",
    "municipality": "Okänd kommunkod.",
    "area": "Okänt område.",
    "place": "Okänd plats.",
    "responsible": "Okänd organisation.",
    "organisation": "Okänd organisation.",
}


def send(client, user, method, path, body=None, **params):
    if method == "get":
        return client.get(path, params, **bearer(user))
    call = getattr(client, method)
    return call(path, body, content_type="application/json", **bearer(user))


def a_measure(**fields) -> dict:
    return {"municipality": "1780", "title": "Belysning i tunneln"} | fields


def errors(response) -> list[dict]:
    assert response.status_code == 422, response.content
    return response.json()["detail"]


@pytest.mark.parametrize(
    "method, path, body, params, field",
    [
        ("get", "/api/v1/events", None, {"category": "ufo"}, "category"),
        ("get", "/api/v1/events", None, {"municipality": "9999"}, "municipality"),
        ("get", "/api/v1/events", None, {"area": 999999}, "area"),
        ("post", "/api/v1/events", api_report(category="ufo"), {}, "category"),
        ("post", "/api/v1/events", api_report(place=999999), {}, "place"),
        ("post", "/api/v1/events", api_report(organisation="ingen"), {}, "organisation"),
        ("get", "/api/v1/measures", None, {"category": "ufo"}, "category"),
        ("get", "/api/v1/measures", None, {"municipality": "9999"}, "municipality"),
        ("get", "/api/v1/measures", None, {"area": 999999}, "area"),
        ("get", "/api/v1/measures", None, {"responsible": "ingen"}, "responsible"),
        ("post", "/api/v1/measures", a_measure(category="ufo"), {}, "category"),
        ("post", "/api/v1/measures", a_measure(place=999999), {}, "place"),
        ("post", "/api/v1/measures", a_measure(municipality="9999"), {}, "municipality"),
        ("get", "/api/v1/responsible", None, {"municipality": "1780", "area": 999999}, "area"),
        ("get", "/api/v1/organisations", None, {"municipality": "9999"}, "municipality"),
    ],
)
def test_a_code_or_id_that_names_nothing_reads_the_same_in_every_api(
    client, coordinator, method, path, body, params, field
):
    response = send(client, coordinator, method, path, body, **params)
    assert errors(response) == [{"field": field, "message": UNKNOWN[field]}]
    assert not Event.objects.exists() and not Measure.objects.exists()


@pytest.fixture
def retired(make_event, kommunen) -> tuple[Category, Event]:
    """A category no longer used for new reports, with an event filed under it before."""
    category = Category.objects.get(code="skadegorelse.glaskross")
    event = make_event(kommunen, category=category)
    Category.objects.filter(pk=category.pk).update(is_active=False)
    return category, event


def test_an_inactive_category_still_selects_events_and_measures_but_files_no_new_event(
    client, coordinator, retired
):
    category, old_event = retired
    listed = send(client, coordinator, "get", "/api/v1/events", category=category.code)
    assert [item["id"] for item in listed.json()["items"]] == [old_event.pk]

    created = send(
        client, coordinator, "post", "/api/v1/measures", a_measure(category=category.code)
    )
    assert created.status_code == 201 and created.json()["category"] == category.code
    listed = send(client, coordinator, "get", "/api/v1/measures", category=category.code)
    assert [item["id"] for item in listed.json()["items"]] == [created.json()["id"]]

    refused = send(
        client, coordinator, "post", "/api/v1/events", api_report(category=category.code)
    )
    assert errors(refused) == [{"field": "category", "message": "Kategorin används inte längre."}]
    assert list(Event.objects.all()) == [old_event]


def test_a_category_may_be_named_by_its_swedish_name_in_both_apis(
    client, coordinator, make_event, kommunen
):
    glass = make_event(kommunen, category=Category.objects.get(code="skadegorelse.glaskross"))
    make_event(kommunen)  # klotter
    listed = send(client, coordinator, "get", "/api/v1/events", category="GLASKROSS")
    assert [item["id"] for item in listed.json()["items"]] == [glass.pk]
    created = send(
        client, coordinator, "post", "/api/v1/measures", a_measure(category="bristande BELYSNING")
    )
    assert created.status_code == 201
    assert Measure.objects.get().category.code == "otrygg_plats.belysning"


def test_an_empty_code_names_nothing_and_is_never_read_as_left_out(client, coordinator, kommunen):
    response = send(client, coordinator, "get", "/api/v1/events", municipality="")
    assert errors(response) == [{"field": "municipality", "message": "Okänd kommunkod."}]
    response = send(client, coordinator, "get", "/api/v1/measures", category="")
    assert errors(response) == [{"field": "category", "message": UNKNOWN["category"]}]
    measure = send(client, coordinator, "post", "/api/v1/measures", a_measure()).json()
    path = f"/api/v1/measures/{measure['id']}"
    response = send(client, coordinator, "patch", path, {"responsible": "", "cost": 100})
    assert errors(response) == [{"field": "responsible", "message": "Okänd organisation."}]
    assert Measure.objects.get().cost is None


def test_an_area_elsewhere_is_refused_by_routing_but_only_narrows_a_filter(
    client, coordinator, karlskoga, centrum
):
    elsewhere = Area.objects.create(
        municipality=karlskoga,
        name="Centrum",
        geometry=centrum.geometry,
        valid_from=centrum.valid_from,
    )
    params = {"municipality": "1780", "area": elsewhere.pk}
    response = send(client, coordinator, "get", "/api/v1/responsible", **params)
    assert errors(response) == [{"field": "area", "message": "Området ligger i en annan kommun."}]
    for path in ("/api/v1/events", "/api/v1/measures"):
        response = send(client, coordinator, "get", path, **params)
        assert response.status_code == 200 and response.json()["count"] == 0
