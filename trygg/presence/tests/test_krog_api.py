"""The krogtillsyn API with the personas: premises and inspections read by the municipality's
staff only, written through the actions (403 with the reason, 422 by field with nothing
written), and the month-by-month count against the plan's target."""

from __future__ import annotations

import pytest

from trygg.core.models import AuditEntry
from trygg.events.models import Event
from trygg.measures.models import Measure
from trygg.organisations.tests.factories import bearer
from trygg.presence.actions.premises import set_inspection_target
from trygg.presence.models import Inspection, Premise
from trygg.presence.tests.factories import make_premise

pytestmark = [pytest.mark.django_db, pytest.mark.frozen]

PREMISES = "/api/v1/presence/premises"
INSPECTIONS = "/api/v1/presence/inspections"


def get(client, user, path, **params):
    return client.get(path, params, **bearer(user))


def send(client, user, path, body):
    return client.post(path, body, content_type="application/json", **bearer(user))


def errors(response, status=422) -> dict[str, str]:
    assert response.status_code == status, response.content
    return {error["field"]: error["message"] for error in response.json()["detail"]}


def an_inspection(premise, **fields) -> dict:
    return {
        "premise": premise.pk,
        "starts_at": "2026-11-20T23:30",
        "kind": "overserving",
        "organisations": ["karlstad-kommunledning", "polisen-karlstad"],
        "organisation": "polisen-karlstad",
        "findings": [
            {"category": "krog.overservering", "description": "Berusad gäst fick servering"}
        ],
    } | fields


def test_the_police_record_an_inspection_and_its_finding_is_their_event(
    client, police_officer, kajen, kommunen, polisen
):
    response = send(client, police_officer, INSPECTIONS, an_inspection(kajen))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["premise"]["name"] == "Restaurang Kajen"
    assert body["licence_holder"] == "Kajen i Karlstad AB"
    assert {o["code"] for o in body["organisations"]} == {kommunen.code, polisen.code}
    [finding] = body["findings"]
    event = Event.objects.get(pk=finding["event"])
    assert (event.source, event.organisation, event.category.code) == (
        "inspection",
        polisen,
        "krog.overservering",
    )


def test_an_inspection_of_a_premise_without_a_licence_is_a_422_and_nothing_is_written(
    client, police_officer, kommunen, krogstraket
):
    premise = make_premise(krogstraket, "Baren utan tillstånd", valid_from=None)
    found = errors(send(client, police_officer, INSPECTIONS, an_inspection(premise)))
    assert "inget serveringstillstånd som gäller den dagen" in found["premise"]
    assert not Inspection.objects.exists() and not Event.objects.exists()
    written = AuditEntry.objects.filter(action="create").values_list("object_type", flat=True)
    assert not [kind for kind in written if kind.startswith(("presence.", "events."))]


def test_unknown_references_are_named_by_field(client, police_officer, kommunen, kajen):
    body = an_inspection(
        kajen,
        organisations=["polisen-karlstad", "ingen-sadan"],
        findings=[{"category": "krog.finns-inte"}],
    )
    response = send(client, police_officer, INSPECTIONS, body)
    assert response.status_code == 422
    named = {(e["field"], e.get("index")) for e in response.json()["detail"]}
    assert named == {("organisations", 1), ("findings", 0)}
    assert not Inspection.objects.exists()


def test_a_finding_outside_the_krog_categories_is_refused(client, police_officer, kommunen, kajen):
    body = an_inspection(kajen, findings=[{"category": "skadegorelse.klotter"}])
    found = errors(send(client, police_officer, INSPECTIONS, body))
    assert found["findings"] == "Fynd 1: välj en kategori för krogtillsyn."
    assert not Inspection.objects.exists() and not Event.objects.exists()


def test_recording_for_an_organisation_one_does_not_write_for_is_403(
    client, housing_reporter, kommunen, polisen, kajen
):
    response = send(client, housing_reporter, INSPECTIONS, an_inspection(kajen))
    assert response.status_code == 403
    assert "polisen" in response.json()["detail"].lower()
    assert not Inspection.objects.exists()


def test_another_municipality_sees_no_premises_or_inspections(
    client, other_municipality_user, police_officer, kommunen, kajen
):
    send(client, police_officer, INSPECTIONS, an_inspection(kajen))
    assert get(client, other_municipality_user, PREMISES).json()["count"] == 0
    assert get(client, other_municipality_user, INSPECTIONS).json()["count"] == 0
    assert get(client, other_municipality_user, f"{PREMISES}/{kajen.pk}").status_code == 404
    found = errors(send(client, other_municipality_user, INSPECTIONS, an_inspection(kajen)))
    assert found["premise"] == "Okänt serveringsställe."


def test_a_coordinator_posts_a_premise_with_its_licence_and_a_renewal(
    client, coordinator, krogstraket
):
    licence = {
        "holder": "Klarakrogen AB",
        "valid_from": "2026-01-01",
        "valid_to": "2026-12-31",
        "serving_until": [None, None, None, "01:00", "02:00", "02:00", None],
    }
    body = {"municipality": "1780", "place": krogstraket.pk, "name": "Klarakrogen"}
    response = send(client, coordinator, PREMISES, body | {"licence": licence})
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["licence_today"]["serving_until"][4] == "02:00"
    premise_id = created["id"]
    overlapping = send(client, coordinator, f"{PREMISES}/{premise_id}/licences", licence)
    assert "redan ett tillstånd" in errors(overlapping)["valid_from"]
    renewal = licence | {"valid_from": "2027-01-01", "valid_to": None}
    assert (
        send(client, coordinator, f"{PREMISES}/{premise_id}/licences", renewal).status_code == 201
    )
    assert get(client, coordinator, f"{PREMISES}/{premise_id}").json()["licences"][0][
        "valid_from"
    ] == ("2027-01-01")


def test_a_premise_with_a_bad_licence_is_not_written(client, coordinator, krogstraket):
    licence = {"holder": "X AB", "valid_from": "2026-01-01", "serving_until": [None] * 7}
    body = {"municipality": "1780", "place": krogstraket.pk, "name": "Klarakrogen"}
    found = errors(send(client, coordinator, PREMISES, body | {"licence": licence}))
    assert "serving_until" in found
    assert not Premise.objects.exists()


def test_only_coordinators_post_premises(client, police_officer, krogstraket):
    body = {"municipality": "1780", "place": krogstraket.pk, "name": "Polisbaren"}
    assert send(client, police_officer, PREMISES, body).status_code == 403
    assert not Premise.objects.exists()


def test_a_follow_up_is_added_to_an_inspection(
    client, coordinator, police_officer, kommunen, kajen
):
    inspection = send(client, police_officer, INSPECTIONS, an_inspection(kajen)).json()
    body = {"title": "Samtal med tillståndshavaren", "responsible": "karlstad-kommunledning"}
    response = send(client, coordinator, f"{INSPECTIONS}/{inspection['id']}/measures", body)
    assert response.status_code == 201, response.content
    [measure] = response.json()["measures"]
    assert measure["status"] == "agreed"
    assert Measure.objects.get().events.get().pk == inspection["findings"][0]["event"]


def test_the_months_count_against_the_target(
    client, coordinator, police_officer, karlstad, kommunen, kajen
):
    set_inspection_target(karlstad, 2026, 1, acting_user=coordinator)
    send(client, police_officer, INSPECTIONS, an_inspection(kajen))
    body = get(client, police_officer, f"{INSPECTIONS}/months", municipality="1780").json()
    assert body["target_per_month"] == 1
    november = body["months"][10]
    assert (november["count"], november["met"]) == (1, True)
    assert body["months"][9]["met"] is False


def test_the_months_of_another_municipality_are_refused(client, other_municipality_user):
    found = errors(
        get(client, other_municipality_user, f"{INSPECTIONS}/months", municipality="1780")
    )
    assert found["municipality"] == "Du arbetar inte i den kommunen."


def test_the_inspections_are_filtered_by_premise_and_year(client, police_officer, kommunen, kajen):
    send(client, police_officer, INSPECTIONS, an_inspection(kajen))
    assert (
        get(client, police_officer, INSPECTIONS, premise=kajen.pk, year=2026).json()["count"] == 1
    )
    assert get(client, police_officer, INSPECTIONS, year=2025).json()["count"] == 0


def test_an_implausible_year_is_a_422(client, police_officer):
    response = get(client, police_officer, f"{INSPECTIONS}/months", municipality="1780", year=99999)
    assert errors(response)["year"] == "Ange ett år, till exempel 2026."
