"""A worker killed (SIGKILL) in the middle of a job or of sending a notice loses no job and sends
no notice twice once it is started again: the job runs again to its end, once; the notice goes
out once. Real `trygg worker` processes on a database of their own (a SQLite file), so that
nothing of the test's transaction or process hides what another process would see."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.mail.backends.base import BaseEmailBackend

import trygg

ROOT = Path(trygg.__file__).resolve().parent.parent
THIS = "trygg.tests.test_worker_killed"
WAIT_SECONDS = 60


# --- what the worker processes run ----------------------------------------------------------


def journal() -> Path:
    return Path(os.environ["TRYGG_TEST_JOURNAL"])


def write(line: str) -> None:
    with journal().open("a", encoding="utf-8") as file:
        file.write(line + "\n")
        file.flush()
        os.fsync(file.fileno())


def stall_while(marker: str) -> None:
    """Hang (until killed) while the marker file next to the journal exists."""
    while (journal().parent / marker).exists():
        time.sleep(0.05)


def slow_job(job, progress) -> dict:
    write(f"job {job.pk} started")
    progress(1, 2)
    stall_while("stall-job")
    write(f"job {job.pk} done")
    return {"done": True}


class StallingBackend(BaseEmailBackend):
    """A mail server that may hang before it takes the message, like one that stops answering."""

    def send_messages(self, email_messages) -> int:
        for message in email_messages:
            write(f"mail to {','.join(message.to)} attempted")
            stall_while("stall-mail")
            write(f"mail to {','.join(message.to)} sent")
        return len(email_messages)


WORKER = f"""
import sys
import django
django.setup()
from trygg.core import jobs
jobs.register_handler("tests.slow", "{THIS}.slow_job")
from trygg.cli import main
sys.exit(main(["trygg", "worker", *sys.argv[1:]]))
"""

SETUP = f"""
import django
django.setup()
from trygg.core import jobs
from trygg.measures.models import Measure, Notification
from trygg.organisations.models import Organisation
from trygg.places.models import Municipality
jobs.register_handler("tests.slow", "{THIS}.slow_job")
karlstad = Municipality.objects.get(code="1780")
org = Organisation.objects.create(code="bolaget", name="Bolaget", kind="property_owner",
    municipality=karlstad, contact_email="drift@bolaget.example")
measure = Measure.objects.create(municipality=karlstad, title="Belysning", status="done",
    responsible=org)
Notification.objects.create(measure=measure, kind="done", organisation=org)
jobs.enqueue("tests.slow", {{}})
"""

REPORT = """
import django
django.setup()
from trygg.core.models import Job
from trygg.measures.models import Notification
job, notice = Job.objects.get(), Notification.objects.get()
print(job.status, job.result, notice.attempts, notice.sent_at is not None, notice.recipients)
"""


# --- the test -------------------------------------------------------------------------------


@pytest.fixture
def place(tmp_path) -> dict[str, str]:
    """The environment of a fresh, migrated installation in tmp_path."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'trygg.sqlite3'}",
        "TRYGG_DATA_DIR": str(tmp_path),
        "TRYGG_DEBUG": "1",
        "TRYGG_EMAIL_BACKEND": f"{THIS}.StallingBackend",
        "TRYGG_TEST_JOURNAL": str(tmp_path / "journal.txt"),
        "DJANGO_SETTINGS_MODULE": "trygg.settings",
    }
    run(env, "-m", "trygg.cli", "migrate", "-v0")
    run(env, "-c", SETUP)
    return env


def run(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def lines(env: dict[str, str]) -> list[str]:
    path = Path(env["TRYGG_TEST_JOURNAL"])
    return path.read_text(encoding="utf-8").splitlines() if path.exists() else []


def kill_when(env: dict[str, str], wanted: str) -> None:
    """Start a worker, wait until the journal has `wanted`, then kill it without warning."""
    worker = subprocess.Popen(
        [sys.executable, "-c", WORKER, "--interval", "0.2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + WAIT_SECONDS
        while wanted not in lines(env):
            assert worker.poll() is None, worker.stderr.read() if worker.stderr else ""
            assert time.monotonic() < deadline, f"the worker never got to {wanted!r}"
            time.sleep(0.05)
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
        if worker.stderr:
            worker.stderr.close()


def test_a_killed_worker_loses_no_job_and_sends_no_notice_twice(place, tmp_path):
    (tmp_path / "stall-job").touch()
    (tmp_path / "stall-mail").touch()
    kill_when(place, "job 1 started")  # killed mid-job

    (tmp_path / "stall-job").unlink()
    kill_when(place, "mail to drift@bolaget.example attempted")  # the job ran; killed mid-mail

    (tmp_path / "stall-mail").unlink()
    run(place, "-c", WORKER, "--once")
    run(place, "-c", WORKER, "--once")  # once more: nothing is left to send

    assert lines(place) == [
        "job 1 started",
        "job 1 started",
        "job 1 done",
        "mail to drift@bolaget.example attempted",
        "mail to drift@bolaget.example attempted",
        "mail to drift@bolaget.example sent",
    ]
    assert run(place, "-c", REPORT).split() == [
        "done",
        "{'done':",
        "True}",
        "1",
        "True",
        "drift@bolaget.example",
    ]
