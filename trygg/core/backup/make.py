"""`trygg backup DIR`: the database, then the uploaded files, then the manifest (last, so that
a directory with a manifest is a backup that finished)."""

from __future__ import annotations

import shutil
from datetime import UTC
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError
from django.utils import timezone

from trygg.core.backup import media, postgres, sqlite
from trygg.core.backup.errors import BackupFailed, BackupRefused
from trygg.core.backup.manifest import Manifest, file_entry, trygg_version, write_manifest

ENGINES = {"sqlite": sqlite, "postgresql": postgres}


def engine(vendor: str):
    try:
        return ENGINES[vendor]
    except KeyError:
        raise BackupRefused(f"Databasen {vendor} kan inte säkerhetskopieras av Trygg.") from None


def make_backup(directory: Path, connection) -> Manifest:
    """Back up the database behind `connection` and MEDIA_ROOT into `directory`, which must be
    new or empty. On any failure, what was written is removed again."""
    dump = engine(connection.vendor).dump
    _check_migrated(connection)
    _prepare(directory)
    try:
        snapshot = dump(connection, directory)
        files = {snapshot.file_name: file_entry(directory / snapshot.file_name)}
        # After the database: a photo its rows name was saved before the row, so it is here.
        files.update(media.back_up(Path(settings.MEDIA_ROOT), directory))
        manifest = Manifest(
            vendor=connection.vendor,
            database_file=snapshot.file_name,
            created_at=timezone.now().astimezone(UTC).isoformat().replace("+00:00", "Z"),
            migrations=snapshot.migrations,
            row_counts=snapshot.row_counts,
            files=files,
            trygg_version=trygg_version(),
        )
        write_manifest(directory, manifest)
    except BaseException as error:
        _clear(directory)
        if isinstance(error, OSError | DatabaseError):
            raise BackupFailed(f"Säkerhetskopieringen misslyckades: {error}") from None
        raise
    return manifest


def _check_migrated(connection) -> None:
    """A database Trygg never migrated is the wrong one (a typo in DATABASE_URL or the data
    directory), not an empty installation: a backup of it would restore nothing."""
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    if "django_migrations" not in tables:
        raise BackupRefused(
            f"Databasen {connection.settings_dict['NAME']} har inga av Tryggs tabeller: det finns "
            "inget att säkerhetskopiera. Kontrollera DATABASE_URL och TRYGG_DATA_DIR."
        )


def _prepare(directory: Path) -> None:
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise BackupRefused(
            f"{directory} finns redan och är inte en tom katalog: välj en ny katalog för "
            "säkerhetskopian."
        )
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise BackupFailed(f"Katalogen {directory} kan inte skapas: {error}") from None


def _clear(directory: Path) -> None:
    for path in directory.iterdir():
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
