"""A jobs table instead of a message broker: long work (imports, PDFs, heavy analyses) is
queued as a row and run by `trygg worker`, which records progress a page can show."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from trygg.core.models import Job

log = logging.getLogger(__name__)

# kind -> "module.function"; the function takes (job, progress) and returns a JSON-able result.
HANDLERS: dict[str, str] = {
    "import_events": "trygg.events.jobs.run_import_job",
}


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
        job.save(update_fields=["status", "started_at"])
        return job


def _handler(kind: str) -> Callable:
    module_name, _, function = HANDLERS[kind].rpartition(".")
    module = __import__(module_name, fromlist=[function])
    return getattr(module, function)


def run(job: Job) -> Job:
    """Run one claimed job to the end, recording its result or its error."""

    def progress(done: int, total: int | None = None) -> None:
        Job.objects.filter(pk=job.pk).update(progress=done, total=total)

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
