"""Writes of a Purple Flag year: create it, move its steps, score the self-assessment, link
evening walks, tag measures by focus area. Each checks everything first (Swedish messages by
field, nothing written on bad input), runs in one transaction and leaves audit rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trygg.core.audit import record, record_changes, record_created
from trygg.core.fields import free_text
from trygg.core.models import AuditEntry
from trygg.measures.models import Measure
from trygg.organisations.shards import add_links, children, linked_ids, remove_links
from trygg.places.models import Area, Municipality
from trygg.purpleflag.access import check_may_run
from trygg.purpleflag.models import DECIDED, Assessment, Certification, MeasureTag, Step
from trygg.purpleflag.zones import FOCUS_AREAS, SCALE_MAX, ZONES
from trygg.walks.models import ChecklistTemplate, Walk

FIRST_YEAR, LAST_YEAR = 2000, 2100
# A certification holds for a year (Svenska Stadskärnor): the renewal is due a year after the
# decision unless the coordinator enters another date.
RENEWAL_AFTER = dt.timedelta(days=365)
CREATED_FIELDS = ["municipality_id", "area_id", "year", "step", "starts_on", "application_due"]
STEP_DATES = ("submitted_on", "visit_on", "decided_on", "renewal_due")


def _text(model: type[models.Model], name: str, value: str | None) -> str:
    return free_text(value, cast(models.Field, model._meta.get_field(name))).text


# --- the year -----------------------------------------------------------------------------------


@dataclass
class CertificationInput:
    area: Area | None
    year: int | None
    starts_on: dt.date | None
    application_due: dt.date | None = None
    notes: str = ""


def certification_errors(municipality: Municipality, data: CertificationInput) -> dict:
    errors: dict[str, list[str]] = {}
    area = data.area
    if area is None:
        errors["area"] = [_("Välj området som ska certifieras, till exempel centrum.")]
    elif area.municipality_id != municipality.pk or area.valid_to is not None:
        errors["area"] = [_("Området ligger inte i kommunen: välj ett av kommunens områden.")]
    if data.year is None or not FIRST_YEAR <= data.year <= LAST_YEAR:
        errors["year"] = [
            _("Ange året som ett årtal mellan %(first)s och %(last)s.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR}
        ]
    elif (
        area is not None
        and Certification.objects.filter(
            municipality_id=area.municipality_id, area=area, year=data.year
        ).exists()
    ):
        errors["year"] = [_("Området har redan ett Purple Flag-år %(year)s.") % {"year": data.year}]
    if data.starts_on is None:
        errors["starts_on"] = [_("Ange när arbetet börjar.")]
    elif data.application_due is not None and data.application_due < data.starts_on:
        errors["application_due"] = [_("Sista dag för ansökan kan inte vara före starten.")]
    return errors


@transaction.atomic
def create_certification(
    municipality: Municipality, data: CertificationInput, *, acting_user
) -> Certification:
    """A new Purple Flag year for an area of `municipality`, at the step förberedelse."""
    check_may_run(acting_user, municipality.pk)
    errors = certification_errors(municipality, data)
    if errors:
        raise ValidationError(errors)
    # certification_errors refused a missing area, year or start.
    certification = Certification.objects.create(
        municipality=municipality,
        area=cast(Area, data.area),
        year=cast(int, data.year),
        starts_on=cast(dt.date, data.starts_on),
        application_due=data.application_due,
        notes=_text(Certification, "notes", data.notes),
        created_by=acting_user,
    )
    record_created(acting_user, certification, CREATED_FIELDS)
    return certification


@dataclass
class StepInput:
    step: str
    submitted_on: dt.date | None = None
    visit_on: dt.date | None = None
    decided_on: dt.date | None = None
    renewal_due: dt.date | None = None


# The date each step needs before it can be set.
NEEDS = {
    Step.SUBMITTED: "submitted_on",
    Step.VISIT: "visit_on",
    Step.CERTIFIED: "decided_on",
    Step.NOT_CERTIFIED: "decided_on",
}


# How a date is named in a refusal ("cannot lie before <label>").
LABELS = {
    "starts_on": gettext_lazy("arbetet börjar"),
    "submitted_on": gettext_lazy("ansökan inskickad"),
    "visit_on": gettext_lazy("bedömningsbesök"),
    "decided_on": gettext_lazy("beslut"),
}


def _date_errors(certification: Certification, dates: dict) -> dict[str, list[str]]:
    """The dates in the order of the work: start ≤ sent ≤ visit ≤ decision < renewal."""
    errors: dict[str, list[str]] = {}
    before, before_name = certification.starts_on, "starts_on"
    for name in STEP_DATES:
        day = dates[name]
        if day is None:
            continue
        if day < before or (name == "renewal_due" and day == before):
            errors[name] = [
                _("Datumet kan inte ligga före %(earlier)s (%(day)s).")
                % {
                    "earlier": LABELS[before_name],
                    "day": before.isoformat(),
                }
            ]
        before, before_name = day, name
    return errors


def step_errors(certification: Certification, data: StepInput, dates: dict) -> dict:
    if data.step not in Step.values:
        return {"step": [_("Välj ett av stegen i listan.")]}
    errors = _date_errors(certification, dates)
    needed = NEEDS.get(Step(data.step))
    if needed and dates[needed] is None:
        errors.setdefault(needed, []).append(
            _("Ange datumet för steget ”%(step)s”.") % {"step": Step(data.step).label}
        )
    return errors


@transaction.atomic
def set_step(certification: Certification, data: StepInput, *, acting_user) -> Certification:
    """Move the year to a step with its dates. A certification's renewal falls due a year after
    the decision unless a date is given."""
    check_may_run(acting_user, certification.municipality_id)
    dates = {name: getattr(data, name) for name in STEP_DATES}
    if data.step == Step.CERTIFIED and dates["renewal_due"] is None and dates["decided_on"]:
        dates["renewal_due"] = dates["decided_on"] + RENEWAL_AFTER
    errors = step_errors(certification, data, dates)
    if errors:
        raise ValidationError(errors)
    if data.step not in DECIDED:
        dates["decided_on"] = None
    new = {"step": data.step, **dates}
    changes = {name: (getattr(certification, name), value) for name, value in new.items()}
    for name, value in new.items():
        setattr(certification, name, value)
    certification.save(update_fields=list(new))
    record_changes(acting_user, certification, changes)
    return certification


# --- the self-assessment ------------------------------------------------------------------------


@dataclass(frozen=True)
class CellInput:
    focus_area: str
    zone: str
    score: int | None
    note: str = ""


def cell_key(focus_area: str, zone: str) -> str:
    """How a cell is named in forms and errors: score-<focus area>-<zone>."""
    return f"score-{focus_area}-{zone}"


def cell_errors(cells: Sequence[CellInput]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for cell in cells:
        key = cell_key(cell.focus_area, cell.zone)
        if cell.focus_area not in FOCUS_AREAS or cell.zone not in ZONES:
            errors[key] = [_("Okänt fokusområde eller okänd tidszon.")]
        elif cell.score is not None and not 0 <= cell.score <= SCALE_MAX:
            errors[key] = [
                _("Poängen ska vara ett heltal från 0 till %(max)s.") % {"max": SCALE_MAX}
            ]
    return errors


@transaction.atomic
def save_assessment(
    certification: Certification, cells: Sequence[CellInput], *, acting_user
) -> int:
    """Store the given cells of the self-assessment; returns how many changed."""
    check_may_run(acting_user, certification.municipality_id)
    errors = cell_errors(cells)
    if errors:
        raise ValidationError(errors)
    stored = {(a.focus_area, a.zone): a for a in children(certification, "assessments")}
    changed = 0
    for cell in cells:
        note = _text(Assessment, "note", cell.note)
        current = stored.get((cell.focus_area, cell.zone))
        if current is None:
            if cell.score is None and not note:
                continue
            current = Assessment.objects.create(
                certification=certification,
                focus_area=cell.focus_area,
                zone=cell.zone,
                score=cell.score,
                note=note,
            )
            record_created(acting_user, current, ["focus_area", "zone", "score", "note"])
            changed += 1
        elif (current.score, current.note) != (cell.score, note):
            changes = {"score": (current.score, cell.score), "note": (current.note, note)}
            current.score, current.note = cell.score, note
            current.save(update_fields=["score", "note"])
            record_changes(acting_user, current, changes)
            changed += 1
    return changed


# --- evening walks ------------------------------------------------------------------------------


def walk_error(certification: Certification, walk: Walk | None) -> str | None:
    if walk is None:
        return _("Välj en vandring.")
    if walk.municipality_id != certification.municipality_id:
        return _("Vandringen hör till en annan kommun.")
    if walk.template.kind != ChecklistTemplate.Kind.PURPLE_FLAG:
        return _("Välj en kvällsvandring med Purple Flags checklista.")
    return None


@transaction.atomic
def link_walk(certification: Certification, walk: Walk | None, *, acting_user) -> Certification:
    """Count an evening walk's scores in the year (a walk already linked stays linked)."""
    check_may_run(acting_user, certification.municipality_id)
    error = walk_error(certification, walk)
    if error:
        raise ValidationError({"walk": [error]})
    assert walk is not None  # noqa: S101 -- walk_error refuses None
    # The link rows are read and written in the year's municipality: one shard.
    if walk.pk not in linked_ids(certification, "walks"):
        add_links(certification, "walks", [walk])
        record(acting_user, certification, AuditEntry.Action.UPDATE, "walks", None, walk.pk)
    return certification


@transaction.atomic
def unlink_walk(certification: Certification, walk: Walk, *, acting_user) -> Certification:
    check_may_run(acting_user, certification.municipality_id)
    if walk.pk in linked_ids(certification, "walks"):
        remove_links(certification, "walks", [walk])
        record(acting_user, certification, AuditEntry.Action.UPDATE, "walks", walk.pk, None)
    return certification


# --- measures by focus area ---------------------------------------------------------------------


@transaction.atomic
def tag_measure(
    certification: Certification, measure: Measure | None, focus_area: str, *, acting_user
) -> MeasureTag:
    """Count a measure under a focus area of the year (a tagged measure moves to the new one)."""
    check_may_run(acting_user, certification.municipality_id)
    errors: dict[str, list[str]] = {}
    if measure is None:
        errors["measure"] = [_("Välj en åtgärd.")]
    elif measure.municipality_id != certification.municipality_id:
        errors["measure"] = [_("Åtgärden hör till en annan kommun.")]
    if focus_area not in FOCUS_AREAS:
        errors["focus_area"] = [_("Välj ett av de fem fokusområdena.")]
    if errors:
        raise ValidationError(errors)
    tag = children(certification, "measure_tags").filter(measure=measure).first()
    if tag is None:
        tag = MeasureTag.objects.create(
            certification=certification,
            measure=cast(Measure, measure),  # refused above when None
            focus_area=focus_area,
            created_by=acting_user,
        )
        record_created(acting_user, tag, ["certification_id", "measure_id", "focus_area"])
    elif tag.focus_area != focus_area:
        record_changes(acting_user, tag, {"focus_area": (tag.focus_area, focus_area)})
        tag.focus_area = focus_area
        tag.save(update_fields=["focus_area"])
    return tag


@transaction.atomic
def untag_measure(tag: MeasureTag, *, acting_user) -> None:
    check_may_run(acting_user, tag.certification.municipality_id)
    record(acting_user, tag, AuditEntry.Action.DELETE, "focus_area", tag.focus_area, None)
    tag.delete()
