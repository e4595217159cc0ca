"""`trygg restore DIR`: a backup made by `trygg backup` into an empty installation (decision
0026, docs/operations.md).

Exit status 0 when everything is restored and the row counts match the manifest; 2 when the
backup is damaged, partial, from a newer Trygg or another database, or the database or the
upload directory is not empty (nothing changed); 1 when something broke on the way.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from trygg.core.backup import BackupFailed, BackupRefused, restore_backup

REFUSED, FAILED = 2, 1


class Command(BaseCommand):
    help = (
        "Återställer en säkerhetskopia från trygg backup till en tom databas och en tom "
        "katalog för uppladdade filer. Kontrollerar kopian först och ändrar ingenting om "
        "något inte stämmer."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", help="katalogen med säkerhetskopian")

    def handle(self, *args, directory: str, **options):
        try:
            restored = restore_backup(Path(directory), connection)
        except BackupRefused as error:
            raise CommandError(str(error), returncode=REFUSED) from None
        except BackupFailed as error:
            raise CommandError(str(error), returncode=FAILED) from None
        manifest = restored.manifest
        self.stdout.write(
            f"Återställt från {directory} (gjord {manifest.created_at}): "
            f"{sum(manifest.row_counts.values())} rader och de uppladdade filerna "
            f"({len(manifest.media_files())} st.), antalen stämmer med manifestet."
        )
        if restored.needs_migrate:
            self.stdout.write(
                "Kopian kommer från en äldre version av Trygg: kör trygg migrate innan Trygg "
                "startas."
            )
