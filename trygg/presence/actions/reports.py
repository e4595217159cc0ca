"""The shift report: filed once from the phone, corrected by replacing it.

The phone makes the report's id (`client_id`) and each observation's, so a report sent again
(the network fell after the server stored it, a retry, two tabs) is stored once and the
second send gets the first back. Every check runs before anything is written; a refused
report writes nothing and stays on the phone with the reasons (docs/decisions/0028).

Observations become events with source `shift` through `events.actions.report_event`, the one
door for a person's report (scrubber, position, area, audit, daily counts), owned by the
group's organisation: only its own staff file the report, as only they report for it."""

from __future__ import annotations

import datetime as dt
import math
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from shapely.geometry import shape

from trygg.core.audit import record_changes, record_created
from trygg.core.fields import free_text
from trygg.events.actions import report_event
from trygg.events.models import Category, Event, Source
from trygg.organisations.access import access_for
from trygg.organisations.shards import parent
from trygg.places.geo import to_sweref
from trygg.places.picker import locate
from trygg.presence.actions.shifts import mark_held
from trygg.presence.models import (
    AGE_BANDS,
    INTERVENTIONS,
    Shift,
    ShiftObservation,
    ShiftReport,
    ShiftState,
)

# More than a group meets or does on one evening: a typing error.
MAX_COUNT = 9999
# The phone's clock may run a little fast; an observation later than this is refused.
CLOCK_TOLERANCE = dt.timedelta(minutes=10)
# An observation may be noted a little before the shift formally starts (the group gathers).
EARLY_TOLERANCE = dt.timedelta(hours=1)
# An observation placed only in the shift's area is as precise as the area is large, but the
# event's precision column holds at most this (a district, not a municipality).
MAX_AREA_PRECISION_M = 5000
COUNTS = tuple(
    (key, column, group)
    for group in ("met", "interventions")
    for key, column, _l in (AGE_BANDS if group == "met" else INTERVENTIONS)
)
REPORT_FIELDS = ["shift_id", "client_id", *(column for _k, column, _g in COUNTS), "note"]


@dataclass
class ObservationInput:
    """One thing the group saw: a category, when, where (or only the shift's area), a note."""

    client_id: uuid.UUID
    category: Category
    observed_at: dt.datetime | None = None  # None: the shift's end (or now, if earlier)
    lat: float | None = None  # None: somewhere in the shift's area
    lon: float | None = None
    note: str = ""


@dataclass
class ReportInput:
    client_id: uuid.UUID | None
    met: Mapping[str, int | None] = field(default_factory=dict)
    interventions: Mapping[str, int | None] = field(default_factory=dict)
    note: str = ""
    observations: Sequence[ObservationInput] = ()


def check_may_report(shift: Shift, user) -> None:
    """The group's own organisation files its report: the observations are its reports."""
    if not access_for(user).can_report_for(shift.group.organisation):
        raise PermissionDenied(
            _("Bara %(org)s kan rapportera gruppens pass.") % {"org": shift.group.organisation}
        )


def shift_errors(shift: Shift) -> dict[str, list[str]]:
    if shift.state == ShiftState.CANCELLED:
        return {"shift": [_("Passet är inställt och kan inte rapporteras.")]}
    if shift.starts_at > timezone.now():
        return {"shift": [_("Passet har inte börjat än.")]}
    return {}


def count_errors(data: ReportInput) -> dict[str, list[str]]:
    """Each count a whole number from 0 to MAX_COUNT, named `met.13_17`, `interventions.talks`."""
    errors: dict[str, list[str]] = {}
    for group, given in (("met", data.met), ("interventions", data.interventions)):
        known = {key for key, _column, g in COUNTS if g == group}
        for key, value in given.items():
            name = f"{group}.{key}"
            if key not in known:
                errors[name] = [_("Okänt fält.")]
            elif value is not None and not 0 <= value <= MAX_COUNT:
                errors[name] = [_("Ange ett antal från 0 till %(max)s.") % {"max": MAX_COUNT}]
    return errors


def _count_values(data: ReportInput) -> dict[str, int]:
    given = {"met": data.met, "interventions": data.interventions}
    return {column: given[group].get(key) or 0 for key, column, group in COUNTS}


def observation_errors(shift: Shift, observations: Sequence[ObservationInput]):
    """(errors by field, the located positions); each message says which observation."""
    errors: dict[str, list[str]] = {}
    located: list = []
    for index, item in enumerate(observations):
        prefix = _("Iakttagelse %(n)s: ") % {"n": index + 1}
        found, location = _one_observation(shift, item)
        errors |= {f"observations.{index}.{name}": [prefix + m] for name, m in found.items()}
        located.append(location)
    return errors, located


def _one_observation(shift: Shift, item: ObservationInput) -> tuple[dict[str, str], object]:
    errors: dict[str, str] = {}
    location = None
    if (item.lat is None) != (item.lon is None):
        errors["lat"] = _("Ange både lat och lon, eller ingen av dem.")
    elif item.lat is not None and item.lon is not None:
        try:
            location = locate(item.lat, item.lon, municipality=shift.municipality)
        except ValidationError as error:
            errors["lat"] = " ".join(error.messages)
    if item.observed_at is not None and item.observed_at > timezone.now() + CLOCK_TOLERANCE:
        errors["observed_at"] = _("Tidpunkten ligger i framtiden.")
    elif item.observed_at is not None and item.observed_at < shift.starts_at - EARLY_TOLERANCE:
        errors["observed_at"] = _("Tidpunkten ligger före passet.")
    if not _id_is_free(shift, item.client_id):
        errors["client_id"] = _("Id:t används redan av ett annat pass.")
    return errors, location


def _id_is_free(shift: Shift, client_id: uuid.UUID) -> bool:
    """Unused, or an observation sent before with this shift's report (kept, not added)."""
    # An observation lies in its shift's municipality (it is located there), as its event.
    event = Event.objects.filter(
        municipality_id=shift.municipality_id, source=Source.SHIFT, external_id=str(client_id)
    ).first()
    if event is None:
        return True
    # The observation and its report lie in the event's municipality: named on both, so that
    # Citus sends the join to one shard.
    municipality_id = event.municipality_id
    link = (
        ShiftObservation.objects.filter(
            event=event, municipality_id=municipality_id, report__municipality_id=municipality_id
        )
        .select_related("report")
        .first()
    )
    return link is not None and link.report.shift_id == shift.pk


def _check(shift: Shift, data: ReportInput) -> list:
    errors = shift_errors(shift) | count_errors(data)
    found, located = observation_errors(shift, data.observations)
    errors |= found
    if errors:
        raise ValidationError(errors)
    return located


def _locked(shift: Shift) -> Shift:
    # Not the municipality's boundary: nothing here draws it, and decoding it cost more than
    # the rest of a report.
    return (
        Shift.objects.select_for_update()
        .select_related("group__organisation", "municipality", "area")
        .defer("municipality__geometry")
        .get(
            pk=shift.pk,
            municipality_id=shift.municipality_id,
            group__municipality_id=shift.municipality_id,
        )
    )


def file_report(shift: Shift, data: ReportInput, *, acting_user) -> tuple[ShiftReport, bool]:
    """The phone's report; returns (report, created). A repeated `client_id` returns the
    stored report unchanged; a shift already reported (from another phone) refuses it."""
    check_may_report(shift, acting_user)
    existing = _already_stored(shift, data.client_id)
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            return _file(shift, data, acting_user), True
    except IntegrityError:
        # The same report arrived twice at once: the other request stored it.
        existing = _already_stored(shift, data.client_id)
        if existing is None:
            raise
        return existing, False


def _already_stored(shift: Shift, client_id: uuid.UUID | None) -> ShiftReport | None:
    if client_id is None:
        return None
    # In the shift's municipality, where the id is unique (one shard on Citus).
    found = ShiftReport.objects.filter(
        municipality_id=shift.municipality_id, client_id=client_id
    ).first()
    if found is not None and found.shift_id != shift.pk:
        raise ValidationError({"client_id": [_("Id:t används redan av ett annat pass.")]})
    return found


def _file(shift: Shift, data: ReportInput, user) -> ShiftReport:
    shift = _locked(shift)
    if ShiftReport.objects.filter(shift=shift, municipality_id=shift.municipality_id).exists():
        raise ValidationError(
            {"shift": [_("Passet har redan en rapport. Rätta den i stället för att skicka en ny.")]}
        )
    located = _check(shift, data)
    return _create(shift, data, located, user, data.client_id or uuid.uuid4())


def _create(shift: Shift, data: ReportInput, located: list, user, client_id) -> ShiftReport:
    note = free_text(data.note)
    report = ShiftReport.objects.create(
        shift=shift,
        client_id=client_id,
        note=note.text,
        was_scrubbed=note.was_scrubbed,
        reported_by=user,
        **_count_values(data),
    )
    record_created(user, report, REPORT_FIELDS)
    _add_observations(report, data.observations, located, user)
    if shift.state == ShiftState.PLANNED:
        mark_held(shift, acting_user=user)
    return report


@transaction.atomic
def correct_report(shift: Shift, data: ReportInput, *, acting_user) -> tuple[ShiftReport, bool]:
    """Replace the shift's report (the API's PUT): the counts and the note become those
    given, each change with its audit row; observations not stored before are added, those
    stored stay events (a wrong one is rejected in the event's review, as any event).
    Without a report yet, this files it; returns (report, created)."""
    check_may_report(shift, acting_user)
    shift = _locked(shift)
    report = (
        ShiftReport.objects.filter(shift=shift, municipality_id=shift.municipality_id)
        .select_for_update()
        .first()
    )
    located = _check(shift, data)
    if report is None:
        return _create(shift, data, located, acting_user, data.client_id or uuid.uuid4()), True
    note = free_text(data.note)
    new = _count_values(data) | {"note": note.text}
    changes = {name: (getattr(report, name), value) for name, value in new.items()}
    changes = {name: pair for name, pair in changes.items() if pair[0] != pair[1]}
    for name, (_old, value) in changes.items():
        setattr(report, name, value)
    report.was_scrubbed = report.was_scrubbed or note.was_scrubbed
    report.save()
    record_changes(acting_user, report, changes)
    _add_observations(report, data.observations, located, acting_user)
    return report, False


def _add_observations(report: ShiftReport, items, located, user) -> None:
    # The report's observations are events of its municipality; named on both tables, so that
    # Citus sends the join to one shard.
    municipality_id = report.municipality_id
    stored = set(
        Event.objects.filter(
            municipality_id=municipality_id,
            shift_observation__municipality_id=municipality_id,
            shift_observation__report=report,
        ).values_list("external_id", flat=True)
    )
    for item, location in zip(items, located, strict=True):
        if str(item.client_id) not in stored:
            _observe(report, item, location, user)


def _observe(report: ShiftReport, item: ObservationInput, location, user) -> None:
    shift = parent(report, "shift")  # read in the report's municipality: one shard on Citus
    when = item.observed_at or min(shift.ends_at, timezone.now())
    if location is not None:
        lat, lon, precision, found = item.lat, item.lon, 25, location.located
    else:
        lat, lon, precision = area_point(shift.area)
        x, y = to_sweref(lon, lat)
        found = (x, y, shift.municipality_id, shift.area_id)
    assert lat is not None and lon is not None  # noqa: S101 -- checked or the area's point
    event = report_event(
        acting_user=user,
        organisation=parent(shift, "group").organisation,
        category=item.category,
        occurred_from=when,
        lat=lat,
        lon=lon,
        description=item.note,
        place=location.place if location is not None else None,
        source=Source.SHIFT,
        external_id=str(item.client_id),
        precision_m=precision,
        located=found,
        also_write=lambda event: ShiftObservation.objects.create(report=report, event=event),
    )
    del event


def area_point(area) -> tuple[float, float, int]:
    """A point inside the area (lat, lon) and how far the area reaches from it, in metres:
    the position of an observation the group placed only in the shift's area."""
    outline = shape(area.geometry)
    point = outline.representative_point()
    west, south, east, north = outline.bounds
    x0, y0 = to_sweref(west, south)
    x1, y1 = to_sweref(east, north)
    reach = math.hypot(x1 - x0, y1 - y0) / 2
    return point.y, point.x, min(MAX_AREA_PRECISION_M, max(25, round(reach)))
