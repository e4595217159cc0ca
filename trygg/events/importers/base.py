"""The shared import pipeline: read all records, validate all, then write in bulk or not at all.

Each source module (polisen, csv_rows, geojson, demo) turns its file into `Candidate` rows or
`RowError`s; this module resolves positions, checks them, drops what is already stored, scrubs
the free text and writes everything inside one transaction with one audit row for the run.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import numpy as np
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trygg.core.audit import record
from trygg.core.models import AuditEntry
from trygg.core.privacy import scrub
from trygg.events.models import Event, ImportRun, Visibility
from trygg.places.index import locate

# Reports may be entered a little ahead of a clock that is slightly wrong; more is a typo.
FUTURE_TOLERANCE = dt.timedelta(minutes=10)
BATCH_SIZE = 2000


@dataclass
class Candidate:
    """One record, parsed and checked on its own, ready for the checks that need all rows."""

    row: int
    external_id: str
    category_id: int
    occurred_from: dt.datetime
    lat: float
    lon: float
    description: str = ""
    occurred_to: dt.datetime | None = None
    visibility: str = Visibility.PARTNERS
    place_id: int | None = None
    precision_m: int = 25
    municipality_id: int | None = None  # known from the record (police: from its name)
    external_type: str = ""
    source_url: str = ""


@dataclass(frozen=True)
class RowError:
    row: int
    field: str
    message: str

    def __str__(self) -> str:
        return _("rad %(row)s, %(field)s: %(message)s") % {
            "row": self.row,
            "field": self.field,
            "message": self.message,
        }


@dataclass(frozen=True)
class Skip:
    """A record deliberately not imported, with the reason (counted in the report)."""

    row: int
    reason: str


@dataclass
class ImportReport:
    records: int = 0
    created: int = 0
    already_present: int = 0
    skipped: Counter = field(default_factory=Counter)
    errors: list[RowError] = field(default_factory=list)
    run_id: int | None = None

    @property
    def accounted(self) -> int:
        return self.created + self.already_present + sum(self.skipped.values()) + len(self.errors)

    def summary(self) -> str:
        lines = [
            _("%(records)s poster lästa: %(created)s nya, %(present)s fanns redan.")
            % {"records": self.records, "created": self.created, "present": self.already_present}
        ]
        lines += [f"  {count} {_('hoppades över')}: {reason}" for reason, count in sorted(self.skipped.items())]
        return "\n".join(lines)


class ImportFailed(Exception):
    """Invalid records and no --skip-invalid: nothing was written."""

    def __init__(self, report: ImportReport):
        self.report = report
        super().__init__(
            _("%(n)s ogiltiga poster; inget importerades.") % {"n": len(report.errors)}
        )


Progress = Callable[[str, int, int], None]


def _no_progress(stage: str, done: int, total: int) -> None:
    return None


@dataclass
class ImportContext:
    source: str
    importer: str
    file_name: str
    organisation: object  # the owning Organisation
    acting_user: object = None
    skip_invalid: bool = False
    progress: Progress = _no_progress
    now: dt.datetime = field(default_factory=timezone.now)


def run_import(parsed: Iterable[Candidate | RowError | Skip], ctx: ImportContext) -> ImportReport:
    """Validate everything, then write all valid records in bulk (or nothing)."""
    report = ImportReport()
    candidates = _collect(parsed, report, ctx)
    candidates = _check_positions_and_times(candidates, report, ctx)
    if report.errors and not ctx.skip_invalid:
        raise ImportFailed(report)
    report.skipped.update({_("ogiltig post (--skip-invalid)"): len(report.errors)} if report.errors else {})
    fresh = _drop_present(candidates, report, ctx)
    events = _build_events(fresh, ctx)
    _write(events, report, ctx)
    return report


def _collect(parsed, report: ImportReport, ctx: ImportContext) -> list[Candidate]:
    candidates: list[Candidate] = []
    for item in parsed:
        report.records += 1
        if isinstance(item, Candidate):
            candidates.append(item)
        elif isinstance(item, Skip):
            report.skipped[item.reason] += 1
        else:
            report.errors.append(item)
        if report.records % 10000 == 0:
            ctx.progress("read", report.records, 0)
    ctx.progress("read", report.records, report.records)
    return candidates


def _check_positions_and_times(candidates: list[Candidate], report, ctx) -> list[Candidate]:
    """Positions outside Sweden and times in the future are row errors."""
    if not candidates:
        return candidates
    located = locate(
        [c.lon for c in candidates],
        [c.lat for c in candidates],
        [c.precision_m for c in candidates],
        [-1 if c.municipality_id is None else c.municipality_id for c in candidates],
    )
    latest = ctx.now + FUTURE_TOLERANCE
    kept = []
    for i, cand in enumerate(candidates):
        if cand.municipality_id is None and located.municipality_id[i] < 0:
            report.errors.append(RowError(cand.row, "lat/lon", _("positionen ligger utanför Sverige")))
        elif cand.occurred_from > latest:
            report.errors.append(RowError(cand.row, "occurred_at", _("tidpunkten ligger i framtiden")))
        elif cand.occurred_to is not None and cand.occurred_to < cand.occurred_from:
            report.errors.append(RowError(cand.row, "occurred_to", _("sluttiden är före starttiden")))
        else:
            cand._located = (located.x[i], located.y[i], located.municipality_id[i], located.area_id[i])
            kept.append(cand)
    report.errors.sort(key=lambda e: e.row)
    return kept


def _drop_present(candidates: list[Candidate], report: ImportReport, ctx) -> list[Candidate]:
    """Records already stored (same source and id), or repeated in the file, are not added again."""
    ids = [c.external_id for c in candidates]
    present: set[str] = set()
    for start in range(0, len(ids), 5000):
        chunk = ids[start : start + 5000]
        present.update(
            Event.objects.filter(source=ctx.source, external_id__in=chunk).values_list(
                "external_id", flat=True
            )
        )
    fresh, seen = [], set()
    for cand in candidates:
        if cand.external_id in present or cand.external_id in seen:
            report.already_present += 1
            continue
        seen.add(cand.external_id)
        fresh.append(cand)
    return fresh


def _build_events(candidates: list[Candidate], ctx: ImportContext) -> Iterator[Event]:
    for cand in candidates:
        x, y, municipality, area = cand._located
        scrubbed = scrub(cand.description)
        yield Event(
            category_id=cand.category_id,
            occurred_from=cand.occurred_from,
            occurred_to=cand.occurred_to,
            lat=cand.lat,
            lon=cand.lon,
            x=float(x),
            y=float(y),
            precision_m=cand.precision_m,
            municipality_id=int(municipality) if municipality >= 0 else None,
            area_id=int(area) if area >= 0 else None,
            place_id=cand.place_id,
            organisation=ctx.organisation,
            source=ctx.source,
            external_id=cand.external_id,
            external_type=cand.external_type,
            source_url=cand.source_url,
            description=scrubbed.text,
            was_scrubbed=scrubbed.was_scrubbed,
            visibility=cand.visibility,
        )


@transaction.atomic
def _write(events: Iterator[Event], report: ImportReport, ctx: ImportContext) -> None:
    run = ImportRun.objects.create(
        source=ctx.source,
        importer=ctx.importer,
        file_name=ctx.file_name[:255],
        organisation=ctx.organisation,
        started_by=ctx.acting_user if getattr(ctx.acting_user, "is_authenticated", False) else None,
    )
    batch: list[Event] = []
    for event in events:
        event.import_run = run
        batch.append(event)
        if len(batch) >= BATCH_SIZE:
            report.created += _flush(batch, ctx, report)
    report.created += _flush(batch, ctx, report)
    run.records, run.created, run.already_present = report.records, report.created, report.already_present
    run.skipped = dict(report.skipped)
    run.finished_at = timezone.now()
    run.save()
    report.run_id = run.pk
    # One audit row for the run; each event points at its run, so every write is traceable.
    record(ctx.acting_user, run, AuditEntry.Action.IMPORT, new=_audit_summary(run))


def _flush(batch: list[Event], ctx: ImportContext, report: ImportReport) -> int:
    if not batch:
        return 0
    Event.objects.bulk_create(batch, batch_size=BATCH_SIZE)
    n = len(batch)
    batch.clear()
    ctx.progress("write", report.created + n, 0)
    return n


def _audit_summary(run: ImportRun) -> str:
    return (
        f"{run.importer}: {run.file_name}; {run.records} poster, {run.created} nya, "
        f"{run.already_present} fanns redan, överhoppade {run.skipped}"
    )


