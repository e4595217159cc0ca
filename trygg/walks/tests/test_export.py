"""A walk's findings as GeoJSON and CSV: what the caller may see, Excel-ready, formulas defused."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.template.loader import render_to_string

from trygg.events.models import Event
from trygg.organisations.ownership import Visibility
from trygg.organisations.tests.factories import bearer
from trygg.walks.export import safe_text
from trygg.walks.tests.factories import answer, capture, item, jpeg, make_walk

pytestmark = [pytest.mark.django_db, pytest.mark.frozen]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    # Photos are written to disk: not into the installation's media folder.
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def walk(kommunen, centrum):
    return make_walk(kommunen)


def test_the_geojson_has_one_point_per_finding_in_longitude_latitude_order(
    client, walk, coordinator
):
    finding = capture(walk, coordinator, photos=[jpeg()])

    response = client.get(f"/api/v1/walks/{walk.pk}/findings.geojson", **bearer(coordinator))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    assert response["Content-Disposition"] == f'attachment; filename="vandring-{walk.pk}.geojson"'
    collection = json.loads(response.content)
    (feature,) = collection["features"]
    assert collection["type"] == "FeatureCollection"
    assert feature["geometry"] == {"type": "Point", "coordinates": [13.5036, 59.3793]}
    props = feature["properties"]
    assert props["number"] == 1 and props["client_id"] == str(finding.client_id)
    assert props["scores"] == {"lighting": 1}
    assert props["photos"][0].endswith(f"/vandringar/foto/{finding.photos.get().pk}/")


def test_the_csv_is_utf8_with_a_header_semicolons_and_a_column_per_item(
    client, walk, coordinator, bostadsbolaget
):
    finding = capture(
        walk, coordinator, note="Skymd sikt vid cykelstället", scores={item(walk, "visibility"): 0}
    )
    answer(finding, bostadsbolaget, "will_not", text="Buskarna är inte våra")

    response = client.get(f"/api/v1/walks/{walk.pk}/findings.csv", **bearer(coordinator))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
    header, row = rows
    assert header[:4] == ["nummer", "id från enheten", "tidpunkt", "latitud"]
    assert "lighting" in header and "feeling" in header and header[-2:] == ["svar", "åtgärder"]
    values = dict(zip(header, row, strict=True))
    assert values["latitud"] == "59,379300" and values["tidpunkt"] == "2026-11-10 19:20"
    assert values["anteckning"] == "Skymd sikt vid cykelstället"
    assert values["visibility"] == "0" and values["lighting"] == ""
    assert values["svar"] == "Karlstads Bostads AB: vi åtgärdar inte"


def test_a_note_that_looks_like_a_formula_is_defused(client, walk, coordinator):
    capture(walk, coordinator, note='=HYPERLINK("http://example.com")')

    response = client.get(f"/api/v1/walks/{walk.pk}/findings.csv", **bearer(coordinator))

    text = response.content.decode("utf-8").removeprefix("\ufeff")
    header, row = csv.reader(io.StringIO(text), delimiter=";")
    assert dict(zip(header, row, strict=True))["anteckning"].startswith("'=HYPERLINK")
    assert safe_text("-1+1") == "'-1+1" and safe_text("@SUM") == "'@SUM"
    assert safe_text("Lampa trasig") == "Lampa trasig"


def test_the_exports_leave_out_findings_the_caller_may_not_see(
    client, walk, coordinator, police_officer
):
    capture(walk, coordinator, note="Synlig för partner")
    hidden = capture(walk, coordinator, note="Bara kommunen")
    Event.objects.filter(pk=hidden.event_id).update(visibility=Visibility.ORGANISATION)
    headers = bearer(police_officer)

    geojson = client.get(f"/api/v1/walks/{walk.pk}/findings.geojson", **headers)
    csv_text = client.get(f"/api/v1/walks/{walk.pk}/findings.csv", **headers).content.decode()

    assert len(json.loads(geojson.content)["features"]) == 1
    assert "Synlig för partner" in csv_text and "Bara kommunen" not in csv_text


def test_another_municipality_gets_404_for_the_exports(client, walk, other_municipality_user):
    headers = bearer(other_municipality_user)
    for suffix in ("geojson", "csv"):
        response = client.get(f"/api/v1/walks/{walk.pk}/findings.{suffix}", **headers)
        assert response.status_code == 404 and response.json() == {"detail": "Hittades inte."}


def test_the_links_for_the_walk_page_download_both_files_in_a_session(client, walk, coordinator):
    html = render_to_string("walks/_export_links.html", {"walk": walk})
    client.force_login(coordinator)
    for suffix in ("csv", "geojson"):
        url = f"/api/v1/walks/{walk.pk}/findings.{suffix}"
        assert f'href="{url}"' in html
        assert client.get(url).status_code == 200
