"""Ordningsvaktsområden changed after they were entered (issue 15, point 4): new dates, name
and outline, and an end, through the actions with an audit row per changed field; the pages for
it; and the API under /api/v1/ (list, detail, create, update, the export of the guards' reports
as JSON) with the personas: 404 outside the municipality, 403 for those who may not, 422 naming
the field with nothing written."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from trygg.core.models import AuditEntry
from trygg.organisations.tests.factories import bearer
from trygg.places.tests.factories import box, make_area
from trygg.presence.actions.guards import (
    create_guard_area,
    end_guard_area,
    input_of,
    update_guard_area,
)
from trygg.presence.models import GuardArea
from trygg.presence.tests.factories import make_shift
from trygg.presence.tests.test_guards import LAST_NIGHT, decision, report

pytestmark = [pytest.mark.django_db, pytest.mark.frozen]  # NOW: Sunday 2026-11-22 12:00

AREAS = "/api/v1/presence/guard-areas"
REPORTS = "/api/v1/presence/guard-reports"


@pytest.fixture
def guard_area(coordinator, karlstad, centrum):
    return create_guard_area(karlstad, decision(centrum), acting_user=coordinator)


def updates():
    return AuditEntry.objects.filter(object_type="presence.guardarea", action="update")


# --- the actions ---------------------------------------------------------------------------------


def test_new_dates_name_and_outline_each_leave_an_audit_row(
    coordinator, guard_area, centrum, kronoparken
):
    data = input_of(guard_area)
    data.name, data.valid_to = "Centrum och Kronoparken 2025", dt.date(2028, 9, 30)
    data.area_ids = [centrum.pk, kronoparken.pk]
    update_guard_area(guard_area, data, acting_user=coordinator)
    guard_area.refresh_from_db()
    assert guard_area.area_ids == sorted([centrum.pk, kronoparken.pk])
    assert len(guard_area.geometry["coordinates"]) == 2
    rows = {e.field: (e.old, e.new) for e in updates()}
    assert rows == {
        "name": ("Centrum och Kronoparken", "Centrum och Kronoparken 2025"),
        "valid_to": ("2027-09-30", "2028-09-30"),
        "area_ids": (str([centrum.pk]), str(sorted([centrum.pk, kronoparken.pk]))),
    }
    assert {e.actor for e in updates()} == {coordinator}


def test_saving_without_a_change_writes_no_audit_row(coordinator, guard_area):
    update_guard_area(guard_area, input_of(guard_area), acting_user=coordinator)
    assert not updates().exists()


def test_a_change_that_would_end_before_it_starts_or_leave_the_municipality_writes_nothing(
    coordinator, guard_area, karlskoga
):
    elsewhere = make_area(karlskoga, "Karlskoga centrum", box(14.51, 59.32, 14.54, 59.34))
    for change, field in (
        ({"valid_to": dt.date(2024, 1, 1)}, "valid_to"),
        ({"area_ids": [elsewhere.pk]}, "areas"),
        ({"name": " "}, "name"),
    ):
        data = input_of(guard_area)
        for name, value in change.items():
            setattr(data, name, value)
        with pytest.raises(ValidationError) as refused:
            update_guard_area(guard_area, data, acting_user=coordinator)
        assert field in refused.value.message_dict
    guard_area.refresh_from_db()
    assert guard_area.name == "Centrum och Kronoparken" and guard_area.valid_to.year == 2027
    assert not updates().exists()


def test_ending_an_area_sets_its_last_day_and_later_shifts_are_warned(
    client, coordinator, guard_area, guards, centrum
):
    end_guard_area(guard_area, dt.date(2026, 11, 20), acting_user=coordinator)
    guard_area.refresh_from_db()
    assert guard_area.valid_to == dt.date(2026, 11, 20)
    [row] = updates()
    assert (row.field, row.old, row.new) == ("valid_to", "2027-09-30", "2026-11-20")
    client.force_login(coordinator)
    shift = make_shift(guards, centrum, LAST_NIGHT)
    assert (
        "inte i något ordningsvaktsområde" in client.get(shift.get_absolute_url()).content.decode()
    )


def test_an_end_before_the_start_or_after_the_current_end_is_refused(coordinator, guard_area):
    for day in (dt.date(2024, 9, 30), dt.date(2028, 1, 1)):
        with pytest.raises(ValidationError) as refused:
            end_guard_area(guard_area, day, acting_user=coordinator)
        assert "valid_to" in refused.value.message_dict
    assert not updates().exists()


def test_only_the_coordinators_change_or_end_areas(police_officer, guard, guard_area):
    for user in (police_officer, guard):
        with pytest.raises(PermissionDenied):
            update_guard_area(guard_area, input_of(guard_area), acting_user=user)
        with pytest.raises(PermissionDenied):
            end_guard_area(guard_area, dt.date(2026, 12, 31), acting_user=user)
    assert not updates().exists()


# --- the pages ------------------------------------------------------------------------------------


def edit_url(guard_area) -> str:
    return f"/narvaro/ordningsvakter/{guard_area.pk}/andra/"


def test_the_coordinator_edits_an_area_on_its_page_in_swedish(
    client, coordinator, guard_area, centrum
):
    client.force_login(coordinator)
    listing = client.get("/narvaro/ordningsvakter/", {"kommun": guard_area.municipality_id})
    assert edit_url(guard_area) in listing.content.decode()
    page = client.get(edit_url(guard_area)).content.decode()
    assert 'value="Länsstyrelsen Värmland dnr 2024-1234"' in page and "Avsluta området" in page
    body = {
        "name": "Centrum",
        "decision_reference": "Länsstyrelsen Värmland dnr 2024-1234",
        "decided_on": "2024-09-01",
        "valid_from": "2024-10-01",
        "valid_to": "2024-09-01",
        "areas": [centrum.pk],
    }
    refused = client.post(edit_url(guard_area), body)
    assert refused.status_code == 422
    assert "Beslutet kan inte sluta gälla innan det börjar gälla." in refused.content.decode()
    assert not updates().exists()
    body["valid_to"] = ""
    assert client.post(edit_url(guard_area), body).status_code == 302
    guard_area.refresh_from_db()
    assert (guard_area.name, guard_area.valid_to) == ("Centrum", None)


def test_the_coordinator_ends_an_area_and_a_bad_day_is_refused_in_swedish(
    client, coordinator, guard_area
):
    client.force_login(coordinator)
    url = f"/narvaro/ordningsvakter/{guard_area.pk}/avsluta/"
    refused = client.post(url, {"valid_to": "2024-01-01"})
    assert refused.status_code == 422
    assert "Sista dagen kan inte ligga före den första" in refused.content.decode()
    assert client.post(url, {"valid_to": "2026-11-30"}).status_code == 302
    guard_area.refresh_from_db()
    assert guard_area.valid_to == dt.date(2026, 11, 30)


def test_others_may_not_open_the_edit_page(
    client, police_officer, other_municipality_user, guard_area
):
    client.force_login(police_officer)
    assert client.get(edit_url(guard_area)).status_code == 403
    client.force_login(other_municipality_user)
    assert client.get(edit_url(guard_area)).status_code == 404
    end = client.post(
        f"/narvaro/ordningsvakter/{guard_area.pk}/avsluta/", {"valid_to": "2026-12-1"}
    )
    assert end.status_code == 404
    guard_area.refresh_from_db()
    assert guard_area.valid_to == dt.date(2027, 9, 30)


# --- the API --------------------------------------------------------------------------------------


def get(client, user, path, **params):
    return client.get(path, params, **bearer(user))


def send(client, user, path, body, method="post"):
    return getattr(client, method)(path, body, content_type="application/json", **bearer(user))


def errors(response, status=422) -> dict[str, str]:
    assert response.status_code == status, response.content
    return {error["field"]: error["message"] for error in response.json()["detail"]}


def a_decision(*areas, **fields) -> dict:
    return {
        "municipality": "1780",
        "name": "Centrum",
        "decision_reference": "Länsstyrelsen Värmland dnr 2024-1234",
        "decided_on": "2024-09-01",
        "valid_from": "2024-10-01",
        "valid_to": "2027-09-30",
        "areas": [a.pk for a in areas],
    } | fields


def test_the_api_lists_and_reads_guard_areas_for_the_municipalitys_staff_only(
    client, police_officer, other_municipality_user, guard_area, centrum
):
    listed = get(client, police_officer, AREAS, municipality="1780").json()
    assert listed["count"] == 1
    [item] = listed["items"]
    assert item["name"] == "Centrum och Kronoparken" and item["valid_today"] is True
    assert item["areas"] == [{"id": centrum.pk, "name": "Centrum"}]
    assert item["geometry"]["type"] == "MultiPolygon"
    detail = get(client, police_officer, f"{AREAS}/{guard_area.pk}")
    assert detail.json()["decision_reference"] == "Länsstyrelsen Värmland dnr 2024-1234"
    assert get(client, other_municipality_user, AREAS).json()["count"] == 0
    assert get(client, other_municipality_user, f"{AREAS}/{guard_area.pk}").status_code == 404
    assert get(client, police_officer, AREAS, valid_on="2024-01-01").json()["count"] == 0


def test_the_coordinator_creates_one_through_the_api_audited(client, coordinator, centrum):
    response = send(client, coordinator, AREAS, a_decision(centrum))
    assert response.status_code == 201, response.content
    guard_area = GuardArea.objects.get(pk=response.json()["id"])
    assert guard_area.area_ids == [centrum.pk]
    entry = AuditEntry.objects.get(object_type="presence.guardarea", action="create")
    assert entry.actor == coordinator


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"valid_to": "2024-09-01"}, "valid_to"),
        ({"areas": []}, "areas"),
        ({"decision_reference": ""}, "decision_reference"),
        ({"municipality": "9999"}, "municipality"),
        ({"decided_on": "i går"}, "decided_on"),
        ({"colour": "blå"}, "colour"),
    ],
)
def test_bad_decisions_through_the_api_are_422_naming_the_field(
    client, coordinator, centrum, fields, field
):
    assert field in errors(send(client, coordinator, AREAS, a_decision(centrum, **fields)))
    assert not GuardArea.objects.exists()
    assert not AuditEntry.objects.filter(object_type="presence.guardarea").exists()


def test_only_the_coordinators_create_through_the_api(client, police_officer, guard, centrum):
    for user in (police_officer, guard):
        assert send(client, user, AREAS, a_decision(centrum)).status_code == 403
    assert not GuardArea.objects.exists()


def test_a_patch_changes_only_what_is_sent_and_valid_to_ends_the_area(
    client, coordinator, guard_area, centrum, kronoparken
):
    url = f"{AREAS}/{guard_area.pk}"
    body = {"areas": [centrum.pk, kronoparken.pk], "valid_to": "2026-11-30"}
    response = send(client, coordinator, url, body, "patch")
    assert response.status_code == 200, response.content
    assert response.json()["valid_to"] == "2026-11-30"
    assert [a["name"] for a in response.json()["areas"]] == ["Centrum", "Kronoparken"]
    assert response.json()["name"] == "Centrum och Kronoparken"
    assert {e.field for e in updates()} == {"valid_to", "area_ids"}


def test_bad_patches_are_422_naming_the_field_with_nothing_written(
    client, coordinator, police_officer, other_municipality_user, guard_area
):
    url = f"{AREAS}/{guard_area.pk}"
    assert "valid_to" in errors(send(client, coordinator, url, {"valid_to": "2020-01-01"}, "patch"))
    assert "name" in errors(send(client, coordinator, url, {"name": None}, "patch"))
    assert "body" in errors(send(client, coordinator, url, {}, "patch"))
    assert send(client, police_officer, url, {"name": "X"}, "patch").status_code == 403
    assert send(client, other_municipality_user, url, {"name": "X"}, "patch").status_code == 404
    assert not updates().exists()


@pytest.fixture
def reported(client, coordinator, guard, karlstad, centrum, kronoparken, guards, ungdomar):
    guard_area = create_guard_area(karlstad, decision(centrum), acting_user=coordinator)
    report(client, guard, make_shift(guards, centrum, LAST_NIGHT, people=3))
    report(client, guard, make_shift(guards, kronoparken, LAST_NIGHT, start=(20, 0)))
    report(client, coordinator, make_shift(ungdomar, centrum, LAST_NIGHT))
    return guard_area


def test_the_json_export_has_a_row_per_guards_shift_with_counts_and_no_names(
    client, guard, reported
):
    response = get(
        client, guard, REPORTS, municipality="1780", start="2026-11-01", end="2026-11-30"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == 2
    first = body["items"][0]
    assert (first["day"], first["start"], first["end"], first["area"], first["people"]) == (
        "2026-11-21",
        "19:00",
        "23:00",
        "Centrum",
        3,
    )
    assert first["met"] == {"under_13": 0, "13_17": 6, "18_25": 3, "over_25": 0}
    assert first["interventions"]["talks"] == 4 and first["interventions"]["called_police"] == 1
    assert first["observed"] == {"skadegorelse.klotter": 1}
    assert (
        "Anna" not in response.content.decode() and "ordningsvakt" not in response.content.decode()
    )
    one = get(client, guard, REPORTS, municipality="1780", start="2026-11-01", end="2026-11-30",
              guard_area=reported.pk).json()  # fmt: skip
    assert [row["area"] for row in one["items"]] == ["Centrum"]


def test_the_json_export_refuses_bad_periods_and_people_who_may_not(
    client, guard, police_officer, other_municipality_user, reported
):
    period = {"municipality": "1780", "start": "2026-11-01", "end": "2026-11-30"}
    assert "end" in errors(get(client, guard, REPORTS, **(period | {"end": "2026-10-01"})))
    assert "guard_area" in errors(get(client, guard, REPORTS, **(period | {"guard_area": 99999})))
    assert "start" in errors(get(client, guard, REPORTS, **(period | {"start": "i går"})))
    assert get(client, police_officer, REPORTS, **period).status_code == 403
    assert "municipality" in errors(get(client, other_municipality_user, REPORTS, **period))
