"""The worker's heartbeat: each round of `trygg worker` (and a long job's progress) writes the
time, and /healthz reads how long ago the last beat was (TRYGG_WORKER_STALE_SECONDS)."""

from __future__ import annotations

import datetime as dt
import socket
import time

from django.conf import settings
from django.utils import timezone

from trygg.core.models import WorkerBeat

# A job reporting progress many times a second beats at most this often.
PROGRESS_BEAT_SECONDS = 10.0
_last_progress_beat = 0.0  # time.monotonic() of this process's last beat from progress


def beat(now: dt.datetime | None = None) -> None:
    """Record that this machine's worker is alive now."""
    now = now or timezone.now()
    host = socket.gethostname()[:255]
    if not WorkerBeat.objects.filter(host=host).update(beat_at=now):
        WorkerBeat.objects.update_or_create(host=host, defaults={"beat_at": now})


def beat_now_and_then() -> None:
    """A beat from inside a running job, but not on every progress report."""
    global _last_progress_beat
    started = time.monotonic()
    if started - _last_progress_beat >= PROGRESS_BEAT_SECONDS:
        _last_progress_beat = started
        beat()


def worker_state(now: dt.datetime | None = None) -> str:
    """ "ok" when some worker beat within TRYGG_WORKER_STALE_SECONDS, "stale" when the last beat
    is older, "never" when no worker has ever run against this database."""
    last = WorkerBeat.objects.order_by("-beat_at").values_list("beat_at", flat=True).first()
    if last is None:
        return "never"
    age = (now or timezone.now()) - last
    return "ok" if age <= dt.timedelta(seconds=settings.TRYGG_WORKER_STALE_SECONDS) else "stale"
