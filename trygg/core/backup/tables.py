"""What a database holds, read through a plain DB-API cursor: the same questions for SQLite and
PostgreSQL, asked of the live database, of a snapshot or of a backup copy."""

from __future__ import annotations

TABLES = {
    # SQLite's own tables (sqlite_sequence, sqlite_stat1) are copied but not counted: SQLite
    # writes them itself.
    "sqlite": (
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name"
    ),
    "postgresql": (
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
    ),
}
MIGRATIONS_TABLE = "django_migrations"


def quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def table_names(cursor, vendor: str) -> list[str]:
    cursor.execute(TABLES[vendor])
    return [row[0] for row in cursor.fetchall()]


def row_counts(cursor, tables: list[str]) -> dict[str, int]:
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {quoted(table)}")  # noqa: S608 - a quoted table name
        counts[table] = int(cursor.fetchone()[0])
    return counts


def last_migrations(cursor, tables: list[str]) -> dict[str, str]:
    """The last migration applied in each app ({} for a database never migrated)."""
    if MIGRATIONS_TABLE not in tables:
        return {}
    cursor.execute(f"SELECT app, name FROM {MIGRATIONS_TABLE} ORDER BY id")  # noqa: S608
    last: dict[str, str] = {}
    for app, name in cursor.fetchall():
        last[app] = name
    return dict(sorted(last.items()))
