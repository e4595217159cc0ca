"""The field page, its manifest, data and service worker: for participants who may capture."""

from __future__ import annotations

import json

import pytest
from django.contrib.staticfiles import finders
from shapely.geometry import shape

from trygg.core import offline
from trygg.walks import views_field
from trygg.walks.models import Invitation
from trygg.walks.tests.factories import make_walk

pytestmark = pytest.mark.django_db

ROUTE = {"type": "LineString", "coordinates": [[13.5036, 59.3793], [13.5080, 59.3810]]}


@pytest.fixture
def walk(kommunen, centrum):
    return make_walk(kommunen, area=centrum, route=ROUTE)


def field_url(walk, suffix: str = "") -> str:
    return f"/vandringar/{walk.pk}/falt/{suffix}"


def test_a_participant_gets_the_field_page_linked_to_its_manifest(client, coordinator, walk):
    client.force_login(coordinator)
    response = client.get(field_url(walk))

    assert response.status_code == 200
    page = response.content.decode()
    assert f'href="{field_url(walk, "manifest.webmanifest")}"' in page
    assert "Stora torget" in page and 'name="score-lighting"' in page
    assert "Inga iakttagelser väntar på att skickas." in page
    config = response.context["field_config"]
    assert config["urls"]["findings"] == f"/api/v1/walks/{walk.pk}/findings"
    assert config["scaleMax"] == 3
    # The page carries no cached copy of someone else's session in a shared cache.
    assert "no-cache" in response["Cache-Control"]


def test_the_manifest_starts_the_installed_app_on_the_field_page(client, coordinator, walk):
    client.force_login(coordinator)
    manifest = client.get(field_url(walk, "manifest.webmanifest"))

    assert manifest["Content-Type"] == "application/manifest+json"
    body = manifest.json()
    assert body["start_url"] == field_url(walk) and body["display"] == "standalone"
    assert {icon["sizes"] for icon in body["icons"]} >= {"192x192", "512x512"}
    for icon in body["icons"]:
        assert finders.find(icon["src"].removeprefix("/static/")), icon["src"]


def test_the_service_worker_covers_the_page_and_keeps_its_files(client, coordinator, walk):
    client.force_login(coordinator)
    response = client.get(field_url(walk, "sw.js"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == field_url(walk)
    script = response.content.decode()
    constants = json.loads(script.split("var FIELD = ")[1].split(";\n")[0])
    precache = constants["precache"]
    assert field_url(walk) in precache and field_url(walk, "data.json") in precache
    assert "/static/js_lib_leaflet/leaflet.js" in precache
    assert "/static/walks/field.js" in precache
    assert constants["cache"] == f"trygg-field-{walk.pk}-{views_field.asset_version()}"


def test_the_cache_is_named_after_the_files_so_a_deploy_replaces_it(monkeypatch, tmp_path):
    asset = tmp_path / "field.js"
    asset.write_text("var v = 1;")
    monkeypatch.setattr(offline, "found", lambda name: asset)
    offline.asset_version.cache_clear()
    try:
        before = offline.asset_version(("walks/field.js",))
        asset.write_text("var v = 2;")
        offline.asset_version.cache_clear()
        assert offline.asset_version(("walks/field.js",)) != before
    finally:
        offline.asset_version.cache_clear()


def test_the_data_holds_the_route_stops_checklist_est_categories_and_boundaries(
    client, coordinator, walk, karlstad
):
    client.force_login(coordinator)
    data = client.get(field_url(walk, "data.json")).json()

    assert data["route"] == ROUTE
    assert [(s["number"], s["name"]) for s in data["stops"]] == [
        (1, "Stora torget"),
        (2, "Järnvägsgatan"),
    ]
    assert data["template"]["scaleMax"] == 3 and len(data["template"]["items"]) == 9
    codes = {c["code"] for c in data["categories"]}
    assert "otrygg_plats.belysning" in codes and "skadegorelse.klotter" in codes
    assert not any(code.startswith("polis") for code in codes)  # the police feed's types
    kinds = {f["properties"]["kind"]: f for f in data["boundaries"]["features"]}
    assert set(kinds) == {"municipality", "area"}
    outline = shape(kinds["municipality"]["geometry"])
    original = shape(karlstad.geometry)
    assert _points(outline) < _points(original)
    assert outline.symmetric_difference(original).area < 0.01 * original.area
    assert data["csrfToken"] and data["serverTime"]


def _points(geometry) -> int:
    polygons = getattr(geometry, "geoms", [geometry])
    return sum(len(polygon.exterior.coords) for polygon in polygons)


def test_an_invited_organisations_reporter_captures_for_their_organisation(
    client, housing_reporter, walk
):
    organisation = housing_reporter.memberships.get().organisation
    Invitation.objects.create(walk=walk, organisation=organisation, reason="manager")
    client.force_login(housing_reporter)
    response = client.get(field_url(walk))
    assert response.status_code == 200
    assert response.context["organisation_name"] == organisation.name


@pytest.mark.parametrize("suffix", ["", "data.json", "manifest.webmanifest", "sw.js"])
def test_someone_who_sees_the_walk_but_may_not_capture_is_refused(
    client, police_officer, walk, suffix
):
    client.force_login(police_officer)
    response = client.get(field_url(walk, suffix))
    assert response.status_code == 403
    if suffix == "":
        assert "Du kan inte registrera iakttagelser" in response.content.decode()


def test_someone_from_another_municipality_does_not_find_the_walk(
    client, other_municipality_user, walk
):
    client.force_login(other_municipality_user)
    assert client.get(field_url(walk, "data.json")).status_code == 404


def test_without_logging_in_the_page_asks_for_a_login(client, walk):
    response = client.get(field_url(walk))
    assert response.status_code == 302 and "/konto/logga-in/" in response["Location"]
