"""`trygg restore DIR`: check everything first, change nothing on any doubt, then restore the
database and the uploaded files and count the rows again."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError

from trygg.core.backup import media, migrations, target
from trygg.core.backup.errors import BackupFailed, BackupRefused
from trygg.core.backup.make import engine
from trygg.core.backup.manifest import Manifest, read_manifest, verify_files
from trygg.core.backup.tables import row_counts, table_names


@dataclass
class Restored:
    manifest: Manifest
    needs_migrate: bool


def restore_backup(directory: Path, connection) -> Restored:
    """Restore the backup in `directory` into the (empty) database behind `connection` and
    into MEDIA_ROOT. BackupRefused, with nothing changed, when the backup is damaged, partial,
    from a newer Trygg or another database, or the target is not empty."""
    manifest = read_manifest(directory)
    load = _load_for(manifest, connection.vendor)
    verify_files(directory, manifest)
    graph_loader = migrations.loader()
    migrations.check_known(manifest.migrations, graph_loader)
    media_root = Path(settings.MEDIA_ROOT)
    try:
        target.check_empty(connection, manifest.migrations, graph_loader)
        media.check_empty(media_root)
        files = {name: manifest.files[name] for name in manifest.media_files()}
        staging = media.stage(directory, files, media_root)
        try:
            load(connection, directory / manifest.database_file)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        media.put_in_place(staging, media_root)
    except (OSError, DatabaseError) as error:
        raise BackupFailed(f"Återställningen misslyckades: {error}") from None
    _check_counts(connection, manifest)
    return Restored(manifest, migrations.behind(manifest.migrations, graph_loader))


def _load_for(manifest: Manifest, vendor: str):
    if manifest.vendor != vendor:
        raise BackupRefused(
            f"Säkerhetskopian är från {manifest.vendor} men databasen här är {vendor}: en "
            "kopia återställs bara till samma sorts databas."
        )
    return engine(vendor).load


def _check_counts(connection, manifest: Manifest) -> None:
    with connection.cursor() as cursor:
        counts = row_counts(cursor, table_names(cursor, connection.vendor))
    differ = sorted(
        table for table, count in manifest.row_counts.items() if counts.get(table) != count
    )
    if differ:
        raise BackupFailed(
            f"Efter återställningen stämmer antalet rader inte med manifestet i {len(differ)} "
            f"tabeller ({', '.join(differ[:5])}). Undersök databasen innan den används."
        )
