"""A large import is prepared in several processes: the result must be exactly what one
process makes, and a child must never touch the database connection it inherits."""

from __future__ import annotations

import csv
import datetime as dt
import os

import pytest
from django.db import connection
from django.utils import timezone

from trygg.conftest import KARLSTAD_CENTRE
from trygg.core.privacy import MARKERS
from trygg.events.importers import csv_rows, parallel
from trygg.events.importers import polisen as feed
from trygg.events.importers.base import ImportContext, ImportFailed, _time_adapter, run_import
from trygg.events.importers.records import Records, RecordStream, RowError, Skip
from trygg.events.models import Category, DailyCount, Event, Status
from trygg.events.tests.test_import_polisen import KARLSTAD_AFTER_2026, KARLSTAD_UNPADDED, record
from trygg.places import index

# A time in the future is refused, counted from now (in every process).
pytestmark = pytest.mark.frozen

HEADER = "external_id,occurred_at,category,lat,lon,description\n"
# What a spreadsheet cell can hold that a driver or COPY must keep as it is.
AWKWARD = [
    "tab\there",
    "two\nlines",
    "carriage\r\nreturn",
    "back\\slash and \\N and \\.",
    "\\.",
    "\\N",
    "åäö – ”citat” 😀",
    "",
]


@pytest.fixture
def in_parts(monkeypatch, settings):
    """Split anything of 12 records or more into three parts: two children and this process."""
    monkeypatch.setattr(parallel, "PARALLEL_MIN_RECORDS", 12)
    settings.TRYGG_IMPORT_PROCESSES = 3


def partner_rows(count: int) -> list[str]:
    lat, lon = KARLSTAD_CENTRE
    rows = []
    for i in range(count):
        description = f"Klotter {i}" if i % 7 else f"Ring 070-123 45 6{i % 10} om klottret"
        rows.append(f"p{i},2026-03-01 21:{i % 60:02d},Klotter,{lat},{lon},{description}\n")
    return rows


def csv_records(tmp_path, organisation, rows: list[str]) -> RecordStream:
    path = tmp_path / "rapporter.csv"
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    return csv_rows.parse(csv_rows.read(path), organisation=organisation)


def prepared_by(records: RecordStream, processes: int, settings):
    settings.TRYGG_IMPORT_PROCESSES = processes
    now = timezone.now()
    (batch,) = records.batches(1000)
    return parallel.prepare_all(batch, now, _time_adapter(connection), lambda *a: None)


@pytest.mark.parametrize("weight", [1.0, parallel.OWN_PART_WEIGHT])
def test_parts_cover_every_record_once_in_order(weight):
    for count in (0, 1, 2, 7, 12, 100, 1_000_001):
        for parts in (1, 2, 3, 4):
            ranges = parallel.split(count, parts, weight)
            assert len(ranges) == parts
            assert ranges[0][0] == 0 and ranges[-1][1] == count
            assert all(a[1] == b[0] for a, b in zip(ranges, ranges[1:], strict=False))
            sizes = [stop - start for start, stop in ranges]
            assert max(sizes[1:] or [0]) - min(sizes[1:] or [0]) <= 1
            if parts > 1 and count >= 100:
                assert sizes[0] / sizes[1] == pytest.approx(weight, rel=0.05)


def test_small_files_and_plain_lists_stay_in_one_process(settings):
    settings.TRYGG_IMPORT_PROCESSES = 4
    assert parallel.process_count(Records(parallel.PARALLEL_MIN_RECORDS - 1, iter)) == 1
    assert parallel.process_count([object()] * parallel.PARALLEL_MIN_RECORDS) == 1
    assert parallel.process_count(Records(parallel.PARALLEL_MIN_RECORDS * 10, iter)) == 4
    settings.TRYGG_IMPORT_PROCESSES = 1
    assert parallel.process_count(Records(parallel.PARALLEL_MIN_RECORDS * 10, iter)) == 1


@pytest.mark.django_db
def test_prepared_in_parts_equals_prepared_in_one_process(
    tmp_path, bostadsbolaget, centrum, in_parts, settings
):
    rows = partner_rows(40)
    rows[5] = "p5,2026-03-01 21:00,Okänd kategori,59.3793,13.5036,x\n"  # first part
    rows[33] = "p33,2026-03-01 21:00,Klotter,48.85,2.35,Paris\n"  # last part: outside Sweden
    rows[20] = ",,,,,\n"  # an empty row, in the middle part
    records = csv_records(tmp_path, bostadsbolaget, rows)
    alone = prepared_by(records, 1, settings)
    split = prepared_by(records, 3, settings)
    assert split == alone
    assert [(e.row, e.field) for e in split.errors] == [(7, "category"), (35, "lat/lon")]
    assert split.skipped == {csv_rows.EMPTY_ROW_REASON: 1}
    assert split.rows == [i + 2 for i in range(40) if i not in (5, 20, 33)]


@pytest.mark.django_db
def test_an_import_in_parts_writes_every_event_located_scrubbed_and_counted(
    tmp_path, bostadsbolaget, centrum, in_parts
):
    records = csv_records(tmp_path, bostadsbolaget, partner_rows(40))
    ctx = ImportContext(
        source="partner", importer="csv", file_name="rapporter.csv", organisation=bostadsbolaget
    )
    report = run_import(records, ctx)
    assert report.created == 40
    events = Event.objects.order_by("id")
    assert [e.external_id for e in events] == [f"p{i}" for i in range(40)]
    assert all(e.area_id == centrum.pk for e in events)
    scrubbed = events.filter(was_scrubbed=True)
    assert scrubbed.count() == 6  # p0, p7 … p35: one in each part
    assert all(MARKERS["phone"] in e.description and "070" not in e.description for e in scrubbed)
    assert sum(DailyCount.objects.values_list("events", flat=True)) == 40


@pytest.mark.parametrize("processes", [1, 3])
@pytest.mark.django_db
def test_awkward_text_numbers_and_times_are_stored_exactly(
    tmp_path, bostadsbolaget, centrum, in_parts, settings, processes
):
    settings.TRYGG_IMPORT_PROCESSES = processes
    lat, lon = KARLSTAD_CENTRE
    path = tmp_path / "rapporter.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["external_id", "occurred_at", "occurred_to", "category", "lat", "lon", "description"]
        )
        for i in range(24):
            writer.writerow(
                [
                    f"tab\\id-{i}",
                    f"2026-03-01T21:{i:02d}:07.000123+01:00",
                    "2026-03-01 23:59" if i % 2 else "",
                    "Klotter",
                    f"{lat + i * 1e-7!r}",
                    f"{lon - i * 1e-7!r}",
                    AWKWARD[i % len(AWKWARD)] + (" ring 070-123 45 67" if i % 3 == 0 else ""),
                ]
            )
    table = csv_rows.read(path)
    ctx = ImportContext(
        source="partner", importer="csv", file_name="x.csv", organisation=bostadsbolaget
    )
    assert run_import(csv_rows.parse(table, organisation=bostadsbolaget), ctx).created == 24
    stored = {e.external_id: e for e in Event.objects.all()}
    for i in range(24):
        event = stored[f"tab\\id-{i}"]
        description = AWKWARD[i % len(AWKWARD)]
        if i % 3 == 0:
            assert event.description == (description + " ring [telefonnummer borttaget]").strip()
            assert event.was_scrubbed
        else:
            assert event.description == description
            assert not event.was_scrubbed
        assert event.lat == lat + i * 1e-7 and event.lon == lon - i * 1e-7
        assert event.occurred_from == dt.datetime(2026, 3, 1, 20, i, 7, 123, tzinfo=dt.UTC)
        if i % 2:
            assert event.occurred_to == dt.datetime(2026, 3, 1, 22, 59, tzinfo=dt.UTC)
        else:
            assert event.occurred_to is None
        assert event.place_id is None and event.area_id == centrum.pk
        assert event.organisation_id == bostadsbolaget.pk and event.source == "partner"
        assert event.import_run_id is not None and not event.flagged and not event.photo
        assert event.status == Status.NEW and event.reported_by_id is None
        assert abs(event.reported_at - timezone.now()) < dt.timedelta(minutes=5)


@pytest.mark.django_db
def test_invalid_rows_found_by_a_child_stop_the_import(tmp_path, bostadsbolaget, centrum, in_parts):
    rows = partner_rows(40)
    rows[38] = "p38,2099-03-01 21:00,Klotter,59.3793,13.5036,framtiden\n"
    ctx = ImportContext(
        source="partner", importer="csv", file_name="rapporter.csv", organisation=bostadsbolaget
    )
    with pytest.raises(ImportFailed) as failure:
        run_import(csv_records(tmp_path, bostadsbolaget, rows), ctx)
    assert [str(e) for e in failure.value.report.errors] == [
        "rad 40, occurred_at: tidpunkten ligger i framtiden"
    ]
    assert not Event.objects.exists()


@pytest.mark.django_db
def test_police_records_placed_inside_their_municipality_are_prepared_in_a_child(
    karlstad, polisen, in_parts
):
    """A county-level record naming Karlstad is moved to a point inside Karlstad, whose outline
    the lookups load from the database on first use: in a child that would be a query."""
    records = [record(KARLSTAD_UNPADDED, id=100 + i) for i in range(30)]
    records.append(record(KARLSTAD_AFTER_2026, id=999))  # the last part: a child's
    ctx = ImportContext(
        source="police", importer="polisen", file_name="feed.json", organisation=polisen
    )
    report = run_import(feed.parse(records), ctx)
    assert report.created == 31
    moved = Event.objects.get(external_id="999")
    assert moved.municipality == karlstad
    assert (moved.lat, moved.lon) != (59.729407, 13.235402)  # not the county's centroid


@pytest.mark.django_db
def test_a_child_that_queries_the_database_fails_the_import_and_leaves_the_connection_whole(
    bostadsbolaget, in_parts, settings
):
    parent = os.getpid()

    def parse_part(start: int, stop: int):
        if os.getpid() != parent:
            Category.objects.count()  # what a lazily loaded lookup would do
        for row in range(start + 1, stop + 1):
            yield Skip(row, "test")

    ctx = ImportContext(
        source="partner", importer="csv", file_name="x.csv", organisation=bostadsbolaget
    )
    with pytest.raises(parallel.WorkerFailed, match="may not use its parent's database"):
        run_import(Records(30, parse_part), ctx)
    assert Category.objects.filter(code="skadegorelse.klotter").exists()  # still answers
    assert not Event.objects.exists()


@pytest.mark.django_db
def test_a_child_that_dies_fails_the_import(bostadsbolaget, in_parts):
    parent = os.getpid()

    def parse_part(start: int, stop: int):
        if os.getpid() != parent:
            os._exit(3)
        for row in range(start + 1, stop + 1):
            yield RowError(row, "x", "y")

    ctx = ImportContext(
        source="partner", importer="csv", file_name="x.csv", organisation=bostadsbolaget
    )
    with pytest.raises(parallel.WorkerFailed, match="exit code 3"):
        run_import(Records(30, parse_part), ctx)


@pytest.mark.django_db
def test_offline_lookups_ask_the_database_nothing(karlstad, centrum, django_assert_num_queries):
    index.load_all()
    lat, lon = KARLSTAD_CENTRE
    with django_assert_num_queries(0), index.offline():
        located = index.locate([lon, 18.07], [lat, 59.33])  # Stora torget, Stockholm
    assert located.municipality_id[0] == karlstad.pk
    assert located.area_id.tolist() == [centrum.pk, -1]  # Stockholm has no areas loaded


def test_progress_of_this_processs_part_is_shown_for_the_whole_file():
    shown = []
    report = parallel._scaled(lambda *args: shown.append(args), total=90, mine=30)
    report("read", 10, 0)
    report("read", 30, 30)
    assert shown == [("read", 30, 0), ("read", 90, 90)]
