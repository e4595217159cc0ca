"""Preparing a large import in several processes at once.

Parsing, locating and scrubbing cost about two thirds of a large import's time, all of it
Python that one process runs on one core. A file of at least PARALLEL_MIN_RECORDS records
is cut into as many contiguous parts as there are processes (`TRYGG_IMPORT_PROCESSES`,
default: the cores this process may use, at most four); forked children prepare all parts but
the first, which this process prepares meanwhile, and hand back plain lists (`Prepared`).
Writing stays in this process, in one transaction.

Forking shares the file already read and the lookups already loaded without copying them, but
a child inherits this process's database connections too, and a query from it would corrupt
them. So everything parsing would fetch lazily is loaded first (`Records.prepare_to_split`,
`index.load_all`), positions are looked up `offline()`, and a child's database cursor
refuses to run. Where fork does not exist (Windows) imports run in one process.
"""

from __future__ import annotations

import multiprocessing
import os
import traceback
from collections.abc import Iterable

from django.conf import settings
from django.db import connections

from trygg.events.importers.prepare import Prepared, Progress, TimeAdapter, prepare
from trygg.events.importers.records import Parsed, Records
from trygg.places import index

PARALLEL_MIN_RECORDS = 20_000
MAX_PROCESSES = 4
# A child also pickles what it prepared, which costs about a tenth of preparing it: this
# process's own part is that much larger, so that all are done at about the same time.
OWN_PART_WEIGHT = 1.1


class WorkerFailed(RuntimeError):
    """A child process preparing part of the file failed; nothing was written."""


def prepare_all(
    parsed: Iterable[Parsed], now, adapt_time: TimeAdapter, progress: Progress
) -> Prepared:
    """All records prepared, in file order: in parts across processes when worth it."""
    processes = process_count(parsed)
    if processes == 1:
        return prepare(parsed, now, adapt_time, progress)
    assert isinstance(parsed, Records)  # noqa: S101 -- process_count() is 1 for anything else
    parsed.prepare_to_split()
    index.load_all()
    parts = split(len(parsed), processes, OWN_PART_WEIGHT)
    children = [_start(parsed, start, stop, now, adapt_time) for start, stop in parts[1:]]
    try:
        first_start, first_stop = parts[0]
        with index.offline():
            prepared = prepare(
                parsed.part(first_start, first_stop),
                now,
                adapt_time,
                _scaled(progress, len(parsed), first_stop - first_start),
            )
        for child in children:
            prepared.extend(_receive(child))
    finally:
        for process, _reader in children:
            if process.is_alive():
                process.kill()
            process.join()
    return prepared


def process_count(parsed: Iterable[Parsed]) -> int:
    if not isinstance(parsed, Records) or len(parsed) < PARALLEL_MIN_RECORDS:
        return 1
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    wanted = getattr(settings, "TRYGG_IMPORT_PROCESSES", None) or _usable_cores()
    return max(1, min(int(wanted), MAX_PROCESSES, len(parsed) // (PARALLEL_MIN_RECORDS // 2)))


def _usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS
        return os.cpu_count() or 1


def split(count: int, parts: int, first_weight: float = 1.0) -> list[tuple[int, int]]:
    """`parts` contiguous (start, stop) ranges covering range(count); the first is
    `first_weight` times as large as each of the others, which differ by at most one."""
    if parts == 1:
        return [(0, count)]
    first = min(count, round(count * first_weight / (first_weight + parts - 1)))
    rest = count - first
    bounds = [0, *(first + rest * i // (parts - 1) for i in range(parts))]
    return list(zip(bounds, bounds[1:], strict=False))


def _start(parsed: Records, start: int, stop: int, now, adapt_time):
    context = multiprocessing.get_context("fork")
    reader, writer = context.Pipe(duplex=False)
    process = context.Process(
        target=_child, args=(writer, parsed, start, stop, now, adapt_time), daemon=True
    )
    process.start()
    writer.close()  # the child holds its end; EOF here when it exits without sending
    return process, reader


def _child(writer, parsed: Records, start: int, stop: int, now, adapt_time) -> None:
    """Runs in the forked child. It leaves through os._exit (multiprocessing's fork start), so
    the inherited connections are never closed from here either."""
    result: tuple[str, Prepared | str]
    try:
        _refuse_database()
        with index.offline():
            result = ("ok", prepare(parsed.part(start, stop), now, adapt_time, _silent))
    except BaseException:  # everything is reported to the parent, which raises
        result = ("failed", traceback.format_exc())
    writer.send(result)
    writer.close()


def _receive(child) -> Prepared:
    process, reader = child
    try:
        status, result = reader.recv()
    except EOFError:
        process.join()
        raise WorkerFailed(
            f"an import process ended without an answer (exit code {process.exitcode})"
        ) from None
    finally:
        reader.close()
    if status != "ok":
        raise WorkerFailed(f"an import process failed:\n{result}")
    return result


def _refuse_database() -> None:
    def refuse(execute, sql, params, many, context):
        raise WorkerFailed("an import process may not use its parent's database connection")

    for connection in connections.all(initialized_only=True):
        connection.execute_wrappers.append(refuse)


def _silent(stage: str, done: int, total: int) -> None:
    return None


def _scaled(progress: Progress, total: int, mine: int) -> Progress:
    """This process's share of the reading, shown as if for the whole file: the parts are
    equal and read at the same pace."""

    def report(stage: str, done: int, _total: int) -> None:
        progress(stage, min(total, done * total // max(mine, 1)), 0 if done < mine else total)

    return report
