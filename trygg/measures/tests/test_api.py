"""The measures API: who sees which measures and linked events, a partner's system moving its
own measures on, the checks on every write, the rules (admins only) and the routing answer."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from trygg.conftest import KARLSTAD_CENTRE
from trygg.core.models import AuditEntry
from trygg.core.tests.clock import TODAY
from trygg.events.models import Category, Visibility
from trygg.measures.actions import create_measure, create_meeting, decide
from trygg.measures.models import Measure, MeasureEntry, Notification, ResponsibilityRule, Status
from trygg.organisations.models import Membership
from trygg.organisations.tests.factories import bearer, make_person
from trygg.places.geo import to_sweref
from trygg.places.models import Place

# Due dates, lateness and "started on" are counted from today.
pytestmark = pytest.mark.frozen


def get(client, user, path, **params):
    return client.get(path, params, **bearer(user))


def post(client, user, path, body):
    return client.post(path, body, content_type="application/json", **bearer(user))


def patch(client, user, path, body):
    return client.patch(path, body, content_type="application/json", **bearer(user))


def listed(client, user, **params) -> list[int]:
    response = get(client, user, "/api/v1/measures", **params)
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


def fields_of(response) -> set[str]:
    return {error["field"] for error in response.json()["detail"]}


def audit_rows(measure, **filters):
    return AuditEntry.objects.filter(
        object_type="measures.measure", object_id=str(measure.pk), **filters
    )


@pytest.fixture
def admin(kommunen):
    return make_person("admin", kommunen, Membership.Role.ADMIN)


@pytest.fixture
def measures(
    coordinator,
    other_municipality_user,
    karlstad,
    karlskoga,
    bostadsbolaget,
    polisen,
    karlskoga_kommun,
    centrum,
):
    """Karlstad: an overdue one for the housing company, a police one due next month, an open
    proposal; and one in Karlskoga."""

    def make(user, municipality, title, **fields) -> Measure:
        return create_measure(municipality, acting_user=user, title=title, **fields)

    return {
        "kbab_overdue": make(
            coordinator,
            karlstad,
            "Byt belysning i trapphus",
            status=Status.AGREED,
            responsible=bostadsbolaget,
            due=TODAY - dt.timedelta(days=3),
            area=centrum,
        ),
        "police": make(
            coordinator,
            karlstad,
            "Kvällspatrull vid torget",
            status=Status.AGREED,
            responsible=polisen,
            due=TODAY + dt.timedelta(days=30),
        ),
        "proposal": make(coordinator, karlstad, "Klotterplank vid skolan"),
        "karlskoga": make(
            other_municipality_user,
            karlskoga,
            "Ny belysning i parken",
            status=Status.AGREED,
            responsible=karlskoga_kommun,
        ),
    }


# --- reading ------------------------------------------------------------------------------


def test_the_list_is_sorted_by_due_date_and_narrowed_by_status_responsible_and_overdue(
    client, housing_reporter, measures
):
    kbab, police, proposal = (measures[k].pk for k in ("kbab_overdue", "police", "proposal"))
    assert listed(client, housing_reporter) == [kbab, police, proposal]  # no due date last
    assert listed(client, housing_reporter, municipality="1780", status="proposed") == [proposal]
    assert listed(client, housing_reporter, status=["agreed", "done"]) == [kbab, police]
    assert listed(client, housing_reporter, status="agreed,proposed") == [kbab, police, proposal]
    assert listed(client, housing_reporter, responsible="kbab") == [kbab]
    assert listed(client, housing_reporter, overdue="true") == [kbab]
    assert listed(client, housing_reporter, overdue="false") == [police, proposal]
    assert listed(client, housing_reporter, due_after=TODAY.isoformat()) == [police]


def test_an_item_shows_the_owner_place_and_a_link_to_the_page(client, housing_reporter, measures):
    kbab = measures["kbab_overdue"]
    item = get(client, housing_reporter, "/api/v1/measures", responsible="kbab").json()["items"][0]
    assert item["responsible"] == {"code": "kbab", "name": "Karlstads Bostads AB"}
    assert item["area"] == {"id": kbab.area_id, "name": "Centrum"}
    assert item["municipality"] == "1780" and item["status_label"] == "beslutad"
    assert item["url"] == f"http://testserver/atgarder/{kbab.pk}/"
    assert item["due"] == (TODAY - dt.timedelta(days=3)).isoformat()


def test_someone_from_another_municipality_does_not_see_karlstads_measures(
    client, other_municipality_user, measures
):
    assert listed(client, other_municipality_user) == [measures["karlskoga"].pk]
    assert listed(client, other_municipality_user, municipality="1780") == []
    response = get(client, other_municipality_user, f"/api/v1/measures/{measures['police'].pk}")
    assert response.status_code == 404


def test_unknown_codes_in_the_filters_are_422_naming_each_parameter(client, coordinator):
    response = get(
        client,
        coordinator,
        "/api/v1/measures",
        municipality="0000",
        responsible="nobody",
        status="finished",
        updated_since="igår",
    )
    assert response.status_code == 422
    assert fields_of(response) == {"municipality", "responsible", "status", "updated_since"}
    response = get(client, coordinator, "/api/v1/measures", due_before="i morgon")
    assert response.status_code == 422 and fields_of(response) == {"due_before"}


def test_updated_since_finds_what_changed_or_was_commented_since(
    client, coordinator, housing_reporter, measures, frozen_now
):
    frozen_now.shift(dt.timedelta(minutes=1))  # the measures were made a minute ago
    since = timezone.now()
    assert listed(client, coordinator, updated_since=since.isoformat()) == []
    frozen_now.shift(dt.timedelta(minutes=1))
    kbab, proposal = measures["kbab_overdue"], measures["proposal"]
    patch(client, housing_reporter, f"/api/v1/measures/{kbab.pk}", {"status": "in_progress"})
    post(client, coordinator, f"/api/v1/measures/{proposal.pk}/comments", {"text": "Vi tittar."})
    assert listed(client, coordinator, updated_since=since.isoformat()) == [kbab.pk, proposal.pk]


def test_linked_events_the_caller_may_not_see_are_left_out_of_event_ids(
    client, police_officer, housing_reporter, make_event, polisen, kommunen
):
    internal = make_event(polisen, Visibility.ORGANISATION, source="police")
    shared = make_event(kommunen, Visibility.PARTNERS)
    response = post(
        client,
        police_officer,
        "/api/v1/measures",
        {
            "municipality": "1780",
            "title": "Belysning vid busshållplatsen",
            "event_ids": [internal.pk, shared.pk],
        },
    )
    assert response.status_code == 201, response.content
    measure_id = response.json()["id"]
    assert response.json()["event_ids"] == sorted([internal.pk, shared.pk])
    detail = get(client, housing_reporter, f"/api/v1/measures/{measure_id}").json()
    assert detail["event_ids"] == [shared.pk]
    item = get(client, housing_reporter, "/api/v1/measures").json()["items"][0]
    assert item["event_ids"] == [shared.pk]


def test_linking_an_event_the_caller_cannot_see_is_a_422_on_event_ids(
    client, housing_reporter, make_event, polisen
):
    internal = make_event(polisen, Visibility.ORGANISATION, source="police")
    response = post(
        client,
        housing_reporter,
        "/api/v1/measures",
        {"municipality": "1780", "title": "Belysning", "event_ids": [internal.pk]},
    )
    assert response.status_code == 422 and fields_of(response) == {"event_ids"}
    assert not Measure.objects.exists()


def test_the_timeline_names_organisations_never_people(client, housing_reporter, measures):
    kbab = measures["kbab_overdue"]
    response = get(client, housing_reporter, f"/api/v1/measures/{kbab.pk}")
    timeline = response.json()["timeline"]
    assert [entry["kind"] for entry in timeline] == ["created", "assigned"]
    assert timeline[1]["new"] == "Karlstads Bostads AB"
    assert {entry["organisation"] for entry in timeline} == {"karlstad-kommunledning"}
    assert "samordnare" not in response.content.decode()  # the coordinator's user name


def test_a_measure_decided_at_a_meeting_shows_the_decision(
    client, coordinator, housing_reporter, karlstad, bostadsbolaget
):
    meeting = create_meeting(karlstad, held_on=TODAY, acting_user=coordinator)
    decision = decide(
        meeting,
        "Kommunen sätter upp belysning.",
        acting_user=coordinator,
        measure={"title": "Belysning", "responsible": bostadsbolaget},
    )
    response = get(client, housing_reporter, f"/api/v1/measures/{decision.measure_id}")
    assert response.json()["decision"] == {
        "meeting": meeting.pk,
        "text": "Kommunen sätter upp belysning.",
    }


def test_a_page_of_measures_costs_no_more_queries_than_a_single_one(
    client, coordinator, karlstad, make_event, kommunen, django_assert_max_num_queries
):
    headers = bearer(coordinator)
    event = make_event(kommunen)
    create_measure(karlstad, acting_user=coordinator, title="Den första", events=[event])
    with CaptureQueriesContext(connection) as one:
        client.get("/api/v1/measures", **headers)
    for n in range(10):
        create_measure(karlstad, acting_user=coordinator, title=f"Åtgärd {n}", events=[event])
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get("/api/v1/measures", **headers)
    assert len(response.json()["items"]) == 11


# --- creating -----------------------------------------------------------------------------


def test_a_coordinator_creates_a_measure_with_an_audit_row_and_an_assignment_notice(
    client, coordinator, bostadsbolaget, centrum
):
    response = post(
        client,
        coordinator,
        "/api/v1/measures",
        {
            "municipality": "1780",
            "title": "Ny belysning",
            "status": "agreed",
            "responsible": "kbab",
            "category": "otrygg_plats.belysning",
            "area": centrum.pk,
            "due": "2026-09-30",
            "cost": 25000,
            "description": "Ring 070-123 45 67 för nyckel.",
        },
    )
    assert response.status_code == 201, response.content
    measure = Measure.objects.get()
    assert (measure.status, measure.responsible, measure.cost) == ("agreed", bostadsbolaget, 25000)
    assert measure.due == dt.date(2026, 9, 30) and measure.area == centrum
    assert "070-123 45 67" not in measure.description  # scrubbed by the action
    assert audit_rows(measure, action="create", actor=coordinator).exists()
    notice = Notification.objects.get(measure=measure)
    assert (notice.kind, notice.organisation) == ("assigned", bostadsbolaget)
    assert response.json()["category"] == "otrygg_plats.belysning"


def test_a_reporter_may_only_propose_a_measure(client, housing_reporter):
    body = {"municipality": "1780", "title": "Klotter i tunneln", "status": "agreed"}
    assert post(client, housing_reporter, "/api/v1/measures", body).status_code == 403
    body["status"] = "proposed"
    assert post(client, housing_reporter, "/api/v1/measures", body).status_code == 201
    assert Measure.objects.get().status == "proposed"


def test_unknown_codes_and_ids_in_a_new_measure_are_422_on_their_fields(client, coordinator):
    response = post(
        client,
        coordinator,
        "/api/v1/measures",
        {
            "municipality": "1780",
            "title": "X",
            "category": "nope",
            "responsible": "nobody",
            "place": 999999,
            "area": 999999,
            "status": "someday",
        },
    )
    assert response.status_code == 422
    assert fields_of(response) == {"category", "responsible", "place", "area", "status"}
    assert all(error["message"] for error in response.json()["detail"])


def test_a_new_measure_without_a_title_is_a_422_in_swedish(client, coordinator):
    response = post(client, coordinator, "/api/v1/measures", {"municipality": "1780"})
    assert response.status_code == 422
    assert response.json()["detail"] == [{"field": "title", "message": "Fältet måste anges."}]


# --- changing -----------------------------------------------------------------------------


def test_the_responsible_organisations_reporter_moves_its_measure_on_to_done(
    client, housing_reporter, measures, make_event, polisen
):
    kbab = measures["kbab_overdue"]
    kbab.events.add(make_event(polisen))
    path = f"/api/v1/measures/{kbab.pk}"
    response = patch(client, housing_reporter, path, {"status": "in_progress"})
    assert response.status_code == 200, response.content
    assert response.json()["started_on"] == TODAY.isoformat()
    assert patch(client, housing_reporter, path, {"status": "done"}).status_code == 200
    kbab.refresh_from_db()
    assert (kbab.status, kbab.done_on) == ("done", TODAY)
    entries = MeasureEntry.objects.filter(measure=kbab, kind="status")
    assert [(e.old, e.new, e.organisation.code) for e in entries] == [
        ("agreed", "in_progress", "kbab"),
        ("in_progress", "done", "kbab"),
    ]
    assert audit_rows(kbab, field="status", actor=housing_reporter).count() == 2
    assert Notification.objects.filter(measure=kbab, kind="done", organisation=polisen).exists()


def test_sending_the_status_a_measure_already_has_changes_nothing(
    client, housing_reporter, police_officer, measures
):
    path = f"/api/v1/measures/{measures['kbab_overdue'].pk}"
    assert patch(client, housing_reporter, path, {"status": "agreed"}).status_code == 200
    assert patch(client, police_officer, path, {"status": "agreed"}).status_code == 403
    assert not MeasureEntry.objects.filter(kind="status").exists()


def test_another_organisations_reporter_cannot_change_the_status(client, police_officer, measures):
    kbab = measures["kbab_overdue"]
    response = patch(
        client, police_officer, f"/api/v1/measures/{kbab.pk}", {"status": "in_progress"}
    )
    assert response.status_code == 403
    kbab.refresh_from_db()
    assert kbab.status == "agreed"
    assert not audit_rows(kbab, field="status").exists()


def test_the_responsible_reporter_may_not_cancel_or_edit_the_measure(
    client, housing_reporter, measures
):
    path = f"/api/v1/measures/{measures['kbab_overdue'].pk}"
    cancel = {"status": "cancelled", "reason": "Ingen budget."}
    assert patch(client, housing_reporter, path, cancel).status_code == 403
    assert patch(client, housing_reporter, path, {"due": "2030-01-01"}).status_code == 403
    assert Measure.objects.get(pk=measures["kbab_overdue"].pk).status == "agreed"


def test_cancelling_without_a_reason_is_a_422_naming_reason(client, coordinator, measures):
    response = patch(
        client, coordinator, f"/api/v1/measures/{measures['police'].pk}", {"status": "cancelled"}
    )
    assert response.status_code == 422
    assert fields_of(response) == {"reason"}
    assert response.json()["detail"][0]["message"] == "Skriv varför åtgärden avbryts."


def test_a_coordinator_cancels_with_a_reason_that_is_kept(client, coordinator, measures):
    police = measures["police"]
    response = patch(
        client,
        coordinator,
        f"/api/v1/measures/{police.pk}",
        {"status": "cancelled", "reason": "Polisen har ingen personal."},
    )
    assert response.status_code == 200
    assert response.json()["cancel_reason"] == "Polisen har ingen personal."
    assert response.json()["timeline"][-1]["text"] == "Polisen har ingen personal."


def test_a_transition_that_is_not_allowed_is_a_422_naming_status(client, coordinator, measures):
    response = patch(
        client, coordinator, f"/api/v1/measures/{measures['police'].pk}", {"status": "proposed"}
    )
    assert response.status_code == 422 and fields_of(response) == {"status"}


def test_a_change_refused_halfway_leaves_every_field_as_it_was(client, coordinator, measures):
    police = measures["police"]
    response = patch(
        client,
        coordinator,
        f"/api/v1/measures/{police.pk}",
        {"due": "2031-01-01", "cost": 500, "status": "cancelled"},
    )
    assert response.status_code == 422
    police.refresh_from_db()
    assert police.due == TODAY + dt.timedelta(days=30) and police.cost is None
    assert not audit_rows(police, field="due").exists()


def test_a_coordinator_moves_the_owner_edits_and_decides_in_one_call(
    client, coordinator, measures, bostadsbolaget
):
    proposal = measures["proposal"]
    response = patch(
        client,
        coordinator,
        f"/api/v1/measures/{proposal.pk}",
        {
            "responsible": "kbab",
            "status": "agreed",
            "due": "2026-10-01",
            "cost": 1200,
        },
    )
    assert response.status_code == 200, response.content
    proposal.refresh_from_db()
    assert (proposal.responsible, proposal.status) == (bostadsbolaget, "agreed")
    assert (proposal.due, proposal.cost) == (dt.date(2026, 10, 1), 1200)
    assert Notification.objects.filter(measure=proposal, organisation=bostadsbolaget).exists()
    assert {"responsible", "status", "due", "cost"} <= set(
        audit_rows(proposal, action="update").values_list("field", flat=True)
    )


def test_a_change_with_null_where_a_value_is_needed_is_a_422(client, coordinator, measures):
    response = patch(
        client,
        coordinator,
        f"/api/v1/measures/{measures['police'].pk}",
        {"title": None, "responsible": None},
    )
    assert response.status_code == 422 and fields_of(response) == {"title", "responsible"}


def test_a_comment_is_scrubbed_and_shown_with_the_organisation(client, housing_reporter, measures):
    kbab = measures["kbab_overdue"]
    response = post(
        client,
        housing_reporter,
        f"/api/v1/measures/{kbab.pk}/comments",
        {"text": "Fastighetsskötaren nås på 070-123 45 67."},
    )
    assert response.status_code == 201
    assert response.json()["organisation"] == "kbab"
    assert "070-123 45 67" not in response.json()["text"]
    assert MeasureEntry.objects.filter(measure=kbab, kind="comment").count() == 1


# --- rules --------------------------------------------------------------------------------


def test_an_admin_creates_changes_and_deletes_a_rule_each_audited(
    client, admin, bostadsbolaget, centrum
):
    response = post(
        client,
        admin,
        "/api/v1/responsibility-rules",
        {
            "municipality": "1780",
            "organisation": "kbab",
            "category": "skadegorelse",
            "area": centrum.pk,
            "place_kind": "stairwell",
        },
    )
    assert response.status_code == 201, response.content
    rule = ResponsibilityRule.objects.get()
    assert (rule.organisation, rule.area, rule.place_kind) == (bostadsbolaget, centrum, "stairwell")
    assert response.json()["description"] == "Skadegörelse, trapphus, Centrum"
    path = f"/api/v1/responsibility-rules/{rule.pk}"
    assert patch(client, admin, path, {"priority": 5, "area": None}).status_code == 200
    rule.refresh_from_db()
    assert (rule.priority, rule.area) == (5, None)
    assert client.delete(path, **bearer(admin)).status_code == 204
    assert not ResponsibilityRule.objects.exists()
    actions = AuditEntry.objects.filter(object_type="measures.responsibilityrule", actor=admin)
    assert {"create", "update", "delete"} <= set(actions.values_list("action", flat=True))


def test_only_admins_may_write_rules(client, coordinator, housing_reporter, kommunen):
    rule = ResponsibilityRule.objects.create(
        municipality=kommunen.municipality, organisation=kommunen
    )
    body = {"municipality": "1780", "organisation": "karlstad-kommunledning"}
    path = f"/api/v1/responsibility-rules/{rule.pk}"
    for user in (coordinator, housing_reporter):
        assert post(client, user, "/api/v1/responsibility-rules", body).status_code == 403
        assert patch(client, user, path, {"priority": 3}).status_code == 403
        assert client.delete(path, **bearer(user)).status_code == 403
    assert ResponsibilityRule.objects.get().priority == 0
    listed_rules = get(client, housing_reporter, "/api/v1/responsibility-rules").json()
    assert [item["id"] for item in listed_rules["items"]] == [rule.pk]


def test_a_rule_for_an_organisation_in_another_municipality_is_a_422(
    client, admin, karlskoga_kommun
):
    response = post(
        client,
        admin,
        "/api/v1/responsibility-rules",
        {"municipality": "1780", "organisation": "karlskoga-kommun"},
    )
    assert response.status_code == 422 and fields_of(response) == {"organisation"}


def test_rules_of_another_municipality_are_neither_listed_nor_found(
    client, other_municipality_user, kommunen
):
    rule = ResponsibilityRule.objects.create(
        municipality=kommunen.municipality, organisation=kommunen
    )
    assert get(client, other_municipality_user, "/api/v1/responsibility-rules").json() == {
        "count": 0,
        "items": [],
    }
    path = f"/api/v1/responsibility-rules/{rule.pk}"
    assert patch(client, other_municipality_user, path, {"priority": 1}).status_code == 404


# --- routing ------------------------------------------------------------------------------


def test_the_routing_answer_names_the_rules_organisation_and_the_rule(
    client, housing_reporter, bostadsbolaget, centrum, coordinator
):
    rule = ResponsibilityRule.objects.create(
        municipality=centrum.municipality,
        organisation=bostadsbolaget,
        area=centrum,
        category=Category.objects.get(code="skadegorelse"),
    )
    response = get(
        client,
        housing_reporter,
        "/api/v1/responsible",
        municipality="1780",
        category="skadegorelse.klotter",
        area=centrum.pk,
    )
    assert response.status_code == 200, response.content
    assert response.json() == {
        "organisation": {"code": "kbab", "name": "Karlstads Bostads AB"},
        "reason": "rule",
        "reason_label": "enligt en ansvarsregel",
        "rule": {"id": rule.pk, "description": "Skadegörelse, Centrum"},
        "area": {"id": centrum.pk, "name": "Centrum"},
        "place": None,
    }


def test_the_routing_falls_back_to_the_coordinating_organisation_when_no_rule_matches(
    client, housing_reporter, coordinator, bostadsbolaget, kronoparken
):
    ResponsibilityRule.objects.create(
        municipality=kronoparken.municipality, organisation=bostadsbolaget, area=kronoparken
    )
    response = get(
        client,
        housing_reporter,
        "/api/v1/responsible",
        municipality="1780",
        category="skadegorelse.klotter",
    )
    body = response.json()
    assert body["organisation"]["code"] == "karlstad-kommunledning"
    assert (body["reason"], body["rule"]) == ("coordinator", None)


def test_a_position_is_routed_by_its_area_and_the_named_place_beside_it(
    client, housing_reporter, coordinator, bostadsbolaget, polisen, centrum, karlstad
):
    lat, lon = KARLSTAD_CENTRE
    x, y = to_sweref(lon + 0.0003, lat)  # about 17 m east
    torget = Place.objects.create(
        municipality=karlstad,
        name="Stora torget",
        kind="square",
        lat=lat,
        lon=lon + 0.0003,
        x=x,
        y=y,
        area=centrum,
    )
    ResponsibilityRule.objects.create(
        municipality=karlstad, organisation=bostadsbolaget, area=centrum
    )
    ResponsibilityRule.objects.create(
        municipality=karlstad, organisation=polisen, place_kind="square"
    )
    response = get(
        client,
        housing_reporter,
        "/api/v1/responsible",
        municipality="1780",
        category="skadegorelse.klotter",
        lat=lat,
        lon=lon,
    )
    body = response.json()
    assert body["place"] == {"id": torget.pk, "name": "Stora torget"}
    assert body["area"] == {"id": centrum.pk, "name": "Centrum"}
    assert body["organisation"]["code"] == "polisen-karlstad"  # a place kind beats an area
    far = get(
        client,
        housing_reporter,
        "/api/v1/responsible",
        municipality="1780",
        lat=lat + 0.005,
        lon=lon,
    )
    assert far.json()["place"] is None and far.json()["organisation"]["code"] == "kbab"


def test_the_routing_answer_checks_its_parameters(
    client, housing_reporter, other_municipality_user
):
    response = get(
        client,
        housing_reporter,
        "/api/v1/responsible",
        municipality="1780",
        category="nope",
        lat=59.3,
    )
    assert response.status_code == 422 and fields_of(response) == {"category"}
    response = get(client, housing_reporter, "/api/v1/responsible", municipality="1780", lat=59.3)
    assert fields_of(response) == {"lon"}
    response = get(
        client, housing_reporter, "/api/v1/responsible", municipality="1780", lat=59.327, lon=14.524
    )  # Karlskoga
    assert fields_of(response) == {"lat"}
    forbidden = get(client, other_municipality_user, "/api/v1/responsible", municipality="1780")
    assert forbidden.status_code == 403


# --- the document -------------------------------------------------------------------------


def test_openapi_json_lists_the_measure_paths_with_swedish_summaries(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    expected = {
        "/api/v1/measures": {"get", "post"},
        "/api/v1/measures/{measure_id}": {"get", "patch"},
        "/api/v1/measures/{measure_id}/comments": {"post"},
        "/api/v1/responsibility-rules": {"get", "post"},
        "/api/v1/responsibility-rules/{rule_id}": {"patch", "delete"},
        "/api/v1/responsible": {"get"},
    }
    for path, methods in expected.items():
        assert set(paths[path]) == methods
    assert paths["/api/v1/measures"]["get"]["summary"] == "Åtgärder du får se"
    patch_body = paths["/api/v1/measures/{measure_id}"]["patch"]["requestBody"]
    assert "status" in patch_body["content"]["application/json"]["schema"]["properties"]
    names = {p["name"] for p in paths["/api/v1/measures"]["get"]["parameters"]}
    assert {"status", "overdue", "updated_since", "due_before"} <= names


def test_the_api_needs_a_token(client, measures):
    response = client.get("/api/v1/measures")
    assert response.status_code == 401
