"""Reading residents' reports through the API: visibility as for events (a moderator sees the
pending ones too), no secret or contact field in any answer, the filters, the routing
suggestion."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from trygg.citizens.actions import moderation
from trygg.citizens.models import CitizenReport, ReportModerator, ReportPhoto
from trygg.citizens.tests.factories import resident_report
from trygg.core.tests.clock import NOW
from trygg.events.models import Category
from trygg.measures.tests.factories import make_rule
from trygg.organisations.models import Membership
from trygg.organisations.tests.factories import bearer, make_person

pytestmark = [pytest.mark.django_db, pytest.mark.frozen]

RESIDENT_EMAIL = "boende.hemlig@example.se"
# The keys an item has, and no more: nothing of the resident, the link or the channel.
ITEM_KEYS = {
    "id",
    "event",
    "municipality",
    "resident_category",
    "category",
    "position",
    "area",
    "place",
    "description",
    "moderation",
    "moderation_label",
    "hidden_reason",
    "duplicate_of",
    "me_too",
    "routed_to",
    "routed_at",
    "outcome",
    "closing_note",
    "closed_at",
    "created_at",
    "status",
    "photos",
}


@pytest.fixture(autouse=True)
def karlstad_takes_reports(coordinator, centrum, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def jpeg() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "blue").save(buffer, "JPEG")
    return SimpleUploadedFile("a.jpg", buffer.getvalue(), content_type="image/jpeg")


def listed(client, user, query: str = "") -> list[int]:
    response = client.get(f"/api/v1/citizen-reports{query}", **bearer(user))
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


def test_the_coordinator_sees_pending_reports_with_everything_staff_need(client, coordinator):
    report, token = resident_report(
        description="Lampan vid trappan är släckt, ring 070-123 45 67",
        email=RESIDENT_EMAIL,
        photos=[jpeg()],
    )

    response = client.get(f"/api/v1/citizen-reports/{report.pk}", **bearer(coordinator))

    assert response.status_code == 200
    item = response.json()
    assert set(item) == ITEM_KEYS
    assert item["event"] == report.event_id and item["municipality"] == "1780"
    assert item["resident_category"] == {
        "code": "belysning",
        "label": "Trasig eller saknad belysning",
    }
    assert item["category"] == "otrygg_plats.belysning"
    assert item["position"]["lat"] == pytest.approx(report.event.lat)
    assert item["area"]["name"] == "Centrum"
    assert item["moderation"] == "pending" and item["hidden_reason"] == ""
    assert "070-123" not in item["description"]  # scrubbed when it was stored
    assert item["status"][0]["text"].startswith("Mottagen")
    (photo,) = item["photos"]
    assert photo["review"] == "pending"
    assert photo["url"].endswith(f"/rapportera/foto/{photo['id']}/")
    body = response.content.decode()
    assert RESIDENT_EMAIL not in body and token not in body
    assert report.tracking_hash not in body


def test_no_answer_holds_the_contact_the_token_or_the_tracking_hash(client, coordinator):
    report, token = resident_report(email=RESIDENT_EMAIL, photos=[jpeg()])
    moderation.publish(report, acting_user=coordinator)
    headers = bearer(coordinator)

    answers = [
        client.get("/api/v1/citizen-reports", **headers),
        client.get(f"/api/v1/citizen-reports/{report.pk}", **headers),
        client.get(f"/api/v1/citizen-reports/{report.pk}/routing", **headers),
        client.post(
            f"/api/v1/citizen-reports/{report.pk}/hide",
            {"reason": "Fel"},
            "application/json",
            **headers,
        ),
    ]

    for answer in answers:
        assert answer.status_code == 200, answer.content
        body = answer.content.decode()
        for secret in (RESIDENT_EMAIL, "example.se", token, report.tracking_hash):
            assert secret not in body
        for key in ("email", "token", "tracking_hash", "status_contact", "channel", "key"):
            assert f'"{key}"' not in body


def test_a_partner_sees_only_published_reports_and_only_approved_photos(
    client, coordinator, police_officer
):
    pending, _ = resident_report(description="Väntar")
    published, _ = resident_report(description="Publicerad", photos=[jpeg(), jpeg()])
    hidden, _ = resident_report(description="Dold")
    moderation.publish(published, acting_user=coordinator)
    moderation.hide(hidden, reason="Kränkande", acting_user=coordinator)
    approved, _rejected = published.photos.order_by("pk")
    moderation.review_photo(approved, approve=True, acting_user=coordinator)

    assert listed(client, police_officer) == [published.pk]
    assert set(listed(client, coordinator)) == {pending.pk, published.pk, hidden.pk}
    headers = bearer(police_officer)
    for unseen in (pending, hidden):
        response = client.get(f"/api/v1/citizen-reports/{unseen.pk}", **headers)
        assert response.status_code == 404 and response.json() == {"detail": "Hittades inte."}
    item = client.get(f"/api/v1/citizen-reports/{published.pk}", **headers).json()
    assert [p["id"] for p in item["photos"]] == [approved.pk]
    assert item["hidden_reason"] is None  # moderators only


def test_the_hidden_reason_is_shown_to_moderators_only(client, coordinator, analyst):
    report, _ = resident_report()
    moderation.hide(report, reason="Kränkande innehåll", acting_user=coordinator)

    as_coordinator = client.get(f"/api/v1/citizen-reports/{report.pk}", **bearer(coordinator))
    # The analyst's organisation owns the hidden report's event: they see it, not why.
    as_analyst = client.get(f"/api/v1/citizen-reports/{report.pk}", **bearer(analyst))

    assert as_coordinator.json()["hidden_reason"] == "Kränkande innehåll"
    assert as_analyst.status_code == 200 and as_analyst.json()["hidden_reason"] is None


def test_another_municipality_sees_none_and_gets_404(client, coordinator, other_municipality_user):
    report, _ = resident_report()
    moderation.publish(report, acting_user=coordinator)

    assert listed(client, other_municipality_user) == []
    for path in ("", "/routing"):
        response = client.get(
            f"/api/v1/citizen-reports/{report.pk}{path}", **bearer(other_municipality_user)
        )
        assert response.status_code == 404


def test_a_named_moderator_sees_the_pending_reports_of_the_municipality(
    client, coordinator, karlstad, polisen
):
    report, _ = resident_report()
    desk = make_person("trygghetscenter", polisen, Membership.Role.REPORTER)
    assert listed(client, desk) == []

    ReportModerator.objects.create(municipality=karlstad, user=desk, named_by=coordinator)

    assert listed(client, desk) == [report.pk]
    item = client.get(f"/api/v1/citizen-reports/{report.pk}", **bearer(desk)).json()
    assert item["hidden_reason"] == ""  # a moderator's field


def test_the_filters(client, coordinator, polisen):
    lamp, _ = resident_report()
    graffiti, _ = resident_report(category_code="klotter")
    old, _ = resident_report()
    CitizenReport.objects.filter(pk=old.pk).update(created_at=NOW - dt.timedelta(days=40))
    moderation.publish(graffiti, acting_user=coordinator)
    moderation.route(graffiti, organisation=polisen, acting_user=coordinator)
    moderation.close(lamp, outcome="fixed", note="Lampan är bytt", acting_user=coordinator)

    assert listed(client, coordinator, "?category=klotter") == [graffiti.pk]
    assert listed(client, coordinator, "?moderation=published") == [graffiti.pk]
    assert set(listed(client, coordinator, "?moderation=pending,published")) == {
        lamp.pk,
        graffiti.pk,
        old.pk,
    }
    assert listed(client, coordinator, "?state=closed") == [lamp.pk]
    assert set(listed(client, coordinator, "?state=open")) == {graffiti.pk, old.pk}
    assert listed(client, coordinator, "?routed_to=polisen-karlstad") == [graffiti.pk]
    day = (NOW - dt.timedelta(days=40)).date().isoformat()
    assert listed(client, coordinator, f"?created_to={day}") == [old.pk]
    assert old.pk not in listed(client, coordinator, f"?created_from={NOW.date().isoformat()}")
    assert listed(client, coordinator, "?municipality=1883") == []
    # Newest first; sent at the same moment, the later one first.
    assert listed(client, coordinator, "?limit=1&offset=1") == [lamp.pk]


def test_bad_filters_are_named_in_swedish(client, coordinator):
    response = client.get(
        "/api/v1/citizen-reports?moderation=gone&category=ufo&municipality=9999&routed_to=x",
        **bearer(coordinator),
    )

    assert response.status_code == 422
    fields = {error["field"]: error["message"] for error in response.json()["detail"]}
    assert set(fields) == {"moderation", "category", "municipality", "routed_to"}
    assert fields["municipality"] == "Okänd kommunkod."
    assert fields["category"].startswith("Välj bland: belysning")
    response = client.get("/api/v1/citizen-reports?state=both", **bearer(coordinator))
    assert response.status_code == 422 and response.json()["detail"][0]["field"] == "state"


def test_the_routing_suggestion_says_why(client, coordinator, police_officer, polisen, centrum):
    report, _ = resident_report()
    moderation.publish(report, acting_user=coordinator)
    make_rule(polisen, category=Category.objects.get(code="otrygg_plats"), area=centrum)

    response = client.get(f"/api/v1/citizen-reports/{report.pk}/routing", **bearer(police_officer))

    assert response.status_code == 200
    body = response.json()
    assert body["organisation"] == {"code": "polisen-karlstad", "name": polisen.name}
    assert body["reason"] == "rule" and body["reason_label"] == "enligt en ansvarsregel"
    assert body["rule"]["id"] and body["area"]["name"] == "Centrum"


def test_without_a_token_nothing_is_answered(client):
    report, _ = resident_report()
    assert client.get("/api/v1/citizen-reports").status_code == 401
    assert client.get(f"/api/v1/citizen-reports/{report.pk}").status_code == 401


def test_the_endpoints_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/citizen-reports/{report_id}/photos/{photo_id}/review" in paths
    item = client.get("/api/v1/openapi.json").json()["components"]["schemas"]["CitizenReportOut"]
    assert set(item["properties"]) == ITEM_KEYS


def test_photos_keep_their_review_state_in_the_list(client, coordinator):
    report, _ = resident_report(photos=[jpeg()])
    photo = ReportPhoto.objects.get(report=report)
    moderation.review_photo(photo, approve=False, acting_user=coordinator)

    (item,) = client.get("/api/v1/citizen-reports", **bearer(coordinator)).json()["items"]

    assert item["photos"] == [
        {
            "id": photo.pk,
            "review": "rejected",
            "url": f"http://testserver/rapportera/foto/{photo.pk}/",
        }
    ]
