"""A jobs table instead of a message broker: long work (imports, PDFs, heavy analyses) is
queued as a row and run by `trygg worker`, which records progress a page can show."""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import time
import traceback
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from trygg.core.heartbeat import beat_now_and_then
from trygg.core.models import Job

log = logging.getLogger(__name__)

# kind -> "module.function"; the function takes (job, progress) and returns a JSON-able result.
# Each app registers its own from its AppConfig.ready (register_handler), so core imports no app.
HANDLERS: dict[str, str] = {}

# Work the worker does besides the queue: "module.function" -> least seconds between two runs
# in one worker process, registered by the app that owns it (register_periodic). Each function
# takes `now` (an aware datetime), must be safe to run in several workers at once, and returns
# a dict of counts for the worker to print.
PERIODIC: dict[str, float] = {}
_last_periodic_run: dict[str, float] = {}  # path -> time.monotonic() of its last start


def register_handler(kind: str, path: str) -> None:
    """Let the worker run jobs of `kind` with the function at `path` ("module.function"), which
    is imported only when such a job runs."""
    if HANDLERS.get(kind, path) != path:
        raise ValueError(f"job kind {kind!r} is already handled by {HANDLERS[kind]}")
    HANDLERS[kind] = path


def register_periodic(path: str, interval: float) -> None:
    """Let the worker call the function at `path` at most once per `interval` seconds."""
    PERIODIC[path] = interval


def enqueue(kind: str, payload: dict, *, acting_user=None) -> Job:
    if kind not in HANDLERS:
        raise ValueError(f"unknown job kind {kind!r}; known: {', '.join(sorted(HANDLERS))}")
    user = acting_user if getattr(acting_user, "is_authenticated", False) else None
    return Job.objects.create(kind=kind, payload=payload, created_by=user)


def claim_next() -> Job | None:
    """Take the oldest queued job; select_for_update keeps two workers off the same row
    on PostgreSQL (SQLite serialises writers anyway)."""
    with transaction.atomic():
        job = (
            Job.objects.select_for_update(skip_locked=True)
            .filter(status=Job.Status.QUEUED)
            .order_by("created_at", "id")
            .first()
        )
        if job is None:
            return None
        job.status, job.started_at = Job.Status.RUNNING, timezone.now()
        job.claimed_by = this_worker()
        job.save(update_fields=["status", "started_at", "claimed_by"])
        return job


def this_worker() -> str:
    return f"{socket.gethostname()[:255]}:{os.getpid()}"


def alive(claimed_by: str) -> bool:
    """Whether the worker process "host:pid" on this machine still runs."""
    pid = claimed_by.rpartition(":")[2]
    return not pid.isdigit() or is_alive(int(pid))  # not ours to judge: leave it


def is_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # signal 0: asks only whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, under another user
        return True
    return True


def requeue_abandoned() -> int:
    """Put back in the queue the jobs that a worker on this machine left running when it died
    (killed, out of memory, the machine restarted): it will never finish them, and nobody else
    would start them. They run again from the start. Returns how many."""
    host = socket.gethostname()[:255]
    running = Job.objects.filter(status=Job.Status.RUNNING, claimed_by__startswith=f"{host}:")
    abandoned = [job.pk for job in running.only("pk", "claimed_by") if not alive(job.claimed_by)]
    if abandoned:
        log.warning("jobs %s were left running by a worker that died: queued again", abandoned)
    return running.filter(pk__in=abandoned).update(
        status=Job.Status.QUEUED, started_at=None, progress=0, total=None, claimed_by=""
    )


def _import(path: str) -> Callable:
    module_name, _, function = path.rpartition(".")
    module = __import__(module_name, fromlist=[function])
    return getattr(module, function)


def _handler(kind: str) -> Callable:
    return _import(HANDLERS[kind])


def run(job: Job) -> Job:
    """Run one claimed job to the end, recording its result or its error."""

    def progress(done: int, total: int | None = None) -> None:
        Job.objects.filter(pk=job.pk).update(progress=done, total=total)
        beat_now_and_then()  # a long job is no stopped worker

    try:
        job.result = _handler(job.kind)(job, progress)
        job.status = Job.Status.DONE
    except Exception as error:  # a failed job must not stop the worker: record it and go on
        log.exception("job %s failed", job.pk)
        job.status = Job.Status.FAILED
        job.error = f"{error}\n\n{traceback.format_exc(limit=5)}"
    job.finished_at = timezone.now()
    job.save(update_fields=["result", "status", "error", "finished_at"])
    return job


def run_pending(limit: int | None = None) -> int:
    """Run queued jobs until none is left (or `limit` ran); returns how many ran."""
    count = 0
    while limit is None or count < limit:
        job = claim_next()
        if job is None:
            break
        run(job)
        count += 1
    return count


def run_periodic(now: dt.datetime | None = None, *, force: bool = False) -> dict[str, dict]:
    """Run each PERIODIC task whose interval has passed (all of them with `force`); returns
    their results by path. A failing task is logged and tried again next interval: it must
    not stop the worker or the other tasks."""
    now = now or timezone.now()
    results: dict[str, dict] = {}
    for path, interval in PERIODIC.items():
        started = time.monotonic()
        last = _last_periodic_run.get(path)
        if not force and last is not None and started - last < interval:
            continue
        _last_periodic_run[path] = started
        try:
            results[path] = _import(path)(now)
        except Exception:
            log.exception("periodic task %s failed", path)
    return results
