"""The moderation queue and page: the municipality's coordinators only, oldest first, form
errors in Swedish, photos served with a check."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from trygg.citizens.models import CitizenReport, Moderation, ReportPhoto
from trygg.citizens.tests.factories import resident_report
from trygg.core.tests.clock import NOW
from trygg.events.models import Visibility

pytestmark = [pytest.mark.django_db, pytest.mark.frozen(NOW)]


@pytest.fixture(autouse=True)
def karlstad_takes_reports(coordinator, centrum, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _jpeg() -> SimpleUploadedFile:
    import io

    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "red").save(buffer, "JPEG")
    return SimpleUploadedFile("a.jpg", buffer.getvalue(), content_type="image/jpeg")


def test_the_queue_shows_the_waiting_reports_oldest_first_with_how_long_they_waited(
    client, coordinator
):
    old, _ = resident_report(description="Den gamla")
    CitizenReport.objects.filter(pk=old.pk).update(created_at=NOW - dt.timedelta(days=3))
    new, _ = resident_report(description="Den nya")
    published, _ = resident_report()
    CitizenReport.objects.filter(pk=published.pk).update(moderation=Moderation.PUBLISHED)
    client.force_login(coordinator)

    page = client.get(reverse("citizens:queue")).content.decode()

    assert page.index(f"Rapport {old.pk}<") < page.index(f"Rapport {new.pk}<")
    assert f"Rapport {published.pk}<" not in page
    assert "väntat 3 dagar" in page and "Invånarrapporter" in page


@pytest.mark.parametrize("persona", ["police_officer", "housing_reporter", "analyst"])
def test_the_queue_is_refused_to_partners_and_analysts(client, persona, request):
    report, _ = resident_report()
    client.force_login(request.getfixturevalue(persona))

    assert client.get(reverse("citizens:queue")).status_code == 403
    assert client.get(reverse("citizens:moderate", args=[report.pk])).status_code == 403


def test_another_municipalitys_coordinator_sees_an_empty_queue_not_karlstads(
    client, other_municipality_user
):
    resident_report()
    client.force_login(other_municipality_user)

    response = client.get(reverse("citizens:queue"))

    assert response.status_code == 200 and not response.context["rows"]
    report = CitizenReport.objects.get()
    assert client.get(reverse("citizens:moderate", args=[report.pk])).status_code == 404


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    report, _ = resident_report()

    response = client.get(reverse("citizens:moderate", args=[report.pk]))

    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_publishing_from_the_page_shows_the_event_to_partners(client, coordinator):
    report, _ = resident_report()
    client.force_login(coordinator)

    response = client.post(reverse("citizens:moderate_publish", args=[report.pk]))

    assert response.status_code == 302
    report.event.refresh_from_db()
    assert report.event.visibility == Visibility.PARTNERS


def test_hiding_without_a_reason_shows_a_swedish_error_and_writes_nothing(client, coordinator):
    report, _ = resident_report()
    client.force_login(coordinator)

    response = client.post(reverse("citizens:moderate_hide", args=[report.pk]), {"dolj-reason": ""})

    assert response.status_code == 400
    assert "Skriv varför rapporten döljs." in response.content.decode()
    report.refresh_from_db()
    assert report.moderation == Moderation.PENDING


def test_the_page_shows_the_routing_suggestion_and_its_reason(client, coordinator, kommunen):
    report, _ = resident_report()
    client.force_login(coordinator)

    page = client.get(reverse("citizens:moderate", args=[report.pk])).content.decode()

    assert kommunen.name in page and "kommunens samordnande organisation" in page


def test_a_pending_photo_is_served_to_moderators_only(client, coordinator, police_officer):
    report, _ = resident_report(photos=[_jpeg()])
    photo = report.photos.get()
    url = reverse("citizens:photo", args=[photo.pk])

    assert client.get(url).status_code == 404
    client.force_login(police_officer)
    assert client.get(url).status_code == 404
    client.force_login(coordinator)
    assert client.get(url).status_code == 200

    client.post(
        reverse("citizens:moderate_photo", args=[report.pk, photo.pk]),
        {f"foto-{photo.pk}-review": "approved"},
    )
    client.post(reverse("citizens:moderate_publish", args=[report.pk]))
    photo.refresh_from_db()
    assert photo.review == ReportPhoto.Review.APPROVED
    client.logout()
    assert client.get(url).status_code == 200
