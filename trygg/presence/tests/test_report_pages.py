"""The shift report's pages: the phone's field page (its worker, manifest and data) for the
group's own organisation only, and the staff page that shows a stored report."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest

from trygg.core import offline
from trygg.events.models import Category
from trygg.presence.actions.reports import ObservationInput, ReportInput, file_report
from trygg.presence.tests.factories import make_shift
from trygg.presence.views_field import FIELD_ASSETS

pytestmark = pytest.mark.frozen


@pytest.fixture
def shift(ungdomar, centrum):
    return make_shift(ungdomar, centrum, dt.date(2026, 11, 21))


def field_url(shift, suffix: str = "") -> str:
    return f"/narvaro/pass/{shift.pk}/falt/{suffix}"


def test_the_group_gets_the_field_page_and_its_worker_keeps_the_shared_files(
    client, coordinator, shift
):
    client.force_login(coordinator)
    page = client.get(field_url(shift))
    assert page.status_code == 200
    assert "Ingen rapport väntar på att skickas." in page.content.decode()
    assert page.context["field_config"]["urls"]["report"] == (
        f"/api/v1/presence/shifts/{shift.pk}/report"
    )
    worker = client.get(field_url(shift, "sw.js"))
    constants = json.loads(worker.content.decode().split("var FIELD = ")[1].split(";\n")[0])
    assert (
        constants["cache"] == f"trygg-field-pass-{shift.pk}-{offline.asset_version(FIELD_ASSETS)}"
    )
    assert "/static/trygg/outbox.js" in constants["precache"]
    assert worker["Service-Worker-Allowed"] == field_url(shift)
    assert client.get(field_url(shift, "data.json")).json()["shift"]["state"] == "planned"
    manifest = client.get(field_url(shift, "manifest.webmanifest")).json()
    assert manifest["start_url"] == field_url(shift)


@pytest.mark.parametrize("suffix", ["", "data.json", "manifest.webmanifest", "sw.js"])
def test_another_organisation_may_not_report_the_groups_shift(
    client, police_officer, shift, suffix
):
    client.force_login(police_officer)
    assert client.get(field_url(shift, suffix)).status_code == 403


def test_another_municipality_does_not_find_the_shift(client, other_municipality_user, shift):
    client.force_login(other_municipality_user)
    assert client.get(field_url(shift)).status_code == 404


def test_the_staff_page_shows_the_counts_the_note_and_the_observations(
    client, coordinator, police_officer, shift
):
    category = Category.objects.get(code="skadegorelse.klotter")
    data = ReportInput(
        client_id=uuid.uuid4(),
        met={"13_17": 11},
        interventions={"first_aid": 1},
        note="Lugnt",
        observations=[ObservationInput(uuid.uuid4(), category, note="Klotter på muren")],
    )
    file_report(shift, data, acting_user=coordinator)
    client.force_login(police_officer)
    shift_page = client.get(f"/narvaro/pass/{shift.pk}/").content.decode()
    assert f"/narvaro/pass/{shift.pk}/rapport/" in shift_page
    page = client.get(f"/narvaro/pass/{shift.pk}/rapport/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "13–17 år" in text and "Första hjälpen" in text and "Klotter på muren" in text


def test_the_report_and_field_pages_join_sharded_tables_in_the_shifts_municipality(
    client, coordinator, shift
):
    """Citus refuses a join of the shift with its group, or of the events with their
    observations, on ids alone: each page names the municipality of every sharded table."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from trygg.organisations.tests.one_shard import joins_without_municipality

    category = Category.objects.get(code="skadegorelse.klotter")
    data = ReportInput(
        client_id=uuid.uuid4(),
        met={"13_17": 2},
        observations=[ObservationInput(uuid.uuid4(), category, note="Klotter vid bron")],
    )
    file_report(shift, data, acting_user=coordinator)
    client.force_login(coordinator)
    with CaptureQueriesContext(connection) as queries:
        report_page = client.get(f"/narvaro/pass/{shift.pk}/rapport/")
        field_page = client.get(field_url(shift))
    assert "Klotter vid bron" in report_page.content.decode()
    assert field_page.status_code == 200
    assert joins_without_municipality([q["sql"] for q in queries.captured_queries]) == []


def test_a_shift_without_a_report_has_no_report_page_but_offers_the_phone(
    client, coordinator, shift
):
    client.force_login(coordinator)
    assert client.get(f"/narvaro/pass/{shift.pk}/rapport/").status_code == 404
    assert field_url(shift) in client.get(f"/narvaro/pass/{shift.pk}/").content.decode()
