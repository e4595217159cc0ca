"""Residents' reports for tests, through the action (scrubber, event, audit are real)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from trygg.citizens.actions.dialogues import record_dialogue
from trygg.citizens.actions.reports import ReportInput, submit_report
from trygg.places.tests.factories import KARLSTAD_CENTRE


def report_input(**fields) -> ReportInput:
    """A lamp out at Stora torget, Karlstad."""
    values: dict[str, Any] = {
        "lat": KARLSTAD_CENTRE[0],
        "lon": KARLSTAD_CENTRE[1],
        "category_code": "belysning",
        "description": "Lampan vid trappan är släckt",
    } | fields
    return ReportInput(**values)


def resident_report(**fields):
    """(report, tracking token) as a resident without an account sends it."""
    return submit_report(report_input(**fields))


def published_report(**fields):
    """A resident's report a moderator has published (the moderation action is not needed to
    test what published reports show)."""
    from trygg.citizens.models import CitizenReport, Moderation

    report, _token = resident_report(**fields)
    CitizenReport.objects.filter(pk=report.pk).update(moderation=Moderation.PUBLISHED)
    report.refresh_from_db()
    return report


def dialogue(acting_user, municipality, organisations, **fields):
    """A citizen dialogue through the action (checked and audited): by default held the day
    before yesterday at Stora torget, without an area."""
    values: dict[str, Any] = {
        "held_on": timezone.localdate() - dt.timedelta(days=2),
        "place_name": "Stora torget",
    } | fields
    return record_dialogue(
        municipality, acting_user=acting_user, organisations=organisations, **values
    )
