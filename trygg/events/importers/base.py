"""The shared import pipeline: every valid record written in bulk, or nothing.

Each source module (polisen, csv_rows, geojson, demo) turns its file into `Candidate` rows or
`RowError`s (records.py), read a batch at a time (decision 0034); prepare.py locates and
checks a batch and scrubs the free text (in several processes for a large batch, parallel.py);
this module drops what is already stored or came earlier in the file and writes the batch. All
batches are written inside one transaction with one audit row for the run; an invalid record in
any batch rolls all of it back, so memory holds about one batch however large the file.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections import Counter
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
from django.conf import settings
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
    dated_keys,
)
from trygg.events.importers.records import (
    Candidate,
    Parsed,
    Records,
    RecordStream,
    RowError,
    Skip,
    batches,
)
from trygg.events.importers.seen import SeenIds
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
    "RecordStream",
    "Records",
    "RowError",
    "Skip",
    "run_import",
]

BATCH_SIZE = 2000  # rows a statement or COPY writes at a time
# Records read, prepared and written at a time (TRYGG_IMPORT_BATCH_RECORDS): memory holds about
# one batch whatever the file's size.
BATCH_RECORDS = 100_000
# A file of nothing but invalid records would otherwise hold one message per record.
ERRORS_KEPT = 10_000


def batch_records() -> int:
    return max(1, int(getattr(settings, "TRYGG_IMPORT_BATCH_RECORDS", 0) or BATCH_RECORDS))


@dataclass
class ImportReport:
    records: int = 0
    created: int = 0
    already_present: int = 0
    skipped: Counter = field(default_factory=Counter)
    errors: list[RowError] = field(default_factory=list)  # the first ERRORS_KEPT, by row
    invalid: int = 0  # every invalid record, kept in `errors` or not
    run_id: int | None = None

    @property
    def accounted(self) -> int:
        return self.created + self.already_present + sum(self.skipped.values()) + self.invalid

    def add_errors(self, errors: list[RowError]) -> None:
        """A batch's errors, in row order after the earlier batches'."""
        self.invalid += len(errors)
        room = ERRORS_KEPT - len(self.errors)
        if room > 0:
            self.errors += sorted(errors, key=lambda e: e.row)[:room]

    @property
    def errors_not_listed(self) -> int:
        return self.invalid - len(self.errors)

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
        super().__init__(_("%(n)s ogiltiga poster; inget importerades.") % {"n": report.invalid})


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
    """Every valid record written in bulk, or nothing: a batch at a time, in one transaction."""
    with _collector_paused(), transaction.atomic(using=router.db_for_write(Event)):
        return _Import(ctx).run(parsed)


class _Import:
    """One import's state across its batches: the run, what is written, what came before."""

    def __init__(self, ctx: ImportContext):
        self.ctx = ctx
        self.report = ImportReport()
        connection = connections[router.db_for_write(Event)]
        self.connection = connection
        self.adapt_time = _time_adapter(connection)
        # Searched before anything of this import is written (see _Repeats).
        self.repeats = _Repeats(ctx)
        self.counts: Counter = Counter()
        self.largest_batch = 0  # prepared records held at once (the tests' measure of memory)

    def run(self, parsed: Iterable[Parsed]) -> ImportReport:
        ctx, report = self.ctx, self.report
        run = ImportRun.objects.create(
            source=ctx.source,
            importer=ctx.importer,
            file_name=scrub_text(ctx.file_name)[:255],  # "rapport_850412-1230.csv" happens
            organisation=ctx.organisation,
            started_by=(
                ctx.acting_user if getattr(ctx.acting_user, "is_authenticated", False) else None
            ),
        )
        self.repeats.run_id = run.pk
        inserter = _EventInserter(run, ctx)
        loader = bulk_load.Loader(self.connection)
        size = batch_records()
        for batch in batches(parsed, size):
            prepared = parallel.prepare_all(
                batch, ctx.now, self.adapt_time, _offset(ctx.progress, report.records)
            )
            del batch  # its raw records: not held while the next batch is read
            self.largest_batch = max(self.largest_batch, len(prepared.rows))
            report.records += prepared.records
            report.skipped.update(prepared.skipped)
            writing = not report.invalid or ctx.skip_invalid
            errors = prepared.errors
            fresh = self.repeats.fresh(prepared, report, errors, writing)
            report.add_errors(errors)
            if report.invalid and not ctx.skip_invalid:
                continue  # nothing will be kept: read on only to name every invalid record
            loader.before_writing(report.created + len(fresh))
            events = prepared.events
            for start in range(0, len(fresh), BATCH_SIZE):
                inserter.insert([events[i] for i in fresh[start : start + BATCH_SIZE]])
            report.created += len(fresh)
            self.counts.update(count_keys(prepared, fresh))
            del prepared, events, fresh
        ctx.progress("read", report.records, report.records)
        if report.invalid and not ctx.skip_invalid:
            raise ImportFailed(report)  # the transaction rolls back every batch written
        if report.invalid:
            report.skipped[_("ogiltig post (--skip-invalid)")] += report.invalid
        loader.finish()
        daily_counts.add_imported(
            dated_keys(self.counts), source=ctx.source, organisation_id=ctx.organisation.pk
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
        return report


def _offset(progress: Progress, before: int) -> Progress:
    """A batch's reading progress shown for the file: the records of earlier batches added;
    the file's total is not known until its end."""

    def report(stage: str, done: int, total: int) -> None:
        progress(stage, before + done, 0)

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


_id_hash = hash  # Python's own (SipHash, 64 bits); a test makes every id share one


class _Repeats:
    """Which of a batch's records to write: those neither stored before this import nor
    earlier in the file.

    The police feed's ids are the police's: a record is present whoever imported it, and the
    feed repeats records. Other sources' ids are their organisation's own, as in the API: an id
    another organisation already uses, or the same id twice in one file, is a row error.

    Ids stored before are looked up in the database batch by batch (not at all for a source
    with no events yet: the first, often largest, import). Ids earlier in the file are found
    by a 64-bit hash kept with their row (`SeenIds`, 12 bytes a record); while batches are being
    written a hash seen before is confirmed in the database, which holds the earlier record, so
    two ids sharing a hash are never taken for one.
    """

    def __init__(self, ctx: ImportContext):
        self.source = ctx.source
        self.shared = ctx.source == Source.POLICE
        self.owner = getattr(ctx.organisation, "pk", None)
        self.search_stored = Event.objects.filter(source=ctx.source).exists()
        self.seen = SeenIds()
        self.run_id: int | None = None

    def fresh(
        self, prepared: Prepared, report: ImportReport, errors: list[RowError], writing: bool
    ) -> list[int]:
        """Positions (in `prepared`) of the records to write; the others counted as present
        or added to `errors`."""
        ids, rows = prepared.external_ids, prepared.rows
        hashes = np.fromiter(map(_id_hash, ids), dtype=np.int64, count=len(ids))
        earlier = self.seen.rows_of(hashes)  # the row of an id seen in an earlier batch, or -1
        maybe = np.flatnonzero(earlier >= 0).tolist()
        if self.search_stored:
            stored = _stored_ids(self.source, ids)
        elif maybe and writing:
            stored = _stored_ids(self.source, [ids[i] for i in maybe])
        else:
            stored = {}
        if not stored and not maybe and len(set(ids)) == len(ids):
            fresh = list(range(len(ids)))  # the usual large import: all new, no repeats
        else:
            fresh = self._sorted_out(ids, rows, earlier, stored, writing, report, errors)
        chosen = np.array(fresh, dtype=np.int64)
        self.seen.add(hashes[chosen], np.asarray(rows, dtype=np.int32)[chosen])
        return fresh

    def _sorted_out(self, ids, rows, earlier, stored, writing, report, errors) -> list[int]:
        fresh: list[int] = []
        here: dict[str, int] = {}
        for i, external_id in enumerate(ids):
            hit = stored.get(external_id)
            if hit is not None and hit[1] != self.run_id:  # stored before this import
                if not self.shared and hit[0] != self.owner:
                    errors.append(
                        RowError(
                            rows[i], "external_id", _("id:t används redan av en annan organisation")
                        )
                    )
                else:
                    report.already_present += 1
                continue
            first = here.get(external_id)
            if first is None and earlier[i] >= 0 and (hit is not None or not writing):
                first = int(earlier[i])  # in an earlier batch (written by this run, or failing)
            if first is None:
                here[external_id] = rows[i]
                fresh.append(i)
            elif self.shared:
                report.already_present += 1
            else:
                errors.append(
                    RowError(
                        rows[i],
                        "external_id",
                        _("samma external_id som rad %(row)s") % {"row": first},
                    )
                )
        return fresh


def _stored_ids(source: str, ids: list[str]) -> dict[str, tuple[int, int | None]]:
    """Id -> (owning organisation, import run) of the ids already stored for `source`, in any
    municipality: a record stored before is recognised wherever it was placed (the
    event_source_external_id index, which leads with source and id, serves it).

    Plain SQL: the ORM spends ~10 µs on each parameter of a long IN list, more than the query.
    """
    if not ids:
        return {}
    connection = connections[router.db_for_read(Event)]
    quote = connection.ops.quote_name
    # Only quoted column and table names from the model go into the text; ids are parameters.
    head = "SELECT {id}, {owner}, {run} FROM {table} WHERE {source} = %s AND {id}".format(  # noqa: S608
        id=quote(Event._meta.get_field("external_id").column),
        owner=quote(Event._meta.get_field("organisation").column),
        run=quote(Event._meta.get_field("import_run").column),
        table=quote(Event._meta.db_table),
        source=quote(Event._meta.get_field("source").column),
    )
    array = connection.vendor == "postgresql"  # one array parameter instead of a list
    size = 50_000 if array else min(connection.features.max_query_params or 10_000, 10_000) - 1
    stored: dict[str, tuple[int, int | None]] = {}
    with connection.cursor() as cursor:
        for start in range(0, len(ids), size):
            chunk = ids[start : start + size]
            if array:
                cursor.execute(f"{head} = ANY(%s)", [source, chunk])
            else:
                cursor.execute(f"{head} IN ({', '.join(['%s'] * len(chunk))})", [source, *chunk])
            stored.update((external_id, (owner, run)) for external_id, owner, run in cursor)
    return stored


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


def _audit_summary(run: ImportRun) -> str:
    return (
        f"{run.importer}: {run.file_name}; {run.records} poster, {run.created} nya, "
        f"{run.already_present} fanns redan, överhoppade {run.skipped}"
    )
