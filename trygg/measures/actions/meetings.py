"""Writes of the EST meeting record: the meeting, its priority list and its decisions, each
decision to act becoming a measure in the same step."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from trygg.core.audit import record_changes, record_created
from trygg.core.privacy import scrub
from trygg.measures import access, one_shard
from trygg.measures.actions.measures import create_measure
from trygg.measures.models import (
    Decision,
    Meeting,
    MeetingOrganisation,
    MeetingPriority,
    Status,
)


def _check_coordinator(user, municipality_id: int) -> None:
    if not access.can_coordinate(user, municipality_id):
        raise PermissionDenied(_("Bara samordnare i kommunen kan föra EST-mötets protokoll."))


def _check_in_municipality(municipality_id: int, organisations, pack) -> None:
    if any(org.municipality_id != municipality_id for org in organisations):
        raise ValidationError({"organisations": _("En organisation hör till en annan kommun.")})
    if pack is not None and pack.municipality_id != municipality_id:
        raise ValidationError({"pack": _("Mötesunderlaget hör till en annan kommun.")})


@transaction.atomic
def create_meeting(
    municipality,
    *,
    held_on: dt.date,
    organisations: Iterable = (),
    pack=None,
    notes: str = "",
    acting_user,
) -> Meeting:
    _check_coordinator(acting_user, municipality.pk)
    organisations = list(organisations)
    _check_in_municipality(municipality.pk, organisations, pack)
    meeting = Meeting.objects.create(
        municipality=municipality,
        held_on=held_on,
        pack=pack,
        notes=scrub(notes.strip()).text,
        created_by=acting_user,
    )
    _set_organisations(meeting, organisations)
    record_created(acting_user, meeting, ["municipality_id", "held_on", "pack_id", "notes"])
    record_changes(acting_user, meeting, {"organisations": ("", _ids(organisations))})
    return meeting


@transaction.atomic
def update_meeting(
    meeting: Meeting,
    *,
    held_on: dt.date,
    organisations: Iterable = (),
    pack=None,
    notes: str = "",
    acting_user,
) -> Meeting:
    _check_coordinator(acting_user, meeting.municipality_id)
    organisations = list(organisations)
    _check_in_municipality(meeting.municipality_id, organisations, pack)
    old_orgs = _ids(one_shard.meeting_organisations(meeting))
    changes = {
        "held_on": (meeting.held_on, held_on),
        "pack": (meeting.pack, pack),
        "notes": (meeting.notes, scrub(notes.strip()).text),
        "organisations": (old_orgs, _ids(organisations)),
    }
    meeting.held_on, meeting.pack, meeting.notes = held_on, pack, changes["notes"][1]
    meeting.save()
    _set_organisations(meeting, organisations)
    record_changes(acting_user, meeting, changes)
    return meeting


@transaction.atomic
def set_meeting_priorities(meeting: Meeting, rows: Iterable[dict], *, acting_user) -> list:
    """Replace the meeting's priority list with `rows` ({place, area, note}) in that order."""
    _check_coordinator(acting_user, meeting.municipality_id)
    priorities = []
    for rank, row in enumerate(rows, start=1):
        place, area = row.get("place"), row.get("area")
        if place is None and area is None:
            raise ValidationError(
                {"priorities": _("Rad %(rank)s saknar plats eller område.") % {"rank": rank}}
            )
        for where in (place, area):
            if where is not None and where.municipality_id != meeting.municipality_id:
                raise ValidationError(
                    {"priorities": _("Rad %(rank)s ligger i en annan kommun.") % {"rank": rank}}
                )
        note = scrub((row.get("note") or "").strip()).text[:200]
        priorities.append(
            MeetingPriority(meeting=meeting, rank=rank, place=place, area=area, note=note)
        )
    # Names the municipality so that Citus reads and deletes on the meeting's shard only.
    current = meeting.priorities.filter(municipality_id=meeting.municipality_id)
    old = _priority_text(current)
    current.delete()
    MeetingPriority.objects.bulk_create(priorities)
    record_changes(acting_user, meeting, {"priorities": (old, _priority_text(priorities))})
    return priorities


@transaction.atomic
def decide(meeting: Meeting, text: str, *, acting_user, measure: dict | None = None) -> Decision:
    """Write down a decision. With `measure` (title, responsible, place, area, category, due,
    cost, events) it becomes an agreed measure in the same step, linked to the decision."""
    _check_coordinator(acting_user, meeting.municipality_id)
    cleaned = scrub(text.strip()).text
    if not cleaned:
        raise ValidationError({"text": _("Skriv vad mötet beslutade.")})
    created = None
    if measure is not None:
        fields = dict(measure)
        fields.setdefault("description", cleaned)
        created = create_measure(
            meeting.municipality, acting_user=acting_user, status=Status.AGREED, **fields
        )
    decision = Decision.objects.create(meeting=meeting, text=cleaned, measure=created)
    record_created(acting_user, decision, ["meeting_id", "text", "measure_id"])
    return decision


def _set_organisations(meeting: Meeting, organisations: list) -> None:
    """`meeting.organisations.set(organisations)` on the link table itself: Django's set()
    reads the rows already there without naming the municipality (every shard on Citus)."""
    links = MeetingOrganisation.objects.filter(
        municipality_id=meeting.municipality_id, meeting_id=meeting.pk
    )
    present = set(links.values_list("organisation_id", flat=True))
    wanted = {organisation.pk for organisation in organisations}
    if present - wanted:
        links.filter(organisation_id__in=present - wanted).delete()
    MeetingOrganisation.objects.bulk_create(
        MeetingOrganisation(
            municipality_id=meeting.municipality_id, meeting_id=meeting.pk, organisation_id=pk
        )
        for pk in sorted(wanted - present)
    )


def _ids(objects) -> str:
    return ",".join(str(pk) for pk in sorted(o.pk for o in objects))


def _priority_text(priorities) -> str:
    return "; ".join(f"{p.rank}. {p.place or p.area}" for p in priorities)
