"""Events for tests: stored directly, reported through the action, or imported by the command."""

from __future__ import annotations

import datetime as dt
import io
import itertools
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from trygg.events.actions import report_event
from trygg.events.models import Category, Event, Source, Visibility
from trygg.places.geo import to_sweref
from trygg.places.tests.factories import KARLSTAD_CENTRE

# External ids only need to differ within a test's database.
_numbers = itertools.count(1)


def make_event(organisation, visibility=Visibility.PARTNERS, **fields) -> Event:
    """Store an event directly (no action, no audit, no rollup): for access and query tests.

    By default it is klotter at Stora torget two hours ago, reported by a partner."""
    lat, lon = fields.pop("lat", KARLSTAD_CENTRE[0]), fields.pop("lon", KARLSTAD_CENTRE[1])
    x, y = to_sweref(lon, lat)
    values: dict[str, Any] = {
        "occurred_from": timezone.now() - dt.timedelta(hours=2),
        "municipality": organisation.municipality,
        "source": Source.PARTNER,
        "external_id": f"test-{next(_numbers)}",
        "description": "",
    } | fields
    if "category" not in values:
        values["category"] = Category.objects.get(code="skadegorelse.klotter")
    return Event.objects.create(
        organisation=organisation, visibility=visibility, lat=lat, lon=lon, x=x, y=y, **values
    )


def report(user, organisation, category, **fields) -> Event:
    """Report an event through `report_event` (checked, scrubbed, audited, counted): by default
    at Stora torget half an hour ago."""
    values: dict[str, Any] = {
        "occurred_from": timezone.now() - dt.timedelta(minutes=30),
        "lat": KARLSTAD_CENTRE[0],
        "lon": KARLSTAD_CENTRE[1],
    } | fields
    return report_event(acting_user=user, organisation=organisation, category=category, **values)


def run_import(*args) -> tuple[str, str]:
    """(stdout, stderr) of `trygg import_events` with these arguments."""
    out, err = io.StringIO(), io.StringIO()
    call_command("import_events", *[str(a) for a in args], stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def refused_import(*args) -> tuple[str, str]:
    """(the reason, the lines written to stderr before it) of an import that must fail with
    the exit code for bad input."""
    err = io.StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("import_events", *[str(a) for a in args], stdout=io.StringIO(), stderr=err)
    assert failure.value.returncode == 2
    return str(failure.value), err.getvalue()


def api_report(**fields) -> dict:
    """The JSON body of one report to POST /api/v1/events: graffiti at Stora torget two hours
    ago, with `fields` on top."""
    two_hours_ago = timezone.localtime() - dt.timedelta(hours=2)
    values = {
        "category": "skadegorelse.klotter",
        "occurred_from": two_hours_ago.isoformat(),
        "lat": KARLSTAD_CENTRE[0],
        "lon": KARLSTAD_CENTRE[1],
    }
    return values | fields
