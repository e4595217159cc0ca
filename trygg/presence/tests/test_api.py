"""The presence API with the personas: who reads (the municipality's staff; 404 or nothing
for another municipality), who writes (403 with the reason), the actions' checks as JSON by
field with nothing written, clashes as warnings in the answer, and the OpenAPI document."""

from __future__ import annotations

import datetime as dt

import pytest

from trygg.core.models import AuditEntry
from trygg.core.tests.clock import TODAY
from trygg.organisations.tests.factories import bearer
from trygg.presence.models import PresenceGroup, Shift, ShiftState
from trygg.presence.tests.factories import make_shift

pytestmark = pytest.mark.frozen

FRIDAY = dt.date(2026, 11, 27)
SHIFTS = "/api/v1/presence/shifts"
GROUPS = "/api/v1/presence/groups"


def get(client, user, path, **params):
    return client.get(path, params, **bearer(user))


def send(client, user, method, path, body):
    return getattr(client, method)(path, body, content_type="application/json", **bearer(user))


def errors(response, status=422) -> dict[str, str]:
    assert response.status_code == status, response.content
    return {error["field"]: error["message"] for error in response.json()["detail"]}


def a_shift(group_row, area_row, **fields) -> dict:
    return {
        "municipality": "1780",
        "group": group_row.pk,
        "area": area_row.pk,
        "starts_at": "2026-11-27T19:00",
        "ends_at": "2026-11-28T01:00",
        "people": 6,
    } | fields


# --- reading shifts ----------------------------------------------------------------------------


def test_the_staff_list_shifts_with_their_clashes(
    client, police_officer, centrum, klara, ungdomar, walkers
):
    youth = make_shift(ungdomar, centrum, FRIDAY)
    night = make_shift(walkers, klara, FRIDAY, start=(22, 0), end=(1, 0), people=3)
    body = get(client, police_officer, SHIFTS).json()
    assert body["count"] == 2
    first, second = body["items"]
    assert (first["id"], first["group"]["name"], first["people"]) == (
        youth.pk,
        "Ungdomar för trygghet",
        4,
    )
    assert first["starts_at"] == "2026-11-27T19:00:00+01:00"
    assert [c["id"] for c in first["clashes"]] == [night.pk]
    assert second["clashes"][0]["group"]["name"] == "Ungdomar för trygghet"


def test_the_filters_by_group_area_and_time(
    client, coordinator, centrum, klara, kronoparken, ungdomar, walkers
):
    in_klara = make_shift(walkers, klara, FRIDAY)
    in_kronoparken = make_shift(ungdomar, kronoparken, FRIDAY + dt.timedelta(days=1))
    earlier = make_shift(ungdomar, centrum, TODAY)

    def ids(**params):
        return [item["id"] for item in get(client, coordinator, SHIFTS, **params).json()["items"]]

    assert ids(group=ungdomar.pk) == [earlier.pk, in_kronoparken.pk]
    assert ids(area=centrum.pk) == [earlier.pk, in_klara.pk]  # Klara lies in Centrum
    assert ids(**{"from": "2026-11-27", "to": "2026-11-27"}) == [in_klara.pk]
    assert ids(municipality="1780", state="planned") == [earlier.pk, in_klara.pk, in_kronoparken.pk]


def test_bad_filters_are_named(client, coordinator):
    response = get(client, coordinator, SHIFTS, municipality="9999", group=999, area=999)
    assert set(errors(response)) == {"municipality", "group", "area"}
    assert set(errors(get(client, coordinator, SHIFTS, **{"from": "igår"}))) == {"from"}
    assert set(errors(get(client, coordinator, SHIFTS, state="kanske"))) == {"state"}


def test_another_municipality_sees_none_of_karlstads_shifts(
    client, other_municipality_user, centrum, ungdomar
):
    shift = make_shift(ungdomar, centrum, FRIDAY)
    assert get(client, other_municipality_user, SHIFTS).json()["count"] == 0
    assert get(client, other_municipality_user, f"{SHIFTS}/{shift.pk}").status_code == 404


def test_without_a_token_the_api_answers_401(client, db):
    assert client.get(SHIFTS).status_code == 401


# --- planning ----------------------------------------------------------------------------------


def test_a_shift_is_planned_audited_and_answered_with_its_clash(
    client, coordinator, centrum, ungdomar, walkers
):
    other = make_shift(walkers, centrum, FRIDAY, start=(22, 0), end=(23, 0))
    response = send(client, coordinator, "post", SHIFTS, a_shift(ungdomar, centrum))
    assert response.status_code == 201, response.content
    body = response.json()
    shift = Shift.objects.get(pk=body["id"])
    assert shift.ends_at - shift.starts_at == dt.timedelta(hours=6)
    assert [c["id"] for c in body["clashes"]] == [other.pk]
    assert AuditEntry.objects.filter(object_id=str(shift.pk), action="create").exists()


@pytest.mark.parametrize(
    "fields, field, message",
    [
        ({"ends_at": "2026-11-27T18:00"}, "ends_at", "Passet måste sluta efter att det börjar."),
        ({"people": 0}, "people", "Ange hur många som går passet, minst 1."),
        ({"people": -2}, "people", "Ange hur många som går passet, minst 1."),
        ({"starts_at": 1795000000}, "starts_at", "Ange tidpunkten som text i ISO 8601-format."),
        ({"area": 999999}, "area", "Okänt område."),
        ({"group": 999999}, "group", "Okänd grupp."),
        ({"name": "Kalle"}, "name", "Okänt fält."),
    ],
)
def test_bad_input_is_refused_by_field_and_nothing_is_written(
    client, coordinator, centrum, ungdomar, fields, field, message
):
    response = send(client, coordinator, "post", SHIFTS, a_shift(ungdomar, centrum, **fields))
    assert errors(response)[field] == message
    assert not Shift.objects.exists()


def test_an_area_of_another_municipality_is_refused(
    client, coordinator, karlskoga_centrum, ungdomar
):
    response = send(client, coordinator, "post", SHIFTS, a_shift(ungdomar, karlskoga_centrum))
    assert errors(response) == {"area": "Området ligger utanför Karlstad kommun."}
    assert not Shift.objects.exists()


def test_a_group_of_another_municipality_is_refused(client, coordinator, centrum, karlskoga_group):
    response = send(client, coordinator, "post", SHIFTS, a_shift(karlskoga_group, centrum))
    assert errors(response) == {"group": "Gruppen hör till en annan kommun."}
    assert not Shift.objects.exists()


def test_a_member_of_another_organisation_is_refused_403(client, volunteer, centrum, ungdomar):
    response = send(client, volunteer, "post", SHIFTS, a_shift(ungdomar, centrum))
    assert response.status_code == 403
    assert "gruppens organisation" in response.json()["detail"]
    assert not Shift.objects.exists()


def test_a_change_sends_only_what_changes(client, volunteer, centrum, walkers):
    shift = make_shift(walkers, centrum, FRIDAY)
    response = send(client, volunteer, "patch", f"{SHIFTS}/{shift.pk}", {"people": 9})
    assert response.status_code == 200 and response.json()["people"] == 9
    shift.refresh_from_db()
    assert shift.people == 9 and shift.area == centrum
    [entry] = AuditEntry.objects.filter(object_type="presence.shift", object_id=str(shift.pk))
    assert (entry.field, entry.old, entry.new) == ("people", 4, 9)


def test_a_change_cannot_empty_a_field_or_send_nothing(client, coordinator, centrum, ungdomar):
    shift = make_shift(ungdomar, centrum, FRIDAY)
    assert "area" in errors(
        send(client, coordinator, "patch", f"{SHIFTS}/{shift.pk}", {"area": None})
    )
    assert "body" in errors(send(client, coordinator, "patch", f"{SHIFTS}/{shift.pk}", {}))
    late = {"starts_at": "2026-11-28T02:00"}  # after the shift's end
    assert errors(send(client, coordinator, "patch", f"{SHIFTS}/{shift.pk}", late)) == {
        "ends_at": "Passet måste sluta efter att det börjar."
    }
    assert not AuditEntry.objects.filter(object_type="presence.shift").exists()


def test_cancelling_through_the_api(client, coordinator, centrum, ungdomar):
    shift = make_shift(ungdomar, centrum, FRIDAY)
    path = f"{SHIFTS}/{shift.pk}/cancel"
    assert "reason" in errors(send(client, coordinator, "post", path, {"reason": ""}))
    response = send(client, coordinator, "post", path, {"reason": "Julmarknad, polisen tar torget"})
    assert response.status_code == 200
    assert response.json()["state"] == "cancelled"
    assert response.json()["cancel_reason"] == "Julmarknad, polisen tar torget"
    again = send(client, coordinator, "post", path, {"reason": "igen"})
    assert "state" in errors(again)
    shift.refresh_from_db()
    assert shift.state == ShiftState.CANCELLED


def test_a_series_through_the_api_is_all_or_nothing(client, coordinator, centrum, ungdomar):
    series = {
        "municipality": "1780",
        "group": ungdomar.pk,
        "area": centrum.pk,
        "weekdays": [5, 6],
        "start_time": "19:00",
        "end_time": "01:00",
        "first_day": "2026-11-23",
        "weeks": 4,
        "people": 6,
    }
    bad = send(client, coordinator, "post", "/api/v1/presence/series", series | {"people": 0})
    assert set(errors(bad)) == {"people"}
    assert not Shift.objects.exists()
    response = send(client, coordinator, "post", "/api/v1/presence/series", series)
    assert response.status_code == 201, response.content
    body = response.json()
    assert len(body["shifts"]) == 8 and body["weekdays"] == [5, 6]
    assert body["shifts"][0]["ends_at"] == "2026-11-28T01:00:00+01:00"


# --- groups ------------------------------------------------------------------------------------


def test_groups_are_listed_and_read_by_the_staff(client, housing_reporter, ungdomar, walkers):
    body = get(client, housing_reporter, GROUPS, municipality="1780").json()
    assert [g["name"] for g in body["items"]] == ["Nattvandrarna", "Ungdomar för trygghet"]
    one = get(client, housing_reporter, f"{GROUPS}/{walkers.pk}").json()
    assert (one["kind"], one["organisation"]["code"]) == ("night_walkers", "nattvandrarna-karlstad")


def test_another_municipality_cannot_read_a_group(client, other_municipality_user, ungdomar):
    assert get(client, other_municipality_user, f"{GROUPS}/{ungdomar.pk}").status_code == 404


def test_an_association_sets_up_its_group_through_the_api(client, volunteer, nattvandrarna):
    body = {
        "municipality": "1780",
        "organisation": "nattvandrarna-karlstad",
        "kind": "night_walkers",
        "name": "Nattvandrarna Kronoparken",
    }
    response = send(client, volunteer, "post", GROUPS, body)
    assert response.status_code == 201, response.content
    assert PresenceGroup.objects.get().organisation == nattvandrarna


def test_a_group_for_another_organisation_or_municipality_is_refused(
    client, volunteer, coordinator, kommunen, karlskoga_kommun
):
    body = {"municipality": "1780", "kind": "youth", "name": "Unga"}
    refused = send(client, volunteer, "post", GROUPS, body | {"organisation": kommunen.code})
    assert refused.status_code == 403
    elsewhere = send(
        client, coordinator, "post", GROUPS, body | {"organisation": karlskoga_kommun.code}
    )
    assert errors(elsewhere) == {"organisation": "Organisationen hör till en annan kommun."}
    assert not PresenceGroup.objects.exists()


def test_a_group_is_renamed_and_a_taken_name_refused(client, coordinator, ungdomar, walkers):
    path = f"{GROUPS}/{ungdomar.pk}"
    taken = send(client, coordinator, "patch", path, {"name": "Nattvandrarna"})
    assert set(errors(taken)) == {"name"}
    response = send(client, coordinator, "patch", path, {"name": "UFT Karlstad", "active": False})
    assert response.status_code == 200
    assert (response.json()["name"], response.json()["active"]) == ("UFT Karlstad", False)


def test_the_openapi_document_describes_the_presence_endpoints(client, coordinator):
    paths = get(client, coordinator, "/api/v1/openapi.json").json()["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/presence/shifts"])
    assert "patch" in paths["/api/v1/presence/shifts/{shift_id}"]
    assert "post" in paths["/api/v1/presence/shifts/{shift_id}/cancel"]
    assert "post" in paths["/api/v1/presence/series"]
    assert {"get", "post"} <= set(paths["/api/v1/presence/groups"])
