"""SQLite with writers that queue: a write transaction first takes an exclusive lock on a file
beside the database, so writers wait their turn in the kernel and each starts the moment the
one before it ends.

SQLite lets one writer in at a time (the settings begin every transaction IMMEDIATE). A writer
that finds the database locked waits in SQLite's busy handler, which sleeps and tries again,
up to 100 ms a sleep: under a burst of writers (residents posting reports at once) a few of
them lose every try and wait a second or more while the others barge past. The file lock
(flock) costs two system calls a write transaction; the kernel lets it go when a process ends.

Like a row lock on PostgreSQL, it is waited for as long as the writer before holds it: the
busy timeout (OPTIONS["timeout"]) now bounds only writes outside a transaction, which do not
take the file lock. Reading takes no lock (WAL). In-memory databases (the tests') have no
file beside them: there nothing changes.
"""

from __future__ import annotations

import fcntl
import os

from django.db.backends.sqlite3 import base


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._writer_lock_fd: int | None = None
        self._writer_lock_held = False

    def _writer_lock(self) -> int | None:
        """The lock file's descriptor, opened on first use. None for an in-memory database, and
        where transactions begin DEFERRED: there a transaction that only reads writes nothing
        and must not wait (IMMEDIATE, as the settings ask, makes every one a writer)."""
        # Set by the sqlite3 backend from OPTIONS["transaction_mode"] (not in its stubs).
        if getattr(self, "transaction_mode", None) not in {"IMMEDIATE", "EXCLUSIVE"}:
            return None
        if self._writer_lock_fd is None and not self.is_in_memory_db():
            path = f"{self.settings_dict['NAME']}-writer.lock"
            self._writer_lock_fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        return self._writer_lock_fd

    def _start_transaction_under_autocommit(self):
        fd = self._writer_lock()
        if fd is not None and not self._writer_lock_held:
            fcntl.flock(fd, fcntl.LOCK_EX)
            self._writer_lock_held = True
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._release_writer_lock()
            raise

    def _release_writer_lock(self) -> None:
        if self._writer_lock_held and self._writer_lock_fd is not None:
            fcntl.flock(self._writer_lock_fd, fcntl.LOCK_UN)
        self._writer_lock_held = False

    def _commit(self):
        try:
            return super()._commit()
        finally:
            self._release_writer_lock()

    def _rollback(self):
        try:
            return super()._rollback()
        finally:
            self._release_writer_lock()

    def _close(self):
        try:
            return super()._close()
        finally:
            self._release_writer_lock()
            if self._writer_lock_fd is not None:
                os.close(self._writer_lock_fd)
                self._writer_lock_fd = None
