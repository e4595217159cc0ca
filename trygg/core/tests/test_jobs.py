import pytest

from trygg.core import jobs
from trygg.core.models import Job


@pytest.fixture
def test_handlers(monkeypatch):
    monkeypatch.setitem(jobs.HANDLERS, "echo", "trygg.core.tests.test_jobs.echo_handler")
    monkeypatch.setitem(jobs.HANDLERS, "boom", "trygg.core.tests.test_jobs.failing_handler")


def echo_handler(job, progress):
    progress(1, 1)
    return {"echo": job.payload["word"]}


def failing_handler(job, progress):
    raise RuntimeError("filen saknas")


@pytest.mark.django_db
def test_the_worker_runs_queued_jobs_in_order_and_keeps_their_results(test_handlers):
    first = jobs.enqueue("echo", {"word": "ett"})
    second = jobs.enqueue("echo", {"word": "två"})
    assert jobs.run_pending() == 2
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.result, first.progress) == (Job.Status.DONE, {"echo": "ett"}, 1)
    assert second.result == {"echo": "två"}
    assert first.finished_at <= second.started_at


@pytest.mark.django_db
def test_a_failing_job_is_marked_failed_with_its_reason_and_the_worker_goes_on(test_handlers):
    bad = jobs.enqueue("boom", {})
    good = jobs.enqueue("echo", {"word": "ok"})
    assert jobs.run_pending() == 2
    bad.refresh_from_db()
    good.refresh_from_db()
    assert bad.status == Job.Status.FAILED
    assert "filen saknas" in bad.error
    assert good.status == Job.Status.DONE


@pytest.mark.django_db
def test_an_unknown_job_kind_is_refused_before_anything_is_queued():
    with pytest.raises(ValueError, match="unknown job kind"):
        jobs.enqueue("nonsense", {})
    assert not Job.objects.exists()


def test_a_job_kind_registered_twice_keeps_its_first_handler(monkeypatch):
    monkeypatch.setattr(jobs, "HANDLERS", {})
    echo, boom = (
        "trygg.core.tests.test_jobs.echo_handler",
        "trygg.core.tests.test_jobs.failing_handler",
    )
    jobs.register_handler("echo", echo)
    jobs.register_handler("echo", echo)  # the same again is harmless
    with pytest.raises(ValueError, match="already handled"):
        jobs.register_handler("echo", boom)
    registered = jobs.HANDLERS
    assert registered == {"echo": echo}


@pytest.mark.django_db
def test_a_job_left_running_by_a_dead_worker_on_this_machine_is_queued_again(test_handlers):
    import socket
    import subprocess
    import sys

    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    host = socket.gethostname()
    abandoned = jobs.enqueue("echo", {"word": "igen"})
    Job.objects.filter(pk=abandoned.pk).update(
        status=Job.Status.RUNNING, claimed_by=f"{host}:{dead}", progress=5
    )
    mine = Job.objects.create(kind="echo", status=Job.Status.RUNNING, claimed_by=jobs.this_worker())
    elsewhere = Job.objects.create(kind="echo", status=Job.Status.RUNNING, claimed_by="annan:1")

    assert jobs.requeue_abandoned() == 1
    abandoned.refresh_from_db()
    assert (abandoned.status, abandoned.progress, abandoned.claimed_by) == (
        Job.Status.QUEUED,
        0,
        "",
    )
    assert jobs.run_pending() == 1
    abandoned.refresh_from_db()
    assert abandoned.result == {"echo": "igen"}
    assert Job.objects.get(pk=mine.pk).status == Job.Status.RUNNING  # a live worker's own
    assert Job.objects.get(pk=elsewhere.pk).status == Job.Status.RUNNING  # not ours to judge
