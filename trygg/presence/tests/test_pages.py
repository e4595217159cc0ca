"""The presence pages with the personas: the calendar (tonight, the weeks ahead, clashes,
uncovered evenings, the map), planning a shift and a series, cancelling, the groups, and who
is refused."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from trygg.core.models import AuditEntry
from trygg.core.tests.clock import TODAY
from trygg.presence.models import PresenceGroup, Shift, ShiftState
from trygg.presence.tests.factories import make_shift

pytestmark = pytest.mark.frozen

FRIDAY = dt.date(2026, 11, 27)
CALENDAR = "/narvaro/"


def page(client, user, path, **params):
    client.force_login(user)
    return client.get(path, params)


def post(client, user, path, data):
    client.force_login(user)
    return client.post(path, data)


def text(response) -> str:
    return response.content.decode()


def shift_form(group, area, **fields) -> dict:
    return {
        "group": group.pk,
        "area": area.pk,
        "day": "2026-11-27",
        "start_time": "21:00",
        "end_time": "01:00",
        "people": "5",
        "note": "",
    } | fields


# --- the calendar ------------------------------------------------------------------------------


def test_the_staff_see_tonight_and_the_weeks_ahead_with_clashes_and_empty_evenings(
    client, police_officer, centrum, klara, ungdomar, walkers
):
    make_shift(ungdomar, centrum, TODAY, start=(19, 0), end=(23, 0), people=6)
    make_shift(walkers, klara, TODAY, start=(22, 0), end=(1, 0), people=3)
    response = page(client, police_officer, CALENDAR)
    assert response.status_code == 200
    body = text(response)
    assert "I kväll, söndag 22 november" in body
    assert "Ungdomar för trygghet" in body and "Nattvandrarna" in body
    assert body.count("Varning:") == 2
    assert "ingen ute kl. 18–02" in body  # the evenings of the coming weeks are all empty
    assert "Kvällar utan pass per område" in body
    assert "alla utom sön 22/11" in body  # Centrum and Klara: covered tonight only


def test_the_map_of_tonight_has_each_area_with_its_shifts(client, coordinator, centrum, ungdomar):
    make_shift(ungdomar, centrum, TODAY, people=6)
    make_shift(ungdomar, centrum, FRIDAY)
    response = page(client, coordinator, CALENDAR)
    config = response.context["map_config"]
    [area] = config["areas"]
    assert (area["id"], area["name"]) == (centrum.pk, "Centrum")
    assert area["geometry"] == centrum.geometry
    assert [(s["group"], s["time"], s["people"]) for s in area["shifts"]] == [
        ("Ungdomar för trygghet", "19:00–23:00", 6)
    ]
    assert 'id="tonight-map-config"' in text(response)


def test_an_evening_without_shifts_tonight_says_nobody_is_out(client, coordinator, karlstad):
    body = text(page(client, coordinator, CALENDAR))
    assert "Ingen är ute i kväll kl. 18–02." in body
    assert "Inga pass i kväll." in body


def test_the_filters_narrow_the_list(
    client, coordinator, centrum, kronoparken, ungdomar, foot_patrol
):
    make_shift(ungdomar, centrum, FRIDAY)
    make_shift(foot_patrol, kronoparken, FRIDAY)
    body = text(page(client, coordinator, CALENDAR, omrade=kronoparken.pk))
    assert "Polisens fotpatrull" in body
    assert f"/narvaro/grupper/{ungdomar.pk}/" not in body


def test_the_menu_has_presence_for_staff(client, housing_reporter):
    body = text(page(client, housing_reporter, CALENDAR))
    assert '<a href="/narvaro/" aria-current="page">Närvaro</a>' in body


def test_someone_in_no_organisation_has_no_calendar(client, db):
    nobody = get_user_model().objects.create_user("ingen", password="x")
    response = page(client, nobody, CALENDAR)
    assert response.status_code == 403
    assert "Närvaro</a>" not in text(response)


def test_another_municipalitys_calendar_is_refused(client, other_municipality_user, karlstad):
    assert page(client, other_municipality_user, CALENDAR, kommun=karlstad.pk).status_code == 403


def test_without_logging_in_the_calendar_asks_for_it(client, db):
    response = client.get(CALENDAR)
    assert response.status_code == 302 and "/konto/logga-in/" in response["Location"]


# --- planning ----------------------------------------------------------------------------------


def test_a_shift_planned_on_the_page_runs_past_midnight_and_warns_of_a_clash(
    client, coordinator, centrum, ungdomar, walkers
):
    make_shift(walkers, centrum, FRIDAY, start=(22, 0), end=(23, 30))
    response = post(client, coordinator, "/narvaro/pass/nytt/", shift_form(ungdomar, centrum))
    shift = Shift.objects.get(group=ungdomar)
    assert response.status_code == 302 and response["Location"] == shift.get_absolute_url()
    assert shift.ends_at - shift.starts_at == dt.timedelta(hours=4)
    assert AuditEntry.objects.filter(object_id=str(shift.pk), action="create").exists()
    body = text(client.get(response["Location"]))
    assert "Passet är planerat." in body
    assert "Obs! Nattvandrarna har också ett pass i Centrum" in body
    assert "Samtidigt i samma område" in body


def test_bad_input_on_the_page_is_shown_by_field_and_nothing_is_written(
    client, coordinator, centrum, ungdomar
):
    data = shift_form(ungdomar, centrum, people="0")
    response = post(client, coordinator, "/narvaro/pass/nytt/", data)
    assert response.status_code == 400
    assert "Ange hur många som går passet, minst 1." in text(response)
    assert not Shift.objects.exists()


def test_the_same_start_and_end_is_refused_on_the_page(client, coordinator, centrum, ungdomar):
    data = shift_form(ungdomar, centrum, start_time="21:00", end_time="21:00")
    response = post(client, coordinator, "/narvaro/pass/nytt/", data)
    assert response.status_code == 400
    assert "Passet måste sluta efter att det börjar." in text(response)
    assert not Shift.objects.exists()


def test_an_area_of_another_municipality_is_not_offered(
    client, coordinator, karlskoga_centrum, ungdomar
):
    data = shift_form(ungdomar, karlskoga_centrum)
    response = post(client, coordinator, "/narvaro/pass/nytt/", data)
    assert response.status_code == 400
    assert "Välj ett av kommunens områden." in text(response)
    assert not Shift.objects.exists()


def test_an_association_is_offered_only_its_own_groups(client, volunteer, ungdomar, walkers):
    form = page(client, volunteer, "/narvaro/pass/nytt/").context["form"]
    assert list(form.fields["group"].queryset) == [walkers]


def test_a_reader_gets_no_planning_form(client, analyst, ungdomar):
    assert page(client, analyst, "/narvaro/pass/nytt/").status_code == 403


def test_a_series_planned_on_the_page_lands_on_the_groups_page(client, volunteer, centrum, walkers):
    data = {
        "group": walkers.pk,
        "area": centrum.pk,
        "weekdays": ["5", "6"],
        "start_time": "20:00",
        "end_time": "00:30",
        "first_day": "2026-11-23",
        "weeks": "4",
        "people": "4",
    }
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from trygg.organisations.tests.one_shard import joins_without_municipality

    with CaptureQueriesContext(connection) as queries:
        response = post(client, volunteer, "/narvaro/pass/serie/", data)
    assert response.status_code == 302 and response["Location"] == walkers.get_absolute_url()
    assert walkers.shifts.count() == 8
    # The series' shifts are read back with their groups joined in the municipality (Citus).
    assert joins_without_municipality([q["sql"] for q in queries.captured_queries]) == []
    body = text(client.get(response["Location"]))
    assert "8 pass är planerade." in body
    assert "Fredag 27 november" in body


def test_a_series_without_weekdays_plans_nothing(client, coordinator, centrum, ungdomar):
    data = {"group": ungdomar.pk, "area": centrum.pk, "start_time": "20:00", "end_time": "23:00"}
    response = post(client, coordinator, "/narvaro/pass/serie/", data | {"weeks": "4"})
    assert response.status_code == 400
    assert "Välj minst en veckodag." in text(response)
    assert not Shift.objects.exists()


# --- a shift's page ------------------------------------------------------------------------------


def test_cancelling_on_the_page_needs_a_reason(client, coordinator, centrum, ungdomar):
    shift = make_shift(ungdomar, centrum, FRIDAY)
    path = f"/narvaro/pass/{shift.pk}/stall-in/"
    response = post(client, coordinator, path, {"reason": ""})
    assert response.status_code == 400 and "Skriv varför passet ställs in." in text(response)
    response = post(client, coordinator, path, {"reason": "Ledarna är sjuka"})
    shift.refresh_from_db()
    assert response.status_code == 302 and shift.state == ShiftState.CANCELLED
    assert "Ledarna är sjuka" in text(client.get(shift.get_absolute_url()))


def test_another_organisation_sees_a_shift_but_cannot_change_it(
    client, volunteer, centrum, ungdomar
):
    shift = make_shift(ungdomar, centrum, FRIDAY)
    body = text(page(client, volunteer, shift.get_absolute_url()))
    assert "Ungdomar för trygghet" in body and "Ändra passet" not in body
    assert page(client, volunteer, f"/narvaro/pass/{shift.pk}/andra/").status_code == 403
    assert (
        post(client, volunteer, f"/narvaro/pass/{shift.pk}/stall-in/", {"reason": "x"}).status_code
        == 403
    )


def test_a_shift_in_another_municipality_is_not_found(
    client, coordinator, karlskoga_centrum, karlskoga_group
):
    shift = make_shift(karlskoga_group, karlskoga_centrum, FRIDAY)
    assert page(client, coordinator, shift.get_absolute_url()).status_code == 404


def test_last_nights_shift_is_marked_held_from_its_page(client, coordinator, centrum, ungdomar):
    shift = make_shift(ungdomar, centrum, TODAY - dt.timedelta(days=1))
    assert "Markera som genomfört" in text(page(client, coordinator, shift.get_absolute_url()))
    post(client, coordinator, f"/narvaro/pass/{shift.pk}/genomfort/", {})
    shift.refresh_from_db()
    assert shift.state == ShiftState.HELD


def test_a_shift_is_changed_on_its_edit_page(client, coordinator, centrum, kronoparken, ungdomar):
    shift = make_shift(ungdomar, centrum, FRIDAY)
    form = page(client, coordinator, f"/narvaro/pass/{shift.pk}/andra/").context["form"]
    assert form.initial["start_time"] == dt.time(19) and "group" not in form.fields
    data = {
        "area": kronoparken.pk,
        "day": "2026-11-27",
        "start_time": "19:00",
        "end_time": "22:00",
        "people": "7",
    }
    response = post(client, coordinator, f"/narvaro/pass/{shift.pk}/andra/", data)
    shift.refresh_from_db()
    assert response.status_code == 302 and (shift.area, shift.people) == (kronoparken, 7)


# --- groups --------------------------------------------------------------------------------------


def test_the_coordinator_sets_a_group_up_on_the_page(client, coordinator, kommunen):
    data = {"organisation": kommunen.pk, "kind": "municipal_guards", "name": "Kommunväktarna"}
    response = post(client, coordinator, "/narvaro/grupper/ny/", data)
    group = PresenceGroup.objects.get()
    assert response.status_code == 302 and response["Location"] == group.get_absolute_url()
    assert (group.name, group.active) == ("Kommunväktarna", True)


def test_a_volunteer_is_offered_only_their_own_organisation(client, volunteer, nattvandrarna):
    form = page(client, volunteer, "/narvaro/grupper/ny/").context["form"]
    assert list(form.fields["organisation"].queryset) == [nattvandrarna]


def test_the_group_list_and_page_show_the_coming_shifts(client, police_officer, centrum, ungdomar):
    make_shift(ungdomar, centrum, FRIDAY)
    listing = page(client, police_officer, "/narvaro/grupper/")
    assert [g.upcoming for g in listing.context["groups"]] == [1]
    body = text(page(client, police_officer, ungdomar.get_absolute_url()))
    assert "Fredag 27 november" in body and "Ändra gruppen" not in body


def test_taking_a_group_out_of_use_on_its_page(client, coordinator, ungdomar):
    data = {"kind": "youth", "name": "Ungdomar för trygghet"}  # the box left unticked
    response = post(client, coordinator, f"/narvaro/grupper/{ungdomar.pk}/andra/", data)
    ungdomar.refresh_from_db()
    assert response.status_code == 302 and not ungdomar.active


def test_another_organisation_cannot_change_a_group_on_the_page(client, volunteer, ungdomar):
    data = {"kind": "youth", "name": "Våra"}
    assert (
        post(client, volunteer, f"/narvaro/grupper/{ungdomar.pk}/andra/", data).status_code == 403
    )
    assert PresenceGroup.objects.get().name == "Ungdomar för trygghet"
