"""SQLite writers queue on a file lock beside the database instead of in SQLite's busy handler
(trygg/core/sqlite/base.py): held from BEGIN to COMMIT or ROLLBACK, and never left behind."""

from __future__ import annotations

import fcntl
import os
import threading
import time

import pytest
from django.db import connection

from trygg.core.sqlite.base import DatabaseWrapper

pytestmark = [
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's backend only"),
    pytest.mark.django_db,  # lets connections open; the ones here go to a file of their own
]


@pytest.fixture
def database(tmp_path):
    """A SQLite file with one table, and a function that opens a connection to it."""
    settings = dict(connection.settings_dict) | {"NAME": str(tmp_path / "writers.sqlite3")}
    opened: list[DatabaseWrapper] = []

    def open_connection() -> DatabaseWrapper:
        wrapper = DatabaseWrapper(settings, alias=f"writers-{len(opened)}")
        opened.append(wrapper)
        return wrapper

    setup = open_connection()
    setup.cursor().execute("CREATE TABLE note (text TEXT)")
    yield open_connection, settings["NAME"] + "-writer.lock"
    for wrapper in opened:
        wrapper.close()


def is_free(lock_path: str) -> bool:
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(fd)  # also lets go of the lock if this took it
    return True


def begin(wrapper: DatabaseWrapper) -> None:
    """What `transaction.atomic` does first on SQLite."""
    wrapper.ensure_connection()
    wrapper._start_transaction_under_autocommit()


@pytest.mark.parametrize("end", ["commit", "rollback", "close"])
def test_a_write_transaction_holds_the_lock_until_it_ends(database, end):
    open_connection, lock_path = database
    writer = open_connection()
    begin(writer)
    writer.cursor().execute("INSERT INTO note VALUES ('lampan är släckt')")
    assert not is_free(lock_path)

    getattr(writer, end)()

    assert is_free(lock_path)


def test_reading_takes_no_lock(database):
    open_connection, lock_path = database
    reader = open_connection()
    reader.cursor().execute("SELECT count(*) FROM note")
    assert is_free(lock_path)


def test_a_second_writer_waits_for_the_first_and_then_goes_ahead(database):
    open_connection, _lock_path = database
    first, second = open_connection(), open_connection()
    begin(first)
    first.cursor().execute("INSERT INTO note VALUES ('först')")
    order: list[str] = []

    def write_second() -> None:
        begin(second)  # waits on the file lock, not in SQLite's busy handler
        order.append("second began")
        second.cursor().execute("INSERT INTO note VALUES ('sedan')")
        second.commit()

    # The connection is opened here, used by the thread: allowed for this test only.
    second.inc_thread_sharing()
    thread = threading.Thread(target=write_second)
    thread.start()
    time.sleep(0.2)
    assert order == []
    order.append("first committed")
    first.commit()
    thread.join(timeout=10)

    assert order == ["first committed", "second began"]
    rows = first.cursor().execute("SELECT text FROM note ORDER BY rowid").fetchall()
    assert [text for (text,) in rows] == ["först", "sedan"]


def test_a_deferred_transaction_takes_no_lock(database):
    """Begun DEFERRED, a transaction may only read: SQLite takes its write lock at the first
    write, and so nothing here waits for writers it would never meet."""
    open_connection, lock_path = database
    reader = open_connection()
    reader.ensure_connection()
    reader.transaction_mode = None  # as OPTIONS without "transaction_mode" leave it
    reader._start_transaction_under_autocommit()
    reader.cursor().execute("SELECT count(*) FROM note")
    assert is_free(lock_path)
    reader.commit()
