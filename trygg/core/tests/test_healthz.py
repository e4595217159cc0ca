"""/healthz: the database and the worker's last beat, for monitoring; no login, nothing else."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import OperationalError

from trygg.core.heartbeat import beat
from trygg.core.models import WorkerBeat
from trygg.core.tests.clock import NOW

pytestmark = [pytest.mark.django_db, pytest.mark.frozen]


def test_without_any_worker_ever_the_answer_is_503_never(client):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "worker": "never"}


def test_a_worker_round_makes_it_200_and_only_the_two_words_are_said(client):
    call_command("worker", once=True, stdout=mock.MagicMock())
    assert WorkerBeat.objects.get().beat_at == NOW

    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "worker": "ok"}
    assert "no-cache" in response["Cache-Control"]  # a monitor must see the present


def test_a_beat_older_than_the_setting_is_stale(client, settings, frozen_now):
    settings.TRYGG_WORKER_STALE_SECONDS = 300
    beat()
    frozen_now.shift(dt.timedelta(seconds=300))
    assert client.get("/healthz").status_code == 200
    frozen_now.shift(dt.timedelta(seconds=1))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "worker": "stale"}
    beat()  # the worker is back: one row per machine, brought up to date
    assert client.get("/healthz").status_code == 200
    assert WorkerBeat.objects.count() == 1


def test_a_job_reporting_progress_keeps_the_worker_alive(settings, frozen_now):
    from trygg.core import heartbeat, jobs
    from trygg.core.models import Job

    jobs.register_handler("tests.progress", "trygg.core.tests.test_healthz.slow_job")
    job = Job.objects.create(kind="tests.progress")
    heartbeat._last_progress_beat = 0.0
    try:
        jobs.run(jobs.claim_next() or job)
    finally:
        jobs.HANDLERS.pop("tests.progress")
    assert WorkerBeat.objects.get().beat_at == NOW


def slow_job(job, progress):
    progress(1, 2)
    return {}


def test_a_database_that_does_not_answer_gives_503_without_a_traceback(client):
    beat()
    with mock.patch("trygg.core.views.connection.cursor", side_effect=OperationalError("gone")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": "error", "worker": "unknown"}


def test_only_reading_is_allowed(client):
    assert client.post("/healthz").status_code == 405
