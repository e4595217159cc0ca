"""Before sending: the open reports of the same kind within 50 m are shown, with the resident's
own words only once published, and "Jag har också sett det här" counts instead of a new row
(issue 12, point 2)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from trygg.citizens.models import CitizenReport, Moderation
from trygg.citizens.tests.factories import resident_report
from trygg.events.models import Event
from trygg.places.tests.factories import KARLSTAD_CENTRE

pytestmark = [pytest.mark.django_db, pytest.mark.frozen]

NEARBY_URL = "/rapportera/i-narheten.json"
# About 20 m north of the first report.
NEAR = {"lat": str(KARLSTAD_CENTRE[0] + 0.0002), "lon": str(KARLSTAD_CENTRE[1])}


@pytest.fixture(autouse=True)
def karlstad_takes_reports(coordinator, centrum, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def lamp(frozen_now):
    """A lamp reported two days before now, still waiting for a moderator."""
    frozen_now.shift(dt.timedelta(days=-2))
    report, _token = resident_report(description="Lampan vid trappan, ring Anna")
    frozen_now.shift(dt.timedelta(days=2))
    return report


def test_the_json_lists_the_same_kind_nearby_without_unpublished_text(client, lamp):
    found = client.get(NEARBY_URL, {"category": "belysning"} | NEAR).json()["reports"]

    assert [row["id"] for row in found] == [lamp.pk]
    assert found[0]["category"] == "Trasig eller saknad belysning"
    assert found[0]["ago"] == "för 2\xa0dagar sedan"
    assert found[0]["status"] == "väntar på granskning" and found[0]["text"] == ""
    assert client.get(NEARBY_URL, {"category": "klotter"} | NEAR).json() == {"reports": []}


def test_a_published_report_shows_its_scrubbed_text(client, lamp):
    CitizenReport.objects.filter(pk=lamp.pk).update(moderation=Moderation.PUBLISHED)

    found = client.get(NEARBY_URL, {"category": "belysning"} | NEAR).json()["reports"]

    assert found[0]["text"] == lamp.event.description and found[0]["status"] == "publicerad"


def test_the_json_refuses_a_missing_position_or_kind(client):
    assert client.get(NEARBY_URL, {"category": "belysning"}).status_code == 400
    assert client.get(NEARBY_URL, {"category": "ufo"} | NEAR).status_code == 400


def test_without_javascript_the_check_step_lists_them_and_stores_nothing(client, lamp):
    page = client.post(
        "/rapportera/",
        {"category": "belysning", "description": "Släckt", "step": "check"} | NEAR,
    )

    assert page.status_code == 200
    html = page.content.decode()
    assert "Redan rapporterat i närheten" in html and "för 2\xa0dagar sedan" in html
    assert f'formaction="/rapportera/{lamp.pk}/jag-ocksa/"' in html
    assert "ring Anna" not in html
    assert CitizenReport.objects.count() == 1 and Event.objects.count() == 1


def test_me_too_counts_on_the_open_report_and_adds_no_row(client, lamp):
    page = client.post(f"/rapportera/{lamp.pk}/jag-ocksa/")

    assert page.status_code == 200 and "Ingen ny rapport har skickats." in page.content.decode()
    assert CitizenReport.objects.get().me_too == 1 and Event.objects.count() == 1


def test_me_too_needs_the_csrf_token_and_an_open_report(lamp):
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(f"/rapportera/{lamp.pk}/jag-ocksa/").status_code == 403

    CitizenReport.objects.filter(pk=lamp.pk).update(moderation=Moderation.HIDDEN)
    assert Client().post(f"/rapportera/{lamp.pk}/jag-ocksa/").status_code == 404
    assert Client().get(f"/rapportera/{lamp.pk}/jag-ocksa/").status_code == 405
    assert CitizenReport.objects.get().me_too == 0
