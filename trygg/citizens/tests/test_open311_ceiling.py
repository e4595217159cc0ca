"""Each Open311 client application has an hourly ceiling on its POSTs: over it the answer is the
spec's error list with 429, in the format asked for, and nothing is stored; another key and the
next hour are not affected (issue 12)."""

from __future__ import annotations

from xml.etree import ElementTree as ET

import pytest

from trygg.citizens.models import CitizenReport, Open311Client
from trygg.citizens.open311.keys import create_client
from trygg.core.tests.clock import TODAY, at
from trygg.events.models import Event

pytestmark = [pytest.mark.django_db, pytest.mark.frozen(at(TODAY, 12, 40))]

ROOT = "/open311/v2"


@pytest.fixture(autouse=True)
def two_an_hour(coordinator, centrum, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.TRYGG_OPEN311_POSTS_PER_KEY_HOUR = 2


@pytest.fixture
def api_key(karlstad):
    return create_client(None, name="Felanmälan-appen", municipality=karlstad)[1]


def post(client, api_key, fmt="json", **fields):
    values = {
        "jurisdiction_id": "1780",
        "api_key": api_key,
        "service_code": "belysning",
        "lat": "59.3793",
        "long": "13.5036",
        "description": "Lampan vid trappan är släckt",
    } | fields
    return client.post(f"{ROOT}/requests.{fmt}", {k: v for k, v in values.items() if v is not None})


def test_the_post_over_the_ceiling_is_the_specs_429_in_json_and_stores_nothing(client, api_key):
    assert post(client, api_key).status_code == 200
    assert post(client, api_key).status_code == 200

    refused = post(client, api_key, description="Den tredje")

    assert refused.status_code == 429
    [problem] = refused.json()
    assert problem["code"] == 429
    assert "2 förfrågningar den här timmen" in problem["description"]
    assert "Inget har sparats." in problem["description"]
    # 12:40: the hour's bucket empties at 13:00.
    assert refused["Retry-After"] == str(20 * 60)
    assert CitizenReport.objects.count() == 2 and Event.objects.count() == 2
    assert not Event.objects.filter(description="Den tredje").exists()


def test_the_post_over_the_ceiling_answers_in_xml_when_xml_was_asked_for(client, api_key):
    post(client, api_key)
    post(client, api_key)

    refused = post(client, api_key, fmt="xml")

    assert refused.status_code == 429 and refused["Content-Type"].startswith("text/xml")
    xml = ET.fromstring(refused.content)  # noqa: S314 -- the server under test wrote it
    assert xml.tag == "errors"
    assert xml.findtext("error/code") == "429"
    assert "Inget har sparats." in xml.findtext("error/description")
    assert CitizenReport.objects.count() == 2


def test_another_key_and_the_next_hour_are_not_affected(client, api_key, karlstad, frozen_now):
    other_key = create_client(None, name="Annan app", municipality=karlstad)[1]
    post(client, api_key)
    post(client, api_key)

    assert post(client, other_key).status_code == 200
    assert post(client, api_key).status_code == 429
    frozen_now.move_to(at(TODAY, 13, 0))
    assert post(client, api_key).status_code == 200
    assert CitizenReport.objects.count() == 4


def test_a_bad_request_counts_too_so_a_client_stuck_retrying_is_stopped(client, api_key):
    assert post(client, api_key, service_code=None).status_code == 400
    assert post(client, api_key, service_code=None).status_code == 400

    assert post(client, api_key).status_code == 429
    assert not CitizenReport.objects.exists()


def test_a_wrong_key_is_refused_as_before_and_uses_no_clients_ceiling(client, api_key):
    for _ in range(3):
        assert post(client, "fel-nyckel").status_code == 403

    assert post(client, api_key).status_code == 200


def test_a_clients_own_ceiling_set_in_the_admin_takes_precedence(client, api_key, karlstad):
    Open311Client.objects.filter(name="Felanmälan-appen").update(posts_per_hour=3)
    smaller_key = create_client(None, name="Testappen", municipality=karlstad, posts_per_hour=1)[1]

    assert [post(client, api_key).status_code for _ in range(4)] == [200, 200, 200, 429]
    assert [post(client, smaller_key).status_code for _ in range(2)] == [200, 429]
    assert "1 förfrågan den här timmen" in post(client, smaller_key).json()[0]["description"]
    assert CitizenReport.objects.count() == 4
