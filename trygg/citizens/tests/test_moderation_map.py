"""The moderation page's map: the exact position for moderators, and the correction form's
fields a tap on the map fills in (the form itself works without the map)."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from trygg.citizens.tests.factories import resident_report

pytestmark = [pytest.mark.django_db, pytest.mark.frozen]


@pytest.fixture(autouse=True)
def karlstad_takes_reports(coordinator, centrum, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def map_config(html: str) -> dict:
    start = html.index('<script id="moderate-map-config" type="application/json">')
    body = html[start:].split(">", 1)[1].split("</script>", 1)[0]
    return json.loads(body)


def test_the_moderator_sees_the_exact_position_and_the_fields_a_tap_fills(client, coordinator):
    report, _token = resident_report(lat=59.381234, lon=13.507654)
    client.force_login(coordinator)

    html = client.get(reverse("citizens:moderate", args=[report.pk])).content.decode()

    config = map_config(html)
    assert (config["lat"], config["lon"]) == (59.381234, 13.507654)
    for field in (config["latField"], config["lonField"]):
        assert f'id="{field}"' in html  # the correction form's own inputs
    assert "citizens/moderate_map.js" in html


def test_a_position_chosen_on_the_map_is_saved_through_the_correction_form(client, coordinator):
    report, _token = resident_report()
    client.force_login(coordinator)

    response = client.post(
        reverse("citizens:moderate_correct", args=[report.pk]),
        {"ratta-category": "belysning", "ratta-lat": "59.380500", "ratta-lon": "13.505000"},
    )

    assert response.status_code == 302
    report.event.refresh_from_db()
    assert (report.event.lat, report.event.lon) == (59.3805, 13.505)
