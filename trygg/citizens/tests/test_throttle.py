"""Anonymous posts are limited per client address and hour: over the limit the page answers
429 with a Swedish message and stores nothing (issue 12, point 8)."""

from __future__ import annotations

import datetime as dt

import pytest

from trygg.citizens.models import CitizenReport
from trygg.citizens.tests.factories import resident_report
from trygg.events.models import Event
from trygg.places.tests.factories import KARLSTAD_CENTRE

pytestmark = [pytest.mark.django_db, pytest.mark.frozen]

URL = "/rapportera/"
DATA = {
    "lat": str(KARLSTAD_CENTRE[0]),
    "lon": str(KARLSTAD_CENTRE[1]),
    "category": "belysning",
    "description": "Lampan är släckt",
    "step": "send",
}


@pytest.fixture(autouse=True)
def two_an_hour(coordinator, centrum, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.TRYGG_CITIZEN_REPORTS_PER_HOUR = 2


def test_the_third_report_in_an_hour_is_refused_with_429_and_nothing_stored(client):
    assert client.post(URL, DATA).status_code == 302
    assert client.post(URL, DATA).status_code == 302

    refused = client.post(URL, DATA)

    assert refused.status_code == 429
    assert "Vänta en stund och försök igen. Inget har sparats." in refused.content.decode()
    assert CitizenReport.objects.count() == 2 and Event.objects.count() == 2


def test_me_too_counts_against_the_same_limit(client):
    report, _token = resident_report()
    assert client.post(URL, DATA).status_code == 302
    assert client.post(f"/rapportera/{report.pk}/jag-ocksa/").status_code == 200

    assert client.post(f"/rapportera/{report.pk}/jag-ocksa/").status_code == 429
    assert client.post(URL, DATA).status_code == 429
    report.refresh_from_db()
    assert report.me_too == 1 and CitizenReport.objects.count() == 2


def test_another_address_and_the_next_hour_are_not_affected(client, frozen_now):
    client.post(URL, DATA)
    client.post(URL, DATA)

    assert client.post(URL, DATA, REMOTE_ADDR="192.0.2.7").status_code == 302
    frozen_now.shift(dt.timedelta(hours=1))
    assert client.post(URL, DATA).status_code == 302
    assert CitizenReport.objects.count() == 4


def test_the_check_step_and_pages_are_not_counted(client):
    for _ in range(3):
        assert client.post(URL, DATA | {"step": "check"}).status_code == 200
        assert client.get(URL).status_code == 200

    assert client.post(URL, DATA).status_code == 302
