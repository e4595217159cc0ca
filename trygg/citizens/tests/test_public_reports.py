"""The public map and list of residents' reports (/oppen/rapporter/): published reports only,
positions on the grid and never the exact point, approved photos only, nothing about who
reported, squares that aggregate by zoom, filters that fall back (issue 12, point 4)."""

from __future__ import annotations

import datetime as dt
import io
import math

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from trygg.citizens.actions import moderation
from trygg.citizens.grid import on_grid
from trygg.citizens.models import CitizenReport, ReportPhoto
from trygg.citizens.public_map import square_size
from trygg.citizens.tests.factories import resident_report
from trygg.core.tests.clock import NOW
from trygg.places.geo import to_sweref, to_wgs84

pytestmark = [pytest.mark.django_db, pytest.mark.frozen]

PAGE = "/oppen/rapporter/"
GEOJSON = "/oppen/rapporter/karta.geojson"
# A position in the Centrum district with more decimals than any grid centre would have.
EXACT = (59.381234, 13.507654)


@pytest.fixture(autouse=True)
def karlstad_takes_reports(coordinator, centrum, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _jpeg(colour: str = "red") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), colour).save(buffer, "JPEG")
    return SimpleUploadedFile("a.jpg", buffer.getvalue(), content_type="image/jpeg")


def published(coordinator, **fields) -> CitizenReport:
    report, _token = resident_report(**fields)
    return moderation.publish(report, acting_user=coordinator)


def features(client, **params) -> dict:
    response = client.get(GEOJSON, {"kommun": "1780", "zoom": 17} | params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/geo+json"
    return response.json()


def test_the_page_and_the_map_show_published_reports_and_nothing_pending_hidden_or_merged(
    client, coordinator
):
    shown = published(coordinator, description="Lampan vid busshållplatsen är släckt")
    pending, _t = resident_report(description="Väntande rapport om en mörk gångväg")
    hidden, _t = resident_report(description="Dold rapport om en gångtunnel")
    moderation.hide(hidden, reason="Inte i kommunen", acting_user=coordinator)
    merged, _t = resident_report(description="Samma lampa igen, dubblett")
    moderation.mark_duplicate(merged, original=shown, acting_user=coordinator)

    html = client.get(PAGE).content.decode()

    assert "Lampan vid busshållplatsen är släckt" in html
    for text in ("Väntande rapport", "Dold rapport", "dubblett", "Inte i kommunen"):
        assert text not in html
    # The duplicate counts on the original as one more who has seen it; it is not a report.
    assert "1 till har sett samma" in html
    assert features(client)["total"] == 1


def test_the_exact_position_appears_neither_in_the_page_nor_in_the_map(client, coordinator):
    published(coordinator, lat=EXACT[0], lon=EXACT[1])

    html = client.get(PAGE).content.decode()
    data = features(client, zoom=18)
    text = client.get(GEOJSON, {"kommun": "1780", "zoom": 18}).content.decode()

    for written in ("59.381234", "13.507654", "59.38123", "13.50765", "59,38123", "13,50765"):
        assert written not in html and written not in text
    [feature] = data["features"]
    lon, lat = feature["geometry"]["coordinates"]
    # The centre of the 100 m square the report lies in: within its half-diagonal, never on it.
    assert (lat, lon) == on_grid(*EXACT)
    x, y = to_sweref(EXACT[1], EXACT[0])
    cx, cy = to_sweref(lon, lat)
    assert 0 < math.hypot(cx - x, cy - y) <= 50 * math.sqrt(2) + 0.01
    assert feature["properties"]["cell_m"] == 100


def test_nothing_about_who_reported_is_shown(client, coordinator):
    report, token = resident_report(email="boende@example.se")
    moderation.publish(report, acting_user=coordinator)

    html = client.get(PAGE).content.decode()
    text = client.get(GEOJSON, {"kommun": "1780", "zoom": 18}).content.decode()

    for secret in (token, report.tracking_hash, "boende@example.se", "example.se"):
        assert secret not in html and secret not in text
    for staff in (coordinator.username, "webbformuläret", "Open311"):
        assert staff not in html and staff not in text


def test_only_approved_photos_are_shown_and_a_pending_photo_is_404_to_the_public(
    client, coordinator
):
    report, _t = resident_report(photos=[_jpeg("red"), _jpeg("blue")])
    moderation.publish(report, acting_user=coordinator)
    approved, pending = report.photos.order_by("pk")
    moderation.review_photo(approved, approve=True, acting_user=coordinator)

    html = client.get(PAGE).content.decode()

    approved_url = reverse("citizens:photo", args=[approved.pk])
    pending_url = reverse("citizens:photo", args=[pending.pk])
    assert approved_url in html and pending_url not in html
    assert client.get(approved_url).status_code == 200
    assert client.get(pending_url).status_code == 404
    pending.refresh_from_db()
    assert pending.review == ReportPhoto.Review.PENDING


def test_the_list_says_the_status_in_the_tracking_pages_words_and_the_district(
    client, coordinator, polisen
):
    routed = published(coordinator, description="Klotter på muren", category_code="klotter")
    moderation.route(routed, organisation=polisen, acting_user=coordinator)
    fixed = published(coordinator, description="Lampan är trasig")
    moderation.close(fixed, outcome="fixed", note="Lampan är bytt", acting_user=coordinator)

    html = client.get(PAGE).content.decode()

    assert "Skickad till Polisen lokalpolisområde Karlstad 22 november 2026" in html
    assert "Åtgärdad 22 november 2026 · Avslutad: Lampan är bytt" in html
    assert "Centrum" in html  # the district, not the exact place


def test_squares_aggregate_when_zoomed_out_and_part_when_zoomed_in(client, coordinator):
    # Three reports some 300 m apart inside one square of the zoomed-out map, one two squares
    # east of them.
    size = square_size(11)
    cx, cy = to_sweref(*reversed(on_grid(59.3793, 13.5036, size)))
    for dx, dy in ((0, 0), (300, 0), (0, 300)):
        lon, lat = to_wgs84(cx + dx, cy + dy)
        published(coordinator, lat=float(lat), lon=float(lon))
    lon, lat = to_wgs84(cx + 2 * size, cy)
    published(coordinator, lat=float(lat), lon=float(lon), category_code="klotter")

    near = features(client, zoom=17)
    far = features(client, zoom=11)

    assert near["cell_m"] == square_size(17) == 100
    assert sorted(f["properties"]["count"] for f in near["features"]) == [1, 1, 1, 1]
    assert far["cell_m"] >= 1000
    assert sorted(f["properties"]["count"] for f in far["features"]) == [1, 3]
    # A square of one says what and how it stands; a square of many only how many.
    one = next(f["properties"] for f in far["features"] if f["properties"]["count"] == 1)
    many = next(f["properties"] for f in far["features"] if f["properties"]["count"] == 3)
    assert one["category"] == "Klotter" and one["open"] is True and one["status"]
    assert "category" not in many and "status" not in many


def test_the_square_is_never_finer_than_100_m_even_at_the_closest_zoom(client, coordinator):
    published(coordinator, lat=EXACT[0], lon=EXACT[1])
    assert features(client, zoom=22)["cell_m"] == 100
    assert features(client, zoom=99)["cell_m"] == 100  # clipped to the map's zooms


def test_filters_by_category_open_or_closed_and_period(client, coordinator):
    lamp = published(coordinator, description="Lampan är släckt")
    published(coordinator, description="Klotter på skolan", category_code="klotter")
    closed = published(coordinator, description="Buskarna är klippta", category_code="skymd_sikt")
    moderation.close(closed, outcome="fixed", note="Klippt", acting_user=coordinator)
    CitizenReport.objects.filter(pk=lamp.pk).update(created_at=NOW - dt.timedelta(days=100))

    def listed(**params) -> set[str]:
        html = client.get(PAGE, params).content.decode()
        texts = ("Lampan är släckt", "Klotter på skolan", "Buskarna är klippta")
        return {text for text in texts if text in html}

    assert listed() == {"Klotter på skolan", "Buskarna är klippta"}  # 90 days by default
    assert listed(period="365") == {"Lampan är släckt", "Klotter på skolan", "Buskarna är klippta"}
    assert listed(period="365", kategori="belysning") == {"Lampan är släckt"}
    assert listed(status="avslutade") == {"Buskarna är klippta"}
    assert listed(status="oppna") == {"Klotter på skolan"}
    assert features(client, status="oppna", period="365")["total"] == 2


def test_another_municipalitys_reports_stay_on_its_own_page(client, coordinator, karlskoga):
    published(coordinator, description="Lampan är släckt")

    html = client.get(PAGE, {"kommun": "1780"}).content.decode()
    assert "Lampan är släckt" in html and "Invånarnas rapporter i Karlstad" in html
    # Karlskoga takes no reports here (no coordinator): the page says so and shows Karlstad.
    fallback = client.get(PAGE, {"kommun": "1883"})
    assert fallback.status_code == 200
    assert "Kommunen 1883 visar inga rapporter här." in fallback.content.decode()
    assert fallback.context["filters"].municipality.code == "1780"


def test_bad_filter_values_fall_back_on_the_page_and_are_400_on_the_map(client, coordinator):
    published(coordinator, description="Lampan är släckt")

    response = client.get(PAGE, {"kategori": "ufo", "status": "kanske", "period": "7", "sida": "x"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Lampan är släckt" in html
    assert "Okänd kategori: alla kategorier visas." in html
    assert "Okänt val av status" in html and "Okänd period" in html
    bad = client.get(GEOJSON, {"kommun": "1780", "kategori": "ufo", "zoom": "nära"})
    assert bad.status_code == 400
    assert {error["field"] for error in bad.json()["detail"]} == {"kategori", "zoom"}


def test_the_list_pages_newest_first_by_fifty(client, coordinator):
    reports = [published(coordinator, description=f"Rapport nummer {n:02d}") for n in range(51)]
    for age, report in enumerate(reversed(reports)):
        CitizenReport.objects.filter(pk=report.pk).update(created_at=NOW - dt.timedelta(hours=age))

    first = client.get(PAGE)
    second = client.get(first.context["next_url"])

    assert len(first.context["rows"]) == 50 and len(second.context["rows"]) == 1
    assert first.context["rows"][0]["description"] == "Rapport nummer 50"
    assert second.context["rows"][0]["description"] == "Rapport nummer 00"


def test_the_report_page_and_the_public_navigation_link_to_the_public_list(client):
    html = client.get(reverse("citizens:report")).content.decode()
    assert html.count(reverse("public_reports")) >= 2  # the page's own link and the menu


def test_the_maps_outlines_are_rounded_to_about_a_metre(client, centrum):
    geojson = client.get(reverse("citizens:boundaries"), {"kommun": "1780"}).json()

    area = next(f for f in geojson["features"] if f["properties"]["name"] == "Centrum")
    ring = area["geometry"]["coordinates"][0]
    assert ring[0] == [13.49, 59.37]
    numbers = [value for feature in geojson["features"] for value in _flat(feature["geometry"])]
    assert numbers and all(round(value, 5) == value for value in numbers)


def _flat(geometry: dict) -> list[float]:
    def walk(part):
        if isinstance(part, int | float):
            return [part]
        return [value for item in part for value in walk(item)]

    return walk(geometry["coordinates"])
