"""Moderating residents' reports through the API: the same actions as the pages (the same
audit rows), 403 for those who may see but not moderate, 404 for those who may not see, 422
with the field and a Swedish message, and nothing written on bad input."""

from __future__ import annotations

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from trygg.citizens.actions import moderation
from trygg.citizens.models import CitizenReport, Moderation, ReportPhoto, StatusNotice
from trygg.citizens.tests.factories import resident_report
from trygg.core.models import AuditEntry
from trygg.events.models import Status, Visibility
from trygg.organisations.tests.factories import bearer

pytestmark = [pytest.mark.django_db, pytest.mark.frozen]

# What moderation writes to the audit trail (tokens made for the test client are left out).
MODERATED_TYPES = ("citizens.citizenreport", "events.event", "citizens.reportphoto")


@pytest.fixture(autouse=True)
def karlstad_takes_reports(coordinator, centrum, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def jpeg() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "green").save(buffer, "JPEG")
    return SimpleUploadedFile("a.jpg", buffer.getvalue(), content_type="image/jpeg")


def post(client, user, report, action: str, body: dict | None = None, raw: str | None = None):
    return client.post(
        f"/api/v1/citizen-reports/{report.pk}/{action}",
        raw if raw is not None else json.dumps(body or {}),
        "application/json",
        **bearer(user),
    )


def audit_rows(report: CitizenReport) -> list[tuple]:
    """The audit rows about `report`, its event and its photos, without their ids (the clock
    is frozen: the times written are the same for two reports)."""
    photo_ids = [str(pk) for pk in report.photos.values_list("pk", flat=True)]
    rows = AuditEntry.objects.filter(object_type__in=MODERATED_TYPES).filter(
        object_id__in=[str(report.pk), str(report.event_id), *photo_ids]
    )
    kept = []
    for row in rows.order_by("pk"):
        mine = (
            (row.object_type == "citizens.citizenreport" and row.object_id == str(report.pk))
            or (row.object_type == "events.event" and row.object_id == str(report.event_id))
            or (row.object_type == "citizens.reportphoto" and row.object_id in photo_ids)
        )
        if mine:
            kept.append((row.action, row.object_type, row.field, row.old, row.new))
    return kept


def errors(response) -> dict[str, str]:
    return {error["field"]: error["message"] for error in response.json()["detail"]}


def unchanged(report: CitizenReport) -> bool:
    before = (report.moderation, report.routed_to_id, report.closed_at, report.hidden_reason)
    report.refresh_from_db()
    after = (report.moderation, report.routed_to_id, report.closed_at, report.hidden_reason)
    return before == after


# --- each endpoint --------------------------------------------------------------------------


def test_publishing_shares_the_event_with_partners(client, coordinator):
    report, _ = resident_report()

    response = post(client, coordinator, report, "publish")

    assert response.status_code == 200 and response.json()["moderation"] == "published"
    report.refresh_from_db()
    assert report.moderation == Moderation.PUBLISHED and report.moderated_by == coordinator
    assert report.event.visibility == Visibility.PARTNERS


def test_hiding_needs_a_reason_and_queues_the_residents_mail(client, coordinator):
    report, _ = resident_report(email="boende@example.se")

    refused = post(client, coordinator, report, "hide", {"reason": "  "})
    assert refused.status_code == 422
    assert errors(refused) == {"reason": "Skriv varför rapporten döljs."}
    assert unchanged(report) and not StatusNotice.objects.exists()

    response = post(client, coordinator, report, "hide", {"reason": "Kränkande innehåll"})
    assert response.status_code == 200
    assert response.json()["hidden_reason"] == "Kränkande innehåll"
    report.refresh_from_db()
    assert report.moderation == Moderation.HIDDEN and report.event.status == Status.REJECTED
    assert StatusNotice.objects.get(report=report).kind == StatusNotice.Kind.HIDDEN


def test_a_duplicate_moves_its_count_to_the_original(client, coordinator):
    original, _ = resident_report()
    copy, _ = resident_report()

    response = post(client, coordinator, copy, "duplicate", {"original": original.pk})

    assert response.status_code == 200 and response.json()["duplicate_of"] == original.pk
    original.refresh_from_db()
    assert original.me_too == 1


def test_a_duplicate_of_an_unknown_or_closed_report_is_refused(
    client, coordinator, other_municipality_user
):
    copy, _ = resident_report()
    closed, _ = resident_report()
    moderation.close(closed, outcome="fixed", note="Klart", acting_user=coordinator)

    unknown = post(client, coordinator, copy, "duplicate", {"original": 999_999})
    assert unknown.status_code == 422 and errors(unknown) == {"original": "Okänd rapport."}
    not_open = post(client, coordinator, copy, "duplicate", {"original": closed.pk})
    assert not_open.status_code == 422
    assert errors(not_open) == {"original": "Originalet måste vara en öppen rapport."}
    assert unchanged(copy) and copy.me_too == 0


def test_correcting_category_and_position_moves_the_event(client, coordinator, kronoparken):
    report, _ = resident_report()

    response = post(
        client,
        coordinator,
        report,
        "correct",
        {"category": "klotter", "lat": 59.39, "lon": 13.575},
    )

    assert response.status_code == 200, response.content
    item = response.json()
    assert item["resident_category"]["code"] == "klotter"
    assert item["category"] == "skadegorelse.klotter"
    assert item["area"]["name"] == "Kronoparken"
    report.refresh_from_db()
    assert report.event.area == kronoparken


def test_a_correction_outside_the_municipality_or_half_a_position_is_refused(client, coordinator):
    report, _ = resident_report()
    event_before = (report.event.lat, report.event.lon, report.event.category_id)

    outside = post(
        client, coordinator, report, "correct", {"category": "ufo", "lat": 59.33, "lon": 18.07}
    )
    assert outside.status_code == 422
    assert set(errors(outside)) == {"category", "lat"}
    assert errors(outside)["category"] == "Välj vad det gäller."
    half = post(client, coordinator, report, "correct", {"lat": 59.38})
    assert half.status_code == 422 and errors(half) == {"lon": "Ange både lat och lon."}
    empty = post(client, coordinator, report, "correct", {})
    assert empty.status_code == 422 and set(errors(empty)) == {"body"}

    report.refresh_from_db()
    assert (report.event.lat, report.event.lon, report.event.category_id) == event_before
    assert report.resident_category == "belysning"


def test_routing_goes_to_an_organisation_of_the_municipality(
    client, coordinator, polisen, karlskoga_kommun
):
    report, _ = resident_report()

    elsewhere = post(client, coordinator, report, "route", {"organisation": "karlskoga-kommun"})
    assert elsewhere.status_code == 422
    assert errors(elsewhere) == {"organisation": "Organisationen hör till en annan kommun."}
    unknown = post(client, coordinator, report, "route", {"organisation": "ingen"})
    assert errors(unknown) == {"organisation": "Okänd organisation."}
    assert unchanged(report)

    response = post(client, coordinator, report, "route", {"organisation": "polisen-karlstad"})
    assert response.status_code == 200
    assert response.json()["routed_to"] == {"code": "polisen-karlstad", "name": polisen.name}
    assert any("Skickad till Polisen" in line["text"] for line in response.json()["status"])


def test_closing_needs_an_outcome_and_a_note(client, coordinator):
    report, _ = resident_report()

    refused = post(client, coordinator, report, "close", {"outcome": "done", "note": ""})
    assert refused.status_code == 422
    assert errors(refused) == {
        "outcome": "Välj hur ärendet slutade.",
        "note": "Skriv ett besked till den som rapporterade.",
    }
    missing = post(client, coordinator, report, "close", {"outcome": "fixed"})
    assert missing.status_code == 422 and errors(missing) == {"note": "Fältet måste anges."}
    assert unchanged(report)

    response = post(
        client,
        coordinator,
        report,
        "close",
        {"outcome": "not_ours", "note": "Inte kommunens mark, kontakta Trafikverket"},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["outcome"] == "not_ours" and body["closed_at"]
    again = post(client, coordinator, report, "close", {"outcome": "fixed", "note": "Igen"})
    assert again.status_code == 422 and errors(again) == {"report": "Rapporten är redan avslutad."}


def test_a_photo_is_approved_or_rejected(client, coordinator):
    report, _ = resident_report(photos=[jpeg()])
    photo = ReportPhoto.objects.get(report=report)
    path = f"photos/{photo.pk}/review"

    refused = post(client, coordinator, report, path, {"review": "maybe"})
    assert refused.status_code == 422
    assert errors(refused) == {"review": "Välj bland: approved, rejected."}
    photo.refresh_from_db()
    assert photo.review == ReportPhoto.Review.PENDING

    response = post(client, coordinator, report, path, {"review": "approved"})
    assert response.status_code == 200
    assert response.json()["photos"][0]["review"] == "approved"
    photo.refresh_from_db()
    assert photo.review == ReportPhoto.Review.APPROVED
    other, _ = resident_report(photos=[jpeg()])
    wrong = post(client, coordinator, report, f"photos/{other.photos.get().pk}/review", {})
    assert wrong.status_code == 404


def test_a_body_that_is_not_json_or_has_unknown_fields_is_refused(client, coordinator):
    report, _ = resident_report()

    broken = post(client, coordinator, report, "hide", raw="{nej")
    assert broken.status_code == 422 and errors(broken) == {"body": "Ogiltig JSON."}
    extra = post(client, coordinator, report, "hide", {"reason": "Fel", "email": "a@b.se"})
    assert extra.status_code == 422 and errors(extra) == {"email": "Okänt fält."}
    assert unchanged(report)


# --- who may --------------------------------------------------------------------------------


ENDPOINTS = [
    ("publish", {}),
    ("hide", {"reason": "Fel"}),
    ("route", {"organisation": "polisen-karlstad"}),
    ("close", {"outcome": "fixed", "note": "Klart"}),
    ("correct", {"category": "klotter"}),
]


@pytest.mark.parametrize(("action", "body"), ENDPOINTS)
def test_those_who_see_but_may_not_moderate_get_403_and_nothing_changes(
    client, coordinator, analyst, police_officer, polisen, action, body
):
    pending, _ = resident_report()
    published, _ = resident_report()
    moderation.publish(published, acting_user=coordinator)
    # The analyst's organisation owns the pending report's event; the police see published ones.
    for user, report in ((analyst, pending), (police_officer, published)):
        rows_before = AuditEntry.objects.filter(object_type__in=MODERATED_TYPES).count()
        response = post(client, user, report, action, body)
        assert response.status_code == 403
        assert response.json()["detail"].startswith("Bara kommunens samordnare")
        assert unchanged(report)
        after = AuditEntry.objects.filter(object_type__in=MODERATED_TYPES).count()
        assert after == rows_before


@pytest.mark.parametrize(("action", "body"), ENDPOINTS)
def test_those_who_may_not_see_get_404(
    client, police_officer, other_municipality_user, polisen, action, body
):
    report, _ = resident_report()
    for user in (police_officer, other_municipality_user):
        response = post(client, user, report, action, body)
        assert response.status_code == 404 and response.json() == {"detail": "Hittades inte."}
    assert unchanged(report)


def test_403_comes_before_the_body_is_checked(client, coordinator, analyst):
    report, _ = resident_report()
    response = post(client, analyst, report, "hide", raw="{nej")
    assert response.status_code == 403


# --- the same actions as the pages ----------------------------------------------------------


def test_the_api_writes_the_same_audit_rows_as_the_moderation_pages(client, coordinator, polisen):
    by_page, _ = resident_report(photos=[jpeg()])
    by_api, _ = resident_report(photos=[jpeg()])
    page_photo, api_photo = by_page.photos.get(), by_api.photos.get()

    client.force_login(coordinator)
    client.post(reverse("citizens:moderate_publish", args=[by_page.pk]))
    client.post(
        reverse("citizens:moderate_correct", args=[by_page.pk]),
        {"ratta-category": "klotter", "ratta-lat": "59.382", "ratta-lon": "13.51"},
    )
    client.post(
        reverse("citizens:moderate_photo", args=[by_page.pk, page_photo.pk]),
        {f"foto-{page_photo.pk}-review": "approved"},
    )
    client.post(
        reverse("citizens:moderate_route", args=[by_page.pk]),
        {"skicka-organisation": polisen.pk},
    )
    client.post(
        reverse("citizens:moderate_close", args=[by_page.pk]),
        {"avsluta-outcome": "fixed", "avsluta-note": "Lampan är bytt"},
    )
    client.logout()

    for action, body in (
        ("publish", {}),
        ("correct", {"category": "klotter", "lat": 59.382, "lon": 13.51}),
        (f"photos/{api_photo.pk}/review", {"review": "approved"}),
        ("route", {"organisation": "polisen-karlstad"}),
        ("close", {"outcome": "fixed", "note": "Lampan är bytt"}),
    ):
        assert post(client, coordinator, by_api, action, body).status_code == 200

    page_rows = audit_rows(by_page)
    assert len(page_rows) >= 10  # every step audited, not an empty comparison
    assert audit_rows(by_api) == page_rows
