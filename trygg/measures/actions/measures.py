"""Writes on a measure: create, edit, assign, move through its statuses, comment, link events,
and the evaluation's settings. Each leaves a timeline entry for the partners and audit rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trygg.core.audit import record_changes, record_created
from trygg.core.privacy import scrub
from trygg.events.models import Event
from trygg.measures import access, one_shard
from trygg.measures.models import (
    Measure,
    MeasureEntry,
    MeasureEvent,
    MeasureKind,
    Notification,
    Status,
)
from trygg.measures.models.measure import TRANSITIONS
from trygg.organisations.models import Organisation

# The fields a coordinator may edit after creation (status and responsible have actions).
EDITABLE_FIELDS = (
    "title",
    "description",
    "kind",
    "category",
    "place",
    "area",
    "due",
    "cost",
    "problem",
)
CREATED_FIELDS = ["municipality_id", "title", "kind", "status", "responsible_id", "due", "cost"]


@transaction.atomic
def create_measure(
    municipality,
    *,
    acting_user,
    title: str,
    status: str = Status.PROPOSED,
    responsible: Organisation | None = None,
    events: Iterable[Event] = (),
    today: dt.date | None = None,
    **fields,
) -> Measure:
    """A new measure. Coordinators may create it at any open status with an owner; other
    partners may only propose one, which the EST group then decides on."""
    _check_may_create(acting_user, municipality.pk, status)
    measure = Measure(municipality=municipality, status=status, created_by=acting_user)
    _apply_fields(measure, {"title": title, **fields})
    measure.responsible = responsible
    _check_consistent(measure)
    if status != Status.PROPOSED and responsible is None:
        raise ValidationError({"responsible": _("Välj vilken organisation som ansvarar.")})
    _stamp_dates(measure, status, today or timezone.localdate())
    measure.save()
    record_created(acting_user, measure, CREATED_FIELDS)
    _entry(measure, MeasureEntry.Kind.CREATED, acting_user, new=status)
    events = list(events)
    if events:
        link_events(measure, events, acting_user=acting_user)
    if responsible is not None:
        _record_assignment(measure, None, responsible, acting_user)
    return measure


@transaction.atomic
def update_measure(measure: Measure, *, acting_user, **fields) -> Measure:
    """Change what the measure is, where, by when and at what cost (coordinators)."""
    if not access.can_coordinate(acting_user, measure.municipality_id):
        raise PermissionDenied(_("Bara samordnare i kommunen kan ändra åtgärden."))
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable here: {', '.join(sorted(unknown))}")
    before = {name: getattr(measure, name) for name in fields}
    _apply_fields(measure, fields)
    changes = {
        n: (before[n], getattr(measure, n)) for n in fields if before[n] != getattr(measure, n)
    }
    if not changes:
        return measure
    _check_consistent(measure)
    measure.save()
    record_changes(acting_user, measure, changes)
    for name, (old, new) in changes.items():
        if name in ("due", "cost", "title"):
            _entry(
                measure,
                MeasureEntry.Kind.EDITED,
                acting_user,
                old=_shown(old),
                new=_shown(new),
                # due, cost and title are columns of the measure's own table
                text=str(cast(models.Field, Measure._meta.get_field(name)).verbose_name),
            )
    return measure


@transaction.atomic
def assign_measure(measure: Measure, organisation: Organisation, *, acting_user) -> Measure:
    """Make `organisation` responsible for `measure`; the worker e-mails it (Notification)."""
    if not access.can_coordinate(acting_user, measure.municipality_id):
        raise PermissionDenied(_("Bara samordnare i kommunen kan fördela åtgärder."))
    if organisation.municipality_id != measure.municipality_id:
        raise ValidationError({"responsible": _("Organisationen hör till en annan kommun.")})
    if not measure.is_open:
        raise ValidationError({"responsible": _("Åtgärden är avslutad.")})
    old = measure.responsible
    if old == organisation:
        return measure
    measure.responsible = organisation
    measure.save(update_fields=["responsible", "updated_at"])
    record_changes(acting_user, measure, {"responsible": (old, organisation)})
    _record_assignment(measure, old, organisation, acting_user)
    return measure


@transaction.atomic
def set_measure_status(
    measure: Measure, status: str, *, acting_user, reason: str = "", today: dt.date | None = None
) -> Measure:
    """Move the measure on. Deciding a proposal is the coordinators'; the responsible
    organisation reports progress and completion. Cancelling needs a reason. When a measure
    is done, the organisations whose events it came from are told."""
    _check_may_set_status(measure, status, acting_user)
    reason = scrub(reason.strip()).text
    if status == Status.CANCELLED and not reason:
        raise ValidationError({"reason": _("Skriv varför åtgärden avbryts.")})
    if status != Status.CANCELLED and measure.responsible_id is None:
        raise ValidationError({"status": _("Välj först vilken organisation som ansvarar.")})
    old = measure.status
    before = (measure.started_on, measure.done_on)
    measure.status = status
    measure.cancel_reason = reason if status == Status.CANCELLED else measure.cancel_reason
    _stamp_dates(measure, status, today or timezone.localdate())
    measure.save()
    changes = {
        "status": (old, status),
        "started_on": (before[0], measure.started_on),
        "done_on": (before[1], measure.done_on),
    }
    if reason:
        changes["cancel_reason"] = ("", reason)
    record_changes(acting_user, measure, changes)
    _entry(measure, MeasureEntry.Kind.STATUS, acting_user, old=old, new=status, text=reason)
    if status == Status.DONE:
        _queue_done_notices(measure)
    return measure


@transaction.atomic
def comment_on_measure(measure: Measure, text: str, *, acting_user) -> MeasureEntry:
    if not access.can_comment(acting_user, measure):
        raise PermissionDenied(_("Du kan inte kommentera den här åtgärden."))
    cleaned = scrub(text.strip()).text
    if not cleaned:
        raise ValidationError({"text": _("Skriv en kommentar.")})
    entry = _entry(measure, MeasureEntry.Kind.COMMENT, acting_user, text=cleaned)
    record_created(acting_user, entry, ["measure_id", "kind", "text"])
    return entry


@transaction.atomic
def link_events(measure: Measure, events: Iterable[Event], *, acting_user) -> Measure:
    """Record which events the measure answers; only events the user may see, in its
    municipality."""
    if not (
        access.can_coordinate(acting_user, measure.municipality_id)
        or measure.created_by_id == getattr(acting_user, "pk", None)
    ):
        raise PermissionDenied(_("Bara samordnare i kommunen kan koppla händelser."))
    ids = {event.pk for event in events}
    visible = set(
        Event.objects.visible_to(acting_user)
        .filter(pk__in=ids, municipality_id=measure.municipality_id)
        .values_list("pk", flat=True)
    )
    if ids - visible:
        raise ValidationError(
            {"events": _("Någon av händelserna finns inte eller syns inte för dig.")}
        )
    new = ids - set(one_shard.linked_event_ids(measure).values_list("event_id", flat=True))
    if new:
        # Written on the link table itself: `measure.events.add()` would look for the rows
        # already there without naming the municipality.
        MeasureEvent.objects.bulk_create(
            MeasureEvent(municipality_id=measure.municipality_id, measure=measure, event_id=pk)
            for pk in sorted(new)
        )
        record_changes(acting_user, measure, {"events": ("", ",".join(map(str, sorted(new))))})
    return measure


@transaction.atomic
def set_evaluation_settings(
    measure: Measure, *, acting_user, control_area=None, target_radius_m=100, buffer_m=200
) -> Measure:
    """The evaluation's control area and rings (analysts and coordinators)."""
    if not access.can_analyse(acting_user, measure.municipality_id):
        raise PermissionDenied(_("Bara analytiker och samordnare kan ändra utvärderingen."))
    if control_area is not None and control_area.municipality_id != measure.municipality_id:
        raise ValidationError({"control_area": _("Kontrollområdet ligger i en annan kommun.")})
    values = {
        "control_area": control_area,
        "target_radius_m": int(target_radius_m),
        "buffer_m": int(buffer_m),
    }
    changes = {k: (getattr(measure, k), v) for k, v in values.items() if getattr(measure, k) != v}
    for name, (_old, value) in changes.items():
        setattr(measure, name, value)
    if changes:
        measure.save()
        record_changes(acting_user, measure, changes)
    return measure


# --- helpers -------------------------------------------------------------------------------


def _check_may_create(user, municipality_id: int, status: str) -> None:
    if access.can_coordinate(user, municipality_id):
        if status not in (Status.PROPOSED, Status.AGREED, Status.IN_PROGRESS):
            raise ValidationError({"status": _("En ny åtgärd kan inte vara avslutad.")})
        return
    if not access.can_contribute(user, municipality_id):
        raise PermissionDenied(_("Du kan inte lägga åtgärder i den här kommunen."))
    if status != Status.PROPOSED:
        raise PermissionDenied(_("Bara samordnare kan besluta åtgärder: föreslå den i stället."))


def _check_may_set_status(measure: Measure, status: str, user) -> None:
    if not access.can_update_status(user, measure):
        raise PermissionDenied(_("Bara ansvarig organisation och samordnare kan ändra status."))
    if status not in TRANSITIONS.get(measure.status, ()):
        raise ValidationError(
            {
                "status": _("Från %(old)s går det inte att gå till %(new)s.")
                % {"old": Status(measure.status).label, "new": _status_label(status)}
            }
        )
    deciding = measure.status == Status.PROPOSED and status in (Status.AGREED, Status.IN_PROGRESS)
    coordinator = access.can_coordinate(user, measure.municipality_id)
    if (deciding or status == Status.CANCELLED) and not coordinator:
        raise PermissionDenied(_("Bara samordnare kan besluta eller avbryta åtgärder."))


def _status_label(status: str) -> str:
    return str(Status(status).label) if status in Status.values else status


def _apply_fields(measure: Measure, fields: dict) -> None:
    for name, value in fields.items():
        if name in ("title", "description"):
            value = scrub((value or "").strip()).text
            if name == "title":  # the marker is longer than what it replaces: still fit
                value = value[: Measure._meta.get_field("title").max_length]
        if name == "cost" and value is not None:
            value = Decimal(value)
        setattr(measure, name, value)
    if not measure.title:
        raise ValidationError({"title": _("Ge åtgärden en rubrik.")})


def _check_consistent(measure: Measure) -> None:
    """Place, area, owner and plan problem must all be in the measure's municipality."""
    errors = {}
    municipality_id = measure.municipality_id
    if measure.place is not None and measure.place.municipality_id != municipality_id:
        errors["place"] = _("Platsen ligger i en annan kommun.")
    if measure.area is not None and measure.area.municipality_id != municipality_id:
        errors["area"] = _("Området ligger i en annan kommun.")
    if measure.responsible is not None and measure.responsible.municipality_id != municipality_id:
        errors["responsible"] = _("Organisationen hör till en annan kommun.")
    if measure.problem is not None and measure.problem.plan.municipality_id != municipality_id:
        errors["problem"] = _("Åtgärdsplanen hör till en annan kommun.")
    if measure.cost is not None and measure.cost < 0:
        errors["cost"] = _("Kostnaden kan inte vara negativ.")
    if measure.kind not in MeasureKind.values:
        errors["kind"] = _("Okänd typ av åtgärd.")
    elif measure.is_physical and measure.place is None:
        # The evaluation counts the events around the place: without one it has no target.
        errors["place"] = _(
            "En fysisk åtgärd (kamera, belysning, röjning, klotterskydd, stängsel) måste ha "
            "en plats. Välj platsen där den finns."
        )
    if errors:
        raise ValidationError(errors)


def _stamp_dates(measure: Measure, status: str, today: dt.date) -> None:
    if status == Status.IN_PROGRESS and measure.started_on is None:
        measure.started_on = today
    if status == Status.DONE:
        measure.done_on = today


def _record_assignment(measure: Measure, old, new: Organisation, user) -> None:
    entry = _entry(measure, MeasureEntry.Kind.ASSIGNED, user, old=str(old or ""), new=str(new))
    Notification.objects.get_or_create(
        municipality_id=measure.municipality_id,
        measure=measure,
        kind=Notification.Kind.ASSIGNED,
        organisation=new,
        key=str(entry.pk),
    )


def _queue_done_notices(measure: Measure) -> None:
    """Tell every organisation whose events the measure came from (the feedback reporters
    are owed), once per measure and organisation."""
    reporters = set(
        one_shard.linked_events(measure)
        .exclude(organisation__isnull=True)
        .values_list("organisation_id", flat=True)
    )
    for organisation_id in sorted(reporters):
        Notification.objects.get_or_create(
            municipality_id=measure.municipality_id,
            measure=measure,
            kind=Notification.Kind.DONE,
            organisation_id=organisation_id,
            key="",
        )


def _entry(measure: Measure, kind: str, user, *, old="", new="", text="") -> MeasureEntry:
    organisation_id = access.acting_organisation(
        user, measure.municipality_id, measure.responsible_id
    )
    return MeasureEntry.objects.create(
        measure=measure,
        kind=kind,
        old=str(old)[:200],
        new=str(new)[:200],
        text=text,
        author=user if getattr(user, "is_authenticated", False) else None,
        organisation_id=organisation_id,
    )


def _shown(value) -> str:
    return "" if value is None else str(value)
