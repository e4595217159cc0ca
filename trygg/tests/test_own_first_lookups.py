"""A row looked up by id from an address is looked for in the municipalities the user works
in first, or in its parent's municipality (decision 0039, rule 4): the lookup's SELECT names
`municipality_id` beside the id, so on Citus it reads those shards only. A user of another
municipality gets the same answer as before: 404, or the page's own 403."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from trygg.citizens.actions import dialogues as dialogue_actions
from trygg.citizens.models import CitizenReport, DialogueQuote, Theme
from trygg.citizens.tests.factories import dialogue as make_dialogue
from trygg.citizens.tests.factories import resident_report
from trygg.core.tests.clock import TODAY
from trygg.events.models import Event
from trygg.measures.actions import create_measure
from trygg.measures.models import Measure
from trygg.organisations.tests.factories import bearer
from trygg.promises.models import Promise
from trygg.promises.tests.factories import make_agreement, make_promise
from trygg.situation.actions import create_annual_report
from trygg.situation.models import AnnualReport

pytestmark = [pytest.mark.django_db, pytest.mark.frozen]


def lookups(queries, model, pk: int) -> list[str]:
    """The SELECTs of `model`'s table that pick its row `pk` by id."""
    table = model._meta.db_table
    by_id = re.compile(rf'"{table}"\."id" = {pk}(?!\d)')
    selects = [q["sql"] for q in queries if q["sql"].startswith("SELECT")]
    return [sql for sql in selects if f'FROM "{table}"' in sql and by_id.search(sql)]


def names_municipality(sql: str, model, pk: int) -> bool:
    """The id is one condition of the WHERE beside the row's own municipality (a list, or one),
    not only a municipality inside a visibility rule's OR."""
    table = model._meta.db_table
    own = rf'"{table}"\."municipality_id" (IN \([\d, ]+\)|= \d+)'
    return re.search(rf'{own} AND "{table}"\."id" = {pk}(?!\d)', sql) is not None


def read(client, model, pk: int, *args, **kwargs):
    """GET (or POST, with `method`) and the lookups of row `pk` it sent."""
    method = kwargs.pop("method", "get")
    with CaptureQueriesContext(connection) as captured:
        response = getattr(client, method)(*args, **kwargs)
    return response, lookups(captured.captured_queries, model, pk)


def assert_one_shard(found: list[str], model, pk: int) -> None:
    assert found, f"no lookup of {model.__name__} {pk}"
    for sql in found:
        assert names_municipality(sql, model, pk), sql


def test_the_events_api_looks_an_event_up_in_the_users_municipality(
    client, make_event, kommunen, coordinator, other_municipality_user
):
    event = make_event(kommunen)
    path = f"/api/v1/events/{event.pk}"

    response, found = read(client, Event, event.pk, path, **bearer(coordinator))

    assert response.status_code == 200 and response.json()["id"] == event.pk
    assert_one_shard(found, Event, event.pk)
    assert client.get(path, **bearer(other_municipality_user)).status_code == 404


def test_reviewing_an_event_looks_it_up_in_the_users_municipality(
    client, make_event, kommunen, coordinator, other_municipality_user
):
    event = make_event(kommunen)
    path = f"/handelser/{event.pk}/granska/"
    body = {"status": "reviewed", "flagged": ""}
    client.force_login(coordinator)

    response, found = read(client, Event, event.pk, path, body, method="post")

    assert response.status_code == 302
    assert_one_shard(found, Event, event.pk)
    client.force_login(other_municipality_user)
    assert client.post(path, body).status_code == 404


def test_the_measures_api_looks_a_measure_up_in_the_users_municipality(
    client, karlstad, coordinator, other_municipality_user
):
    measure = create_measure(karlstad, acting_user=coordinator, title="Belysning i parken")
    path = f"/api/v1/measures/{measure.pk}"

    response, found = read(client, Measure, measure.pk, path, **bearer(coordinator))

    assert response.status_code == 200 and response.json()["title"] == "Belysning i parken"
    assert_one_shard(found, Measure, measure.pk)
    assert client.get(path, **bearer(other_municipality_user)).status_code == 404


def test_the_promises_api_looks_a_promise_up_in_the_users_municipality(
    client, karlstad, kommunen, polisen, coordinator, other_municipality_user
):
    promise = make_promise(make_agreement(karlstad, kommunen, polisen, coordinator), coordinator)
    path = f"/api/v1/promises/{promise.pk}"

    response, found = read(client, Promise, promise.pk, path, **bearer(coordinator))

    assert response.status_code == 200 and response.json()["id"] == promise.pk
    assert_one_shard(found, Promise, promise.pk)
    assert client.get(path, **bearer(other_municipality_user)).status_code == 404


def test_the_citizen_reports_api_looks_a_report_up_in_the_users_municipality(
    client, coordinator, centrum, other_municipality_user
):
    report, _token = resident_report()
    path = f"/api/v1/citizen-reports/{report.pk}"

    response, found = read(client, CitizenReport, report.pk, path, **bearer(coordinator))

    assert response.status_code == 200 and response.json()["id"] == report.pk
    assert_one_shard(found, CitizenReport, report.pk)
    assert client.get(path, **bearer(other_municipality_user)).status_code == 404


def test_an_annual_report_is_looked_up_in_the_users_municipality_and_refused_elsewhere(
    client, karlstad, coordinator, other_municipality_user
):
    report, _created = create_annual_report(karlstad, TODAY.year - 1, acting_user=coordinator)
    path = f"/lagesbild/ar/{report.pk}/"
    client.force_login(coordinator)

    response, found = read(client, AnnualReport, report.pk, path)

    assert response.status_code == 200
    assert_one_shard(found, AnnualReport, report.pk)
    client.force_login(other_municipality_user)
    refused = client.get(path)
    assert refused.status_code == 403
    assert "Lägesbilden hör till en annan kommun." in refused.content.decode()


def test_a_dialogues_quote_is_looked_up_in_the_dialogues_municipality(
    client, coordinator, karlstad, kommunen, other_municipality_user
):
    held = make_dialogue(coordinator, karlstad, [kommunen])
    quote = dialogue_actions.add_quote(
        held, theme=Theme.VIOLENCE, text="Mörkt vid busshållplatsen", acting_user=coordinator
    )
    path = f"/dialoger/{held.pk}/citat/{quote.pk}/ta-bort/"
    client.force_login(other_municipality_user)
    assert client.post(path).status_code == 404
    client.force_login(coordinator)

    response, found = read(client, DialogueQuote, quote.pk, path, method="post")

    assert response.status_code == 302
    assert_one_shard(found, DialogueQuote, quote.pk)
    assert not DialogueQuote.objects.filter(pk=quote.pk).exists()
