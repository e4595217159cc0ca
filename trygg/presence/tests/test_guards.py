"""Ordningsvakter: a county decision entered as a guard area (audited; refused with nothing
written), the warning on a guards' shift outside every valid area, the export of the guards'
reports (counts, never names) and who may see and make it."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from trygg.core.models import AuditEntry
from trygg.events.models import Event, Source
from trygg.organisations.tests.factories import bearer
from trygg.places.tests.factories import box, make_area
from trygg.presence.actions.guards import GuardAreaInput, create_guard_area
from trygg.presence.models import GuardArea
from trygg.presence.tests.factories import make_shift

pytestmark = [pytest.mark.django_db, pytest.mark.frozen]  # NOW: Sunday 2026-11-22 12:00

LAST_NIGHT = dt.date(2026, 11, 21)
PAGE = "/narvaro/ordningsvakter/"
EXPORT = "/narvaro/ordningsvakter/export/"


def decision(*areas, **fields) -> GuardAreaInput:
    values: dict[str, Any] = {
        "name": "Centrum och Kronoparken",
        "decision_reference": "Länsstyrelsen Värmland dnr 2024-1234",
        "decided_on": dt.date(2024, 9, 1),
        "valid_from": dt.date(2024, 10, 1),
        "valid_to": dt.date(2027, 9, 30),
        "area_ids": [area.pk for area in areas],
    }
    return GuardAreaInput(**(values | fields))


def test_a_coordinator_enters_a_decision_built_from_two_areas_audited(
    coordinator, karlstad, centrum, kronoparken
):
    guard_area = create_guard_area(
        karlstad, decision(centrum, kronoparken), acting_user=coordinator
    )
    assert guard_area.area_ids == sorted([centrum.pk, kronoparken.pk])
    assert guard_area.geometry["type"] == "MultiPolygon"
    assert len(guard_area.geometry["coordinates"]) == 2
    entry = AuditEntry.objects.get(object_type="presence.guardarea", action="create")
    assert entry.actor == coordinator
    assert entry.new["decision_reference"] == "Länsstyrelsen Värmland dnr 2024-1234"
    assert entry.new["area_ids"] == str(guard_area.area_ids)


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"valid_to": dt.date(2024, 9, 30)}, "valid_to"),
        ({"decision_reference": "  "}, "decision_reference"),
        ({"name": ""}, "name"),
        ({"area_ids": []}, "areas"),
    ],
)
def test_bad_decisions_are_refused_with_nothing_written(
    coordinator, karlstad, centrum, fields, field
):
    with pytest.raises(ValidationError) as refused:
        create_guard_area(karlstad, decision(centrum, **fields), acting_user=coordinator)
    assert field in refused.value.message_dict
    assert not GuardArea.objects.exists() and not AuditEntry.objects.exists()


def test_an_area_of_another_municipality_is_refused(coordinator, karlstad, karlskoga):
    elsewhere = make_area(karlskoga, "Karlskoga centrum", box(14.51, 59.32, 14.54, 59.34))
    with pytest.raises(ValidationError) as refused:
        create_guard_area(karlstad, decision(elsewhere), acting_user=coordinator)
    assert "kommunen" in refused.value.message_dict["areas"][0]
    assert not GuardArea.objects.exists() and not AuditEntry.objects.exists()


def test_only_the_coordinators_enter_decisions(police_officer, guard, karlstad, centrum):
    for user in (police_officer, guard):
        with pytest.raises(PermissionDenied):
            create_guard_area(karlstad, decision(centrum), acting_user=user)
    assert not GuardArea.objects.exists()


def test_the_form_refuses_an_end_before_the_start_in_swedish(
    client, coordinator, karlstad, centrum
):
    client.force_login(coordinator)
    body = {
        "kommun": karlstad.pk,
        "name": "Centrum",
        "decision_reference": "Länsstyrelsen Värmland dnr 2024-1234",
        "decided_on": "2024-09-01",
        "valid_from": "2024-10-01",
        "valid_to": "2024-09-01",
        "areas": [centrum.pk],
    }
    response = client.post("/narvaro/ordningsvakter/nytt/", body)
    assert response.status_code == 422
    assert "Beslutet kan inte sluta gälla innan det börjar gälla." in response.content.decode()
    assert not GuardArea.objects.exists()
    body["valid_to"] = "2027-09-30"
    response = client.post("/narvaro/ordningsvakter/nytt/", body)
    assert response.status_code == 302
    assert GuardArea.objects.get().area_ids == [centrum.pk]


WARNING = "inte i något ordningsvaktsområde"


def test_a_guards_shift_outside_every_valid_area_is_warned_not_refused(
    client, coordinator, karlstad, centrum, kronoparken, guards, ungdomar
):
    create_guard_area(karlstad, decision(centrum), acting_user=coordinator)
    create_guard_area(
        karlstad,
        decision(kronoparken, name="Kronoparken", valid_to=dt.date(2025, 12, 31)),
        acting_user=coordinator,
    )
    client.force_login(coordinator)
    inside = make_shift(guards, centrum, LAST_NIGHT)
    expired = make_shift(guards, kronoparken, LAST_NIGHT)
    not_guards = make_shift(ungdomar, kronoparken, LAST_NIGHT)
    assert WARNING not in client.get(f"/narvaro/pass/{inside.pk}/").content.decode()
    assert WARNING in client.get(f"/narvaro/pass/{expired.pk}/").content.decode()
    assert WARNING not in client.get(f"/narvaro/pass/{not_guards.pk}/").content.decode()


def test_a_shift_in_a_sub_area_of_a_chosen_district_is_inside(
    client, coordinator, karlstad, centrum, klara, guards
):
    create_guard_area(karlstad, decision(centrum), acting_user=coordinator)
    client.force_login(coordinator)
    shift = make_shift(guards, klara, LAST_NIGHT)
    assert WARNING not in client.get(f"/narvaro/pass/{shift.pk}/").content.decode()


def report(client, user, shift, **counts):
    body = {
        "client_id": str(uuid.uuid4()),
        "met": {"13_17": 6, "18_25": 3} | counts,
        "interventions": {"talks": 4, "called_police": 1},
        "note": "Anna Svensson bråkade vid torget",
        "observations": [
            {
                "client_id": str(uuid.uuid4()),
                "category": "skadegorelse.klotter",
                "observed_at": "2026-11-21T21:40",
                "lat": 59.3800,
                "lon": 13.5030,
                "note": "Nytt klotter",
            }
        ],
    }
    url = f"/api/v1/presence/shifts/{shift.pk}/report"
    response = client.post(url, body, content_type="application/json", **bearer(user))
    assert response.status_code == 201, response.content


def test_an_events_area_is_unchanged_by_a_guard_area_over_it(
    client, coordinator, guard, karlstad, centrum, kronoparken, guards
):
    create_guard_area(karlstad, decision(centrum, kronoparken), acting_user=coordinator)
    report(client, guard, make_shift(guards, centrum, LAST_NIGHT))
    assert Event.objects.get(source=Source.SHIFT).area == centrum


@pytest.fixture
def reported(client, coordinator, guard, karlstad, centrum, kronoparken, guards, ungdomar):
    """A guard area over Centrum; reported guards' shifts in Centrum and Kronoparken, and a
    youth group's report that must never be in the export."""
    guard_area = create_guard_area(karlstad, decision(centrum), acting_user=coordinator)
    report(client, guard, make_shift(guards, centrum, LAST_NIGHT, people=3))
    report(client, guard, make_shift(guards, kronoparken, LAST_NIGHT, start=(20, 0)))
    report(client, coordinator, make_shift(ungdomar, centrum, LAST_NIGHT))
    return guard_area


def export(client, user, karlstad, **params):
    query = {"kommun": karlstad.pk, "start": "2026-11-01", "end": "2026-11-30", "format": "csv"}
    return client.get(EXPORT, query | params)


def test_the_csv_has_one_row_per_guards_shift_with_counts_and_no_names(
    client, coordinator, karlstad, reported
):
    client.force_login(coordinator)
    response = export(client, coordinator, karlstad)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode("utf-8-sig").strip().splitlines()
    head = lines[0].split(";")
    assert head[:5] == ["Datum", "Börjar", "Slutar", "Område", "Antal personer"]
    assert head[-1].startswith("Iakttagelser: ")
    rows = [line.split(";") for line in lines[1:]]
    assert [row[:5] for row in rows] == [
        ["2026-11-21", "19:00", "23:00", "Centrum", "3"],
        ["2026-11-21", "20:00", "23:00", "Kronoparken", "4"],
    ]
    # Age bands (under 13, 13–17, 18–25, over 25), then talks, referred, police, ...
    assert rows[0][5:11] == ["0", "6", "3", "0", "4", "0"]
    assert rows[0][11] == "1" and rows[0][-1] == "1"
    text = response.content.decode("utf-8-sig")
    assert "Anna" not in text and "Svensson" not in text and "ordningsvakt" not in text


def test_the_export_of_one_guard_area_has_only_its_shifts(client, coordinator, karlstad, reported):
    client.force_login(coordinator)
    response = export(client, coordinator, karlstad, guard_area=reported.pk)
    lines = response.content.decode("utf-8-sig").strip().splitlines()
    assert len(lines) == 2 and ";Centrum;" in lines[1]


def test_the_printable_page_says_what_it_is_and_the_period(client, coordinator, karlstad, reported):
    client.force_login(coordinator)
    page = export(client, coordinator, karlstad, format="html").content.decode()
    assert "Kommunala ordningsvakter i Karlstad: passrapporter" in page
    assert "2026-11-01–2026-11-30" in page and "Anna" not in page


def test_the_pdf_is_a_download_named_by_municipality_and_period(
    client, coordinator, karlstad, reported
):
    client.force_login(coordinator)
    response = export(client, coordinator, karlstad, format="pdf")
    if response.status_code == 503:
        pytest.skip("WeasyPrint cannot load Pango here")
    assert response["Content-Type"] == "application/pdf"
    assert "ordningsvakter-1780-2026-11-01-2026-11-30.pdf" in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF")


def test_a_period_ending_before_it_starts_is_refused(client, coordinator, karlstad):
    client.force_login(coordinator)
    response = export(client, coordinator, karlstad, end="2026-10-01")
    assert response.status_code == 422
    assert "Periodens sista dag kan inte vara före den första." in response.content.decode()


def test_the_export_is_for_coordinators_and_the_guards_organisation_only(
    client, guard, police_officer, karlstad, reported
):
    client.force_login(guard)
    assert export(client, guard, karlstad).status_code == 200
    client.force_login(police_officer)
    assert client.get(PAGE, {"kommun": karlstad.pk}).status_code == 200
    assert export(client, police_officer, karlstad).status_code == 403


def test_the_page_lists_valid_and_expired_areas_for_the_municipalitys_staff_only(
    client, coordinator, other_municipality_user, karlstad, centrum
):
    create_guard_area(karlstad, decision(centrum), acting_user=coordinator)
    create_guard_area(
        karlstad,
        decision(centrum, name="Gamla torget", valid_to=dt.date(2025, 1, 31)),
        acting_user=coordinator,
    )
    client.force_login(coordinator)
    page = client.get(PAGE, {"kommun": karlstad.pk}).content.decode()
    valid, expired = page.split("Har slutat gälla")
    assert "Centrum och Kronoparken" in valid and "Gamla torget" not in valid
    assert "Gamla torget" in expired
    client.force_login(other_municipality_user)
    assert client.get(PAGE, {"kommun": karlstad.pk}).status_code == 403
    assert client.get(EXPORT, {"kommun": karlstad.pk}).status_code == 403
