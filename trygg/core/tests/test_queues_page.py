"""The staff page for the queues: system staff only; jobs and e-mails waiting and failed, the
last error shortened and scrubbed, and the worker's last beat."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from trygg.core.heartbeat import beat
from trygg.core.models import Job
from trygg.core.queues import ERROR_CHARS, outbox_models

pytestmark = [pytest.mark.django_db, pytest.mark.frozen]
URL = "/admin/koer/"


@pytest.fixture
def staff(db):
    return get_user_model().objects.create_user("drift", password="x" * 16, is_staff=True)


def test_a_coordinator_without_is_staff_is_sent_to_the_admin_login(client, coordinator):
    client.force_login(coordinator)
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_an_anonymous_visitor_is_sent_to_the_admin_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_staff_see_the_counts_the_last_error_shortened_and_scrubbed_and_the_beat(client, staff):
    Job.objects.create(kind="import", status=Job.Status.QUEUED)
    Job.objects.create(kind="import", status=Job.Status.RUNNING)
    Job.objects.create(kind="pdf", status=Job.Status.FAILED, error="gammalt fel")
    secret = "Ring anna.andersson@example.se om filen. " + "x" * 1000
    Job.objects.filter(status=Job.Status.FAILED).update(error=secret)
    beat()
    client.force_login(staff)
    response = client.get(URL)
    assert response.status_code == 200
    jobs = response.context["jobs"]
    assert (jobs.waiting, jobs.running, jobs.failed) == (2, 1, 1)
    assert len(jobs.last_error.text) == ERROR_CHARS
    page = response.content.decode()
    assert "anna.andersson@example.se" not in page
    assert "Ring " in page and "x" * 1000 not in page
    assert "Workern är igång." in page
    assert "no-cache" in response["Cache-Control"]


def test_every_outbox_of_the_apps_is_on_the_page(client, staff):
    names = {model._meta.label for model in outbox_models()}
    assert {"measures.Notification", "walks.WalkNotice"} <= names
    client.force_login(staff)
    page = client.get(URL).content.decode()
    for model in outbox_models():
        assert str(model._meta.verbose_name_plural).capitalize() in page


def test_without_any_worker_the_page_says_so(client, staff):
    client.force_login(staff)
    assert "Ingen worker har någonsin körts" in client.get(URL).content.decode()


def test_the_admin_index_links_to_the_page(client, staff):
    client.force_login(staff)
    assert f'href="{URL}"' in client.get("/admin/").content.decode()
