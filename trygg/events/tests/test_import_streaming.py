"""Imports read, prepare and write a file a batch at a time (decision 0034): the result must be
exactly what one batch of the whole file makes, an invalid record in a later batch must still
leave nothing written, and no more than one batch is ever held."""

from __future__ import annotations

import gzip
import json

import numpy as np
import pytest
from django.db import transaction
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from trygg.conftest import KARLSTAD_CENTRE
from trygg.core.models import AuditEntry
from trygg.events.importers import base, csv_rows, geojson, parallel, seen, streams
from trygg.events.importers import polisen as feed
from trygg.events.importers.base import ImportContext, ImportFailed, run_import
from trygg.events.importers.common import ImportFileError
from trygg.events.models import DailyCount, Event, ImportRun
from trygg.events.tests.test_import_polisen import (
    GOTLAND_COUNTY,
    KARLSTAD_AFTER_2026,
    KARLSTAD_UNPADDED,
    NIGHT_SUMMARY,
    VARMLAND_COUNTY,
    record,
)

pytestmark = pytest.mark.frozen

HEADER = "external_id,occurred_at,category,lat,lon,description\n"
EVENT_FIELDS = [
    f.attname
    for f in Event._meta.concrete_fields
    if f.attname not in ("id", "import_run_id", "reported_at")
]


class Undo(Exception):
    """Rolls an import back once its outcome is recorded, so the next starts from the same."""


def police_records() -> list[dict]:
    """A feed with what streaming must keep straight across batches: repeats of an earlier
    batch's record, summaries skipped, county-level records, a record moved into Karlstad."""
    records = []
    for i in range(14):
        base_record = (KARLSTAD_UNPADDED, VARMLAND_COUNTY, GOTLAND_COUNTY, KARLSTAD_AFTER_2026)[
            i % 4
        ]
        records.append(record(base_record, id=1000 + i, summary=f"Ring 070-123 45 6{i % 10}"))
    records.insert(5, record(NIGHT_SUMMARY, id=2000))
    records += [record(KARLSTAD_UNPADDED, id=1000), record(VARMLAND_COUNTY, id=1003)]  # repeats
    records.insert(9, record(KARLSTAD_UNPADDED, id=1001))  # a repeat of the batch before
    return records


def outcome(report) -> dict:
    run = ImportRun.objects.get(pk=report.run_id)
    return {
        "report": (report.records, report.created, report.already_present, dict(report.skipped)),
        "events": list(Event.objects.order_by("id").values_list(*EVENT_FIELDS)),
        "counts": sorted(
            DailyCount.objects.values_list(
                "municipality_id", "day", "category_id", "source", "visibility", "events"
            )
        ),
        "run": (run.records, run.created, run.already_present, run.skipped),
        "audit": list(AuditEntry.objects.filter(action="import").values_list("object_type", "new")),
    }


def imported_in_batches(settings, parse, ctx: ImportContext, batch: int) -> dict:
    settings.TRYGG_IMPORT_BATCH_RECORDS = batch
    found = {}
    try:
        with transaction.atomic():
            found = outcome(run_import(parse(), ctx))
            raise Undo
    except Undo:
        pass
    return found


def police_ctx(organisation) -> ImportContext:
    return ImportContext(
        source="police", importer="polisen", file_name="feed.json", organisation=organisation
    )


def partner(organisation, **options) -> ImportContext:
    return ImportContext(
        source="partner",
        importer="csv",
        file_name="rader.csv",
        organisation=organisation,
        **options,
    )


def partner_file(tmp_path, rows: list[str], name: str = "rader.csv"):
    path = tmp_path / name
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    return path


def partner_rows(count: int, prefix: str = "s") -> list[str]:
    lat, lon = KARLSTAD_CENTRE
    return [
        f"{prefix}{i},2026-03-01 21:{i % 60:02d},Klotter,{lat},{lon},Klotter {i} ring 070-1234567\n"
        for i in range(count)
    ]


def parse_csv(path, organisation):
    return csv_rows.parse(csv_rows.read(path), organisation=organisation)


# --- the same result, whatever the batch -----------------------------------------------------


@pytest.mark.parametrize("batch", [1, 3, 7])
def test_a_police_feed_in_small_batches_writes_what_one_batch_writes(
    tmp_path, polisen, karlstad, settings, batch
):
    path = tmp_path / "feed.json.gz"
    path.write_bytes(gzip.compress(json.dumps(police_records(), ensure_ascii=False).encode()))

    def parse():
        return feed.parse(feed.read(path))

    whole = imported_in_batches(settings, parse, police_ctx(polisen), 10**6)
    streamed = imported_in_batches(settings, parse, police_ctx(polisen), batch)
    assert streamed == whole
    assert whole["report"] == (
        18,
        14,
        3,
        {feed.SUMMARY_REASON: 1},
    )
    assert len(whole["audit"]) == 1


@pytest.mark.parametrize("processes", [1, 3])
def test_partner_rows_in_batches_with_invalid_ones_skipped_write_what_one_batch_writes(
    tmp_path, bostadsbolaget, centrum, settings, monkeypatch, processes
):
    """Batches of 15 are prepared in three processes; the rows skipped as invalid sit in the
    first and the last batch, one of them an id repeated from an earlier batch."""
    monkeypatch.setattr(parallel, "PARALLEL_MIN_RECORDS", 12)
    settings.TRYGG_IMPORT_PROCESSES = processes
    rows = partner_rows(40)
    rows[2] = "s2,2026-03-01 21:00,Okänd kategori,59.3793,13.5036,x\n"
    rows[37] = rows[4]  # the same id as row 6
    rows[20] = ",,,,,\n"
    path = partner_file(tmp_path, rows)
    ctx = partner(bostadsbolaget, skip_invalid=True)
    whole = imported_in_batches(settings, lambda: parse_csv(path, bostadsbolaget), ctx, 10**6)
    streamed = imported_in_batches(settings, lambda: parse_csv(path, bostadsbolaget), ctx, 15)
    assert streamed == whole
    assert whole["report"][:2] == (40, 37)
    assert whole["report"][3] == {"ogiltig post (--skip-invalid)": 2, csv_rows.EMPTY_ROW_REASON: 1}


# --- all or nothing --------------------------------------------------------------------------


def test_an_invalid_record_in_a_later_batch_leaves_nothing_written(
    tmp_path, bostadsbolaget, centrum, settings, monkeypatch
):
    settings.TRYGG_IMPORT_BATCH_RECORDS = 3
    written = []
    insert = base._EventInserter.insert

    def counted(self, rows):
        written.append(len(rows))
        insert(self, rows)

    monkeypatch.setattr(base._EventInserter, "insert", counted)
    rows = partner_rows(10)
    rows[8] = "s8,2099-03-01 21:00,Klotter,59.3793,13.5036,framtiden\n"  # the third batch
    rows[9] = "s9,2026-03-01 21:00,Klotter,48.85,2.35,Paris\n"  # the fourth
    with pytest.raises(ImportFailed) as failure:
        run_import(parse_csv(partner_file(tmp_path, rows), bostadsbolaget), partner(bostadsbolaget))
    assert written == [3, 3]  # the first two batches were written, then rolled back
    assert [str(e) for e in failure.value.report.errors] == [
        "rad 10, occurred_at: tidpunkten ligger i framtiden",
        "rad 11, lat/lon: positionen ligger utanför Sverige",
    ]
    assert str(failure.value) == "2 ogiltiga poster; inget importerades."
    assert not Event.objects.exists()
    assert not ImportRun.objects.exists()
    assert not DailyCount.objects.exists()
    assert not AuditEntry.objects.filter(action="import").exists()


def test_the_same_id_in_a_later_batch_names_the_first_row_and_nothing_is_written(
    tmp_path, bostadsbolaget, centrum, settings
):
    settings.TRYGG_IMPORT_BATCH_RECORDS = 3
    rows = partner_rows(9)
    rows[7] = rows[1].replace("Klotter 1", "igen")  # row 9 repeats row 3's id
    with pytest.raises(ImportFailed) as failure:
        run_import(parse_csv(partner_file(tmp_path, rows), bostadsbolaget), partner(bostadsbolaget))
    assert [str(e) for e in failure.value.report.errors] == [
        "rad 9, external_id: samma external_id som rad 3"
    ]
    assert not Event.objects.exists()


def test_a_file_broken_after_the_first_batch_leaves_nothing_written(tmp_path, polisen, settings):
    settings.TRYGG_IMPORT_BATCH_RECORDS = 2
    text = json.dumps([record(KARLSTAD_UNPADDED, id=i) for i in range(6)], indent=1)
    broken = text[:-40] + "!"  # the end cut off, garbage after
    path = tmp_path / "feed.json"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(json.JSONDecodeError) as expected:
        json.loads(broken)
    where = f"(rad {expected.value.lineno}, kolumn {expected.value.colno})"
    with pytest.raises(ImportFileError) as found:
        run_import(feed.parse(feed.read(path)), police_ctx(polisen))
    assert str(found.value) == f"feed.json är inte giltig JSON: {expected.value.msg} {where}"
    assert expected.value.lineno > 40  # well after the first batch
    assert not Event.objects.exists()
    assert not ImportRun.objects.exists()


def test_a_file_of_nothing_but_invalid_records_keeps_a_bounded_list(
    tmp_path, bostadsbolaget, settings, monkeypatch
):
    monkeypatch.setattr(base, "ERRORS_KEPT", 4)
    settings.TRYGG_IMPORT_BATCH_RECORDS = 3
    rows = [f"x{i},2026-03-01 21:00,Okänd,59.3793,13.5036,x\n" for i in range(10)]
    with pytest.raises(ImportFailed) as failure:
        run_import(parse_csv(partner_file(tmp_path, rows), bostadsbolaget), partner(bostadsbolaget))
    report = failure.value.report
    assert [e.row for e in report.errors] == [2, 3, 4, 5]
    assert (report.invalid, report.errors_not_listed) == (10, 6)
    assert str(failure.value) == "10 ogiltiga poster; inget importerades."


# --- idempotent ------------------------------------------------------------------------------


def test_a_reimport_in_batches_adds_nothing(tmp_path, polisen, karlstad, settings):
    settings.TRYGG_IMPORT_BATCH_RECORDS = 3
    records = police_records()
    first = run_import(feed.parse(records), police_ctx(polisen))
    counts = sorted(DailyCount.objects.values_list("municipality_id", "day", "events"))
    again = run_import(feed.parse(records), police_ctx(polisen))
    assert (again.created, again.already_present) == (0, first.created + first.already_present)
    assert Event.objects.count() == first.created == 14
    assert sorted(DailyCount.objects.values_list("municipality_id", "day", "events")) == counts
    assert ImportRun.objects.count() == 2


def test_partner_ids_another_organisation_holds_are_refused_in_any_batch(
    tmp_path, bostadsbolaget, kommunen, centrum, settings
):
    settings.TRYGG_IMPORT_BATCH_RECORDS = 3
    run_import(parse_csv(partner_file(tmp_path, partner_rows(2, "k")), kommunen), partner(kommunen))
    rows = partner_rows(6) + partner_rows(2, "k")  # the other's ids in the third batch
    with pytest.raises(ImportFailed) as failure:
        run_import(
            parse_csv(partner_file(tmp_path, rows, "b.csv"), bostadsbolaget),
            partner(bostadsbolaget),
        )
    assert [str(e) for e in failure.value.report.errors] == [
        "rad 8, external_id: id:t används redan av en annan organisation",
        "rad 9, external_id: id:t används redan av en annan organisation",
    ]
    assert Event.objects.count() == 2


def test_ids_sharing_a_hash_are_not_taken_for_repeats(
    tmp_path, polisen, karlstad, settings, monkeypatch
):
    """The repeat check keeps hashes, not ids: with every id hashed alike, the database tells
    the new ones from the repeats, and the result is the same."""
    records = police_records()

    def parse():
        return feed.parse(records)

    honest = imported_in_batches(settings, parse, police_ctx(polisen), 3)
    monkeypatch.setattr(base, "_id_hash", lambda external_id: 7)
    colliding = imported_in_batches(settings, parse, police_ctx(polisen), 3)
    assert colliding == honest


# --- bounded memory --------------------------------------------------------------------------


def test_no_more_than_one_batch_is_read_ahead_or_prepared_at_once(
    tmp_path, bostadsbolaget, centrum, settings, monkeypatch
):
    settings.TRYGG_IMPORT_BATCH_RECORDS = 4
    table = csv_rows.read(partner_file(tmp_path, partner_rows(23)))
    read = 0
    open_rows = table.open_rows

    def counted_rows():
        nonlocal read
        for cells in open_rows():
            read += 1
            yield cells

    table.open_rows = counted_rows
    prepare_all = parallel.prepare_all
    seen_then = []  # (rows read from the file, records prepared) at each batch

    def measured(batch, *args):
        prepared = prepare_all(batch, *args)
        seen_then.append((read, prepared.records))
        return prepared

    monkeypatch.setattr(parallel, "prepare_all", measured)
    ctx = partner(bostadsbolaget)
    assert run_import(csv_rows.parse(table, organisation=bostadsbolaget), ctx).created == 23
    assert [records for _read, records in seen_then] == [4, 4, 4, 4, 4, 3]
    # When a batch is prepared, the file has been read no further than that batch's end.
    done = 0
    for read_then, records in seen_then:
        done += records
        assert read_then <= done


def test_seen_ids_find_every_row_through_merged_and_separate_levels(monkeypatch):
    monkeypatch.setattr(seen, "LEVEL_MAX", 64)
    ids = seen.SeenIds()
    rng = np.random.default_rng(1)
    hashes = rng.choice(2**62, size=500, replace=False).astype(np.int64)
    for start in range(0, 500, 10):
        ids.add(hashes[start : start + 10], np.arange(start, start + 10) + 2)
    assert len(ids) == 500 and len(ids._levels) > 1
    assert all(len(keys) <= 64 for keys, _rows in ids._levels)
    assert ids.rows_of(hashes).tolist() == list(range(2, 502))
    assert ids.rows_of(np.array([-5, 2**62 + 1], dtype=np.int64)).tolist() == [-1, -1]


# --- reading a block at a time ---------------------------------------------------------------


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=8,
)


@hypothesis_settings(max_examples=60, deadline=None)
@given(st.lists(JSON_VALUES, max_size=6), st.integers(1, 9), st.booleans())
def test_a_json_array_read_in_tiny_blocks_gives_what_json_loads_gives(values, block, indent):
    import tempfile
    from pathlib import Path

    text = json.dumps(values, ensure_ascii=False, indent=2 if indent else None)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "a.json"
        path.write_bytes(b"\xef\xbb\xbf" + text.encode())  # with a byte-order mark
        original = streams.BLOCK_BYTES
        streams.BLOCK_BYTES = block
        try:
            assert list(feed.PoliceFeed(path)) == json.loads(text)
        finally:
            streams.BLOCK_BYTES = original


@pytest.mark.parametrize(
    "broken",
    [
        '[{"a": 1},\n {"b": 2}\n {"c": 3}]',
        "[1, 2,\n  3 x]",
        '[{"a": "open',
        "[1, 2]\n,",
        '[\n\n{"a" 1}]',
    ],
)
def test_json_errors_name_the_line_and_column_json_loads_names(tmp_path, monkeypatch, broken):
    monkeypatch.setattr(streams, "BLOCK_BYTES", 3)
    path = tmp_path / "fel.json"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(json.JSONDecodeError) as expected:
        json.loads(broken)
    with pytest.raises(ImportFileError) as found:
        list(feed.PoliceFeed(path))
    assert (
        f"{expected.value.msg} (rad {expected.value.lineno}, kolumn {expected.value.colno})"
        in str(found.value)
    )


def test_a_windows_1252_byte_late_in_a_csv_file_decides_its_encoding(tmp_path, monkeypatch):
    monkeypatch.setattr(streams, "BLOCK_BYTES", 16)
    path = tmp_path / "excel.csv"
    rows = partner_rows(5)
    rows[4] = rows[4].replace("Klotter 4", "Klotter på gården")
    path.write_bytes((HEADER + "".join(rows)).encode("cp1252"))
    table = csv_rows.read(path)
    assert table.encoding == "windows-1252"
    assert table.rows[4][5].startswith("Klotter på gården")


def test_a_geojson_crs_after_the_features_still_reprojects_them(tmp_path, kommunen):
    feature = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [411_000.0, 6_582_000.0]},
        "properties": {
            "external_id": "g1",
            "occurred_at": "2026-03-01 21:30",
            "category": "Klotter",
            "description": "",
        },
    }
    path = tmp_path / "fynd.geojson"
    crs = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3006"}}
    path.write_text(
        json.dumps({"features": [feature], "crs": crs, "type": "FeatureCollection"}),
        encoding="utf-8",
    )
    collection = geojson.read(path)
    assert collection.crs == "EPSG:3006"
    (result,) = geojson.parse(collection, organisation=kommunen)
    assert (result.row, round(result.lat), round(result.lon)) == (1, 59, 13)  # Karlstad
