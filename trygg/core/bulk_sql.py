"""Many rows written with plain statements: where the ORM's per-object work (bulk_create builds
each model and its SQL, about 40 µs a row) costs more than the writing itself.

Only for models without save() logic or signals (DESIGN §4): nothing is bypassed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence


def can_copy(connection) -> bool:
    """PostgreSQL through psycopg 3, whose cursors stream COPY (psycopg2's have no copy())."""
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        return hasattr(cursor.cursor, "copy")


def insert_rows(connection, model, fields: Sequence[str], rows: Iterable[tuple]) -> None:
    """Insert `rows` (values of `fields`, ready for the driver) into `model`'s table: COPY on
    PostgreSQL (executemany there costs a round trip a row), one prepared INSERT elsewhere."""
    rows = list(rows)
    if not rows:
        return
    quote, meta = connection.ops.quote_name, model._meta
    table = quote(meta.db_table)
    columns = ", ".join(quote(meta.get_field(name).column) for name in fields)
    with connection.cursor() as cursor:
        if can_copy(connection):
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            values = ", ".join(["%s"] * len(fields))
            # Quoted table and column names from the model; the values are parameters.
            sql = f"INSERT INTO {table} ({columns}) VALUES ({values})"  # noqa: S608
            cursor.executemany(sql, rows)
