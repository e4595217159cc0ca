"""The reporting form: who may use it, what it stores, and how it says no (in Swedish)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from trygg.conftest import KARLSTAD_CENTRE
from trygg.core.models import AuditEntry
from trygg.events.models import Category, Event, Visibility
from trygg.organisations.models import Membership
from trygg.organisations.tests.factories import make_person
from trygg.places.tests.factories import make_place

# A time in the future is refused, counted from now.
pytestmark = pytest.mark.frozen

REPORT = "/handelser/rapportera/"


def local_now_text(delta: dt.timedelta = dt.timedelta(0)) -> str:
    return (timezone.localtime() + delta).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def report_data(bostadsbolaget, category):
    return {
        "organisation": bostadsbolaget.pk,
        "category": category.pk,
        "lat": str(KARLSTAD_CENTRE[0]),
        "lon": str(KARLSTAD_CENTRE[1]),
        "occurred_from": local_now_text(-dt.timedelta(hours=1)),
        "description": "Nytt klotter på gaveln mot torget",
        "visibility": Visibility.PARTNERS,
    }


def test_an_analyst_cannot_open_the_report_form(client, analyst):
    client.force_login(analyst)

    response = client.get(REPORT)

    assert response.status_code == 403
    assert "Du kan inte rapportera händelser" in response.content.decode()


def test_a_viewer_cannot_post_a_report_either(client, kommunen, report_data):
    viewer = make_person("lasare", kommunen, Membership.Role.VIEWER)
    client.force_login(viewer)

    response = client.post(REPORT, report_data | {"organisation": kommunen.pk})

    assert response.status_code == 403
    assert not Event.objects.exists()


def test_the_form_offers_leaf_categories_grouped_with_the_checklist_first(client, housing_reporter):
    client.force_login(housing_reporter)

    form = client.get(REPORT).context["form"]

    groups = [group for group, _options in form.fields["category"].choices[1:]]
    assert groups[0] == "Skadegörelse"
    assert groups.index("Övriga polishändelser") > groups.index("Otrygg plats")
    offered = {pk for _group, options in form.fields["category"].choices[1:] for pk, _ in options}
    assert Category.objects.get(code="skadegorelse.klotter").pk in offered
    assert Category.objects.get(code="skadegorelse").pk not in offered  # not a leaf
    assert Category.objects.get(code="polis.sammanfattning").pk not in offered


def test_the_report_form_stores_a_scrubbed_event_with_an_audit_row_and_redirects(
    client, housing_reporter, report_data, centrum
):
    client.force_login(housing_reporter)
    data = report_data | {"description": "Klotter igen, ring mig på 070-123 45 67"}

    response = client.post(REPORT, data, follow=True)

    event = Event.objects.get()
    assert response.redirect_chain == [(reverse("events:detail", args=[event.pk]), 302)]
    assert "070-123 45 67" not in event.description
    assert event.was_scrubbed
    assert event.reported_by == housing_reporter
    assert event.area == centrum
    assert AuditEntry.objects.filter(
        object_type="events.event", object_id=str(event.pk), action="create", actor=housing_reporter
    ).exists()
    page = response.content.decode()
    assert "Tack! Händelsen är rapporterad." in page
    assert "Personuppgifter togs bort ur beskrivningen" in page


def test_a_clean_description_gets_no_scrubbing_notice(client, housing_reporter, report_data):
    client.force_login(housing_reporter)

    response = client.post(REPORT, report_data, follow=True)

    assert "Personuppgifter togs bort" not in response.content.decode()
    assert Event.objects.get().description == "Nytt klotter på gaveln mot torget"


def test_the_time_is_read_in_stockholm_time(client, housing_reporter, report_data):
    client.force_login(housing_reporter)

    client.post(REPORT, report_data | {"occurred_from": "2025-07-01T21:30"})

    stored = Event.objects.get().occurred_from
    assert stored == dt.datetime(2025, 7, 1, 19, 30, tzinfo=dt.UTC)


def assert_rejected(response, message):
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Event.objects.exists()
    assert not AuditEntry.objects.exists()


def test_a_future_time_is_refused_in_swedish_and_nothing_is_written(
    client, housing_reporter, report_data
):
    client.force_login(housing_reporter)

    response = client.post(
        REPORT, report_data | {"occurred_from": local_now_text(dt.timedelta(days=2))}
    )

    assert_rejected(response, "Tidpunkten ligger i framtiden.")
    assert response.context["form"].errors["occurred_from"]


def test_a_position_outside_sweden_is_refused_in_swedish(client, housing_reporter, report_data):
    client.force_login(housing_reporter)

    response = client.post(REPORT, report_data | {"lat": "52.52", "lon": "13.40"})  # Berlin

    assert_rejected(response, "Positionen ligger utanför Sverige.")
    assert response.context["form"].errors["lat"]
    assert 'aria-invalid="true"' in response.content.decode()


def test_a_missing_category_is_refused_in_swedish(client, housing_reporter, report_data):
    client.force_login(housing_reporter)

    response = client.post(REPORT, report_data | {"category": ""})

    assert_rejected(response, "Välj vad som har hänt.")
    assert 'id="id_category_error"' in response.content.decode()


def test_a_missing_position_is_refused_with_a_hint(client, housing_reporter, report_data):
    client.force_login(housing_reporter)

    response = client.post(REPORT, report_data | {"lat": "", "lon": ""})

    assert_rejected(response, "klicka på kartan, använd din position")


def test_a_position_typed_with_decimal_commas_is_accepted(client, housing_reporter, report_data):
    client.force_login(housing_reporter)

    client.post(REPORT, report_data | {"lat": "59,3793", "lon": "13,5036"})

    assert Event.objects.get().lat == pytest.approx(59.3793)


def test_a_near_place_can_be_chosen_and_a_far_one_cannot(
    client, housing_reporter, report_data, karlstad
):
    near = make_place(karlstad, "Stora torget", lat=59.3795, lon=13.5040)
    far = make_place(karlstad, "Kronoparkens centrum", lat=59.3905, lon=13.5790)
    client.force_login(housing_reporter)

    refused = client.post(REPORT, report_data | {"place": far.pk})
    assert_rejected(refused, "Välj en av platserna nära positionen.")

    client.post(REPORT, report_data | {"place": near.pk})
    assert Event.objects.get().place == near


def test_a_reporter_for_one_organisation_cannot_report_for_another(
    client, housing_reporter, report_data, polisen
):
    client.force_login(housing_reporter)

    response = client.post(REPORT, report_data | {"organisation": polisen.pk})

    assert response.status_code == 400
    assert not Event.objects.exists()


def test_someone_reporting_for_two_organisations_chooses_one(
    client, housing_reporter, kommunen, report_data
):
    Membership.objects.create(
        user=housing_reporter, organisation=kommunen, role=Membership.Role.REPORTER
    )
    client.force_login(housing_reporter)

    page = client.get(REPORT).content.decode()
    assert '<select name="organisation"' in page

    client.post(REPORT, report_data | {"organisation": kommunen.pk})
    assert Event.objects.get().organisation == kommunen


def jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (40, 30), "orange")
    exif = Image.Exif()
    exif[0x010F] = "Kameratillverkare"  # Make
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_a_photo_is_stored_without_metadata_and_shown_only_to_those_who_see_the_event(
    client, housing_reporter, other_municipality_user, report_data, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(housing_reporter)
    photo = SimpleUploadedFile("bild.jpg", jpeg_with_exif(), content_type="image/jpeg")

    client.post(REPORT, report_data | {"photo": photo})

    event = Event.objects.get()
    with event.photo.open("rb") as stored:
        assert not Image.open(stored).getexif()
    url = reverse("events:photo", args=[event.pk])
    assert url in client.get(reverse("events:detail", args=[event.pk])).content.decode()
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"

    client.force_login(other_municipality_user)
    assert client.get(url).status_code == 404


def test_a_file_that_is_not_an_image_is_refused(client, housing_reporter, report_data):
    client.force_login(housing_reporter)
    fake = SimpleUploadedFile("bild.jpg", b"not an image", content_type="image/jpeg")

    response = client.post(REPORT, report_data | {"photo": fake})

    assert_rejected(response, "Filen är inte en bild som kan läsas.")
