"""`trygg backup DIR`: the database and the uploaded files into a new directory, with
manifest.json (decision 0026, docs/operations.md).

Exit status 0 when the backup is complete; 2 when DIR is in use or the database cannot be
backed up (nothing written); 1 when something broke on the way (what was written is removed).
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from trygg.core.backup import BackupFailed, BackupRefused, make_backup

REFUSED, FAILED = 2, 1


class Command(BaseCommand):
    help = (
        "Säkerhetskopierar databasen och de uppladdade filerna till en ny katalog, med ett "
        "manifest över antal rader och kontrollsummor. Kan köras medan Trygg är igång."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", help="en ny eller tom katalog för säkerhetskopian")

    def handle(self, *args, directory: str, **options):
        try:
            manifest = make_backup(Path(directory), connection)
        except BackupRefused as error:
            raise CommandError(str(error), returncode=REFUSED) from None
        except BackupFailed as error:
            raise CommandError(str(error), returncode=FAILED) from None
        rows = sum(manifest.row_counts.values())
        self.stdout.write(
            f"Säkerhetskopian finns i {directory}: databasen ({manifest.vendor}, {rows} rader "
            f"i {len(manifest.row_counts)} tabeller) och de uppladdade filerna "
            f"({len(manifest.media_files())} st.)."
        )
