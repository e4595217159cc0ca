"""report_event: the single-event write path that the form and the API share."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from trygg.core.audit import record
from trygg.core.models import AuditEntry
from trygg.events.actions import set_event_status
from trygg.events.models import DailyCount, Event, Status
from trygg.events.tests import factories

# A time in the future is refused, counted from now.
pytestmark = pytest.mark.frozen

WRITES = ("INSERT", "UPDATE", "DELETE", "COPY")


def report(user, organisation, category, **fields):
    return factories.report(
        user, organisation, category, **{"description": "Klotter på gaveln"} | fields
    )


def test_a_report_with_a_personal_identity_number_is_stored_without_it(
    housing_reporter, bostadsbolaget, category
):
    event = report(
        housing_reporter, bostadsbolaget, category, description="Anmälare 19850412-1230 såg klotter"
    )
    event.refresh_from_db()
    assert "19850412-1230" not in event.description
    assert event.was_scrubbed
    entry = AuditEntry.objects.get(
        object_type="events.event", object_id=str(event.pk), action="create"
    )
    assert entry.actor == housing_reporter
    assert entry.new["was_scrubbed"] is True
    assert "19850412" not in str(entry.new)


def test_a_report_gets_its_municipality_area_and_sweref_position_on_write(
    housing_reporter, bostadsbolaget, category, karlstad, centrum
):
    event = report(housing_reporter, bostadsbolaget, category)
    assert event.municipality == karlstad
    assert event.area == centrum
    assert event.x == pytest.approx(414980, abs=2)
    assert event.y == pytest.approx(6583244, abs=2)


def test_a_report_outside_sweden_is_refused_and_nothing_is_written(
    housing_reporter, bostadsbolaget, category
):
    with pytest.raises(ValidationError) as error:
        report(housing_reporter, bostadsbolaget, category, lat=52.52, lon=13.40)
    assert "utanför Sverige" in error.value.message_dict["lat"][0]
    assert not Event.objects.exists()
    assert not AuditEntry.objects.exists()


def test_a_report_dated_in_the_future_is_refused(housing_reporter, bostadsbolaget, category):
    with pytest.raises(ValidationError) as error:
        report(
            housing_reporter,
            bostadsbolaget,
            category,
            occurred_from=timezone.now() + dt.timedelta(days=2),
        )
    assert "framtiden" in error.value.message_dict["occurred_from"][0]
    assert not Event.objects.exists()


def test_nobody_can_report_for_an_organisation_they_do_not_belong_to(
    housing_reporter, polisen, category
):
    with pytest.raises(PermissionDenied):
        report(housing_reporter, polisen, category)
    assert not Event.objects.exists()


def test_an_analyst_cannot_report(analyst, kommunen, category):
    with pytest.raises(PermissionDenied):
        report(analyst, kommunen, category)


def test_the_coordinator_reviews_an_event_and_the_change_is_audited(
    coordinator, housing_reporter, bostadsbolaget, category
):
    event = report(housing_reporter, bostadsbolaget, category)
    set_event_status(event, Status.REVIEWED, acting_user=coordinator)
    entry = AuditEntry.objects.get(object_id=str(event.pk), action="update")
    assert (entry.field, entry.old, entry.new, entry.actor) == (
        "status",
        "new",
        "reviewed",
        coordinator,
    )


def test_a_reporter_cannot_review_events(housing_reporter, bostadsbolaget, category):
    event = report(housing_reporter, bostadsbolaget, category)
    with pytest.raises(PermissionDenied):
        set_event_status(event, Status.REJECTED, acting_user=housing_reporter)
    event.refresh_from_db()
    assert event.status == Status.NEW


def test_a_coordinator_in_one_municipality_who_only_reports_in_another_cannot_review_there(
    other_municipality_user, bostadsbolaget, housing_reporter, category
):
    """Karlskoga's coordinator also reports for Karlstad's housing company: no review there."""
    from trygg.organisations.models import Membership

    Membership.objects.create(
        user=other_municipality_user, organisation=bostadsbolaget, role=Membership.Role.REPORTER
    )
    event = report(housing_reporter, bostadsbolaget, category)
    with pytest.raises(PermissionDenied):
        set_event_status(event, Status.REVIEWED, acting_user=other_municipality_user)


def test_a_callers_own_rows_are_written_with_the_event_and_before_it_is_counted(
    housing_reporter, bostadsbolaget, category
):
    """The count is the transaction's last write: on PostgreSQL it holds the day's rollup row
    until commit, and every other report of that row waits so long."""

    def note(event) -> None:
        record(None, event, AuditEntry.Action.READ)

    with CaptureQueriesContext(connection) as queries:
        event = report(housing_reporter, bostadsbolaget, category, also_write=note)

    writes = [q["sql"] for q in queries.captured_queries if q["sql"].startswith(WRITES)]
    assert "events_event" in writes[0] and "events_dailycount" in writes[-1]
    assert AuditEntry.objects.filter(object_id=str(event.pk), action="read").exists()
    assert DailyCount.objects.get().events == 1


def test_when_the_callers_rows_fail_nothing_is_stored_or_counted(
    housing_reporter, bostadsbolaget, category
):
    def fail(event) -> None:
        raise ValidationError({"photos": "Fotot gick inte att spara."})

    with pytest.raises(ValidationError):
        report(housing_reporter, bostadsbolaget, category, also_write=fail)

    assert not Event.objects.exists() and not DailyCount.objects.exists()
    assert not AuditEntry.objects.filter(object_type="events.event").exists()
