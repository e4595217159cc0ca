"""`trygg backup` and `trygg restore` (decision 0026): a backup of a database with rows in
several apps and a photo restores into an empty database with every row and file; a damaged,
partial or too new backup, and a database that is not empty, are refused with nothing changed.

The backup reads the test database; the restore runs as `trygg restore` in a process of its own
against a new database of the same kind: a new SQLite file, or on PostgreSQL a database created
for the test and dropped after it."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

import trygg
from trygg.core.audit import record_created
from trygg.core.backup import BackupFailed
from trygg.core.backup.manifest import NAME as MANIFEST
from trygg.core.backup.postgres import find_program
from trygg.core.backup.tables import quoted, table_names
from trygg.core.backup.target import rows_beyond_migrate

ROOT = Path(trygg.__file__).resolve().parent.parent
RUN_MAIN = "import sys; from trygg.cli import main; sys.exit(main())"
PHOTO = "walks/findings/klotter.jpg"
PHOTO_BYTES = b"\xff\xd8\xff\xe0 en bild av klotter \xff\xd9"

# Committed rows: the backup reads them as another connection would (pg_dump is another one).
backup_test = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def media_root(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def world(media_root, make_event, kommunen, polisen, coordinator, police_officer, centrum):
    """Rows in auth, places, organisations, events and core, and one uploaded photo."""
    for number in range(3):
        event = make_event(kommunen, description=f"Klotter på muren {number}", area=centrum)
    record_created(coordinator, event, ["description"])
    make_event(polisen, description="Glaskross vid stationen")
    default_storage.save(PHOTO, ContentFile(PHOTO_BYTES))
    return event


def contents(cursor, vendor: str) -> dict[str, list[str]]:
    """Every row of every table, as comparable text."""
    found = {}
    for table in table_names(cursor, vendor):
        cursor.execute(f"SELECT * FROM {quoted(table)}")  # noqa: S608 - our own table names
        found[table] = sorted(repr(row) for row in cursor.fetchall())
    return found


def source_contents() -> dict[str, list[str]]:
    with connection.cursor() as cursor:
        return contents(cursor, connection.vendor)


class Target:
    """A new, empty database of the test database's kind, and its own upload directory."""

    def __init__(self, tmp_path: Path):
        self.data_dir = tmp_path / "target"
        self.data_dir.mkdir()
        self.media_root = self.data_dir / "media"
        self.vendor = connection.vendor
        if self.vendor == "sqlite":
            self.path = self.data_dir / "trygg.sqlite3"
            self.url = f"sqlite:///{self.path}"
        else:
            self.name = f"wt_restore_{uuid.uuid4().hex[:12]}"
            with connection.cursor() as cursor:
                cursor.execute(f"CREATE DATABASE {quoted(self.name)}")
            given = connection.settings_dict
            password = f":{given['PASSWORD']}" if given["PASSWORD"] else ""
            address = f"{given['USER']}{password}@{given['HOST']}:{given['PORT'] or 5432}"
            self.url = f"postgres://{address}/{self.name}"

    def restore(self, directory: Path) -> subprocess.CompletedProcess:
        env = {**os.environ, "DATABASE_URL": self.url, "TRYGG_DATA_DIR": str(self.data_dir)}
        return subprocess.run(
            [sys.executable, "-c", RUN_MAIN, "restore", str(directory)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )

    def contents(self) -> dict[str, list[str]]:
        if self.vendor == "sqlite":
            # The converters Django registered, so that dates read as they do in the source.
            types = sqlite3.PARSE_DECLTYPES | sqlite3.PARSE_COLNAMES
            database = sqlite3.connect(self.path, detect_types=types)
            try:
                return contents(database.cursor(), "sqlite")
            finally:
                database.close()
        import psycopg  # only where the tests run on PostgreSQL

        params = connection.get_connection_params() | {"dbname": self.name}
        with psycopg.connect(**params) as other, other.cursor() as cursor:
            return contents(cursor, "postgresql")

    def media_files(self) -> list[Path]:
        return [path for path in self.media_root.rglob("*") if path.is_file()]

    def drop(self) -> None:
        if self.vendor != "sqlite":
            with connection.cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {quoted(self.name)} WITH (FORCE)")


@pytest.fixture
def target(tmp_path):
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version_num")
            major = int(cursor.fetchone()[0]) // 10000
        try:
            find_program("pg_dump", major)
            find_program("pg_restore", major)
        except BackupFailed as missing:
            pytest.skip(f"no pg_dump/pg_restore for this server: {missing}")
    made = Target(tmp_path)
    yield made
    made.drop()


@pytest.fixture
def backup(world, tmp_path) -> Path:
    directory = tmp_path / "kopia"
    call_command("backup", str(directory))
    return directory


def manifest_of(directory: Path) -> dict:
    return json.loads((directory / MANIFEST).read_text(encoding="utf-8"))


@backup_test
@pytest.mark.frozen
def test_the_manifest_counts_every_table_and_sums_every_file(backup):
    manifest = manifest_of(backup)
    assert manifest["format"] == 1
    assert manifest["vendor"] == connection.vendor
    assert manifest["created_at"] == "2026-11-22T11:00:00Z"  # noon in Stockholm, in UTC
    assert manifest["row_counts"]["events_event"] == 4
    assert manifest["row_counts"]["core_auditentry"] == 1
    assert manifest["row_counts"]["auth_user"] == 2
    # 290 municipalities and 21 county rows for the police's county-level events (0038).
    assert manifest["row_counts"]["places_municipality"] == 290 + 21
    assert manifest["files"][f"media/{PHOTO}"]["size"] == len(PHOTO_BYTES)
    assert (backup / "media" / PHOTO).read_bytes() == PHOTO_BYTES
    database = manifest["files"][manifest["database_file"]]
    assert database["size"] == (backup / manifest["database_file"]).stat().st_size
    applied = MigrationRecorder(connection).applied_migrations()
    assert ("events", manifest["migrations"]["events"]) in applied


@backup_test
def test_a_backup_restores_into_an_empty_database_with_every_row_and_file(backup, target):
    before = source_contents()

    result = target.restore(backup)

    assert result.returncode == 0, result.stderr
    assert "antalen stämmer" in result.stdout
    assert target.contents() == before
    assert any("Glaskross vid stationen" in row for row in before["events_event"])
    assert (target.media_root / PHOTO).read_bytes() == PHOTO_BYTES
    assert len(target.media_files()) == 1


@backup_test
def test_a_restore_into_a_database_that_is_not_empty_refuses_and_changes_nothing(
    backup, media_root
):
    before = source_contents()

    with pytest.raises(CommandError, match="Databasen är inte tom") as refused:
        call_command("restore", str(backup))

    assert refused.value.returncode == 2
    assert "events_event (4)" in str(refused.value)
    assert source_contents() == before
    assert [p.name for p in media_root.parent.iterdir() if p.name.startswith(".media")] == []


def damage_the_photo(directory: Path) -> None:
    (directory / "media" / PHOTO).write_bytes(PHOTO_BYTES.replace(b"klotter", b"KLOTTER"))


def damage_the_database(directory: Path) -> None:
    name = manifest_of(directory)["database_file"]
    data = bytearray((directory / name).read_bytes())
    data[len(data) // 2] ^= 0xFF
    (directory / name).write_bytes(bytes(data))


def lose_the_photo(directory: Path) -> None:
    (directory / "media" / PHOTO).unlink()


def lose_the_database(directory: Path) -> None:
    (directory / manifest_of(directory)["database_file"]).unlink()


def lose_the_manifest(directory: Path) -> None:
    (directory / MANIFEST).unlink()


def come_from_a_newer_trygg(directory: Path) -> None:
    manifest = manifest_of(directory)
    manifest["migrations"]["events"] = "0099_from_a_later_version"
    (directory / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")


def name_a_file_outside(directory: Path) -> None:
    manifest = manifest_of(directory)
    manifest["files"]["media/../../utanfor.txt"] = manifest["files"].pop(f"media/{PHOTO}")
    (directory / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")


def break_the_manifest(directory: Path) -> None:
    (directory / MANIFEST).write_text("[]", encoding="utf-8")


@backup_test
@pytest.mark.parametrize(
    ("spoil", "reason"),
    [
        (damage_the_photo, f"Filen media/{PHOTO} har fel kontrollsumma"),
        (damage_the_database, "har fel kontrollsumma"),
        (lose_the_photo, f"Filen media/{PHOTO} saknas"),
        (lose_the_database, "saknas i säkerhetskopian"),
        (lose_the_manifest, "manifest.json saknas"),
        (come_from_a_newer_trygg, "events.0099_from_a_later_version"),
        (name_a_file_outside, "utanför säkerhetskopian"),
        (break_the_manifest, "manifest.json har fel form"),
    ],
)
def test_a_damaged_partial_or_newer_backup_is_refused_with_nothing_restored(
    backup, target, spoil, reason
):
    spoil(backup)

    result = target.restore(backup)

    assert result.returncode == 2, result.stderr
    assert reason in result.stderr
    assert "Traceback" not in result.stderr
    assert target.contents() == {}
    assert target.media_files() == []


@backup_test
def test_a_restore_into_an_upload_directory_with_files_refuses_and_changes_nothing(backup, target):
    left = target.media_root / "walks" / "kvar.jpg"
    left.parent.mkdir(parents=True)
    left.write_bytes(b"en annan installations foto")

    result = target.restore(backup)

    assert result.returncode == 2, result.stderr
    assert "innehåller redan filer (1 st.)" in result.stderr
    assert target.contents() == {}
    assert target.media_files() == [left]
    assert left.read_bytes() == b"en annan installations foto"


@backup_test
def test_a_backup_into_a_directory_in_use_refuses_and_writes_nothing(world, tmp_path):
    directory = tmp_path / "upptagen"
    directory.mkdir()
    (directory / "annat.txt").write_text("något annat", encoding="utf-8")

    with pytest.raises(CommandError, match="inte en tom katalog") as refused:
        call_command("backup", str(directory))

    assert refused.value.returncode == 2
    assert [p.name for p in directory.iterdir()] == ["annat.txt"]


@pytest.mark.django_db
def test_a_freshly_migrated_database_counts_as_empty():
    """Every table `migrate` fills is named in FILLED_BY_MIGRATE: a new data migration that
    seeds another table fails here, naming it."""
    assert rows_beyond_migrate(connection) == {}


def test_a_missing_pg_dump_is_named_with_the_package_to_install():
    with pytest.raises(BackupFailed, match="pg_dump för PostgreSQL 99 hittades inte") as missing:
        find_program("pg_dump", 99)
    assert "postgresql-client-99" in str(missing.value)


def test_a_backup_of_a_database_trygg_never_migrated_refuses_and_writes_nothing(tmp_path):
    """A wrong DATABASE_URL or data directory: not an empty installation to back up."""
    data_dir = tmp_path / "fel"
    data_dir.mkdir()
    directory = tmp_path / "kopia"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{data_dir / 'trygg.sqlite3'}",
        "TRYGG_DATA_DIR": str(data_dir),
    }
    done = subprocess.run(
        [sys.executable, "-c", RUN_MAIN, "backup", str(directory)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 2
    assert "inget att säkerhetskopiera" in done.stderr
    assert not directory.exists()
