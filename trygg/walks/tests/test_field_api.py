"""POST /api/v1/walks/{id}/findings: once per device id, all or nothing, Swedish 422s."""

from __future__ import annotations

import json
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from trygg.core.models import AuditEntry
from trygg.events.models import Event, Source
from trygg.organisations.tests.factories import bearer
from trygg.walks.models import Finding, FindingPhoto
from trygg.walks.tests.factories import STOP_POSITIONS, WALK_AT, jpeg, make_walk

pytestmark = [pytest.mark.django_db, pytest.mark.frozen]


@pytest.fixture
def walk(kommunen, centrum):
    return make_walk(kommunen)


def url(walk) -> str:
    return f"/api/v1/walks/{walk.pk}/findings"


def finding(**fields) -> dict:
    lat, lon, _name = STOP_POSITIONS[0]
    return {
        "client_id": str(uuid.uuid4()),
        "lat": lat,
        "lon": lon,
        "captured_at": WALK_AT.isoformat(),
        "category": "otrygg_plats.belysning",
        "note": "Två lampor trasiga vid trappan",
        "scores": [{"item": "lighting", "score": 1}],
    } | fields


def send(client, walk, data: dict, photos=(), **extra):
    body = {"finding": json.dumps(data), "photos": list(photos)}
    return client.post(url(walk), body, **extra)


def test_a_finding_with_a_photo_is_stored_once_and_a_repeat_answers_200(client, coordinator, walk):
    client.force_login(coordinator)
    data = finding(note="Ring 070-123 45 67 om lamporna")

    first = send(client, walk, data, [jpeg(exif=True)])
    again = send(client, walk, data, [jpeg(exif=True)])

    assert first.status_code == 201, first.content
    assert again.status_code == 200 and again.json() == first.json()
    assert first.json()["id"] == data["client_id"] and first.json()["number"] == 1
    stored = Finding.objects.get()
    assert stored.stop.order == 1 and stored.photos.count() == 1
    assert FindingPhoto.objects.count() == 1
    event = Event.objects.get(source=Source.WALK)
    assert "070" not in event.description and event.was_scrubbed
    assert AuditEntry.objects.filter(object_id=str(event.pk), action="create").count() == 1


def test_another_system_sends_json_with_a_bearer_token(client, coordinator, walk):
    response = client.post(
        url(walk),
        json.dumps(finding(stop=2)),
        content_type="application/json",
        **bearer(coordinator),
    )
    assert response.status_code == 201, response.content
    assert response.json()["stop"] == 2
    assert Finding.objects.get().stop.order == 2


def test_the_page_must_send_the_csrf_token_with_its_session(coordinator, walk):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(coordinator)
    refused = send(browser, walk, finding())
    assert refused.status_code == 403 and not Finding.objects.exists()

    browser.get(f"/vandringar/{walk.pk}/falt/")  # sets the CSRF cookie
    token = browser.cookies["csrftoken"].value
    accepted = send(browser, walk, finding(), HTTP_X_CSRFTOKEN=token)
    assert accepted.status_code == 201


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"lat": 59.3300, "lon": 14.5200}, "lat", "Karlstad"),
        ({"scores": [{"item": "lighting", "score": 4}]}, "scores", "från 0 till 3"),
        ({"scores": [{"item": "bänkar", "score": 1}]}, "scores", "finns inte i vandringens"),
        ({"category": "finns.inte"}, "category", ""),
        ({"stop": 9}, "stop", "inget stopp nummer 9"),
        ({"client_id": "abc"}, "client_id", "UUID"),
        ({"lat": "norr"}, "lat", "tal"),
    ],
)
def test_bad_input_is_refused_in_swedish_by_field_and_nothing_is_written(
    client, coordinator, walk, fields, field, words
):
    client.force_login(coordinator)
    response = send(client, walk, finding(**fields))

    assert response.status_code == 422, response.content
    errors = response.json()["detail"]
    assert field in {error["field"] for error in errors}
    assert words in " ".join(error["message"] for error in errors if error["field"] == field)
    assert not Finding.objects.exists() and not Event.objects.exists()


def test_a_file_that_is_no_image_or_too_big_is_refused(client, coordinator, walk, settings):
    client.force_login(coordinator)
    pdf = SimpleUploadedFile("foto-1.jpg", b"%PDF-1.4 not a photo", content_type="image/jpeg")
    not_an_image = send(client, walk, finding(), [pdf])
    settings.TRYGG_WALK_PHOTO_MAX_BYTES = 100
    too_big = send(client, walk, finding(), [jpeg()])

    assert "inte en bild" in not_an_image.json()["detail"][0]["message"]
    assert too_big.json()["detail"][0] == {
        "field": "photos",
        "message": "Foto 1 är större än 0 MB.",
    }
    assert not Finding.objects.exists()


def test_someone_who_may_not_capture_gets_403_and_nothing_is_written(client, police_officer, walk):
    client.force_login(police_officer)
    response = send(client, walk, finding())
    assert response.status_code == 403
    assert "Du kan inte registrera" in response.json()["detail"]
    assert not Event.objects.exists()


def test_a_walk_you_cannot_see_is_not_found(client, other_municipality_user, walk):
    client.force_login(other_municipality_user)
    assert send(client, walk, finding()).status_code == 404


def test_anonymous_callers_are_asked_to_log_in(client, walk):
    assert send(client, walk, finding()).status_code == 401


def test_the_openapi_document_describes_the_multipart_body(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/walks/{walk_id}/findings"]["post"]
    content = operation["requestBody"]["content"]
    assert set(content["multipart/form-data"]["schema"]["properties"]) == {"finding", "photos"}
    assert "client_id" in content["application/json"]["schema"]["properties"]
    assert {"200", "201", "403", "422"} <= set(operation["responses"])
