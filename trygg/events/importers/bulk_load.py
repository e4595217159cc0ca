"""Bulk-load mode for large imports: what PostgreSQL's "Populating a Database" advises, for
both databases. An import at least BULK_LOAD_MIN_ROWS large and at least half the size of the
event table drops the table's secondary indexes (and, on PostgreSQL, its foreign keys), writes,
then builds them again from the model's own definitions. A sorted index build and one join per
foreign key cost a fraction of a million B-tree insertions and seven million per-row trigger
checks. Everything happens inside the import's transaction: a failure restores the old schema.

While it runs, PostgreSQL holds an exclusive lock on the event table (readers wait), which is
why only loads large beside the table take this path. The unique (source, external_id) index
stays: it keeps imports idempotent.
"""

from __future__ import annotations

from contextlib import contextmanager

from django.db import models

from trygg.events.models import Event

BULK_LOAD_MIN_ROWS = 100_000


def event_count(connection) -> int:
    return Event.objects.using(connection.alias).count()


def worth_it(connection, incoming: int) -> bool:
    return incoming >= BULK_LOAD_MIN_ROWS and incoming >= event_count(connection) / 2


@contextmanager
def rebuilt_afterwards(connection, incoming: int):
    """Inside: write the rows. Around: drop and rebuild indexes (and foreign keys) if cheaper."""
    if not worth_it(connection, incoming):
        yield
        return
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
    yield
    _rebuild(connection, postgres)


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
