"""Open311 GeoReport v2: client apps report into the moderation queue with their key and read
only published reports, in JSON and XML, with the spec's errors (issue 12, point 5)."""

from __future__ import annotations

import datetime as dt
from xml.etree import ElementTree as ET

import pytest
from django.test import Client

from trygg.citizens.models import Channel, CitizenReport, Moderation, StatusContact
from trygg.citizens.open311.keys import client_for, create_client, replace_key
from trygg.citizens.tests.factories import published_report, resident_report
from trygg.core.models import AuditEntry
from trygg.events.models import Event

pytestmark = [pytest.mark.django_db, pytest.mark.frozen]

ROOT = "/open311/v2"


def parsed(content: bytes) -> ET.Element:
    """Our own answer, read back: parsing fails the test if the XML is not well-formed."""
    return ET.fromstring(content)  # noqa: S314 -- the server under test wrote it


@pytest.fixture(autouse=True)
def karlstad_takes_reports(coordinator, centrum, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def api_key(karlstad):
    _client, raw = create_client(None, name="Felanmälan-appen", municipality=karlstad)
    return raw


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


def test_discovery_names_the_specification_and_both_formats(client):
    answer = client.get(f"{ROOT}/discovery.json").json()
    endpoint = answer["endpoints"][0]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "http://testserver/open311/v2"
    assert endpoint["formats"] == ["text/xml", "application/json"]
    assert answer["changeset"].endswith("Z")

    xml = parsed(client.get(f"{ROOT}/discovery.xml").content)
    assert xml.tag == "discovery"
    assert [f.text for f in xml.iter("format")] == ["text/xml", "application/json"]


def test_the_services_are_the_resident_categories_in_swedish_without_metadata(client):
    services = client.get(f"{ROOT}/services.json", {"jurisdiction_id": "1780"}).json()
    lamp = next(s for s in services if s["service_code"] == "belysning")
    assert lamp["service_name"] == "Trasig eller saknad belysning"
    assert lamp["description"] == "En lampa är släckt, en gångväg är mörk."
    assert lamp["metadata"] is False and lamp["type"] == "realtime"
    assert lamp["group"] and isinstance(lamp["keywords"], str)
    assert len(services) == 7

    xml = parsed(client.get(f"{ROOT}/services.xml", {"jurisdiction_id": "1780"}).content)
    assert [s.findtext("service_code") for s in xml.findall("service")][0] == "belysning"
    assert xml.find("service/metadata").text == "false"


def test_a_service_definition_has_no_attributes_and_an_unknown_service_is_404(client):
    found = client.get(f"{ROOT}/services/klotter.json", {"jurisdiction_id": "1780"})
    assert found.json() == {"service_code": "klotter", "attributes": []}
    missing = client.get(f"{ROOT}/services/ufo.xml", {"jurisdiction_id": "1780"})
    assert missing.status_code == 404
    assert parsed(missing.content).findtext("error/code") == "404"


def test_an_unknown_jurisdiction_is_the_specs_404_and_a_missing_one_400(client, api_key):
    unknown = client.get(f"{ROOT}/services.json", {"jurisdiction_id": "9999"})
    assert unknown.status_code == 404
    assert unknown.json()[0]["code"] == 404 and "9999" in unknown.json()[0]["description"]
    # Karlskoga exists but has no coordinator in Trygg: not a jurisdiction served here.
    assert client.get(f"{ROOT}/services.json", {"jurisdiction_id": "1883"}).status_code == 404
    assert client.get(f"{ROOT}/services.json").status_code == 400
    assert post(client, api_key, jurisdiction_id="9999").status_code == 404
    assert not CitizenReport.objects.exists()


def test_a_post_is_stored_once_as_a_pending_open311_report_and_personal_fields_are_dropped(
    client, api_key
):
    answer = post(
        client,
        api_key,
        email="boende@example.se",
        first_name="Anna",
        last_name="Svensson",
        phone="070-123 45 67",
        device_id="device-42",
        account_id="account-7",
        media_url="http://example.invalid/photo.jpg",
    )

    assert answer.status_code == 200
    [receipt] = answer.json()
    report = CitizenReport.objects.get()
    assert receipt == {
        "service_request_id": str(report.pk),
        "service_notice": receipt["service_notice"],
        "account_id": None,
    }
    assert report.channel == Channel.OPEN311 and report.moderation == Moderation.PENDING
    assert Event.objects.count() == 1 and not report.photos.exists()
    # The address is kept apart for status mails; nothing else of the person is anywhere.
    assert StatusContact.objects.get(report=report).email == "boende@example.se"
    stored = report.event.description + str(list(AuditEntry.objects.values_list("new", flat=True)))
    for personal in ("Anna", "Svensson", "070", "device-42", "account-7", "example.invalid"):
        assert personal not in stored


def test_a_post_in_xml_answers_in_xml(client, api_key):
    answer = post(client, api_key, fmt="xml")
    xml = parsed(answer.content)
    assert xml.tag == "service_requests"
    assert xml.findtext("request/service_request_id") == str(CitizenReport.objects.get().pk)


def test_a_wrong_or_absent_key_is_403_and_a_key_for_another_municipality_too(
    client, api_key, karlskoga
):
    _other, karlskoga_key = create_client(None, name="Annan app", municipality=karlskoga)
    for key in ("fel-nyckel", None, karlskoga_key):
        refused = post(client, key)
        assert refused.status_code == 403 and refused.json()[0]["code"] == 403
    assert not CitizenReport.objects.exists()


def test_a_replaced_key_stops_working_and_only_its_hash_is_stored(karlstad, api_key):
    found = client_for(api_key, karlstad)
    assert found is not None and api_key not in found.key_hash
    assert found.key_prefix == api_key[:8]
    new_key = replace_key(None, found)
    assert client_for(api_key, karlstad) is None and client_for(new_key, karlstad) == found


def test_bad_posts_are_400_with_a_swedish_description_and_nothing_is_stored(client, api_key):
    def refused(**fields):
        answer = post(client, api_key, **fields)
        assert answer.status_code == 400
        return answer.json()[0]["description"]

    assert "service_code" in refused(service_code=None)
    assert "adresser stöds inte" in refused(lat=None, long=None, address_string="Drottninggatan 1")
    assert "Karlstad" in refused(lat="59.33", long="14.52")  # Karlskoga: another municipality
    assert "tal" in refused(lat="norr")
    assert not CitizenReport.objects.exists() and not Event.objects.exists()


def test_only_published_reports_are_listed_with_codes_as_strings_and_utc_datetimes(client):
    shown = published_report(description="Ring 070-123 45 67, lampan är trasig")
    resident_report(category_code="klotter")  # pending: never public

    listed = client.get(f"{ROOT}/requests.json", {"jurisdiction_id": "1780"}).json()
    assert [r["service_request_id"] for r in listed] == [str(shown.pk)]
    [item] = listed
    assert item["service_code"] == "belysning" and item["status"] == "open"
    assert item["requested_datetime"].endswith("Z") and item["updated_datetime"].endswith("Z")
    assert "070" not in item["description"] and item["media_url"] is None
    # On the public map's 100 m grid: near the report, not on it.
    assert (
        abs(item["lat"] - shown.event.lat) < 0.001 and abs(item["long"] - shown.event.lon) < 0.002
    )
    assert (item["lat"], item["long"]) != (shown.event.lat, shown.event.lon)

    pending = CitizenReport.objects.exclude(pk=shown.pk).get()
    one = client.get(f"{ROOT}/requests/{pending.pk}.json", {"jurisdiction_id": "1780"})
    assert one.status_code == 404
    mine = client.get(f"{ROOT}/requests/{shown.pk}.xml", {"jurisdiction_id": "1780"})
    assert parsed(mine.content).findtext("request/service_code") == "belysning"


def test_filters_by_id_code_status_and_dates_default_to_90_days_and_pages(client, frozen_now):
    lamp, graffiti, old = (
        published_report(),
        published_report(category_code="klotter"),
        published_report(category_code="nedskrapning"),
    )
    now = old.created_at
    CitizenReport.objects.filter(pk=old.pk).update(created_at=now - dt.timedelta(days=120))
    CitizenReport.objects.filter(pk=graffiti.pk).update(closed_at=now, closing_note="Sanerat")

    def ids(**params):
        answer = client.get(f"{ROOT}/requests.json", {"jurisdiction_id": "1780"} | params)
        assert answer.status_code == 200, answer.content
        return {int(r["service_request_id"]) for r in answer.json()}

    assert ids() == {lamp.pk, graffiti.pk}  # the last 90 days
    assert ids(service_request_id=f"{old.pk},{lamp.pk}") == {old.pk, lamp.pk}
    assert ids(service_code="klotter,belysning", status="closed") == {graffiti.pk}
    assert ids(status="open") == {lamp.pk}
    start = (now - dt.timedelta(days=130)).strftime("%Y-%m-%dT%H:%M:%SZ")
    end = (now - dt.timedelta(days=100)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert ids(start_date=start, end_date=end) == {old.pk}
    assert ids(page_size="1") | ids(page_size="1", page="2") == {lamp.pk, graffiti.pk}
    assert ids(page_size="1", page="3") == set()

    for bad in ({"status": "done"}, {"page_size": "1001"}, {"start_date": "igår"}):
        answer = client.get(f"{ROOT}/requests.json", {"jurisdiction_id": "1780"} | bad)
        assert answer.status_code == 400 and answer.json()[0]["code"] == 400


def test_tokens_are_not_used_and_say_so(client):
    answer = client.get(f"{ROOT}/tokens/abc.json", {"jurisdiction_id": "1780"})
    assert answer.status_code == 404 and "id" in answer.json()[0]["description"]


def test_a_post_needs_no_csrf_token_and_no_session_only_the_key(api_key):
    browserless = Client(enforce_csrf_checks=True)
    assert post(browserless, api_key).status_code == 200
    assert CitizenReport.objects.get().channel == Channel.OPEN311


def test_a_closed_routed_report_shows_its_agency_and_the_note_to_the_resident(client, polisen):
    report = published_report()
    CitizenReport.objects.filter(pk=report.pk).update(
        routed_to=polisen, closed_at=report.created_at, closing_note="Kontakta Trafikverket"
    )

    [item] = client.get(f"{ROOT}/requests.json", {"jurisdiction_id": "1780"}).json()
    assert item["status"] == "closed" and item["status_notes"] == "Kontakta Trafikverket"
    assert item["agency_responsible"] == polisen.name
