"""The coverage page and API with the personas: the share and the busy uncovered evening first,
only the events the viewer may see counted, a suggestion accepted into the calendar through the
series action (audited, refused for someone who does not plan), and bad periods refused with a
message and nothing computed."""

from __future__ import annotations

import datetime as dt

import pytest

from trygg.core.models import AuditEntry
from trygg.core.tests.clock import at
from trygg.events.models import Visibility
from trygg.organisations.tests.factories import bearer
from trygg.presence import coverage
from trygg.presence.models import Shift
from trygg.presence.tests.factories import make_shift

pytestmark = pytest.mark.frozen  # Sunday 22 November 2026

FRIDAY = dt.date(2026, 11, 13)
PERIOD = {"fran": "2026-11-13", "till": "2026-11-15"}
PAGE = "/narvaro/tackning/"
ACCEPT = "/narvaro/tackning/forslag/"
API = "/api/v1/presence/coverage"


@pytest.fixture
def evening(make_event, kommunen, polisen, centrum, klara, kronoparken, ungdomar):
    """Friday 13 November: Ungdomar för trygghet in Klara (in Centrum) 20:00–23:30; one event
    in Centrum while they are out and one before; six in Kronoparken at 22, where nobody is;
    one the police keep to themselves; one with no area."""
    make_shift(ungdomar, klara, FRIDAY, start=(20, 0), end=(23, 30), people=4)
    make_event(kommunen, area=centrum, occurred_from=at(FRIDAY, 21, 15))
    make_event(kommunen, area=centrum, occurred_from=at(FRIDAY, 19, 10))
    for minute in range(0, 60, 10):
        make_event(kommunen, area=kronoparken, occurred_from=at(FRIDAY, 22, minute))
    make_event(polisen, Visibility.ORGANISATION, area=kronoparken, occurred_from=at(FRIDAY, 22, 5))
    make_event(kommunen, occurred_from=at(FRIDAY, 20, 0))  # no area: not in any cell


def _page(client, user, **params):
    client.force_login(user)
    kommun = {"kommun": user.memberships.first().organisation.municipality_id}
    return client.get(PAGE, kommun | PERIOD | params)


def test_the_page_gives_the_share_and_lists_the_busy_evening_nobody_covers_first(
    client, coordinator, evening
):
    response = _page(client, coordinator)
    assert response.status_code == 200
    report = response.context["report"]
    assert (report.covered, report.evening_events, report.without_area) == (1, 8, 1)
    first = response.context["gaps"][0]
    assert (first["area"], first["weekday"], first["hours"]) == ("Kronoparken", "fredag", "22–23")
    assert (first["events"], first["verdict"]) == (6, coverage.MANY)
    # Klara's shift counts for Centrum: its 21:00 event is covered, the 19:00 one is not.
    assert [(g["area"], g["hours"]) for g in response.context["gaps"]] == [
        ("Kronoparken", "22–23"),
        ("Centrum", "19–20"),
    ]
    suggestion = response.context["suggestions"][0]
    assert (suggestion["area"], suggestion["hours"], suggestion["events"]) == (
        "Kronoparken",
        "22–00",
        6,
    )
    page = response.content.decode()
    assert "13 %" in page and "för få för att säga" in page
    assert 'role="img"' in page and "Händelser per veckodag och timme" in page


def test_events_hidden_from_the_viewer_are_not_counted(
    client, coordinator, police_officer, evening
):
    assert _page(client, coordinator).context["report"].evening_events == 8
    # The police see their own internal event as well.
    assert _page(client, police_officer).context["report"].evening_events == 9


def test_someone_from_another_municipality_gets_no_analysis(
    client, other_municipality_user, evening, karlstad
):
    client.force_login(other_municipality_user)
    response = client.get(PAGE, {"kommun": karlstad.pk} | PERIOD)
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("fran", "till", "message"),
    [
        ("2026-11-15", "2026-11-13", "Perioden måste sluta samma dag som den börjar eller senare."),
        ("2025-11-01", "2026-11-15", "Perioden kan vara högst ett år (366 dagar)."),
        ("13/11", "2026-11-15", "Skriv datumet som 2026-11-27."),
    ],
)
def test_a_bad_period_is_refused_with_a_message_and_nothing_computed(
    client, coordinator, evening, fran, till, message
):
    response = _page(client, coordinator, fran=fran, till=till)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "report" not in response.context


def _suggestion_post(municipality, area, group, **fields) -> dict:
    # Fridays of December 2026: the 4th, 11th, 18th and 25th.
    return {
        "kommun": municipality.pk,
        "prefix": "s0",
        "s0-group": group.pk,
        "s0-people": 3,
        "s0-area": area.pk,
        "s0-weekday": 5,
        "s0-start_time": "22:00",
        "s0-end_time": "00:00",
        "s0-first_day": "2026-12-04",
        "s0-weeks": 4,
    } | fields


def test_the_suggestions_form_carries_next_months_fridays(client, coordinator, evening):
    form = _page(client, coordinator).context["suggestions"][0]["form"]
    assert form.initial["first_day"] == "2026-12-04" and form.initial["weeks"] == 4
    assert (form.initial["start_time"], form.initial["end_time"]) == ("22:00", "00:00")


def test_accepting_a_suggestion_plans_the_series_with_an_audit_row_per_shift(
    client, coordinator, karlstad, kronoparken, ungdomar, evening
):
    client.force_login(coordinator)
    before = Shift.objects.count()
    response = client.post(ACCEPT, _suggestion_post(karlstad, kronoparken, ungdomar))
    assert response.status_code == 302
    planned = list(Shift.objects.filter(series__isnull=False).order_by("starts_at"))
    assert Shift.objects.count() == before + 4
    assert [s.starts_at.astimezone(at(FRIDAY).tzinfo).date().day for s in planned] == [
        4,
        11,
        18,
        25,
    ]
    assert all(s.area == kronoparken and s.people == 3 for s in planned)
    assert all((s.ends_at - s.starts_at) == dt.timedelta(hours=2) for s in planned)
    audited = AuditEntry.objects.filter(object_type="presence.shift", action="create")
    assert {int(a.object_id) for a in audited} == {s.pk for s in planned}
    assert all(a.actor == coordinator for a in audited)


def test_someone_who_plans_for_no_group_cannot_accept_a_suggestion(
    client, analyst, housing_reporter, karlstad, kronoparken, ungdomar, evening
):
    post = _suggestion_post(karlstad, kronoparken, ungdomar)
    client.force_login(analyst)
    assert client.post(ACCEPT, post).status_code == 403
    # The housing company plans its own groups only: the municipality's is no choice for it.
    client.force_login(housing_reporter)
    response = client.post(ACCEPT, post)
    assert response.status_code == 400
    assert "Välj en av kommunens aktiva grupper." in response.content.decode()
    assert not Shift.objects.filter(series__isnull=False).exists()
    assert not AuditEntry.objects.filter(object_type__startswith="presence.").exists()


def test_an_accepted_suggestion_without_people_is_refused_and_nothing_written(
    client, coordinator, karlstad, kronoparken, ungdomar, evening
):
    client.force_login(coordinator)
    post = _suggestion_post(karlstad, kronoparken, ungdomar, **{"s0-people": 0})
    response = client.post(ACCEPT, post)
    assert response.status_code == 400
    assert "Ange hur många som går passet, minst 1." in response.content.decode()
    assert not Shift.objects.filter(series__isnull=False).exists()


# --- the API -----------------------------------------------------------------------------------


def _api(client, user, **params):
    return client.get(
        API, {"kommun": "1780", "from": "2026-11-13", "to": "2026-11-15"} | params, **bearer(user)
    )


def test_the_api_gives_the_share_cells_gaps_and_suggestions(client, coordinator, evening):
    response = _api(client, coordinator)
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["covered"], body["evening_events"], body["without_area"]) == (1, 8, 1)
    assert body["share"] == pytest.approx(1 / 8)
    names = {a["index"]: a["name"] for a in body["areas"]}
    gap = body["gaps"][0]
    assert (names[gap["area"]], gap["weekday"], gap["hour"], gap["events"]) == (
        "Kronoparken",
        5,
        22,
        6,
    )
    assert gap["verdict"] == "many"
    centrum = next(a for a in body["areas"] if a["name"] == "Centrum")
    assert centrum["covered"][4][21] == 1 and centrum["events"][4][21] == 1
    assert centrum["people_hours"][4][21] == 4.0 and centrum["shift_hours"][4][21] == 1.0
    assert centrum["verdict"][4][21] == "too_few" and centrum["verdict"][4][12] == ""
    suggestion = body["suggestions"][0]
    assert (suggestion["start_hour"], suggestion["end_hour"]) == (22, 0)


def test_the_api_counts_only_what_the_caller_may_see(client, police_officer, evening):
    assert _api(client, police_officer).json()["evening_events"] == 9


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "2026-11-15", "to": "2026-11-13"}, "to"),
        ({"from": "2025-01-01", "to": "2026-11-13"}, "to"),
        ({"from": "igår"}, "from"),
        ({"kommun": "9999"}, "kommun"),
    ],
)
def test_the_api_refuses_a_bad_period_by_field(client, coordinator, evening, params, field):
    response = _api(client, coordinator, **params)
    assert response.status_code == 422
    assert field in {e["field"] for e in response.json()["detail"]}


def test_the_api_refuses_another_municipality(client, other_municipality_user, evening):
    assert _api(client, other_municipality_user).status_code == 403
