"""The demo's shift reports (issue 15, point 9): most of the past year's held shifts reported
through the presence actions, counts by age band that follow the group, observations as
events with source `shift`, each report audited; loading again files nothing twice."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from trygg.core.models import AuditEntry
from trygg.core.tests.clock import NOW
from trygg.demo import loader
from trygg.demo import presence as demo_presence
from trygg.demo import shift_reports as demo_reports
from trygg.events.models import Event, Source
from trygg.presence.models import Shift, ShiftReport, ShiftState

pytestmark = [pytest.mark.django_db, pytest.mark.frozen]


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        django_db_blocker.unblock(),
        time_machine.travel(NOW, tick=False),
        override_settings(PASSWORD_HASHERS=fast),
        transaction.atomic(),
    ):
        municipality = loader.karlstad()
        loader.load_districts(municipality)
        organisations = loader.load_organisations()
        loader.load_personas(organisations)
        loader.load_places(municipality, organisations)
        demo_presence.load_presence(municipality, timezone.localdate())
        counts = demo_reports.load_shift_reports(municipality, timezone.now())
        yield municipality, counts
        transaction.set_rollback(True)


@pytest.fixture
def karlstad(loaded, db):
    return loaded[0]


def share_reported(group: str) -> float:
    held = Shift.objects.filter(group__name=group, state=ShiftState.HELD, ends_at__lte=NOW)
    return held.filter(report__isnull=False).count() / held.count()


def test_most_but_not_all_held_shifts_are_reported_and_each_group_in_its_own_way(karlstad):
    youth = share_reported(demo_presence.YOUTH.name)
    patrol = share_reported(demo_presence.PATROL.name)
    assert 0.7 < youth < 0.97
    assert 0.05 < patrol < 0.5
    assert not ShiftReport.objects.filter(shift__starts_at__gt=NOW).exists()


def test_the_youths_meet_mostly_teenagers_and_the_patrol_mostly_adults(karlstad):
    def bands(group):
        reports = ShiftReport.objects.filter(shift__group__name=group)
        return [sum(getattr(r, c) for r in reports) for c in ("met_13_17", "met_over_25")]

    teens, adults = bands(demo_presence.YOUTH.name)
    assert teens > 5 * adults
    teens, adults = bands(demo_presence.PATROL.name)
    assert adults > teens
    assert ShiftReport.objects.filter(talks__gt=0).count() > ShiftReport.objects.count() / 2


def test_observations_are_shift_events_of_the_groups_organisation_in_the_shifts_time(karlstad):
    reports = ShiftReport.objects.prefetch_related("observations__event")
    observed = [
        (r, o.event) for r in reports.select_related("shift__group") for o in r.observations.all()
    ]
    assert 50 < len(observed) < ShiftReport.objects.count()
    for report, event in observed:
        assert event.source == Source.SHIFT
        assert event.organisation_id == report.shift.group.organisation_id
        early = report.shift.starts_at - dt.timedelta(minutes=1)
        assert early <= event.occurred_from <= report.shift.ends_at
        assert event.area_id is not None
    audited = AuditEntry.objects.filter(
        object_type="events.event", object_id__in=[str(e.pk) for _r, e in observed], action="create"
    )
    assert audited.count() == len(observed)


def test_every_report_has_its_audit_row_and_is_filed_by_the_groups_organisation(karlstad):
    for report in ShiftReport.objects.select_related("shift__group", "reported_by")[:50]:
        roles = report.reported_by.memberships.filter(organisation=report.shift.group.organisation)
        assert roles.exists()
        assert (
            not report.reported_by.has_usable_password()
            or report.reported_by.username == "kommunpolis"
        )
    assert (
        AuditEntry.objects.filter(object_type="presence.shiftreport", action="create").count()
        == ShiftReport.objects.count()
    )


def test_loading_again_files_nothing_twice(karlstad):
    before = (ShiftReport.objects.count(), Event.objects.filter(source=Source.SHIFT).count())
    again = demo_reports.load_shift_reports(karlstad, NOW)
    assert again.created == 0
    assert (
        ShiftReport.objects.count(),
        Event.objects.filter(source=Source.SHIFT).count(),
    ) == before
