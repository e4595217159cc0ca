"""report_event as the one door for new events from every app: its sources, and Open311's
personal fields dropped at the door (DESIGN §5)."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from trygg.core.models import AuditEntry
from trygg.events.actions import OPEN311_PERSONAL_FIELDS, report_event, without_personal_fields
from trygg.events.models import DailyCount, Event, Source

# Values that occur nowhere else in a test database, so finding one means it was stored.
PERSONAL = {
    "email": "annagreta.zetterqvist@example.se",
    "first_name": "Annagreta",
    "last_name": "Zetterqvist",
    "phone": "0701234567",
    "device_id": "device-7f3a9c2e",
    "account_id": "konto-474711",
}


def report(user, organisation, category, **fields):
    values = {
        "occurred_from": timezone.now() - dt.timedelta(minutes=30),
        "lat": 59.3793,
        "lon": 13.5036,
        "description": "Trasig belysning i gångtunneln",
    }
    values.update(fields)
    return report_event(acting_user=user, organisation=organisation, category=category, **values)


def stored_text() -> str:
    """Every value of every event, audit and rollup row, as one text to search."""
    rows = [
        *Event.objects.values(),
        *AuditEntry.objects.values(),
        *DailyCount.objects.values(),
    ]
    return repr(rows)


def test_every_source_a_person_reports_through_is_accepted(
    housing_reporter, bostadsbolaget, category
):
    for source in (Source.PARTNER, Source.CITIZEN, Source.WALK, Source.SHIFT):
        event = report(housing_reporter, bostadsbolaget, category, source=source)
        assert Event.objects.get(pk=event.pk).source == source
        created = AuditEntry.objects.get(object_id=str(event.pk), action="create")
        assert created.new["source"] == source


@pytest.mark.parametrize("source", [Source.POLICE, Source.DEMO, "twitter"])
def test_police_demo_and_unknown_sources_cannot_be_reported_one_by_one(
    housing_reporter, bostadsbolaget, category, source
):
    with pytest.raises(ValidationError) as refused:
        report(housing_reporter, bostadsbolaget, category, source=source)
    assert "source" in refused.value.message_dict
    assert not Event.objects.exists() and not AuditEntry.objects.exists()


def test_open311_personal_fields_as_keywords_are_dropped_and_stored_nowhere(
    housing_reporter, bostadsbolaget, category, caplog
):
    caplog.set_level(logging.DEBUG)
    event = report(housing_reporter, bostadsbolaget, category, source=Source.CITIZEN, **PERSONAL)
    assert Event.objects.filter(pk=event.pk).exists()
    assert AuditEntry.objects.filter(object_id=str(event.pk), action="create").exists()
    text = stored_text() + caplog.text
    for name, value in PERSONAL.items():
        assert value not in text, name


def test_open311_personal_fields_among_the_request_attributes_are_dropped_too(
    housing_reporter, bostadsbolaget, category, caplog
):
    caplog.set_level(logging.DEBUG)
    attributes = {**PERSONAL, "service_code": "belysning", "address_string": "Gångtunneln"}
    report(housing_reporter, bostadsbolaget, category, source=Source.CITIZEN, attributes=attributes)
    text = stored_text() + caplog.text
    for name, value in PERSONAL.items():
        assert value not in text, name


def test_a_personal_value_typed_into_the_description_is_scrubbed_as_well(
    housing_reporter, bostadsbolaget, category
):
    description = f"Ring {PERSONAL['phone']} eller {PERSONAL['email']}"
    event = report(housing_reporter, bostadsbolaget, category, description=description)
    assert event.was_scrubbed
    assert PERSONAL["phone"] not in stored_text() and PERSONAL["email"] not in stored_text()


def test_an_unexpected_keyword_is_refused_by_name_without_its_value(
    housing_reporter, bostadsbolaget, category
):
    with pytest.raises(TypeError) as refused:
        report(housing_reporter, bostadsbolaget, category, reporter_name="Annagreta")
    assert "reporter_name" in str(refused.value) and "Annagreta" not in str(refused.value)
    assert not Event.objects.exists()


def test_without_personal_fields_keeps_everything_else():
    kept = without_personal_fields({**PERSONAL, "service_code": "belysning", "lat": 59.4})
    assert kept == {"service_code": "belysning", "lat": 59.4}
    assert set(PERSONAL) == OPEN311_PERSONAL_FIELDS
