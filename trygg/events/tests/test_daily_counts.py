"""The daily rollup the situation picture reads must always equal a count of the events."""

from __future__ import annotations

import datetime as dt
import io
import threading
import time
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.utils import timezone

from trygg.events import daily_counts
from trygg.events.actions import review_event
from trygg.events.models import DailyCount, Event, Status, Visibility
from trygg.events.tests.factories import report

# Events an hour or days ago fall on days counted from now.
pytestmark = pytest.mark.frozen


def rollup() -> Counter:
    return Counter(
        {
            (r.municipality_id, r.day, r.category_id, r.source, r.visibility, r.organisation_id): (
                r.events
            )
            for r in DailyCount.objects.all()
            if r.events
        }
    )


def direct_count() -> Counter:
    counts: Counter = Counter()
    events = Event.objects.exclude(status__in=[Status.REJECTED, Status.DUPLICATE])
    for e in events:
        org = e.organisation_id if e.visibility == Visibility.ORGANISATION else None
        day = timezone.localtime(e.occurred_from).date()
        counts[(e.municipality_id, day, e.category_id, e.source, e.visibility, org)] += 1
    return counts


def test_a_report_and_its_rejection_keep_the_rollup_equal_to_the_events(
    coordinator, kommunen, housing_reporter, bostadsbolaget, category
):
    first = report(housing_reporter, bostadsbolaget, category)
    report(housing_reporter, bostadsbolaget, category, visibility=Visibility.ORGANISATION)
    report(coordinator, kommunen, category, occurred_from=timezone.now() - dt.timedelta(days=40))
    assert rollup() == direct_count()
    assert sum(rollup().values()) == 3

    review_event(first, status=Status.REJECTED, flagged=False, acting_user=coordinator)
    assert rollup() == direct_count()
    assert sum(rollup().values()) == 2

    review_event(first, status=Status.REVIEWED, flagged=True, acting_user=coordinator)
    assert rollup() == direct_count()
    assert sum(rollup().values()) == 3


def test_a_day_is_the_local_swedish_day_not_the_utc_day(housing_reporter, bostadsbolaget, category):
    # 23:30 UTC on 1 March is 00:30 on 2 March in Sweden.
    report(
        housing_reporter,
        bostadsbolaget,
        category,
        occurred_from=dt.datetime(2026, 3, 1, 23, 30, tzinfo=dt.UTC),
    )
    assert [r.day for r in DailyCount.objects.all()] == [dt.date(2026, 3, 2)]


def test_an_import_adds_its_events_to_the_rollup_and_a_rerun_adds_nothing(
    tmp_path, bostadsbolaget, category, make_event
):
    make_event(bostadsbolaget, occurred_from=timezone.now() - dt.timedelta(days=1))
    daily_counts.recount()
    path = tmp_path / "rapporter.csv"
    path.write_text(
        "external_id;occurred_at;category;lat;lon;description;visibility\n"
        f"a-1;2026-03-01 21:30;{category.code};59.3793;13.5036;;samverkanspartner\n"
        f"a-2;2026-03-01 22:30;{category.code};59.3793;13.5036;;egen organisation\n"
        f"a-3;2026-03-02 08:00;{category.code};59.3793;13.5036;;samverkanspartner\n",
        encoding="utf-8",
    )
    for _ in range(2):
        call_command(
            "import_events",
            "csv",
            str(path),
            "--organisation",
            bostadsbolaget.code,
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
    assert Event.objects.count() == 4
    assert rollup() == direct_count()


def test_a_county_level_police_event_is_counted_on_its_countys_row(polisen):
    from trygg.events.importers.base import ImportContext, run_import
    from trygg.events.importers.polisen import parse
    from trygg.events.tests.test_import_polisen import KARLSTAD_UNPADDED, VARMLAND_COUNTY

    context = ImportContext(
        source="police", importer="polisen", file_name="test.json", organisation=polisen
    )
    run_import(parse([VARMLAND_COUNTY, KARLSTAD_UNPADDED]), context)
    assert rollup() == direct_count()
    county_row = DailyCount.objects.get(municipality__code="0017")
    assert (county_row.day, county_row.events) == (dt.date(2023, 3, 18), 1)
    daily_counts.recount()
    assert rollup() == direct_count()
    assert sum(rollup().values()) == 2


def test_a_second_import_into_the_same_day_grows_the_row_already_there(
    tmp_path, bostadsbolaget, category
):
    for name in ("a", "b"):
        path = tmp_path / f"{name}.csv"
        path.write_text(
            "external_id;occurred_at;category;lat;lon;description\n"
            f"{name}-1;2026-03-01 23:30;{category.code};59.3793;13.5036;\n"
            f"{name}-2;2026-03-02 00:30;{category.code};59.3793;13.5036;\n",
            encoding="utf-8",
        )
        call_command(
            "import_events",
            "csv",
            str(path),
            "--organisation",
            bostadsbolaget.code,
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
    assert sorted(DailyCount.objects.values_list("day", "events")) == [
        (dt.date(2026, 3, 1), 2),
        (dt.date(2026, 3, 2), 2),
    ]
    assert rollup() == direct_count()


def test_recount_rebuilds_a_rollup_that_went_wrong(bostadsbolaget, make_event):
    for days in (1, 1, 3):
        make_event(bostadsbolaget, occurred_from=timezone.now() - dt.timedelta(days=days))
    DailyCount.objects.update(events=99)
    daily_counts.recount()
    assert rollup() == direct_count()
    assert sum(rollup().values()) == 3


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has one writer at a time")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_reports_of_the_same_day_at_once_are_counted_once_each(
    make_event, kommunen, monkeypatch
):
    """Both transactions have written their event before either recounts the day: without a
    lock the second recount keeps the first's fresh row and adds a full count of its own."""
    make_event(kommunen)
    daily_counts.recount()
    both_written = threading.Barrier(2, timeout=10)
    insert = type(DailyCount.objects).bulk_create

    def slow_insert(self, *args, **kwargs):
        time.sleep(0.3)  # the other recount reaches its DELETE before this one commits
        return insert(self, *args, **kwargs)

    monkeypatch.setattr(type(DailyCount.objects), "bulk_create", slow_insert)

    def report() -> None:
        try:
            with transaction.atomic():
                event = make_event(kommunen)
                both_written.wait()
                daily_counts.recount_day(event.municipality_id, event.occurred_from)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=report) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # Summed row by row: a second row for the same day is exactly the fault.
    assert sum(DailyCount.objects.values_list("events", flat=True)) == Event.objects.count() == 3
    assert rollup() == direct_count()


def test_a_report_adds_one_to_the_row_already_there(
    housing_reporter, bostadsbolaget, category, make_event
):
    make_event(bostadsbolaget, occurred_from=timezone.now() - dt.timedelta(minutes=10))
    daily_counts.recount()
    report(housing_reporter, bostadsbolaget, category)
    report(housing_reporter, bostadsbolaget, category)
    assert list(DailyCount.objects.values_list("events", flat=True)) == [3]
    assert rollup() == direct_count()


def test_a_report_of_a_new_kind_gets_a_row_of_its_own(
    housing_reporter, bostadsbolaget, category, coordinator, kommunen
):
    report(housing_reporter, bostadsbolaget, category)
    report(housing_reporter, bostadsbolaget, category, visibility=Visibility.ORGANISATION)
    report(coordinator, kommunen, category, visibility=Visibility.ORGANISATION)
    report(housing_reporter, bostadsbolaget, category, visibility=Visibility.ORGANISATION)
    # Partners' row, and one per organisation for what only that organisation sees.
    rows = DailyCount.objects.values_list("organisation_id", "events")
    assert Counter(dict(rows)) == Counter({None: 1, bostadsbolaget.pk: 2, kommunen.pk: 1})
    assert len(rows) == 3
    assert rollup() == direct_count()


postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite has one writer at a time"
)


def _in_threads(*steps) -> None:
    failures: list[BaseException] = []

    def run(step) -> None:
        try:
            step()
        except BaseException as error:  # noqa: BLE001 -- handed to the test below
            failures.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(step,)) for step in steps]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not failures, failures


@postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_first_reports_of_a_day_at_once_make_one_row(
    housing_reporter, bostadsbolaget, category
):
    """The first report has inserted the day's row but not committed when the second counts
    itself: the second must wait and add to that row, not insert a second row for the key."""
    first_counted = threading.Event()

    def first() -> None:
        with transaction.atomic():
            report(housing_reporter, bostadsbolaget, category)
            first_counted.set()
            time.sleep(0.3)

    def second() -> None:
        assert first_counted.wait(timeout=10)
        report(housing_reporter, bostadsbolaget, category)

    _in_threads(first, second)
    assert list(DailyCount.objects.values_list("events", flat=True)) == [2]
    assert rollup() == direct_count()


@postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_recount_waits_for_a_report_not_yet_committed(housing_reporter, bostadsbolaget, category):
    """A recount that read the day while a report was still open could miss the report's
    event yet keep its row, or count it twice: it waits until the report has committed."""
    report_open = threading.Event()
    committed_at: list[float] = []
    recounted_at: list[float] = []

    def reporting() -> None:
        with transaction.atomic():
            event = report(housing_reporter, bostadsbolaget, category)
            report_open.set()
            time.sleep(0.3)
            transaction.on_commit(lambda: committed_at.append(time.monotonic()))
        assert event.pk

    def recounting() -> None:
        assert report_open.wait(timeout=10)
        daily_counts.recount_day(bostadsbolaget.municipality_id, timezone.now())
        recounted_at.append(time.monotonic())

    _in_threads(reporting, recounting)
    assert recounted_at[0] >= committed_at[0]
    assert list(DailyCount.objects.values_list("events", flat=True)) == [1]
    assert rollup() == direct_count()


@postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_reports_of_the_same_municipality_do_not_wait_for_each_other(
    housing_reporter, bostadsbolaget, category, coordinator, kommunen
):
    """Two reports of different kinds in the same municipality: the second is counted while
    the first is still open (a recount held every report of the municipality until commit)."""
    first_open = threading.Event()
    second_done = threading.Event()

    def first() -> None:
        with transaction.atomic():
            report(housing_reporter, bostadsbolaget, category)
            first_open.set()
            # The second report finishes while this one is still open.
            assert second_done.wait(timeout=10)

    def second() -> None:
        assert first_open.wait(timeout=10)
        report(coordinator, kommunen, category, visibility=Visibility.ORGANISATION)
        second_done.set()

    _in_threads(first, second)
    assert sum(DailyCount.objects.values_list("events", flat=True)) == 2
    assert rollup() == direct_count()
