"""The demo's presence in Karlstad (issue 15, point 9): the groups and a year of shifts with the
coming four weeks, clashes and uncovered evenings in the calendar, and krogtillsyn with
premises, a year of monthly inspection evenings, findings and follow-ups; loading again adds
nothing, a later day adds only what has come within reach."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
import time_machine
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from trygg.core.tests.clock import NOW
from trygg.demo import krogtillsyn as demo_krog
from trygg.demo import loader
from trygg.demo import presence as demo_presence
from trygg.events.models import Event
from trygg.presence.calendar import build_calendar
from trygg.presence.inspections import monthly
from trygg.presence.models import Inspection, Premise, PresenceGroup, Shift, ShiftState

pytestmark = [pytest.mark.django_db, pytest.mark.frozen]


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """Districts, organisations, personas and places, then the two presence steps, once for
    the module and rolled back after it."""
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
        today = timezone.localdate()
        demo_presence.load_presence(municipality, today)
        demo_krog.load_krogtillsyn(municipality, today)
        yield municipality, today
        transaction.set_rollback(True)


@pytest.fixture
def karlstad(loaded, db):
    return loaded[0]


def local_day(moment: dt.datetime) -> dt.date:
    return timezone.localdate(moment)


def test_four_groups_of_four_organisations_are_out(karlstad):
    groups = {g.name: g for g in PresenceGroup.objects.select_related("organisation")}
    assert set(groups) == {g.name for g in demo_presence.GROUPS}
    assert groups["Polisens fotpatrull i centrum"].organisation.kind == "police"
    assert groups["Vuxna för trygghet"].organisation.kind == "association"


def test_the_youth_walk_friday_and_saturday_evenings_six_to_ten_at_a_time_for_a_year(karlstad):
    youth = Shift.objects.filter(group__name="Ungdomar för trygghet", series__isnull=False)
    days = [local_day(s.starts_at) for s in youth]
    assert {d.isoweekday() for d in days} == {5, 6}
    assert {s.people for s in youth} <= set(range(6, 11)) and len({s.people for s in youth}) > 2
    today = NOW.date()
    assert min(days) <= today - dt.timedelta(days=365)
    assert today + dt.timedelta(days=28) <= max(days) <= today + dt.timedelta(days=56)


def test_no_group_is_in_two_places_at_once(karlstad):
    starts = Counter(Shift.objects.values_list("group_id", "starts_at"))
    assert max(starts.values()) == 1


def test_past_shifts_were_held_and_coming_ones_are_planned_or_called_off(karlstad):
    past = Shift.objects.filter(ends_at__lte=NOW)
    assert past.exists() and not past.exclude(state=ShiftState.HELD).exists()
    coming = Counter(Shift.objects.filter(starts_at__gt=NOW).values_list("state", flat=True))
    assert coming[ShiftState.CANCELLED] == 2 and coming[ShiftState.PLANNED] > 40


def test_the_calendar_shows_a_few_clashes_and_evenings_nobody_covers(karlstad):
    calendar = build_calendar(karlstad)
    clashing = [day.day for day in calendar.days if any(row.clashes for row in day.rows)]
    assert {d.isoweekday() for d in clashing} == {4, 5}  # the two extra shifts
    uncovered = [day.day for day in calendar.days if day.uncovered]
    assert {d.isoweekday() for d in uncovered} == {7, 2, 3}  # Sundays and the two called off


def test_six_premises_in_the_centre_one_without_a_licence_today(karlstad):
    premises = Premise.objects.select_related("place")
    assert premises.count() == 6
    today = NOW.date()
    closed = [p.name for p in premises if p.licence_on(today) is None]
    assert closed == ["Puben Gamla Gåsen"]
    assert {p.place.external_id for p in premises} <= {
        "demo-plats:sandgrund-lagerlofs",
        "demo-plats:stora-torget",
        "demo-plats:drottninggatan",
        "demo-plats:inre-hamn",
    }


def test_every_month_of_the_past_year_has_an_inspection_evening_on_a_licensed_premise(karlstad):
    inspections = list(Inspection.objects.select_related("premise"))
    evenings = {local_day(i.starts_at).replace(day=1) for i in inspections}
    assert len(evenings) == 12
    for inspection in inspections:
        day = local_day(inspection.starts_at)
        assert inspection.premise.licence_on(day) == inspection.licence
    assert {o.kind for i in inspections for o in i.organisations.all()} == {
        "municipal_department",
        "police",
    }


def test_findings_are_inspection_events_and_some_have_follow_ups(karlstad):
    findings = Event.objects.filter(source="inspection")
    assert 5 <= findings.count() <= 12
    assert all(
        code.startswith("krog.") for code in findings.values_list("category__code", flat=True)
    )
    followed = [i for i in Inspection.objects.all() if i.measures.exists()]
    assert followed and all(i.findings.exists() for i in followed)


def test_some_months_meet_the_plans_target_of_three_and_some_fall_short(karlstad):
    today = NOW.date()
    months = [m for year in (today.year - 1, today.year) for m in monthly(karlstad.pk, year, today)]
    settled = [m.met for m in months if m.met is not None and m.count]
    assert True in settled and False in settled


def test_loading_again_adds_nothing(karlstad):
    today = NOW.date()
    before = (Shift.objects.count(), Inspection.objects.count(), Event.objects.count())
    demo_presence.load_presence(karlstad, today)
    demo_krog.load_krogtillsyn(karlstad, today)
    assert (Shift.objects.count(), Inspection.objects.count(), Event.objects.count()) == before


def test_a_later_day_adds_the_new_evening_and_the_next_block_only(karlstad, frozen_now):
    later = NOW + dt.timedelta(days=35)
    inspections = Inspection.objects.count()
    with time_machine.travel(later, tick=False):
        demo_presence.load_presence(karlstad, later.date())
        demo_krog.load_krogtillsyn(karlstad, later.date())
    pairs = Counter(Inspection.objects.values_list("premise_id", "starts_at"))
    assert max(pairs.values()) == 1
    assert 2 <= Inspection.objects.count() - inspections <= 3
    starts = Counter(Shift.objects.values_list("group_id", "starts_at"))
    assert max(starts.values()) == 1
