"""Large imports rebuild the event table's indexes instead of updating them row by row."""

import pytest
from django.db import connection

from trygg.events.importers import base, bulk_load, csv_rows
from trygg.events.importers.base import ImportContext, run_import
from trygg.events.models import Event

HEADER = "external_id,occurred_at,category,lat,lon,description\n"


def indexes() -> dict[str, tuple]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Event._meta.db_table)
    return {
        name: tuple(info["columns"])
        for name, info in constraints.items()
        if (info["index"] and not info["primary_key"]) or info["foreign_key"]
    }


def csv_import(tmp_path, organisation, rows: int, start: int = 0):
    lines = [
        f"b{i},2026-03-01 21:{i % 60:02d},Klotter,59.3793,13.5036,Klotter {i}\n"
        for i in range(start, start + rows)
    ]
    path = tmp_path / f"bulk{start}.csv"
    path.write_text(HEADER + "".join(lines), encoding="utf-8")
    table = csv_rows.read(path)
    ctx = ImportContext(
        source="partner", importer="csv", file_name=path.name, organisation=organisation
    )
    return run_import(csv_rows.parse(table, organisation=organisation), ctx)


@pytest.fixture
def small_bulk_threshold(monkeypatch):
    monkeypatch.setattr(bulk_load, "BULK_LOAD_MIN_ROWS", 10)


def test_a_bulk_load_leaves_exactly_the_indexes_the_migrations_made(
    tmp_path, bostadsbolaget, centrum, small_bulk_threshold
):
    before = indexes()
    report = csv_import(tmp_path, bostadsbolaget, 40)
    assert report.created == 40
    assert sorted(indexes().values()) == sorted(before.values())
    assert Event.objects.filter(area=centrum).count() == 40


def test_an_import_small_beside_the_table_keeps_its_indexes_in_place(
    tmp_path, bostadsbolaget, small_bulk_threshold, monkeypatch
):
    csv_import(tmp_path, bostadsbolaget, 40)
    dropped = []
    monkeypatch.setattr(bulk_load, "event_count", lambda conn: dropped.append(1) or 1000)
    before = indexes()
    csv_import(tmp_path, bostadsbolaget, 12, start=100)
    assert dropped  # the table was weighed, and 12 rows beside 1,000 did not rebuild
    assert indexes() == before


def test_a_failed_bulk_load_rolls_back_with_its_indexes(
    tmp_path, bostadsbolaget, small_bulk_threshold, monkeypatch
):
    before = indexes()

    def broken(*args, **kwargs):
        raise RuntimeError("disken full")

    monkeypatch.setattr(base._EventInserter, "insert", broken)
    with pytest.raises(RuntimeError):
        csv_import(tmp_path, bostadsbolaget, 40)
    assert indexes() == before
    assert not Event.objects.exists()
