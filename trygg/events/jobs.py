"""Import jobs for `trygg worker`: the same request as `trygg import`, run in the background
with its progress written to the job row, so a page can show how far a large import has come."""

from __future__ import annotations

from django.utils.translation import gettext as _

from trygg.events.importers.base import ImportFailed
from trygg.events.importers.files import ImportRequest, import_file


def run_import_job(job, progress) -> dict:
    """payload: format, path, organisation?, user?, county?, visibility?, skip_invalid?"""
    request = ImportRequest(**job.payload)

    def on_progress(stage: str, done: int, total: int) -> None:
        progress(done, total or None)  # the file's total is known only at its end

    try:
        report = import_file(request, on_progress)
    except ImportFailed as failed:
        # Nothing was written; the job fails with every invalid row named, as the command prints.
        errors = failed.report.errors
        rows = "\n".join(str(error) for error in errors[:200])
        if failed.report.invalid > 200:
            rows += "\n" + _("… och %(n)s till") % {"n": failed.report.invalid - 200}
        raise RuntimeError(f"{failed}\n{rows}") from None
    return {
        "records": report.records,
        "created": report.created,
        "already_present": report.already_present,
        "skipped": dict(report.skipped),
        "import_run": report.run_id,
    }
