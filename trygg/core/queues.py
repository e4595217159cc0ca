"""What the staff queue page shows: the job queue, every e-mail outbox and the worker's beats.

The outboxes are found by their shape (`created_at`, `sent_at`, `attempts`, `last_error`, as
trygg/core/outbox.py expects), so core names no app's model and a new outbox shows up by itself.
Errors are shown shortened and scrubbed once more: a page is read by more eyes than the row.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import models
from django.utils.translation import gettext as _

from trygg.core.heartbeat import worker_state
from trygg.core.models import Job, WorkerBeat
from trygg.core.privacy import scrub_text

OUTBOX_FIELDS = {"created_at", "sent_at", "attempts", "last_error"}
ERROR_CHARS = 300


@dataclass(frozen=True)
class LastError:
    at: dt.datetime | None
    what: str
    text: str


@dataclass(frozen=True)
class Queue:
    name: str
    waiting: int  # not done yet (jobs: queued or running; e-mails: not sent)
    running: int | None  # jobs only
    failed: int  # jobs: failed; e-mails: not sent and tried at least once
    last_error: LastError | None


def shortened(error: str) -> str:
    """The error's first lines, scrubbed, at most ERROR_CHARS characters."""
    text = scrub_text(error.strip())
    return text if len(text) <= ERROR_CHARS else text[: ERROR_CHARS - 1] + "…"


def job_queue() -> Queue:
    counts = dict(Job.objects.values_list("status").annotate(n=models.Count("id")))
    failed = Job.objects.filter(status=Job.Status.FAILED).order_by("-finished_at", "-id").first()
    last = failed and LastError(failed.finished_at, failed.kind, shortened(failed.error))
    return Queue(
        name=str(Job._meta.verbose_name_plural),
        waiting=counts.get(Job.Status.QUEUED, 0) + counts.get(Job.Status.RUNNING, 0),
        running=counts.get(Job.Status.RUNNING, 0),
        failed=counts.get(Job.Status.FAILED, 0),
        last_error=last or None,
    )


def outbox_models() -> list[type[models.Model]]:
    def is_outbox(model: type[models.Model]) -> bool:
        return OUTBOX_FIELDS.issubset(field.name for field in model._meta.get_fields())

    return sorted(filter(is_outbox, apps.get_models()), key=lambda model: model._meta.label)


def outbox_queue(model: type[models.Model]) -> Queue:
    unsent = model._default_manager.filter(sent_at=None)
    tried = unsent.filter(attempts__gt=0)
    row: Any = tried.exclude(last_error="").order_by("-created_at", "-pk").first()
    last = None
    if row is not None:
        what = _("nr %(pk)s, %(attempts)s försök") % {"pk": row.pk, "attempts": row.attempts}
        last = LastError(None, what, shortened(row.last_error))
    return Queue(
        name=str(model._meta.verbose_name_plural),
        waiting=unsent.count(),
        running=None,
        failed=tried.count(),
        last_error=last,
    )


def queues() -> dict:
    return {
        "jobs": job_queue(),
        "outboxes": [outbox_queue(model) for model in outbox_models()],
        "beats": list(WorkerBeat.objects.order_by("-beat_at")),
        "worker_state": worker_state(),
    }
