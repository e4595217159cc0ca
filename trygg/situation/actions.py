"""Writes of the situation app: making a meeting pack, writing its priorities, saving a
version of the annual lägesbild. Each checks the coordinator role and leaves an audit row."""

from __future__ import annotations

from dataclasses import replace

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trygg.core.audit import record_changes, record_created
from trygg.core.periods import Period
from trygg.core.privacy import scrub
from trygg.situation import annual, hotspot_layer, pack_sections, picture
from trygg.situation.access import can_edit
from trygg.situation.models import AnnualReport, AnnualReportVersion, MeetingPack
from trygg.situation.scope import Scope


@transaction.atomic
def create_meeting_pack(scope: Scope, period: Period, *, acting_user) -> MeetingPack:
    """Compute the picture of `scope` in `period` as every partner sees it and keep it."""
    if not can_edit(acting_user, scope.municipality.pk):
        raise PermissionDenied(_("Bara samordnare i kommunen kan göra mötesunderlag."))
    shared = replace(scope, shared_only=True)
    content = picture.build(shared, period)
    content["hotspots"] = hotspot_layer.compute(shared, period) | {
        "outline": hotspot_layer.outline_rings(shared)
    }
    content["filters"] = {
        "area": scope.area.name if scope.area else None,
        "category": scope.category.name if scope.category else None,
        "source": scope.source,
    }
    # What apps above situation add, e.g. measures opened in the period, due next, overdue.
    content |= pack_sections.compute_all(
        scope.municipality, period.start, period.end, timezone.localdate()
    )
    place = scope.area.name if scope.area else scope.municipality.name
    pack = MeetingPack.objects.create(
        municipality=scope.municipality,
        area=scope.area,
        period_kind=str(period.kind),
        period_start=period.start,
        period_end=period.end,
        label=_("Mötesunderlag %(place)s %(period)s") % {"place": place, "period": period.label()},
        content=content,
        created_by=acting_user,
    )
    record_created(
        acting_user, pack, ["municipality_id", "area_id", "period_start", "period_end", "label"]
    )
    return pack


@transaction.atomic
def set_pack_priorities(pack: MeetingPack, text: str, *, acting_user) -> MeetingPack:
    """The group's priorities for the coming period, scrubbed like every free text."""
    if not can_edit(acting_user, pack.municipality_id):
        raise PermissionDenied(_("Bara samordnare i kommunen kan skriva prioriteringar."))
    cleaned = scrub(text.strip()).text
    old = pack.priorities
    if cleaned == old:
        return pack
    pack.priorities = cleaned
    pack.save(update_fields=["priorities"])
    record_changes(acting_user, pack, {"priorities": (old, cleaned)})
    return pack


# --- the annual lägesbild (lag 2023:196) ---------------------------------------------------


@transaction.atomic
def create_annual_report(municipality, year: int, *, acting_user) -> tuple[AnnualReport, bool]:
    """The municipality's report for `year` with version 1 (figures computed now, nothing
    written yet); the existing report and False when there already is one."""
    if not can_edit(acting_user, municipality.pk):
        raise PermissionDenied(_("Bara samordnare i kommunen kan göra den årliga lägesbilden."))
    report, created = AnnualReport.objects.get_or_create(municipality=municipality, year=year)
    if created:
        record_created(acting_user, report, ["municipality_id", "year"])
        save_annual_version(report, {}, regenerate=True, note="", acting_user=acting_user)
    return report, created


@transaction.atomic
def save_annual_version(
    report: AnnualReport, written: dict, *, regenerate: bool, note: str, acting_user
) -> AnnualReportVersion:
    """Keep the report's text as a new version; earlier versions stay as they were. The
    figures are recomputed only when asked, so a text edit does not move the numbers the
    text talks about."""
    if not can_edit(acting_user, report.municipality_id):
        raise PermissionDenied(_("Bara samordnare i kommunen kan spara den årliga lägesbilden."))
    # Lock the report so two coordinators saving at once get consecutive numbers.
    AnnualReport.objects.select_for_update().filter(
        pk=report.pk, municipality_id=report.municipality_id
    ).first()
    previous = report.latest()
    if regenerate or previous is None:
        generated = annual.generate(report.municipality, report.year, user=acting_user)
    else:
        generated = previous.generated
    version = AnnualReportVersion.objects.create(
        report=report,
        number=previous.number + 1 if previous else 1,
        generated=generated,
        written={
            key: scrub(str(written.get(key) or "").strip()).text for key in annual.WRITTEN_KEYS
        },
        note=scrub(note.strip()).text[:200],
        created_by=acting_user,
    )
    record_created(acting_user, version, ["report_id", "number", "note"])
    record_changes(acting_user, version, _version_changes(previous, version))
    return version


def _version_changes(previous: AnnualReportVersion | None, version: AnnualReportVersion) -> dict:
    """What this version changed against the one before: each written section (old -> new)
    and, when the figures were recomputed, when they were computed."""
    before_written = previous.written if previous else {}
    changes = {
        f"written.{key}": (before_written.get(key, ""), text)
        for key, text in version.written.items()
    }
    changes["generated_at"] = (
        previous.generated.get("generated_at") if previous else None,
        version.generated.get("generated_at"),
    )
    return changes
