"""Bulk-load mode for large imports: what PostgreSQL's "Populating a Database" advises, for
both databases. Once an import has written (or is about to write) BULK_LOAD_MIN_ROWS rows and
at least half as many as the event table held before it, the table's secondary indexes (and, on
PostgreSQL, its foreign keys) are dropped; the rest is written, then they are built again from
the model's own definitions. The file's size is not known before its end (decision 0034), so
the switch is made between two batches: an import of a million rows into an empty table writes
its first batch with the indexes in place. A sorted index build and one join per
foreign key cost a fraction of a million B-tree insertions and seven million per-row trigger
checks. Everything happens inside the import's transaction: a failure restores the old schema.

While it runs, PostgreSQL holds an exclusive lock on the event table (readers wait), which is
why only loads large beside the table take this path. The unique (source, external_id,
municipality) index stays: it keeps imports idempotent, and the importer's look-ups of stored
ids by (source, external_id) go through it.
"""

from __future__ import annotations

from django.db import models

from trygg.events.models import Event

BULK_LOAD_MIN_ROWS = 100_000


def event_count(connection) -> int:
    return Event.objects.using(connection.alias).count()


def worth_it(connection, incoming: int, existing: int | None = None) -> bool:
    if incoming < BULK_LOAD_MIN_ROWS:
        return False
    return incoming >= (event_count(connection) if existing is None else existing) / 2


class Loader:
    """Drops the indexes once an import is large enough, and rebuilds them at its end; both
    inside the import's transaction, so a failure restores the old schema."""

    def __init__(self, connection):
        self.connection = connection
        self.existing: int | None = None  # the table's rows before this import wrote any
        self.dropped = False

    def before_writing(self, incoming: int) -> None:
        """`incoming`: the rows this import will have written after the coming batch."""
        if self.existing is None:
            self.existing = event_count(self.connection)
        if not self.dropped and worth_it(self.connection, incoming, self.existing):
            _drop(self.connection)
            self.dropped = True

    def finish(self) -> None:
        if self.dropped:
            _rebuild(self.connection, self.connection.vendor == "postgresql")


def _drop(connection) -> None:
    postgres = connection.vendor == "postgresql"
    table = Event._meta.db_table
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if postgres:
            # Django's foreign keys are deferred; ALTER TABLE and CREATE INDEX refuse tables
            # with pending checks (rows written earlier in this transaction), so run them now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        constraints = connection.introspection.get_constraints(cursor, table)
        for name, info in constraints.items():
            if info["index"] and not info["unique"] and not info["primary_key"]:
                cursor.execute(f"DROP INDEX {quote(name)}")
            elif postgres and info["foreign_key"]:
                cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
        if postgres:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _rebuild(connection, postgres: bool) -> None:
    # The model's own definitions, so the rebuilt set is exactly what migrations made.
    editor = connection.SchemaEditorClass(connection, collect_sql=True)
    statements = [str(sql) for sql in editor._model_indexes_sql(Event)]
    if postgres:
        statements += [
            str(editor._create_fk_sql(Event, field, "_fk_%(to_table)s_%(to_column)s"))
            for field in Event._meta.local_concrete_fields
            # The stubs know db_constraint only as an argument of ForeignKey, not its attribute.
            if isinstance(field, models.ForeignKey) and field.db_constraint  # type: ignore[attr-defined]
        ]
    with connection.cursor() as cursor:
        if postgres:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for statement in statements:
            cursor.execute(statement)
        if postgres:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
