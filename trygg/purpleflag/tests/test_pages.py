"""The Purple Flag pages with the personas: the coordinator runs the year; a partner reads it;
another municipality's coordinator finds nothing. Bad input: the form in Swedish, nothing
written."""

from __future__ import annotations

import pytest
from django.urls import reverse

from trygg.core.models import AuditEntry
from trygg.measures.actions.measures import create_measure
from trygg.purpleflag.actions import link_walk, tag_measure
from trygg.purpleflag.models import Assessment, Certification, MeasureTag
from trygg.purpleflag.tests.factories import evening_walk, make_year

pytestmark = [pytest.mark.django_db, pytest.mark.frozen]


def test_the_coordinator_creates_a_year_from_the_list(client, coordinator, centrum):
    client.force_login(coordinator)
    page = client.get(reverse("purpleflag:list"))
    assert page.status_code == 200 and "Lägg upp ett Purple Flag-år" in page.content.decode()
    response = client.post(
        reverse("purpleflag:new"),
        {
            "area": centrum.pk,
            "year": 2026,
            "starts_on": "2026-01-15",
            "application_due": "2026-09-30",
        },
    )
    year = Certification.objects.get()
    assert response.status_code == 302 and response["Location"] == year.get_absolute_url()
    assert AuditEntry.objects.filter(
        object_type="purpleflag.certification", action="create"
    ).exists()


def test_reversed_dates_in_the_form_are_refused_in_swedish(client, coordinator, centrum):
    client.force_login(coordinator)
    response = client.post(
        reverse("purpleflag:new"),
        {
            "area": centrum.pk,
            "year": 2026,
            "starts_on": "2026-05-01",
            "application_due": "2026-04-01",
        },
    )
    assert response.status_code == 422
    assert "Sista dag för ansökan kan inte vara före starten." in response.content.decode()
    assert not Certification.objects.exists()


def test_the_status_page_shows_what_is_missing_the_grid_and_the_walk_scores(
    client, coordinator, kommunen, centrum
):
    year = make_year(coordinator, centrum)
    link_walk(year, evening_walk(kommunen, coordinator, {"sakerhet": 2}), acting_user=coordinator)
    client.force_login(coordinator)
    html = client.get(year.get_absolute_url()).content.decode()
    assert "Saknas:" in html and "0 av 20 rutor har poäng" in html
    assert "Åtgärder saknas för: säkerhet, tillgänglighet, utbud, plats, policy." in html
    assert "Vandring: 2.0" in html or "Vandring: 2,0" in html
    assert "Ändra steg och datum" in html


def test_a_partner_reads_the_year_but_cannot_change_it(
    client, coordinator, housing_reporter, centrum
):
    year = make_year(coordinator, centrum)
    measure = create_measure(centrum.municipality, acting_user=coordinator, title="Ljus vid kajen")
    client.force_login(housing_reporter)
    html = client.get(year.get_absolute_url()).content.decode()
    assert "Purple Flag 2026" in html and "Ändra steg och datum" not in html
    response = client.post(reverse("purpleflag:step", args=[year.pk]), {"step": "submitted"})
    assert response.status_code == 403
    assert client.get(reverse("purpleflag:assessment", args=[year.pk])).status_code == 403
    tag = tag_measure(year, measure, "plats", acting_user=coordinator)
    untag = reverse("purpleflag:measure_untag", args=[year.pk, tag.pk])
    assert client.post(untag).status_code == 403
    assert MeasureTag.objects.filter(pk=tag.pk).exists()
    year.refresh_from_db()
    assert year.step == "preparation"


def test_another_municipalitys_coordinator_finds_nothing(
    client, coordinator, other_municipality_user, centrum
):
    year = make_year(coordinator, centrum)
    client.force_login(other_municipality_user)
    assert client.get(year.get_absolute_url()).status_code == 404
    assert client.get(reverse("purpleflag:print", args=[year.pk])).status_code == 404
    assert (
        client.post(reverse("purpleflag:step", args=[year.pk]), {"step": "visit"}).status_code
        == 404
    )
    listed = client.get(reverse("purpleflag:list"), {"kommun": centrum.municipality_id})
    assert listed.status_code == 403


def test_the_assessment_form_refuses_a_score_out_of_range_and_saves_a_good_one(
    client, coordinator, centrum
):
    year = make_year(coordinator, centrum)
    client.force_login(coordinator)
    url = reverse("purpleflag:assessment", args=[year.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"score-sakerhet-23-02": "7", "score-plats-17-20": "2"})
    assert response.status_code == 422
    assert "Poängen ska vara ett heltal från 0 till 3." in response.content.decode()
    assert not Assessment.objects.exists()
    response = client.post(url, {"score-sakerhet-23-02": "1", "note-sakerhet-23-02": "Kö vid taxi"})
    assert response.status_code == 302
    cell = Assessment.objects.get()
    assert (cell.focus_area, cell.zone, cell.score, cell.note) == (
        "sakerhet",
        "23-02",
        1,
        "Kö vid taxi",
    )


def test_the_printout_comes_as_a_page_and_as_a_pdf(client, coordinator, centrum):
    year = make_year(coordinator, centrum)
    client.force_login(coordinator)
    page = client.get(reverse("purpleflag:print", args=[year.pk]))
    assert (
        page.status_code == 200
        and "bara det som alla samverkansparter får se" in page.content.decode()
    )
    pdf = client.get(reverse("purpleflag:print", args=[year.pk]), {"format": "pdf"})
    assert pdf.status_code in (200, 503)
    if pdf.status_code == 200:
        assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_the_presence_pages_link_to_purple_flag(client, coordinator, centrum):
    client.force_login(coordinator)
    html = client.get(reverse("presence:calendar")).content.decode()
    assert reverse("purpleflag:list") in html
    # On the Purple Flag pages the main menu marks Närvaro, the section they belong to.
    html = client.get(reverse("purpleflag:list")).content.decode()
    assert f'href="{reverse("presence:calendar")}" aria-current="page"' in html
