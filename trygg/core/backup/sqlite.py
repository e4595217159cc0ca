"""SQLite through its online backup API: a consistent copy page by page while the server keeps
running (WAL: readers and the one writer go on while the copy reads)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from trygg.core.backup.snapshot import Snapshot
from trygg.core.backup.tables import last_migrations, row_counts, table_names

FILE_NAME = "database.sqlite3"


def dump(connection, directory: Path) -> Snapshot:
    """Copy the database behind Django's `connection` to DIRECTORY/database.sqlite3."""
    path = directory / FILE_NAME
    connection.ensure_connection()
    copy = sqlite3.connect(path)
    try:
        # One step: the whole copy is read in one read transaction, so it is one moment.
        connection.connection.backup(copy)
        # A file that stands alone: no -wal beside it to forget when the directory is moved.
        copy.execute("PRAGMA journal_mode=DELETE")
        # The counts come from the copy itself, so they describe exactly what was saved.
        return _snapshot(copy)
    finally:
        copy.close()


def _snapshot(database: sqlite3.Connection) -> Snapshot:
    cursor = database.cursor()
    tables = table_names(cursor, "sqlite")
    return Snapshot(FILE_NAME, row_counts(cursor, tables), last_migrations(cursor, tables))


def load(connection, path: Path) -> None:
    """Replace the database behind `connection` with the copy at `path`. The backup API writes
    the destination in one transaction: if it fails, the destination is as it was."""
    source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    connection.ensure_connection()
    try:
        source.backup(connection.connection)
    finally:
        source.close()
