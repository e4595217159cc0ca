"""The demo's residents' reports, the Trygghetscenter's month of cases and the spring 2023
dialogues (issue 12, point 10)."""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter

import pytest
import time_machine
from django.db import transaction
from django.db.models import F
from django.test import override_settings
from django.utils import timezone

from trygg.citizens.models import (
    Centre,
    Channel,
    CitizenReport,
    DeskCase,
    DeskTopic,
    Dialogue,
    DialogueMention,
    DialogueQuote,
    Moderation,
    Outcome,
    ReportPhoto,
    StatusContact,
    StatusNotice,
    Theme,
)
from trygg.core.privacy import holds_identifier
from trygg.core.tests.clock import NOW, TODAY
from trygg.demo import citizens, desk, dialogues, loader, world
from trygg.demo import measures as demo_measures
from trygg.events.models import Event, Source, Status, Visibility
from trygg.places.geo import to_sweref

pytestmark = [pytest.mark.django_db, pytest.mark.frozen]

SEED = 1780


def build_world():
    """What the demo's residents, desk and dialogues stand on: districts, organisations,
    personas, places and responsibility rules."""
    municipality = loader.karlstad()
    loader.load_districts(municipality)
    organisations = loader.load_organisations()
    loader.load_personas(organisations)
    loader.load_places(municipality, organisations)
    demo_measures.load_rules(municipality, organisations)
    return municipality


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker, tmp_path_factory):
    """The world and a year of reports, loaded once for the module (a load takes seconds) and
    rolled back after it; each test runs inside it and is rolled back to it."""
    media = tmp_path_factory.mktemp("media")
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        django_db_blocker.unblock(),
        time_machine.travel(NOW, tick=False),
        override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=fast),
        transaction.atomic(),
    ):
        municipality = build_world()
        counts = citizens.load_reports(municipality, timezone.now(), seed=SEED)
        yield municipality, counts
        transaction.set_rollback(True)


@pytest.fixture
def karlstad(loaded, db):
    return loaded[0]


def distance_m(a: Event, b: Event) -> float:
    (ax, ay), (bx, by) = to_sweref(a.lon, a.lat), to_sweref(b.lon, b.lat)
    return math.hypot(float(ax) - float(bx), float(ay) - float(by))


def test_a_year_of_reports_in_every_state_moderated_routed_and_closed(loaded, karlstad):
    counts = loaded[1]
    reports = CitizenReport.objects.filter(municipality=karlstad).select_related("event")

    assert 250 <= counts.created == reports.count() <= 350
    states = Counter(reports.values_list("moderation", flat=True))
    assert set(states) == set(Moderation.values)
    assert 20 <= states[Moderation.PENDING] <= 45
    assert set(reports.exclude(outcome="").values_list("outcome", flat=True)) == set(Outcome.values)
    oldest, newest = (reports.order_by(f).first().created_at for f in ("created_at", "-created_at"))
    assert 330 <= (NOW - oldest).days <= 365 and (NOW - newest).days < 3
    # Waiting reports are untouched and kept to the municipality; some have waited days.
    waiting = reports.filter(moderation=Moderation.PENDING)
    assert not waiting.exclude(event__visibility=Visibility.ORGANISATION).exists()
    assert waiting.filter(created_at__lt=NOW - dt.timedelta(days=7)).count() >= 5
    assert not waiting.filter(moderated_at__isnull=False).exists()
    assert waiting.filter(me_too__gt=0).exists()  # "me too" before anyone looked
    # Hidden ones carry the reason the resident will read; their events left the statistics.
    hidden = reports.filter(moderation=Moderation.HIDDEN)
    assert not hidden.filter(hidden_reason="").exists()
    assert set(hidden.values_list("event__status", flat=True)) == {Status.REJECTED}
    # Closed ones have a note for the resident, after they were received and routed.
    closed = reports.filter(closed_at__isnull=False)
    assert closed.filter(closing_note="Inte kommunens mark — kontakta Trafikverket.").exists()
    assert not closed.filter(closing_note="").exists()
    for report in closed:
        assert report.created_at < report.closed_at <= NOW
        assert report.routed_at is None or report.routed_at <= report.closed_at


def test_reports_are_routed_where_the_rules_say_and_published_for_the_partners(karlstad):
    published = CitizenReport.objects.filter(moderation=Moderation.PUBLISHED)

    assert set(published.values_list("event__visibility", flat=True)) == {Visibility.PARTNERS}
    routed = Counter(published.exclude(routed_to=None).values_list("routed_to__code", flat=True))
    assert {world.TEKNIK, world.ENERGI, world.KBAB} <= set(routed)
    lights = published.filter(resident_category="belysning", routed_to__isnull=False)
    # The street lights are the energy company's, except where a place has its own manager.
    assert lights.filter(routed_to__code=world.ENERGI).count() > lights.count() / 2
    assert not published.filter(routed_to__isnull=False, routed_at__isnull=True).exists()
    # Corrected by the moderator: the resident said "unsafe", the moderator saw a lamp out.
    assert published.filter(
        event__category__code="otrygg_plats.belysning", resident_category="belysning"
    ).exists()
    assert Counter(published.values_list("channel", flat=True))[Channel.OPEN311] >= 10
    assert sum(published.values_list("me_too", flat=True)) > 30


def test_duplicates_point_at_an_earlier_original_within_250_m_in_the_same_municipality(karlstad):
    duplicates = CitizenReport.objects.filter(moderation=Moderation.DUPLICATE).select_related(
        "event", "duplicate_of__event"
    )

    assert duplicates.count() >= 10
    assert len({d.duplicate_of_id for d in duplicates}) >= 8
    for duplicate in duplicates:
        original = duplicate.duplicate_of
        assert original.municipality_id == duplicate.municipality_id
        assert original.moderation == Moderation.PUBLISHED
        assert original.created_at < duplicate.created_at
        assert duplicate.created_at - original.created_at < dt.timedelta(days=10)
        assert distance_m(original.event, duplicate.event) <= 250
        assert duplicate.event.status == Status.DUPLICATE and duplicate.me_too == 0
    # Each duplicate's resident counts on the original.
    for original in CitizenReport.objects.filter(duplicates__isnull=False).distinct():
        assert original.me_too >= original.duplicates.count()


def test_no_description_keeps_a_phone_or_personal_number(karlstad):
    events = Event.objects.filter(source=Source.CITIZEN)

    descriptions = list(events.values_list("description", flat=True))
    assert descriptions and not any(holds_identifier(text) for text in descriptions)
    # The two residents who wrote their number: it was removed before it was stored.
    scrubbed = events.filter(was_scrubbed=True)
    assert scrubbed.count() == 2
    assert all("[telefonnummer borttaget]" in e.description for e in scrubbed)
    assert not any(
        holds_identifier(r.closing_note + r.hidden_reason) for r in CitizenReport.objects.all()
    )


def test_photos_stay_private_until_approved_and_no_status_mail_is_queued(karlstad):
    photos = ReportPhoto.objects.select_related("report")

    assert set(photos.values_list("review", flat=True)) == set(ReportPhoto.Review.values)
    assert not photos.filter(
        review=ReportPhoto.Review.APPROVED, report__moderation=Moderation.PENDING
    ).exists()
    contacts = StatusContact.objects.select_related("report")
    assert contacts.exists()
    for contact in contacts:
        assert contact.email.endswith("@example.org")
        assert contact.report.moderation == Moderation.PENDING
        assert contact.forget_after == timezone.localdate(contact.report.created_at) + dt.timedelta(
            days=90
        )
    assert not StatusNotice.objects.exists()


def test_loading_again_adds_nothing(loaded, karlstad):
    reports = CitizenReport.objects.all()
    before = (reports.count(), Event.objects.count(), sum(reports.values_list("me_too", flat=True)))

    again = citizens.load_reports(karlstad, timezone.now(), seed=SEED)

    after = (reports.count(), Event.objects.count(), sum(reports.values_list("me_too", flat=True)))
    assert after == before
    assert (again.created, again.updated) == (0, loaded[1].created)


def test_a_shorter_window_keeps_its_reports_and_a_duplicate_only_with_its_original(karlstad):
    now = timezone.now()
    plan = citizens.plan(citizens.sites(karlstad), now, SEED)

    window = citizens.within(plan, now, 60)

    assert 0 < len(window) < len(plan)
    assert all(p.created >= now - dt.timedelta(days=60) for p in window)
    numbers = {p.number for p in window}
    assert all(p.duplicate_of in numbers for p in window if p.duplicate_of is not None)


def test_the_plan_is_the_same_from_the_same_seed_and_differs_with_another(karlstad):
    sites = citizens.sites(karlstad)
    now = timezone.now()

    def key(plan):
        return [(p.category, p.lat, p.lon, p.created, p.moderation, p.outcome) for p in plan]

    assert key(citizens.plan(sites, now, SEED)) == key(citizens.plan(sites, now, SEED))
    assert key(citizens.plan(sites, now, SEED)) != key(citizens.plan(sites, now, SEED + 1))


# --- the Trygghetscenter -------------------------------------------------------------------


def test_the_desk_has_cases_on_every_weekday_of_the_last_month_and_none_at_weekends(karlstad):
    counts = desk.load_desk(karlstad, timezone.now(), seed=SEED)
    centre = Centre.objects.get(municipality=karlstad)
    cases = DeskCase.objects.filter(centre=centre)

    assert set(centre.organisations.values_list("code", flat=True)) == {
        world.KOMMUNLEDNING,
        world.RADDNINGSTJANST,
        world.POLISEN,
        world.BROTTSOFFERJOUREN,
    }
    days = Counter(cases.values_list("visited_on", flat=True))
    weekdays = {
        TODAY - dt.timedelta(days=n)
        for n in range(desk.DAYS + 1)
        if (TODAY - dt.timedelta(days=n)).weekday() < 5
    }
    assert set(days) == weekdays and counts.created == len(weekdays)
    assert all(5 <= n <= 15 for n in days.values())
    assert set(cases.values_list("topic", flat=True)) == set(DeskTopic.values)
    assert not cases.filter(place__isnull=True, area__isnull=True).exists()
    assert all(c.created_at.date() == c.visited_on for c in cases)


def test_partners_take_the_cases_on_and_most_older_ones_are_closed_with_a_note(karlstad):
    desk.load_desk(karlstad, timezone.now(), seed=SEED)
    cases = DeskCase.objects.filter(municipality=karlstad)

    taken = set(cases.exclude(taken_by=None).values_list("taken_by__code", flat=True))
    assert {world.POLISEN, world.BROTTSOFFERJOUREN, world.RADDNINGSTJANST, world.TEKNIK} <= taken
    assert set(
        cases.filter(topic=DeskTopic.VICTIM_SUPPORT).values_list("taken_by__code", flat=True)
    ) == {world.BROTTSOFFERJOUREN}
    older = cases.filter(visited_on__lt=TODAY - dt.timedelta(days=14))
    closed = older.filter(state=DeskCase.State.CLOSED)
    assert closed.count() >= 0.8 * older.count()
    assert not cases.filter(state=DeskCase.State.CLOSED, closing_note="").exists()
    assert not cases.filter(state=DeskCase.State.CLOSED, closed_at__lt=F("created_at")).exists()
    assert cases.filter(state=DeskCase.State.OPEN, taken_by__code=world.POLISEN).exists()
    assert not any(holds_identifier(c.note + c.closing_note) for c in cases)


def test_loading_the_desk_again_adds_nothing(karlstad):
    desk.load_desk(karlstad, timezone.now(), seed=SEED)
    before = DeskCase.objects.count()

    again = desk.load_desk(karlstad, timezone.now(), seed=SEED)

    assert DeskCase.objects.count() == before and again.created == 0
    assert Centre.objects.filter(municipality=karlstad).count() == 1


# --- the spring 2023 dialogues -------------------------------------------------------------


def test_four_dialogues_in_spring_2023_in_four_districts_with_the_police_and_the_municipality(
    karlstad,
):
    dialogues.load_dialogues(karlstad)
    held = Dialogue.objects.filter(municipality=karlstad).select_related("area")

    assert held.count() == 4
    assert all(dt.date(2023, 3, 1) <= d.held_on <= dt.date(2023, 5, 31) for d in held)
    assert {d.area.name for d in held} == {"Kronoparken", "Tingvallastaden", "Våxnäs", "Rud"}
    for dialogue in held:
        assert set(dialogue.organisations.values_list("code", flat=True)) == {
            world.KOMMUNLEDNING,
            world.POLISEN,
        }
        assert dialogue.visitors > 0
        assert 4 <= dialogue.quotes.count() <= 6
        assert sum(dialogue.mentions.values_list("count", flat=True)) <= dialogue.visitors


def test_the_medborgarlofte_themes_come_out_on_top_and_quotes_are_short_and_scrubbed(karlstad):
    dialogues.load_dialogues(karlstad)
    totals = Counter()
    for theme, count in DialogueMention.objects.values_list("theme", "count"):
        totals[theme] += count

    assert [theme for theme, _n in totals.most_common(3)] == [
        Theme.VIOLENCE,
        Theme.UNSAFE_PLACES,
        Theme.DRUGS_ALCOHOL,
    ]
    pairs = DialogueMention.objects.values_list("dialogue_id", "theme", "area_id")
    assert len(set(pairs)) == len(pairs)  # one row per theme and district
    quotes = list(DialogueQuote.objects.values_list("text", flat=True))
    assert all(len(q) <= 120 and not holds_identifier(q) for q in quotes)


def test_loading_the_dialogues_again_adds_nothing(karlstad):
    dialogues.load_dialogues(karlstad)
    again = dialogues.load_dialogues(karlstad)

    assert (again.created, again.updated) == (0, 4)
    assert Dialogue.objects.count() == 4 and DialogueMention.objects.count() == 28
