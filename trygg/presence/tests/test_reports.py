"""The shift report through the API, with the personas: filed once whatever the retries,
observations as scrubbed events with source `shift`, the shift marked held, a correction that
replaces it with audit rows, and every refusal with nothing written."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from trygg.core.models import AuditEntry
from trygg.events.models import Event, Source
from trygg.organisations.tests.factories import bearer
from trygg.presence.models import ShiftObservation, ShiftReport, ShiftState
from trygg.presence.tests.factories import make_shift

pytestmark = pytest.mark.frozen  # NOW: Sunday 2026-11-22 12:00

LAST_NIGHT = dt.date(2026, 11, 21)


def url(shift_id: int) -> str:
    return f"/api/v1/presence/shifts/{shift_id}/report"


def send(client, user, shift_id, body, method="post"):
    call = getattr(client, method)
    return call(url(shift_id), body, content_type="application/json", **bearer(user))


def errors(response, status=422) -> dict[str, str]:
    assert response.status_code == status, response.content
    return {error["field"]: error["message"] for error in response.json()["detail"]}


def a_report(**fields) -> dict:
    return {
        "client_id": str(uuid.uuid4()),
        "met": {"under_13": 2, "13_17": 14, "18_25": 5, "over_25": 3},
        "interventions": {"talks": 9, "called_police": 1},
        "note": "Lugnt vid torget, ring 070-123 45 67 om något",
        "observations": [
            {
                "client_id": str(uuid.uuid4()),
                "category": "skadegorelse.klotter",
                "observed_at": "2026-11-21T21:40",
                "lat": 59.3800,
                "lon": 13.5030,
                "note": "Nytt klotter, anmälare 19850412-1230",
            }
        ],
    } | fields


@pytest.fixture
def shift(ungdomar, centrum):
    return make_shift(ungdomar, centrum, LAST_NIGHT, start=(19, 0), end=(23, 0))


def nothing_written(shift) -> None:
    assert not ShiftReport.objects.exists()
    assert not Event.objects.filter(source=Source.SHIFT).exists()
    shift.refresh_from_db()
    assert shift.state == ShiftState.PLANNED


def test_a_report_is_stored_with_its_observation_as_a_scrubbed_event_and_the_shift_held(
    client, coordinator, shift, centrum
):
    response = send(client, coordinator, shift.pk, a_report())
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["met"] == {"under_13": 2, "13_17": 14, "18_25": 5, "over_25": 3}
    assert body["met_total"] == 24
    assert body["interventions"]["talks"] == 9 and body["interventions"]["first_aid"] == 0
    report = ShiftReport.objects.get()
    assert "070" not in report.note and report.was_scrubbed
    event = Event.objects.get(source=Source.SHIFT)
    assert "19850412" not in event.description and event.was_scrubbed
    assert event.organisation == shift.group.organisation and event.area == centrum
    assert ShiftObservation.objects.get().event == event
    assert [o["event_id"] for o in body["observations"]] == [event.pk]
    shift.refresh_from_db()
    assert shift.state == ShiftState.HELD
    audited = set(AuditEntry.objects.values_list("object_type", "action"))
    assert {("presence.shiftreport", "create"), ("events.event", "create")} <= audited
    assert ("presence.shift", "update") in audited


def test_a_report_sent_again_is_stored_once(client, coordinator, shift):
    body = a_report()
    first = send(client, coordinator, shift.pk, body)
    again = send(client, coordinator, shift.pk, body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["client_id"] == body["client_id"]
    assert ShiftReport.objects.count() == 1
    assert Event.objects.filter(source=Source.SHIFT).count() == 1


def test_an_observation_without_a_position_lies_in_the_shifts_area(
    client, coordinator, shift, centrum
):
    observation = {"client_id": str(uuid.uuid4()), "category": "skadegorelse.klotter"}
    response = send(client, coordinator, shift.pk, a_report(observations=[observation]))
    assert response.status_code == 201, response.content
    event = Event.objects.get(source=Source.SHIFT)
    assert event.area == centrum and event.precision_m > 25
    assert event.occurred_from == shift.ends_at  # the shift's end, already past


def test_negative_counts_are_refused_by_field_and_nothing_is_written(client, coordinator, shift):
    body = a_report(met={"13_17": -3}, interventions={"talks": -1, "hugs": 2})
    found = errors(send(client, coordinator, shift.pk, body))
    assert found["met.13_17"].startswith("Ange ett antal från 0")
    assert "interventions.talks" in found and found["interventions.hugs"] == "Okänt fält."
    nothing_written(shift)


def test_a_cancelled_shift_cannot_be_reported(client, coordinator, shift):
    shift.state = ShiftState.CANCELLED
    shift.save()
    found = errors(send(client, coordinator, shift.pk, a_report()))
    assert found["shift"] == "Passet är inställt och kan inte rapporteras."
    assert not ShiftReport.objects.exists() and not Event.objects.exists()


def test_a_shift_that_has_not_started_cannot_be_reported(client, coordinator, ungdomar, centrum):
    tonight = make_shift(ungdomar, centrum, dt.date(2026, 11, 22))
    found = errors(send(client, coordinator, tonight.pk, a_report()))
    assert found["shift"] == "Passet har inte börjat än."
    nothing_written(tonight)


def test_a_report_for_a_shift_that_does_not_exist_is_404_with_the_reason(client, coordinator):
    response = send(client, coordinator, 999_999, a_report())
    assert response.status_code == 404
    assert response.json()["detail"].startswith("Passet finns inte")
    assert not ShiftReport.objects.exists()


def test_another_groups_organisation_is_refused_and_another_municipality_finds_nothing(
    client, police_officer, other_municipality_user, shift
):
    response = send(client, police_officer, shift.pk, a_report())
    assert response.status_code == 403
    assert "Karlstads kommun" in response.json()["detail"]
    assert send(client, other_municipality_user, shift.pk, a_report()).status_code == 404
    nothing_written(shift)


def test_an_observation_outside_the_municipality_refuses_the_whole_report(
    client, coordinator, shift
):
    outside = a_report()["observations"][0] | {"lat": 59.33, "lon": 14.52}  # Karlskoga
    found = errors(send(client, coordinator, shift.pk, a_report(observations=[outside])))
    assert found["observations.0.lat"] == (
        "Iakttagelse 1: Positionen ligger utanför Karlstad kommun."
    )
    nothing_written(shift)


def test_a_second_phone_cannot_file_another_report_for_the_same_shift(client, coordinator, shift):
    assert send(client, coordinator, shift.pk, a_report()).status_code == 201
    found = errors(send(client, coordinator, shift.pk, a_report()))
    assert found["shift"].startswith("Passet har redan en rapport")
    assert ShiftReport.objects.count() == 1


def test_a_post_needs_the_phones_id(client, coordinator, shift):
    found = errors(send(client, coordinator, shift.pk, a_report(client_id=None)))
    assert found == {"client_id": "Fältet måste anges."}
    nothing_written(shift)


def test_a_correction_replaces_the_counts_with_audit_rows_and_adds_new_observations(
    client, coordinator, shift
):
    body = a_report()
    send(client, coordinator, shift.pk, body)
    added = {"client_id": str(uuid.uuid4()), "category": "ordning.brak"}
    correction = body | {
        "met": {"13_17": 12},
        "interventions": {"talks": 9, "called_police": 1},
        "observations": [*body["observations"], added],
    }
    response = send(client, coordinator, shift.pk, correction, method="put")
    assert response.status_code == 200, response.content
    assert response.json()["met"] == {"under_13": 0, "13_17": 12, "18_25": 0, "over_25": 0}
    assert Event.objects.filter(source=Source.SHIFT).count() == 2
    report = ShiftReport.objects.get()
    changes = AuditEntry.objects.filter(
        object_type="presence.shiftreport", object_id=report.pk, action="update"
    )
    assert set(changes.values_list("field", flat=True)) == {
        "met_under_13",
        "met_13_17",
        "met_18_25",
        "met_over_25",
    }


def test_a_refused_correction_keeps_the_report_as_it_was(client, coordinator, shift):
    body = a_report()
    send(client, coordinator, shift.pk, body)
    found = errors(send(client, coordinator, shift.pk, body | {"met": {"18_25": -1}}, "put"))
    assert "met.18_25" in found
    assert ShiftReport.objects.get().met_18_25 == 5


def test_the_staff_of_the_municipality_read_the_report(client, coordinator, police_officer, shift):
    send(client, coordinator, shift.pk, a_report())
    response = client.get(url(shift.pk), **bearer(police_officer))
    assert response.status_code == 200
    assert response.json()["met_total"] == 24
    assert len(response.json()["observations"]) == 1  # partners' visibility


def test_a_shift_without_a_report_says_so(client, coordinator, shift):
    response = client.get(url(shift.pk), **bearer(coordinator))
    assert response.status_code == 404
    assert response.json()["detail"] == "Passet har ingen rapport än."


def test_the_report_holds_counts_and_no_person():
    columns = {f.name for f in ShiftReport._meta.get_fields()}
    assert columns == {
        "id",
        "shift",
        "municipality",  # the shift's, copied
        "client_id",
        "met_under_13",
        "met_13_17",
        "met_18_25",
        "met_over_25",
        "talks",
        "referred_to_adult",
        "called_police",
        "called_rescue",
        "first_aid",
        "mediated",
        "other_interventions",
        "note",
        "was_scrubbed",
        "reported_by",  # a user of the system, as on every record
        "created_at",
        "updated_at",
        "observations",
    }


def test_a_filed_report_and_its_observation_carry_the_shifts_municipality(
    client, coordinator, shift, karlstad
):
    response = send(client, coordinator, shift.pk, a_report())
    assert response.status_code == 201, response.content
    report = ShiftReport.objects.get()
    observation = ShiftObservation.objects.get()
    assert report.municipality_id == shift.municipality_id == karlstad.pk
    assert observation.municipality_id == report.municipality_id


def test_the_phone_ids_are_unique_within_a_municipality_as_sharded_on_citus(
    client, coordinator, other_municipality_user, shift, karlskoga_group, karlskoga_centrum
):
    """The report's and the observation's ids are unique in their shift's municipality, where
    a repeat always arrives (the key Citus can keep): another municipality's shift with the
    same ids is its own report, not a repeat and not refused."""
    body = a_report()
    assert send(client, coordinator, shift.pk, body).status_code == 201
    there = make_shift(karlskoga_group, karlskoga_centrum, LAST_NIGHT, start=(19, 0), end=(23, 0))
    observation = body["observations"][0] | {"lat": 59.33, "lon": 14.52}
    response = send(
        client, other_municipality_user, there.pk, body | {"observations": [observation]}
    )
    assert response.status_code == 201, response.content
    assert ShiftReport.objects.filter(client_id=body["client_id"]).count() == 2
    assert {r.municipality_id for r in ShiftReport.objects.all()} == {
        shift.municipality_id,
        there.municipality_id,
    }
    events = Event.objects.filter(source=Source.SHIFT, external_id=observation["client_id"])
    assert events.count() == 2
