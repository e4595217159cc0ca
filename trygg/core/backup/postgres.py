"""PostgreSQL through pg_dump (custom format) and pg_restore of the server's major version.

The dump and the manifest's counts read one snapshot: a transaction exports it and pg_dump
joins it (--snapshot), so rows written meanwhile are in neither."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from django.db.backends.postgresql.client import DatabaseClient

from trygg.core.backup.errors import BackupFailed
from trygg.core.backup.snapshot import Snapshot
from trygg.core.backup.tables import last_migrations, row_counts, table_names

FILE_NAME = "database.dump"
# Where distributions put the programs of one major version (Debian and Ubuntu, Red Hat,
# Homebrew); the search path comes last.
PLACES = (
    "/usr/lib/postgresql/{major}/bin",
    "/usr/pgsql-{major}/bin",
    "/opt/homebrew/opt/postgresql@{major}/bin",
    "/usr/local/opt/postgresql@{major}/bin",
)
VERSION = re.compile(r"\(PostgreSQL\)\s+(\d+)")


def program_major(path: str) -> int | None:
    try:
        # A program found in the PostgreSQL directories or on the search path, no shell.
        shown = subprocess.run(  # noqa: S603
            [path, "--version"], capture_output=True, text=True, timeout=30, check=True
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    match = VERSION.search(shown)
    return int(match.group(1)) if match else None


def find_program(name: str, major: int) -> str:
    """pg_dump or pg_restore for a server of `major`: the same major version, or a newer one
    from the search path (both read older servers and archives, never newer)."""
    candidates = [str(Path(place.format(major=major)) / name) for place in PLACES]
    on_path = shutil.which(name)
    for path in [*candidates, *([on_path] if on_path else [])]:
        found = program_major(path) if os.access(path, os.X_OK) else None
        if found is not None and found >= major:
            return path
    raise BackupFailed(
        f"{name} för PostgreSQL {major} hittades inte. Installera klientprogrammen för "
        f"PostgreSQL {major} (Debian och Ubuntu: paketet postgresql-client-{major}) och "
        "försök igen."
    )


def client_env(settings_dict: dict) -> dict[str, str]:
    """The connection for pg_dump and pg_restore as environment variables, so that the password
    is never on a command line another user can read."""
    _, env = DatabaseClient.settings_to_cmd_args_env(settings_dict, [])
    env = dict(env or {})
    for variable, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER")):
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    env["PGDATABASE"] = str(settings_dict["NAME"])
    return {**os.environ, **env}


def server_major(cursor) -> int:
    cursor.execute("SHOW server_version_num")
    return int(cursor.fetchone()[0]) // 10000


def run(args: list[str], env: dict[str, str], what: str) -> None:
    # Our own argument list for pg_dump or pg_restore, no shell.
    result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        lines = result.stderr.strip().splitlines()
        raise BackupFailed(f"{what} misslyckades: {lines[-1] if lines else result.returncode}")


def dump(connection, directory: Path) -> Snapshot:
    path = directory / FILE_NAME
    raw = connection.Database.connect(**connection.get_connection_params())
    try:
        raw.isolation_level = connection.Database.IsolationLevel.REPEATABLE_READ
        raw.read_only = True
        with raw.cursor() as cursor:
            pg_dump = find_program("pg_dump", server_major(cursor))
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            tables = table_names(cursor, "postgresql")
            counts, migrations = row_counts(cursor, tables), last_migrations(cursor, tables)
            args = [pg_dump, "--format=custom", f"--snapshot={snapshot}", f"--file={path}"]
            run(args, client_env(connection.settings_dict), "pg_dump")
    finally:
        raw.close()
    return Snapshot(FILE_NAME, counts, migrations)


def load(connection, path: Path) -> None:
    """pg_restore in one transaction: on any error nothing of the backup stays. --clean drops
    the tables a bare `trygg migrate` made before it creates them again; ownership and grants
    follow the user restoring, not the one who made the backup."""
    with connection.cursor() as cursor:
        pg_restore = find_program("pg_restore", server_major(cursor))
    connection.close()  # holds no lock that pg_restore would wait for
    args = [
        pg_restore,
        "--clean",
        "--if-exists",
        "--single-transaction",
        "--exit-on-error",
        "--no-owner",
        "--no-privileges",
        f"--dbname={connection.settings_dict['NAME']}",
        str(path),
    ]
    run(args, client_env(connection.settings_dict), "pg_restore")
