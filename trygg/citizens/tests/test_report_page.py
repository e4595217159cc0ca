"""The public report page: a resident without an account reports through the form, gets the
tracking link once, and nothing is stored when the input is wrong (issue 12, point 1)."""

from __future__ import annotations

import io
import re

import pytest
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from trygg.citizens.actions.reports import by_token, tracking_hash
from trygg.citizens.models import CitizenReport, ReportPhoto, StatusContact
from trygg.events.models import Event, Source
from trygg.places.tests.factories import KARLSTAD_CENTRE, make_place

pytestmark = [pytest.mark.django_db, pytest.mark.frozen]

URL = "/rapportera/"
KARLSKOGA_CENTRE = (59.3267, 14.5238)


@pytest.fixture(autouse=True)
def karlstad_takes_reports(coordinator, centrum, settings, tmp_path):
    """Karlstad's coordinating organisation (the coordinator's) receives residents' reports."""
    settings.MEDIA_ROOT = tmp_path


def jpeg() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 80, 40)).save(buffer, "JPEG")
    return SimpleUploadedFile("lampa.jpg", buffer.getvalue(), content_type="image/jpeg")


def form_data(**fields) -> dict:
    return {
        "kommun": "",
        "lat": str(KARLSTAD_CENTRE[0]),
        "lon": str(KARLSTAD_CENTRE[1]),
        "category": "belysning",
        "description": "Lampan vid trappan är släckt",
        "email": "",
        "website": "",
        "step": "send",
    } | fields


def link_on(page: str) -> str:
    found = re.search(r'value="(https?://[^"]+/rapportera/folj/([^/"]+)/)"', page)
    assert found, "the receipt shows no tracking link"
    return found.group(2)


def test_the_page_is_open_to_anyone_and_the_anonymous_menu_leads_there(client):
    page = client.get(URL)

    assert page.status_code == 200
    html = page.content.decode()
    assert "Rapportera något i din kommun" in html
    assert 'href="/rapportera/" aria-current="page"' in html
    # Every category with its hint, and what the address is for.
    assert "En lampa är släckt, en gångväg är mörk." in html
    assert "raderas när rapporten avslutas, senast efter 90 dagar" in html


def test_a_report_is_stored_once_with_its_event_and_the_receipt_shows_the_link_once(client):
    sent = client.post(URL, form_data(photos=[jpeg()], email="boende@example.se"))

    assert sent.status_code == 302 and sent["Location"] == "/rapportera/kvitto/"
    report = CitizenReport.objects.get()
    assert report.event.source == Source.CITIZEN and Event.objects.count() == 1
    assert report.event.area.name == "Centrum" and ReportPhoto.objects.count() == 1
    assert StatusContact.objects.get().email == "boende@example.se"

    shown = client.get("/rapportera/kvitto/")
    receipt = shown.content.decode()
    token = link_on(receipt)
    assert report.tracking_hash == tracking_hash(token) and by_token(token) == report
    assert "Spara länken nu" in receipt
    assert shown["Cache-Control"] == "private, no-store"
    # Shown once: the cookie that brought the secret is deleted.
    again = client.get("/rapportera/kvitto/").content.decode()
    assert token not in again and "Länken har redan visats" in again


def test_the_secret_reaches_the_receipt_without_being_stored_on_the_server(client):
    """Only the hash is kept (decision 0018): the token travels in a signed cookie for the
    receipt's address alone, and a report writes no session."""
    sent = client.post(URL, form_data())

    cookie = sent.cookies["trygg_kvitto"]
    assert cookie["path"] == "/rapportera/kvitto/" and cookie["httponly"]
    assert cookie["samesite"] == "Lax" and int(cookie["max-age"]) <= 15 * 60
    assert not Session.objects.exists()
    token = link_on(client.get("/rapportera/kvitto/").content.decode())
    assert token in cookie.value  # signed, not hidden: it is the resident's own secret
    assert not Session.objects.exists()


def test_a_forged_receipt_cookie_shows_no_link(client):
    client.post(URL, form_data())
    value = client.cookies["trygg_kvitto"].value
    client.cookies["trygg_kvitto"] = "gissad-hemlighet" + value[value.index(":") :]

    page = client.get("/rapportera/kvitto/").content.decode()
    assert "Länken har redan visats" in page and "/rapportera/folj/" not in page


def test_the_municipality_is_preselected_and_its_places_work_without_javascript(client, karlstad):
    torget = make_place(karlstad, "Stora torget")

    page = client.get(URL, {"kommun": "1780"}).content.decode()
    assert '<option value="1780" selected>Karlstad</option>' in page
    assert f'<option value="{torget.pk}">Stora torget</option>' in page

    sent = client.post(URL, form_data(kommun="1780", lat="", lon="", place=str(torget.pk)))
    assert sent.status_code == 302
    assert CitizenReport.objects.get().event.place == torget


def test_the_place_search_answers_json_with_the_municipalitys_places_only(client, karlstad):
    make_place(karlstad, "Stora torget")
    make_place(karlstad, "Lilla torget", lat=59.3810, lon=13.4990)

    found = client.get("/rapportera/platser.json", {"kommun": "1780", "q": "tORG"}).json()
    assert [place["name"] for place in found["places"]] == ["Lilla torget", "Stora torget"]
    elsewhere = client.get("/rapportera/platser.json", {"kommun": "1883", "q": "torg"}).json()
    assert elsewhere == {"places": []}


def test_the_map_outline_is_served_without_a_login_for_municipalities_that_take_reports(client):
    geojson = client.get("/rapportera/omraden.geojson").json()

    kinds = {(f["properties"]["kind"], f["properties"]["name"]) for f in geojson["features"]}
    assert kinds == {("municipality", "Karlstad"), ("area", "Centrum")}


def test_outside_the_chosen_municipality_is_named_in_swedish_and_nothing_is_stored(client):
    page = client.post(
        URL, form_data(kommun="1780", lat=str(KARLSKOGA_CENTRE[0]), lon=str(KARLSKOGA_CENTRE[1]))
    )

    assert page.status_code == 400
    html = page.content.decode()
    assert "Rapporten kunde inte skickas" in html
    assert "Positionen ligger utanför Karlstad kommun." in html
    assert not CitizenReport.objects.exists() and not Event.objects.exists()


def test_an_unknown_category_without_a_description_and_a_file_that_is_no_image_are_all_named(
    client,
):
    not_an_image = SimpleUploadedFile("a.jpg", b"%PDF-1.4", content_type="image/jpeg")

    page = client.post(URL, form_data(category="ufo", description="", photos=[not_an_image]))

    assert page.status_code == 400
    errors = page.context["form"].errors
    assert set(errors) == {"category", "description", "photos"}
    assert "Beskriv vad du har sett." in errors["description"]
    assert not CitizenReport.objects.exists() and not Event.objects.exists()


def test_no_position_at_all_asks_for_one(client):
    page = client.post(URL, form_data(lat="", lon=""))

    assert page.status_code == 400
    assert "Välj var det är" in page.context["form"].errors["lat"][0]
    assert not CitizenReport.objects.exists()


def test_html_in_a_description_is_never_rendered(client):
    page = client.post(URL, form_data(category="ufo", description="<script>alert(1)</script>"))

    html = page.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_a_filled_honeypot_looks_accepted_but_stores_nothing(client):
    sent = client.post(URL, form_data(website="https://spam.example"))

    assert sent.status_code == 302 and sent["Location"] == "/rapportera/kvitto/"
    token = link_on(client.get("/rapportera/kvitto/").content.decode())
    assert not CitizenReport.objects.exists() and not Event.objects.exists()
    assert client.get(f"/rapportera/folj/{token}/").status_code == 404


def test_the_honeypot_is_hidden_from_people_and_screen_readers(client):
    html = client.get(URL).content.decode()

    hidden = re.search(r'<div class="visually-hidden" aria-hidden="true">(.*?)</div>', html, re.S)
    assert hidden and 'name="website"' in hidden.group(1) and 'tabindex="-1"' in hidden.group(1)


def test_who_takes_reports_is_asked_once_not_on_every_post(client):
    """A burst of residents' posts asked the database the same three questions each time
    (trygg/citizens/receiving.py): the municipality, its reports' owner, the EST category."""
    client.post(URL, form_data(kommun="1780"))

    with CaptureQueriesContext(connection) as queries:
        sent = client.post(URL, form_data(kommun="1780", description="Lampan är släckt igen"))

    assert sent.status_code == 302 and CitizenReport.objects.count() == 2
    reads = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT")]
    for table in ("places_municipality", "organisations_organisation", "events_category"):
        assert not any(f'FROM "{table}"' in sql for sql in reads), table
