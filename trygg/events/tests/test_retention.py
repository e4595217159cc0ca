"""Retention (decision 0031): old events lose free text, photo and exact position; what the
statistics count stays; the audit log keeps its own limit."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from trygg.core.models import AuditEntry
from trygg.events import daily_counts, retention
from trygg.events.models import DailyCount, Event, RetentionPolicy
from trygg.events.tests.factories import make_event

pytestmark = pytest.mark.frozen  # NOW = 2026-11-22 12:00: 36 months back is 2023-11-22

OLD = dt.datetime(2023, 5, 10, 21, 30, tzinfo=dt.UTC)  # 42 months ago
RECENT = dt.datetime(2026, 10, 1, 8, 15, tzinfo=dt.UTC)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def old_and_new(organisation, area, **fields):
    """An old and a recent event with text and a photo at Stora torget, in `area`."""
    made = []
    for when in (OLD, RECENT):
        event = make_event(
            organisation, occurred_from=when, area=area, description="Klotter på väggen", **fields
        )
        event.photo.save("photo.jpg", ContentFile(b"jpeg"), save=True)
        made.append(event)
    return made


def statistics() -> Counter:
    """What the situation picture and the annual figures count: day, hour, category, area,
    place, source, visibility."""
    counts: Counter = Counter()
    for e in Event.objects.all():
        local = timezone.localtime(e.occurred_from)
        key = (
            e.municipality_id,
            local.date(),
            local.hour,
            e.category_id,
            e.area_id,
            e.place_id,
            e.source,
            e.visibility,
        )
        counts[key] += 1
    return counts


def without_tokens(response) -> str:
    """The page as text without its CSRF tokens, which differ from one request to the next."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())


def rollup() -> set:
    return set(
        DailyCount.objects.values_list(
            "municipality", "day", "category", "source", "visibility", "events"
        )
    )


def test_an_old_event_loses_text_photo_and_exact_position_a_recent_one_keeps_them(
    bostadsbolaget, centrum, media, django_capture_on_commit_callbacks
):
    old, new = old_and_new(bostadsbolaget, centrum)
    old_photo, x, y = old.photo.name, old.x, old.y

    with django_capture_on_commit_callbacks(execute=True):  # files go once the rows are written
        totals = retention.run_periodic(timezone.now())

    old.refresh_from_db()
    assert (old.description, old.photo.name) == ("", "")
    assert not default_storage.exists(old_photo)
    assert (old.x, old.y) == retention.coarse(x, y) != (x, y)
    assert old.precision_m == retention.COARSE_PRECISION_M
    assert abs(old.lat - 59.3793) < 0.01 and abs(old.lon - 13.5036) < 0.02  # the same square km
    assert (old.area_id, old.category_id, old.occurred_from) == (centrum.pk, new.category_id, OLD)
    kept = Event.objects.get(pk=new.pk)
    assert (kept.description, kept.photo.name, kept.x, kept.y) == (
        "Klotter på väggen",
        new.photo.name,
        new.x,
        new.y,
    )
    assert default_storage.exists(new.photo.name)
    assert totals["texts_cleared"] == 1 and totals["positions_coarsened"] == 1


def test_the_statistics_and_the_rollup_are_the_same_after_retention(
    bostadsbolaget, centrum, kronoparken, media
):
    old_and_new(bostadsbolaget, centrum)
    old_and_new(bostadsbolaget, kronoparken)
    daily_counts.recount()
    before_stats, before_rollup = statistics(), rollup()

    retention.run_periodic(timezone.now())

    assert statistics() == before_stats
    assert rollup() == before_rollup
    daily_counts.recount()  # counted again from the retained events: still the same
    assert rollup() == before_rollup


def test_the_situation_page_shows_the_same_figures_after_retention(
    client, coordinator, kommunen, centrum, media
):
    for _ in range(3):
        old_and_new(kommunen, centrum)
    daily_counts.recount()
    client.force_login(coordinator)
    page = {"typ": "year", "ar": 2023}

    before = client.get("/lagesbild/", page)
    retention.run_periodic(timezone.now())
    cache.clear()  # a kept picture would hide any difference
    after = client.get("/lagesbild/", page)

    assert before.status_code == after.status_code == 200
    assert 'class="num">3</td>' in without_tokens(before)  # the three old events are counted
    assert without_tokens(after) == without_tokens(before)


def test_a_second_run_changes_nothing_and_writes_no_audit_row(bostadsbolaget, centrum, media):
    old_and_new(bostadsbolaget, centrum)
    retention.run_periodic(timezone.now())
    after_first = list(Event.objects.order_by("pk").values())
    audit_rows = AuditEntry.objects.count()

    totals = retention.run_periodic(timezone.now())

    assert list(Event.objects.order_by("pk").values()) == after_first
    assert (totals["texts_cleared"], totals["positions_coarsened"]) == (0, 0)
    assert AuditEntry.objects.count() == audit_rows


def test_one_audit_row_per_municipality_with_counts_not_texts(
    bostadsbolaget, karlstad, centrum, media
):
    old_and_new(bostadsbolaget, centrum)
    make_event(bostadsbolaget, occurred_from=OLD, description="Andra texten")

    retention.run_periodic(timezone.now())

    row = AuditEntry.objects.get(field="retention", action=AuditEntry.Action.UPDATE)
    assert (row.object_type, row.object_id, row.actor) == (
        "places.municipality",
        str(karlstad.pk),
        None,
    )
    assert row.new["texts_cleared"] == 2 and row.new["positions_coarsened"] == 2
    assert row.new["text_before"].startswith("2023-11-22")
    assert "Klotter" not in str(row.new) and "Andra" not in str(row.new)


def test_a_municipality_with_a_longer_limit_keeps_its_text(
    bostadsbolaget, karlskoga, karlskoga_kommun, centrum, media
):
    RetentionPolicy.objects.create(municipality=karlskoga, text_months=60, position_months=12)
    karlstad_old, _ = old_and_new(bostadsbolaget, centrum)
    karlskoga_old = make_event(karlskoga_kommun, occurred_from=OLD, description="Sprayade taggar")
    x = karlskoga_old.x

    retention.run_periodic(timezone.now())

    karlskoga_old.refresh_from_db()
    assert karlskoga_old.description == "Sprayade taggar"
    assert karlskoga_old.x != x  # its position limit is shorter: a year
    assert Event.objects.get(pk=karlstad_old.pk).description == ""


def test_positions_and_texts_follow_their_own_limits(bostadsbolaget, karlstad, media):
    RetentionPolicy.objects.create(municipality=karlstad, text_months=6, position_months=48)
    event = make_event(bostadsbolaget, occurred_from=OLD, description="Trasig belysning")
    x = event.x

    retention.run_periodic(timezone.now())

    event.refresh_from_db()
    assert (event.description, event.x) == ("", x)


def test_old_audit_rows_are_deleted_and_the_deletion_is_audited(settings, bostadsbolaget):
    settings.TRYGG_AUDIT_RETENTION_MONTHS = 60
    rows = [
        AuditEntry.objects.create(
            action=AuditEntry.Action.CREATE, object_type="x", object_id=str(n)
        )
        for n in range(3)
    ]
    AuditEntry.objects.filter(pk__in=[rows[0].pk, rows[1].pk]).update(
        at=timezone.now() - dt.timedelta(days=6 * 366)
    )

    totals = retention.run_periodic(timezone.now())

    assert totals["audit_rows_deleted"] == 2
    assert set(AuditEntry.objects.filter(object_type="x").values_list("pk", flat=True)) == {
        rows[2].pk
    }
    deletion = AuditEntry.objects.get(action=AuditEntry.Action.DELETE, field="retention")
    assert deletion.new["deleted"] == 2 and deletion.new["before"].startswith("2021-11-22")
    assert retention.run_periodic(timezone.now())["audit_rows_deleted"] == 0


def test_months_before_keeps_the_day_or_takes_the_last_of_a_shorter_month():
    end_of_may = timezone.make_aware(dt.datetime(2026, 5, 31, 10, 0))
    assert retention.months_before(end_of_may, 3).date() == dt.date(2026, 2, 28)
    assert retention.months_before(end_of_may, 36).date() == dt.date(2023, 5, 31)


def test_the_worker_runs_retention():
    from trygg.core.jobs import PERIODIC

    assert "trygg.events.retention.run_periodic" in PERIODIC
