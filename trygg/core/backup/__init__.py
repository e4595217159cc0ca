"""`trygg backup DIR` and `trygg restore DIR` (decision 0026): the database (SQLite's online
backup, or pg_dump's custom format) and the uploaded files, with a manifest of row counts and
checksums that a restore checks before it changes anything."""

from trygg.core.backup.errors import BackupFailed, BackupRefused
from trygg.core.backup.make import make_backup
from trygg.core.backup.restore import Restored, restore_backup

__all__ = ["BackupFailed", "BackupRefused", "Restored", "make_backup", "restore_backup"]
