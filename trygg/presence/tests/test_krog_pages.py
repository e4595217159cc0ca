"""The krogtillsyn pages with the personas: the overview month by month against the target, a
premise's history, registering premises, licences, inspections and follow-ups, and who is
refused."""

from __future__ import annotations

import datetime as dt

import pytest

from trygg.core.models import AuditEntry
from trygg.events.models import Category, Event
from trygg.measures.models import Measure
from trygg.presence.actions.inspections import FindingInput, InspectionInput, record_inspection
from trygg.presence.actions.premises import set_inspection_target
from trygg.presence.models import Inspection, InspectionPlan, Premise
from trygg.presence.tests.factories import make_premise

pytestmark = [pytest.mark.django_db, pytest.mark.frozen]

KROG = "/narvaro/krogtillsyn/"
FRIDAY = dt.date(2026, 11, 20)


def page(client, user, path, **params):
    client.force_login(user)
    return client.get(path, params)


def post(client, user, path, data):
    client.force_login(user)
    return client.post(path, data)


def text(response) -> str:
    return response.content.decode()


@pytest.fixture
def inspected(coordinator, kajen, kommunen, polisen):
    """An inspection of Kajen on Friday night with one finding of overserving."""
    finding = FindingInput(Category.objects.get(code="krog.overservering"), "Berusad gäst i baren")
    data = InspectionInput(
        starts_at=dt.datetime(2026, 11, 20, 23, 30, tzinfo=dt.UTC),
        kind="overserving",
        organisations=[kommunen, polisen],
        organisation=kommunen,
        findings=[finding],
    )
    return record_inspection(kajen, data, acting_user=coordinator)


def inspection_form(premise, kommunen, **fields) -> dict:
    return {
        "kommun": premise.municipality_id,
        "premise": premise.pk,
        "day": "2026-11-20",
        "time": "23:30",
        "kind": "drugs",
        "organisations": [kommunen.pk],
        "organisation": kommunen.pk,
        "finding_1": Category.objects.get(code="krog.narkotika").pk,
        "finding_text_1": "Misstänkt langning vid entrén",
    } | fields


def test_the_overview_counts_the_months_against_the_plans_target(
    client, coordinator, karlstad, inspected
):
    set_inspection_target(karlstad, 2026, 2, acting_user=coordinator)
    response = page(client, coordinator, KROG, kommun=karlstad.pk)
    assert response.status_code == 200
    body = text(response)
    assert "Tillsynsplanens mål: 2 tillsyner i månaden." in body
    assert "Restaurang Kajen" in body and "Kajen i Karlstad AB" in body
    november = [m for m in response.context["months"] if m.month == 11][0]
    assert (november.count, november.target, november.met) == (1, 2, None)


def test_another_municipality_cannot_see_the_premises(
    client, other_municipality_user, karlstad, inspected
):
    assert page(client, other_municipality_user, KROG, kommun=karlstad.pk).status_code == 403
    premise = inspected.premise
    assert page(client, other_municipality_user, premise.get_absolute_url()).status_code == 404
    assert page(client, other_municipality_user, inspected.get_absolute_url()).status_code == 404


def test_a_premises_page_has_its_licence_hours_and_its_inspections_with_findings(
    client, housing_reporter, inspected
):
    response = page(client, housing_reporter, inspected.premise.get_absolute_url())
    body = text(response)
    assert response.status_code == 200
    assert "Fredag" in body and "11:00–02:00" in body
    assert "Överservering" in body and "2026-11-21 00:30" in body


def test_an_inspection_of_a_premise_without_a_licence_is_refused_on_the_page(
    client, coordinator, krogstraket, kommunen
):
    premise = make_premise(krogstraket, "Baren utan tillstånd", valid_from=None)
    response = post(client, coordinator, f"{KROG}tillsyn/ny/", inspection_form(premise, kommunen))
    assert response.status_code == 400
    assert "inget serveringstillstånd som gäller den dagen" in text(response)
    assert not Inspection.objects.exists() and not Event.objects.exists()


def test_an_inspection_registered_on_the_page_makes_its_finding_an_event(
    client, coordinator, kajen, kommunen
):
    response = post(client, coordinator, f"{KROG}tillsyn/ny/", inspection_form(kajen, kommunen))
    inspection = Inspection.objects.get()
    assert response.status_code == 302 and response.url == inspection.get_absolute_url()
    event = inspection.findings.get()
    assert (event.source, event.category.code) == ("inspection", "krog.narkotika")


def test_an_inspection_in_the_future_is_refused_beside_the_time(
    client, coordinator, kajen, kommunen
):
    data = inspection_form(kajen, kommunen, day="2026-11-28")
    response = post(client, coordinator, f"{KROG}tillsyn/ny/", data)
    assert response.status_code == 400
    assert "framtiden" in str(response.context["form"].errors["time"])
    assert not Inspection.objects.exists()


def test_a_housing_reporter_cannot_record_for_the_municipality(
    client, housing_reporter, kajen, kommunen
):
    data = inspection_form(kajen, kommunen)
    response = post(client, housing_reporter, f"{KROG}tillsyn/ny/", data)
    assert response.status_code == 400  # the municipality is not among the choices
    assert "organisation" in response.context["form"].errors
    assert not Inspection.objects.exists()


def test_a_coordinator_registers_a_premise_with_its_licence(
    client, coordinator, karlstad, krogstraket
):
    data = {
        "kommun": karlstad.pk,
        "place": krogstraket.pk,
        "name": "Klarakrogen",
        "holder": "Klarakrogen AB",
        "valid_from": "2026-01-01",
        "serving_from": "11:00",
        "until_5": "02:00",
        "until_6": "02:00",
    }
    response = post(client, coordinator, f"{KROG}stallen/nytt/", data)
    premise = Premise.objects.get()
    assert response.status_code == 302 and response.url == premise.get_absolute_url()
    assert premise.licences.get().serving_until == [None] * 4 + ["02:00", "02:00", None]


def test_a_licence_without_any_serving_day_is_refused(client, coordinator, karlstad, krogstraket):
    data = {
        "kommun": karlstad.pk,
        "place": krogstraket.pk,
        "name": "Klarakrogen",
        "holder": "Klarakrogen AB",
        "valid_from": "2026-01-01",
        "serving_from": "11:00",
    }
    response = post(client, coordinator, f"{KROG}stallen/nytt/", data)
    assert response.status_code == 400
    assert "minst en dag" in text(response)
    assert not Premise.objects.exists() and not AuditEntry.objects.exists()


def test_only_coordinators_register_premises_and_set_the_target(
    client, police_officer, karlstad, kajen
):
    assert page(client, police_officer, f"{KROG}stallen/nytt/").status_code == 403
    assert page(client, police_officer, f"{KROG}plan/").status_code == 403
    response = post(client, police_officer, f"{KROG}stallen/{kajen.pk}/tillstand/", {})
    assert response.status_code == 403


def test_a_follow_up_from_the_inspections_page_is_a_measure_answering_its_findings(
    client, coordinator, kommunen, inspected
):
    data = {"title": "Uppföljande tillsyn", "responsible": kommunen.pk, "due": "2026-12-18"}
    response = post(client, coordinator, f"{KROG}tillsyn/{inspected.pk}/uppfoljning/", data)
    assert response.status_code == 302
    measure = Measure.objects.get()
    assert list(inspected.measures.all()) == [measure]
    assert set(measure.events.all()) == set(inspected.findings.all())


def test_a_follow_up_without_a_title_is_shown_again_with_the_message(
    client, coordinator, inspected
):
    response = post(client, coordinator, f"{KROG}tillsyn/{inspected.pk}/uppfoljning/", {})
    assert response.status_code == 400
    assert "Ge åtgärden en rubrik." in text(response)
    assert not Measure.objects.exists()


def test_the_target_is_set_on_the_plan_page(client, coordinator, karlstad):
    data = {"kommun": karlstad.pk, "year": 2026, "target_per_month": 3}
    response = post(client, coordinator, f"{KROG}plan/", data)
    assert response.status_code == 302
    assert InspectionPlan.objects.get(municipality=karlstad, year=2026).target_per_month == 3


def test_an_implausible_year_shows_this_year(client, coordinator, karlstad):
    response = page(client, coordinator, KROG, kommun=karlstad.pk, ar="99999")
    assert response.status_code == 200 and response.context["year"] == 2026
