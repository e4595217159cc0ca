"""The shared import pipeline: read all records, validate all, then write in bulk or not at all.

Each source module (polisen, csv_rows, geojson, demo) turns its file into `Candidate` rows or
`RowError`s (records.py); prepare.py locates and checks them and scrubs the free text (in
several processes for a large file, parallel.py); this module drops what is already stored
and writes everything inside one transaction with one audit row for the run.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections import Counter
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import connections, router, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trygg.core.audit import record
from trygg.core.bulk_sql import can_copy
from trygg.core.models import AuditEntry
from trygg.core.privacy import scrub_text
from trygg.events import daily_counts
from trygg.events.importers import bulk_load, parallel
from trygg.events.importers.prepare import (
    EVENT_COLUMNS,
    FUTURE_TOLERANCE,
    Prepared,
    Progress,
    count_keys,
)
from trygg.events.importers.records import Candidate, Parsed, Records, RowError, Skip
from trygg.events.models import Event, ImportRun, Source

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from trygg.organisations.models import Organisation

__all__ = [
    "FUTURE_TOLERANCE",
    "Candidate",
    "ImportContext",
    "ImportFailed",
    "ImportReport",
    "Progress",
    "Records",
    "RowError",
    "Skip",
    "run_import",
]

BATCH_SIZE = 2000


@dataclass
class ImportReport:
    records: int = 0
    created: int = 0
    already_present: int = 0
    skipped: Counter = field(default_factory=Counter)
    errors: list[RowError] = field(default_factory=list)
    run_id: int | None = None

    @property
    def accounted(self) -> int:
        return self.created + self.already_present + sum(self.skipped.values()) + len(self.errors)

    def summary(self) -> str:
        lines = [
            _("%(records)s poster lästa: %(created)s nya, %(present)s fanns redan.")
            % {"records": self.records, "created": self.created, "present": self.already_present}
        ]
        lines += [
            f"  {count} {_('hoppades över')}: {reason}"
            for reason, count in sorted(self.skipped.items())
        ]
        return "\n".join(lines)


class ImportFailed(Exception):
    """Invalid records and no --skip-invalid: nothing was written."""

    def __init__(self, report: ImportReport):
        self.report = report
        super().__init__(
            _("%(n)s ogiltiga poster; inget importerades.") % {"n": len(report.errors)}
        )


def _no_progress(stage: str, done: int, total: int) -> None:
    return None


@dataclass
class ImportContext:
    source: str
    importer: str
    file_name: str
    organisation: Organisation  # the owning organisation
    acting_user: User | None = None
    skip_invalid: bool = False
    progress: Progress = _no_progress
    now: dt.datetime = field(default_factory=timezone.now)


def run_import(parsed: Iterable[Parsed], ctx: ImportContext) -> ImportReport:
    """Validate everything, then write all valid records in bulk (or nothing)."""
    with _collector_paused():
        adapt_time = _time_adapter(connections[router.db_for_write(Event)])
        prepared = parallel.prepare_all(parsed, ctx.now, adapt_time, ctx.progress)
        report = ImportReport(
            records=prepared.records, skipped=prepared.skipped, errors=prepared.errors
        )
        fresh = _fresh(prepared, report, ctx)
        report.errors.sort(key=lambda e: e.row)
        if report.errors and not ctx.skip_invalid:
            raise ImportFailed(report)
        report.skipped.update(
            {_("ogiltig post (--skip-invalid)"): len(report.errors)} if report.errors else {}
        )
        _write(prepared, fresh, report, ctx)
    return report


@contextmanager
def _collector_paused():
    """A large import makes millions of objects that all live until it ends; the cyclic
    garbage collector would walk them again and again for nothing (about 5 % of the time)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _fresh(prepared: Prepared, report: ImportReport, ctx) -> list[int]:
    """Positions (in `prepared`) of the records to write: those not stored already.

    The police feed's ids are the police's: a record is present whoever imported it, and the
    feed repeats records. Other sources' ids are their organisation's own, as in the API: an id
    another organisation already uses, or the same id twice in one file, is a row error.
    """
    ids, rows = prepared.external_ids, prepared.rows
    present = _present_ids(ctx.source, ids)
    if not present and len(set(ids)) == len(ids):
        return list(range(len(ids)))  # the usual large import: all new, no repeats
    shared = ctx.source == Source.POLICE
    owner = getattr(ctx.organisation, "pk", None)
    fresh: list[int] = []
    seen: dict[str, int] = {}
    for i, external_id in enumerate(ids):
        stored_by = present.get(external_id)
        if stored_by is not None and not shared and stored_by != owner:
            report.errors.append(
                RowError(rows[i], "external_id", _("id:t används redan av en annan organisation"))
            )
        elif external_id in seen and not shared:
            report.errors.append(
                RowError(
                    rows[i],
                    "external_id",
                    _("samma external_id som rad %(row)s") % {"row": seen[external_id]},
                )
            )
        elif stored_by is not None or external_id in seen:
            report.already_present += 1
        else:
            seen[external_id] = rows[i]
            fresh.append(i)
    return fresh


def _present_ids(source: str, ids: list[str]) -> dict[str, int]:
    """Id -> owning organisation of the ids already stored for `source` (the
    event_source_external_id index serves it).

    Plain SQL: the ORM spends ~10 µs on each parameter of a long IN list, more than the query.
    A source with no events yet (the first, often largest, import) is not searched at all:
    a million ids cost 0.6 s (SQLite) to 1.5 s (PostgreSQL) to look for.
    """
    if not Event.objects.filter(source=source).exists():
        return {}
    connection = connections[router.db_for_read(Event)]
    quote = connection.ops.quote_name
    # Only quoted column and table names from the model go into the text; ids are parameters.
    head = "SELECT {id}, {owner} FROM {table} WHERE {source} = %s AND {id}".format(  # noqa: S608
        id=quote(Event._meta.get_field("external_id").column),
        owner=quote(Event._meta.get_field("organisation").column),
        table=quote(Event._meta.db_table),
        source=quote(Event._meta.get_field("source").column),
    )
    array = connection.vendor == "postgresql"  # one array parameter instead of a list
    size = 50_000 if array else min(connection.features.max_query_params or 10_000, 10_000) - 1
    present: dict[str, int] = {}
    with connection.cursor() as cursor:
        for start in range(0, len(ids), size):
            chunk = ids[start : start + size]
            if array:
                cursor.execute(f"{head} = ANY(%s)", [source, chunk])
            else:
                cursor.execute(f"{head} IN ({', '.join(['%s'] * len(chunk))})", [source, *chunk])
            present.update(cursor.fetchall())
    return present


def _sqlite_time(value: dt.datetime) -> str:
    if value.tzinfo is not dt.UTC:
        value = value if value.tzinfo is None else value.astimezone(dt.UTC)
    return str(value.replace(tzinfo=None))


def _time_adapter(connection):
    """Django's datetime adaptation, done in one step where it is known (~3× faster on SQLite:
    aware -> naive UTC -> text). test_import_polisen checks both give the same text."""
    if connection.vendor == "sqlite" and connection.timezone == dt.UTC:
        return _sqlite_time
    return connection.ops.adapt_datetimefield_value


class _EventInserter:
    """Plain tuples into the event table: COPY on PostgreSQL, one prepared INSERT elsewhere.

    bulk_create spends ~200 µs per event in the SQL compiler (SQLite caps a statement at 999
    parameters, so 41 events per INSERT); a prepared statement run for every row is about ten
    times faster, and PostgreSQL's COPY faster still. No save() or signal is bypassed: Event has
    none (DESIGN §4).
    """

    def __init__(self, run: ImportRun, ctx: ImportContext):
        self.db = router.db_for_write(Event)
        connection = connections[self.db]
        self.adapt_time = _time_adapter(connection)
        given = {
            "organisation_id": ctx.organisation.pk,
            "source": ctx.source,
            "import_run_id": run.pk,
            "reported_at": timezone.now(),
        }
        fields = {f.attname: f for f in Event._meta.concrete_fields if not f.primary_key}
        constant = {
            name: field.get_db_prep_save(given.get(name, field.get_default()), connection)
            for name, field in fields.items()
            if name not in EVENT_COLUMNS
        }
        self.constants = tuple(constant.values())
        quote = connection.ops.quote_name
        columns = ", ".join(quote(fields[name].column) for name in (*EVENT_COLUMNS, *constant))
        table = quote(Event._meta.db_table)
        self.copy_sql = f"COPY {table} ({columns}) FROM STDIN" if can_copy(connection) else None
        # The values every row shares are written into the statement: binding them for each
        # row cost a quarter of SQLite's insert time. quote_value is the schema editor's
        # (SQLite's own quote()); "%" is doubled for Django's parameter syntax.
        if self.copy_sql is None:
            quote_value = connection.SchemaEditorClass(connection).quote_value
            shared = ", ".join(
                str(quote_value(value)).replace("%", "%%") for value in self.constants
            )
            placeholders = ", ".join(["%s"] * len(EVENT_COLUMNS))
            # Quoted names from the model; `shared` holds the run's own constants (organisation
            # and run ids, source, time, field defaults), quoted by the database's quote().
            self.insert_sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders}, {shared})"  # noqa: S608

    def insert(self, rows: list[tuple]) -> None:
        with connections[self.db].cursor() as cursor:
            if self.copy_sql is None:
                cursor.executemany(self.insert_sql, rows)
                return
            constants = self.constants
            # executemany on PostgreSQL costs a round trip per row through Django's client-side
            # binding cursor (~300 µs); COPY streams the batch.
            with cursor.cursor.copy(self.copy_sql) as copy:
                for row in rows:
                    copy.write_row(row + constants)


@transaction.atomic
def _write(prepared: Prepared, fresh: list[int], report: ImportReport, ctx: ImportContext) -> None:
    run = ImportRun.objects.create(
        source=ctx.source,
        importer=ctx.importer,
        file_name=scrub_text(ctx.file_name)[:255],  # "rapport_850412-1230.csv" happens
        organisation=ctx.organisation,
        started_by=ctx.acting_user if getattr(ctx.acting_user, "is_authenticated", False) else None,
    )
    inserter = _EventInserter(run, ctx)
    events, total = prepared.events, len(fresh)
    with bulk_load.rebuilt_afterwards(connections[inserter.db], total):
        for start in range(0, total, BATCH_SIZE):
            inserter.insert([events[i] for i in fresh[start : start + BATCH_SIZE]])
            report.created = min(total, start + BATCH_SIZE)
            ctx.progress("write", report.created, total)
    daily_counts.add_imported(
        count_keys(prepared, fresh), source=ctx.source, organisation_id=ctx.organisation.pk
    )
    run.records, run.created, run.already_present = (
        report.records,
        report.created,
        report.already_present,
    )
    run.skipped = dict(report.skipped)
    run.finished_at = timezone.now()
    run.save()
    report.run_id = run.pk
    # One audit row for the run; each event points at its run, so every write is traceable.
    record(ctx.acting_user, run, AuditEntry.Action.IMPORT, new=_audit_summary(run))


def _audit_summary(run: ImportRun) -> str:
    return (
        f"{run.importer}: {run.file_name}; {run.records} poster, {run.created} nya, "
        f"{run.already_present} fanns redan, överhoppade {run.skipped}"
    )
