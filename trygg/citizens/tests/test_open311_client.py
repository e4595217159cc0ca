"""Checked with an Open311 client from PyPI (`georeport`, in the test extras): what it reads from
Trygg in JSON and XML. It has no POST, so posting is checked against the spec's examples in
test_open311.py. Its HTTP calls go to Django's test client, never to a network."""

from __future__ import annotations

import io
from types import SimpleNamespace

import georeport
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from trygg.citizens.models import CitizenReport, ReportPhoto
from trygg.citizens.tests.factories import published_report

pytestmark = [pytest.mark.django_db, pytest.mark.frozen]


@pytest.fixture(autouse=True)
def karlstad_takes_reports(coordinator, centrum, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


class _Answer:
    def __init__(self, response):
        self.status_code, self.content = response.status_code, response.content

    def json(self):
        import json

        return json.loads(self.content)

    def raise_for_status(self):
        if self.status_code >= 400:
            raise RuntimeError(f"{self.status_code}: {self.content!r}")


@pytest.fixture
def trygg_client(monkeypatch):
    """georeport's GeoReport, its `requests.get` answered by Django's test client."""
    django_client = Client()

    def get(url, params=None):
        return _Answer(django_client.get(url.removeprefix("http://testserver"), params or {}))

    monkeypatch.setattr(georeport.georeport, "requests", SimpleNamespace(get=get))

    def make(output_format="json"):
        return georeport.GeoReport(
            "http://testserver/open311/v2/", jurisdiction="1780", output_format=output_format
        )

    return make


def jpeg() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (90, 120, 200)).save(buffer, format="JPEG")
    return SimpleUploadedFile("a.jpg", buffer.getvalue(), content_type="image/jpeg")


@pytest.mark.parametrize("output_format", ["json", "xml"])
def test_the_client_reads_services_and_definitions(trygg_client, output_format):
    client = trygg_client(output_format)
    services = client.get_service_list()
    assert [s["service_code"] for s in services][:2] == ["belysning", "klotter"]
    assert str(services[0]["metadata"]).lower() == "false"
    assert client.get_service_definition("klotter")["service_code"] == "klotter"


@pytest.mark.parametrize("output_format", ["json", "xml"])
def test_the_client_reads_published_requests_and_one_by_id(trygg_client, output_format):
    report = published_report(photos=[jpeg()])
    client = trygg_client(output_format)

    requests = client.get_service_requests(status="open")
    # xmltodict (the client's XML reader) gives a lone element as a dict, not a list of one.
    [listed] = [requests] if isinstance(requests, dict) else requests
    assert listed["service_request_id"] == str(report.pk)
    assert listed["requested_datetime"].endswith("Z")
    # The photo is not approved yet: no media_url.
    assert not listed["media_url"]
    one = client.get_service_request(str(report.pk))
    assert one["service_code"] == "belysning" and one["status"] == "open"


def test_an_approved_photo_of_a_published_report_is_the_media_url_and_is_served(client):
    report = published_report(photos=[jpeg()])
    photo = report.photos.get()
    query = {"jurisdiction_id": "1780"}
    assert client.get("/open311/v2/requests.json", query).json()[0]["media_url"] is None
    assert client.get(f"/open311/v2/media/{photo.pk}.jpg").status_code == 404

    ReportPhoto.objects.filter(pk=photo.pk).update(review=ReportPhoto.Review.APPROVED)
    media_url = client.get("/open311/v2/requests.json", query).json()[0]["media_url"]
    assert media_url == f"http://testserver/open311/v2/media/{photo.pk}.jpg"
    served = client.get(media_url.removeprefix("http://testserver"))
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"

    # Hidden again: neither the link nor the photo.
    CitizenReport.objects.filter(pk=report.pk).update(moderation="hidden")
    assert client.get(f"/open311/v2/media/{photo.pk}.jpg").status_code == 404
    assert client.get("/open311/v2/requests.json", query).json() == []


def test_the_requests_and_the_photo_read_the_reports_events_in_their_municipality(client):
    """On Citus a join of the reports with their events (or the photos with their reports) on
    the id alone is refused: every statement names the municipality of each sharded table."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from trygg.organisations.tests.one_shard import joins_without_municipality

    report = published_report(photos=[jpeg()])
    photo = report.photos.get()
    ReportPhoto.objects.filter(pk=photo.pk).update(review=ReportPhoto.Review.APPROVED)
    query = {"jurisdiction_id": "1780"}
    with CaptureQueriesContext(connection) as queries:
        listed = client.get("/open311/v2/requests.json", query).json()
        one = client.get(f"/open311/v2/requests/{report.pk}.json", query).json()
        served = client.get(f"/open311/v2/media/{photo.pk}.jpg")
    assert (
        [r["service_request_id"] for r in listed]
        == [str(report.pk)]
        == [r["service_request_id"] for r in one]
    )
    assert served.status_code == 200
    statements = [q["sql"] for q in queries.captured_queries]
    assert any(
        "citizens_reportphoto" in sql and "citizens_citizenreport" in sql for sql in statements
    )
    assert joins_without_municipality(statements) == []
