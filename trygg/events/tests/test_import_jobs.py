"""Imports queued for `trygg worker` run like `trygg import` and record their outcome."""

from trygg.core import jobs
from trygg.core.models import AuditEntry, Job
from trygg.events.models import Event, ImportRun

HEADER = "external_id,occurred_at,category,lat,lon,description\n"


def test_a_queued_csv_import_is_run_by_the_worker_with_its_progress_and_result(
    tmp_path, bostadsbolaget, housing_reporter
):
    path = tmp_path / "rapporter.csv"
    path.write_text(
        HEADER
        + "r1,2026-03-01 21:30,Klotter,59.3793,13.5036,Klotter på gaveln\n"
        + "r2,2026-03-02 22:10,skadegorelse.glaskross,59.38,13.50,Ring 070-123 45 67\n",
        encoding="utf-8",
    )
    job = jobs.enqueue(
        "import_events",
        {"format": "csv", "path": str(path), "organisation": "kbab", "user": "bovard"},
        acting_user=housing_reporter,
    )
    assert jobs.run_pending() == 1
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.error
    assert job.result["created"] == 2
    assert job.progress == 2
    run = ImportRun.objects.get(pk=job.result["import_run"])
    assert run.started_by == housing_reporter
    assert AuditEntry.objects.filter(action="import", object_id=str(run.pk)).exists()
    assert "070-123" not in Event.objects.get(external_id="r2").description


def test_a_queued_import_with_an_invalid_row_fails_names_the_row_and_writes_nothing(
    tmp_path, bostadsbolaget
):
    path = tmp_path / "rapporter.csv"
    path.write_text(
        HEADER
        + "r1,2026-03-01 21:30,Klotter,59.3793,13.5036,ok\n"
        + "r2,2026-03-01 21:30,Okänd sak,59.3793,13.5036,fel kategori\n",
        encoding="utf-8",
    )
    job = jobs.enqueue(
        "import_events", {"format": "csv", "path": str(path), "organisation": "kbab"}
    )
    jobs.run_pending()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "rad 3" in job.error
    assert not Event.objects.exists()
    assert not ImportRun.objects.exists()


def test_a_queued_import_for_an_unknown_organisation_fails_with_the_reason(tmp_path, db):
    path = tmp_path / "rapporter.csv"
    path.write_text(HEADER, encoding="utf-8")
    job = jobs.enqueue("import_events", {"format": "csv", "path": str(path), "organisation": "x"})
    jobs.run_pending()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "Okänd organisation: x" in job.error
