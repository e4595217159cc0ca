"""Ordningsvakter: whether a guards' shift is inside an ordningsvaktsområde valid that day,
and a period's shift reports of the guards, for sending on to the police.

The export has counts, times and places only: never who was on the shift, who reported, nor
the report's note (docs/decisions/0024, 0028)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import gettext as _

from trygg.organisations.shards import joined_in_municipality
from trygg.presence.models import AGE_BANDS, INTERVENTIONS, GroupKind, GuardArea, Shift

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def covered_area_ids(guard_area: GuardArea) -> set[int]:
    """The areas a guard area is built from and every area under them: a shift planned in a
    sub-area of a chosen district is inside."""
    ids: set[int] = set()
    for area in guard_area.areas.all():
        ids.update(area.descendant_ids())
    return ids


def guard_areas_for(shift: Shift) -> list[GuardArea]:
    """The municipality's guard areas valid on the shift's day that cover its area."""
    day = timezone.localtime(shift.starts_at, STOCKHOLM).date()
    candidates = GuardArea.objects.filter(municipality_id=shift.municipality_id).valid_on(day)
    return [g for g in candidates.prefetch_related("areas") if shift.area_id in covered_area_ids(g)]


def guard_warning(shift: Shift) -> str | None:
    """A warning for a guards' shift outside every valid ordningsvaktsområde; None otherwise.
    A warning, not a refusal: the county enforces the law, Trygg only points it out."""
    if shift.group.kind != GroupKind.ORDER_GUARDS or guard_areas_for(shift):
        return None
    return _(
        "Passet ligger inte i något ordningsvaktsområde som gäller den dagen. Ordningsvakter "
        "får bara tjänstgöra där länsstyrelsen har beslutat det."
    )


@dataclass
class Export:
    municipality: object
    start: dt.date
    end: dt.date  # inclusive
    guard_area: GuardArea | None
    categories: list[str] = field(default_factory=list)
    rows: list[dict] = field(default_factory=list)


def _shifts(municipality, start: dt.date, end: dt.date, guard_area: GuardArea | None):
    begin = dt.datetime.combine(start, dt.time(), tzinfo=STOCKHOLM)
    stop = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tzinfo=STOCKHOLM)
    shifts = (
        # The group and the report joined in the municipality too: Citus refuses joins of
        # sharded tables on their ids alone.
        Shift.objects.filter(
            municipality=municipality,
            group__kind=GroupKind.ORDER_GUARDS,
            report__isnull=False,
            **joined_in_municipality("group", "report"),
        )
        .active()
        .between(begin, stop)
        .select_related("area", "report")
        .prefetch_related("report__observations__event__category")
        .order_by("starts_at", "pk")
    )
    if guard_area is None:
        return list(shifts)
    ids = covered_area_ids(guard_area)
    return [s for s in shifts if s.area_id in ids and guard_area.is_valid_on(_day(s))]


def _day(shift: Shift) -> dt.date:
    return timezone.localtime(shift.starts_at, STOCKHOLM).date()


def _row(shift: Shift) -> dict:
    report = shift.report
    observed: dict[str, int] = {}
    by_code: dict[str, int] = {}
    for observation in report.observations.all():
        name = observation.event.category.name_sv
        observed[name] = observed.get(name, 0) + 1
        code = observation.event.category.code
        by_code[code] = by_code.get(code, 0) + 1
    return {
        "day": _day(shift),
        "start": timezone.localtime(shift.starts_at, STOCKHOLM).strftime("%H:%M"),
        "end": timezone.localtime(shift.ends_at, STOCKHOLM).strftime("%H:%M"),
        "area": shift.area.name,
        "people": shift.people,
        "counts": [getattr(report, column) for _k, column, _l in AGE_BANDS + INTERVENTIONS],
        # For the printable page: the age bands in order, the interventions with their labels.
        "met": [getattr(report, column) for _k, column, _l in AGE_BANDS],
        "done": [(str(label), getattr(report, column)) for _k, column, label in INTERVENTIONS],
        "observed": observed,
        # For the API: by the category's code, the same in every language.
        "observed_codes": by_code,
        "shift_id": shift.pk,
    }


def guard_export(municipality, start: dt.date, end: dt.date, guard_area=None) -> Export:
    export = Export(municipality, start, end, guard_area)
    export.rows = [_row(shift) for shift in _shifts(municipality, start, end, guard_area)]
    export.categories = sorted({name for row in export.rows for name in row["observed"]})
    for row in export.rows:
        row["observed_counts"] = [row["observed"].get(name, 0) for name in export.categories]
    return export


def header(export: Export) -> list[str]:
    counts = [str(label) for _k, _c, label in AGE_BANDS + INTERVENTIONS]
    met = [_("Mötta %(band)s") % {"band": label} for label in counts[: len(AGE_BANDS)]]
    done = counts[len(AGE_BANDS) :]
    observed = [_("Iakttagelser: %(category)s") % {"category": c} for c in export.categories]
    fixed = [_("Datum"), _("Börjar"), _("Slutar"), _("Område"), _("Antal personer")]
    return fixed + met + done + observed


def _cell(text: str) -> str:
    # A text starting with = + - @ would be run as a formula by a spreadsheet.
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text


def export_csv(export: Export) -> str:
    """UTF-8 with BOM and `;`, as the project's other tables, for Excel."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";")
    writer.writerow(header(export))
    for row in export.rows:
        fixed = [row["day"].isoformat(), row["start"], row["end"], _cell(row["area"])]
        writer.writerow(fixed + [row["people"], *row["counts"], *row["observed_counts"]])
    return out.getvalue()
