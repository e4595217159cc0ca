"""The event API: reporting (one or a list, all or nothing), reading with filters and pages."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from trygg.core.models import AuditEntry
from trygg.events.models import Category, Event, Source, Visibility
from trygg.events.schemas import EventListOut, EventOut
from trygg.events.tests.factories import api_report
from trygg.organisations.models import Membership
from trygg.organisations.tests.factories import bearer

# A time in the future is refused, counted from now.
pytestmark = pytest.mark.frozen

BERLIN = (52.52, 13.40)


def post(client, user, body):
    return client.post("/api/v1/events", body, content_type="application/json", **bearer(user))


def get(client, user, path="/api/v1/events", **params):
    return client.get(path, params, **bearer(user))


def event_audit_rows():
    return AuditEntry.objects.filter(object_type="events.event")


def errors_of(response) -> list[tuple]:
    return [(e.get("index"), e["field"]) for e in response.json()["detail"]]


# --- reporting ----------------------------------------------------------------------------


def test_a_report_with_a_personal_identity_number_is_stored_without_it_and_audited(
    client, housing_reporter, bostadsbolaget, centrum
):
    response = post(client, housing_reporter, api_report(description="Anmälare 19850412-1230 såg"))
    assert response.status_code == 201
    event = Event.objects.get()
    assert "19850412-1230" not in event.description and event.was_scrubbed
    assert event.organisation == bostadsbolaget and event.reported_by == housing_reporter
    assert event.source == Source.PARTNER and event.visibility == Visibility.PARTNERS
    entry = AuditEntry.objects.get(object_type="events.event", object_id=str(event.pk))
    assert entry.action == "create" and entry.actor == housing_reporter
    item = response.json()
    assert item["id"] == event.pk and item["created"] is True
    assert "19850412-1230" not in item["description"] and item["was_scrubbed"] is True
    assert (item["municipality"], item["area_name"], item["organisation"]) == (
        "1780",
        "Centrum",
        "kbab",
    )


def test_a_time_without_offset_is_swedish_local_time(client, housing_reporter):
    response = post(client, housing_reporter, api_report(occurred_from="2025-07-01T21:30:00"))
    assert response.status_code == 201
    stored = Event.objects.get().occurred_from
    assert stored == dt.datetime(2025, 7, 1, 19, 30, tzinfo=dt.UTC)  # CEST is UTC+2
    assert response.json()["occurred_from"].startswith("2025-07-01T21:30:00+02:00")


def test_the_category_may_be_given_by_its_swedish_name_in_any_case(client, housing_reporter):
    response = post(client, housing_reporter, api_report(category="GLASKROSS"))
    assert response.status_code == 201
    assert Event.objects.get().category.code == "skadegorelse.glaskross"


def test_a_list_is_stored_in_one_go_and_answered_in_the_same_order(client, housing_reporter):
    body = [api_report(external_id="kbab-1"), api_report(external_id="kbab-2", visibility="public")]
    response = post(client, housing_reporter, body)
    assert response.status_code == 201
    assert [item["external_id"] for item in response.json()] == ["kbab-1", "kbab-2"]
    assert Event.objects.count() == 2
    assert Event.objects.get(external_id="kbab-2").visibility == Visibility.PUBLIC


def test_a_list_with_one_bad_item_writes_nothing_and_names_the_index_and_field(
    client, housing_reporter
):
    body = [api_report(), api_report(), api_report(lat=BERLIN[0], lon=BERLIN[1])]
    response = post(client, housing_reporter, body)
    assert response.status_code == 422
    assert errors_of(response) == [(2, "lat")]
    assert not Event.objects.exists() and not event_audit_rows()


def test_every_problem_in_a_list_is_reported_at_once(client, housing_reporter):
    body = [
        api_report(category="finns-inte"),
        api_report(lat="norr"),
        api_report(),
        api_report(extra=1),
    ]
    response = post(client, housing_reporter, body)
    assert response.status_code == 422
    assert errors_of(response) == [(0, "category"), (1, "lat"), (3, "extra")]
    messages = [e["message"] for e in response.json()["detail"]]
    assert messages[1] == "Ange ett tal." and messages[2] == "Okänt fält."


def test_a_position_outside_sweden_is_refused_on_the_lat_field(client, housing_reporter):
    response = post(client, housing_reporter, api_report(lat=BERLIN[0], lon=BERLIN[1]))
    assert response.status_code == 422
    assert response.json() == {
        "detail": [{"field": "lat", "message": "Positionen ligger utanför Sverige."}]
    }
    assert not Event.objects.exists()


def test_a_time_in_the_future_is_refused_on_occurred_from(client, housing_reporter):
    tomorrow = (timezone.now() + dt.timedelta(days=1)).isoformat()
    response = post(client, housing_reporter, api_report(occurred_from=tomorrow))
    assert response.status_code == 422
    assert errors_of(response) == [(None, "occurred_from")]
    assert not Event.objects.exists()


def test_an_unknown_category_is_refused_on_the_category_field(client, housing_reporter):
    response = post(client, housing_reporter, api_report(category="ufo"))
    assert response.status_code == 422
    assert errors_of(response) == [(None, "category")]


def test_missing_and_malformed_fields_are_named_in_swedish(client, housing_reporter):
    body = {"category": "skadegorelse.klotter", "lat": True, "lon": 13.5, "visibility": "alla"}
    response = post(client, housing_reporter, body)
    assert response.status_code == 422
    detail = {e["field"]: e["message"] for e in response.json()["detail"]}
    assert detail["occurred_from"] == "Fältet måste anges."
    assert detail["lat"] == "Ange ett tal."
    assert detail["visibility"].startswith("Välj ett av:")


def test_a_body_that_is_not_json_is_a_422_naming_the_body(client, housing_reporter):
    response = client.post(
        "/api/v1/events", "{inte json", content_type="application/json", **bearer(housing_reporter)
    )
    assert response.status_code == 422
    assert errors_of(response) == [(None, "body")]


def test_reporting_for_another_organisation_is_forbidden_and_writes_nothing(
    client, housing_reporter, polisen
):
    response = post(client, housing_reporter, [api_report(), api_report(organisation=polisen.code)])
    assert response.status_code == 403
    assert response.json()["index"] == 1 and "Polisen" in response.json()["detail"]
    assert not Event.objects.exists() and not event_audit_rows()


def test_an_analyst_may_not_report(client, analyst):
    response = post(client, analyst, api_report())
    assert response.status_code == 403
    assert not Event.objects.exists()


def test_someone_reporting_for_several_organisations_must_say_which(
    client, housing_reporter, kommunen
):
    Membership.objects.create(
        user=housing_reporter, organisation=kommunen, role=Membership.Role.REPORTER
    )
    response = post(client, housing_reporter, api_report())
    assert response.status_code == 422
    assert errors_of(response) == [(None, "organisation")]
    response = post(client, housing_reporter, api_report(organisation=kommunen.code))
    assert response.status_code == 201
    assert Event.objects.get().organisation == kommunen


def test_resending_the_same_external_id_returns_the_stored_event_without_a_duplicate(
    client, housing_reporter
):
    first = post(client, housing_reporter, api_report(external_id="kbab-2026-17"))
    again = post(client, housing_reporter, api_report(external_id="kbab-2026-17"))
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"] and again.json()["created"] is False
    assert Event.objects.count() == 1
    assert event_audit_rows().count() == 1


def test_a_report_reads_events_only_in_the_municipality_of_its_position(client, housing_reporter):
    """The look-up of external ids and the answer's read-back name the municipality the
    position lies in: on Citus one shard, where ids alone ask all of them."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from trygg.organisations.tests.one_shard import without_municipality

    post(client, housing_reporter, api_report(external_id="kbab-1"))
    with CaptureQueriesContext(connection) as queries:
        again = post(client, housing_reporter, api_report(external_id="kbab-1"))
        new = post(client, housing_reporter, api_report(external_id="kbab-2"))
    assert (again.status_code, new.status_code) == (200, 201)
    statements = [q["sql"] for q in queries.captured_queries]
    reads = [sql for sql in statements if sql.lstrip().startswith("SELECT")]
    assert any('"events_event"' in sql for sql in reads)
    assert without_municipality(reads, "events_event") == []


def test_a_list_resent_with_one_new_item_creates_only_that_one(client, housing_reporter):
    post(client, housing_reporter, [api_report(external_id="a")])
    response = post(
        client, housing_reporter, [api_report(external_id="a"), api_report(external_id="b")]
    )
    assert response.status_code == 201
    assert [item["created"] for item in response.json()] == [False, True]
    assert Event.objects.count() == 2


def test_another_organisations_external_id_is_neither_reused_nor_revealed(
    client, housing_reporter, coordinator, make_event, kommunen
):
    theirs = make_event(kommunen, Visibility.ORGANISATION, external_id="17")
    response = post(client, housing_reporter, api_report(external_id="17"))
    assert response.status_code == 422
    assert errors_of(response) == [(None, "external_id")]
    assert str(theirs.pk) not in response.content.decode()
    assert Event.objects.count() == 1


def test_the_same_external_id_twice_in_one_list_is_refused(client, housing_reporter):
    response = post(
        client, housing_reporter, [api_report(external_id="x"), api_report(external_id="x")]
    )
    assert response.status_code == 422
    assert errors_of(response) == [(1, "external_id")]
    assert not Event.objects.exists()


def test_a_logged_in_page_may_report_with_its_csrf_token(housing_reporter):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(housing_reporter)
    without = browser.post("/api/v1/events", api_report(), content_type="application/json")
    assert without.status_code == 403 and not Event.objects.exists()
    browser.get("/api/v1/events")  # any page would do; the test just needs the cookie
    browser.cookies["csrftoken"] = "a" * 32
    with_token = browser.post(
        "/api/v1/events", api_report(), content_type="application/json", HTTP_X_CSRFTOKEN="a" * 32
    )
    assert with_token.status_code == 201


# --- reading ------------------------------------------------------------------------------


@pytest.fixture
def history(make_event, kommunen, karlskoga_kommun, centrum):
    """Partner events in Karlstad over three days, one in Karlskoga, one from the police feed."""
    at = dt.datetime(2026, 3, 10, 12, tzinfo=dt.UTC)
    glass = Category.objects.get(code="skadegorelse.glaskross")
    brawl = Category.objects.get(code="ordning.brak")
    return {
        "klotter": make_event(kommunen, occurred_from=at, area=centrum),
        "glaskross": make_event(kommunen, occurred_from=at + dt.timedelta(days=1), category=glass),
        "brak": make_event(kommunen, occurred_from=at + dt.timedelta(days=2), category=brawl),
        "feed": make_event(
            kommunen, Visibility.PUBLIC, occurred_from=at, source=Source.POLICE, external_id="p1"
        ),
        "karlskoga": make_event(
            karlskoga_kommun, Visibility.PUBLIC, occurred_from=at, lat=59.327, lon=14.524
        ),
    }


def ids_of(response) -> set[int]:
    return {item["id"] for item in response.json()["items"]}


def test_events_can_be_filtered_by_municipality_category_subtree_period_source_and_area(
    client, coordinator, history, centrum
):
    def pks(*names):
        return {history[name].pk for name in names}

    everything = pks("klotter", "glaskross", "brak", "feed", "karlskoga")
    assert ids_of(get(client, coordinator)) == everything
    in_karlstad = everything - pks("karlskoga")
    assert ids_of(get(client, coordinator, municipality="1780")) == in_karlstad
    vandalism = get(client, coordinator, category="skadegorelse")
    assert ids_of(vandalism) == pks("klotter", "glaskross", "feed", "karlskoga")
    one_day = get(client, coordinator, **{"from": "2026-03-11", "to": "2026-03-11"})
    assert ids_of(one_day) == pks("glaskross")
    # An unencoded '+' in the offset arrives as a space: still read as +01:00.
    until = get(client, coordinator, path="/api/v1/events?to=2026-03-11T13:30:00+01:00")
    assert ids_of(until) == everything - pks("brak")
    assert ids_of(get(client, coordinator, source="police")) == pks("feed")
    assert ids_of(get(client, coordinator, external_id="p1")) == pks("feed")
    assert ids_of(get(client, coordinator, area=centrum.pk)) == pks("klotter")


def test_an_item_carries_names_as_well_as_keys(client, coordinator, history):
    item = get(client, coordinator, path=f"/api/v1/events/{history['klotter'].pk}").json()
    assert item["category"] == "skadegorelse.klotter" and item["category_name"] == "Klotter"
    assert (item["municipality"], item["area_name"], item["organisation"]) == (
        "1780",
        "Centrum",
        "karlstad-kommunledning",
    )
    assert item["place"] is None and item["place_name"] is None
    assert set(item) >= {"x", "y", "precision_m", "status", "reported_at", "external_type"}


def test_a_county_level_event_names_no_municipality(client, coordinator, polisen, make_event):
    """Its key is its county's own row, which is no kommun: the API says null, as before."""
    from trygg.places.models import Municipality

    county_row = Municipality.with_counties.get(code="0017")
    event = make_event(polisen, Visibility.PUBLIC, municipality=county_row, source="police")
    item = get(client, coordinator, path=f"/api/v1/events/{event.pk}").json()
    assert item["municipality"] is None
    # Nor can it be asked for as one.
    assert errors_of(get(client, coordinator, municipality="0017")) == [(None, "municipality")]


def test_list_items_have_exactly_the_documented_fields(client, coordinator, history):
    body = get(client, coordinator).json()
    EventListOut.model_validate(body)
    assert all(set(item) == set(EventOut.model_fields) for item in body["items"])


def test_pages_give_the_total_count_and_newest_first(client, coordinator, history):
    first = get(client, coordinator, limit=2).json()
    second = get(client, coordinator, limit=2, offset=2).json()
    assert first["count"] == second["count"] == 5
    assert [item["id"] for item in first["items"]] == [history["brak"].pk, history["glaskross"].pk]
    assert len(second["items"]) == 2
    seen = {item["id"] for item in first["items"] + second["items"]}
    assert len(seen) == 4


def test_a_page_costs_the_same_few_queries_however_many_events_it_shows(
    client, coordinator, kommunen, make_event, django_assert_max_num_queries
):
    for _ in range(30):
        make_event(kommunen)
    headers = bearer(coordinator)
    with django_assert_max_num_queries(8):
        response = client.get("/api/v1/events", **headers)
    assert response.json()["count"] == 30


@pytest.mark.parametrize(
    "params, field",
    [
        ({"municipality": "9999"}, "municipality"),
        ({"from": "förra veckan"}, "from"),
        ({"to": "2026-13-01"}, "to"),
        ({"category": "ufo"}, "category"),
        ({"source": "twitter"}, "source"),
        ({"area": "centrum"}, "area"),
        ({"limit": "5000"}, "limit"),
        ({"offset": "-1"}, "offset"),
    ],
)
def test_a_bad_filter_value_is_a_422_naming_the_parameter(client, coordinator, params, field):
    response = get(client, coordinator, **params)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["detail"]] == [field]


def test_the_category_list_gives_the_codes_a_report_may_use(client, housing_reporter):
    items = get(client, housing_reporter, path="/api/v1/categories").json()["items"]
    klotter = next(item for item in items if item["code"] == "skadegorelse.klotter")
    assert klotter == {
        "code": "skadegorelse.klotter",
        "name": "Klotter",
        "parent": "skadegorelse",
        "is_active": True,
    }


def test_an_area_filter_counts_the_events_of_its_sub_areas_too(
    client, housing_reporter, bostadsbolaget, centrum, klara, make_event
):
    in_district = make_event(bostadsbolaget, area=centrum)
    in_sub_area = make_event(bostadsbolaget, area=klara)
    make_event(bostadsbolaget)  # no area

    listed = get(client, housing_reporter, area=centrum.pk).json()["items"]
    assert {item["id"] for item in listed} == {in_district.pk, in_sub_area.pk}
    listed = get(client, housing_reporter, area=klara.pk).json()["items"]
    assert {item["id"] for item in listed} == {in_sub_area.pk}
