"""Writes to the event log, one at a time. Imports of many go through importers/base.py.

`report_event` is the one door for a new event from a person, whatever app they use: the
reporting form and the API (partners), the citizens' portal and Open311 (citizens), safety
walks (walk findings), guards' shift reports (shift) and bar inspections' findings
(inspection). Checking, scrubbing, projection, area and audit happen there once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trygg.core.audit import record, record_changes, record_created
from trygg.core.models import AuditEntry
from trygg.core.photos import clean_photo
from trygg.core.privacy import scrub
from trygg.events import daily_counts
from trygg.events.importers.base import FUTURE_TOLERANCE
from trygg.events.models import Event, Source, Status, Visibility
from trygg.organisations.access import access_for
from trygg.places.index import locate_one

# A position located: SWEREF 99 TM x, y, municipality id, area id (as places.index.locate_one).
Located = tuple[float, float, int | None, int | None]

# The sources a person reports through; police and demo events only come from importers.
REPORTED_SOURCES = frozenset(
    {Source.PARTNER, Source.CITIZEN, Source.WALK, Source.SHIFT, Source.INSPECTION}
)

# Open311 GeoReport v2's fields about the person who reports (DESIGN §5): a client may send
# them, and they are accepted and dropped here, never stored, audited or logged.
OPEN311_PERSONAL_FIELDS = frozenset(
    {"email", "first_name", "last_name", "phone", "device_id", "account_id"}
)

AUDITED_FIELDS = [
    "category_id",
    "occurred_from",
    "occurred_to",
    "lat",
    "lon",
    "municipality_id",
    "area_id",
    "place_id",
    "organisation_id",
    "source",
    "external_id",
    "visibility",
    "status",
    "flagged",
    "was_scrubbed",
]


def check_event_fields(
    *, occurred_from, occurred_to, lat, lon, now=None, located: Located | None = None
) -> dict:
    """Field errors (Swedish) for a single report, and the resolved position if it is valid.
    `located`: (x, y, municipality id, area id) a caller already found for lat/lon."""
    errors: dict[str, str] = {}
    now = now or timezone.now()
    if occurred_from > now + FUTURE_TOLERANCE:
        errors["occurred_from"] = _("Tidpunkten ligger i framtiden.")
    if occurred_to is not None and occurred_to < occurred_from:
        errors["occurred_to"] = _("Sluttiden är före starttiden.")
    x, y, municipality_id, area_id = located or locate_one(lon, lat)
    if municipality_id is None:
        errors["lat"] = _("Positionen ligger utanför Sverige.")
    return {"errors": errors, "position": (x, y, municipality_id, area_id)}


@transaction.atomic
def report_event(
    *,
    acting_user,
    organisation,
    category,
    occurred_from: dt.datetime,
    lat: float,
    lon: float,
    description: str = "",
    occurred_to: dt.datetime | None = None,
    visibility: str = Visibility.PARTNERS,
    place=None,
    photo=None,
    source: str = Source.PARTNER,
    external_id: str | None = None,
    precision_m: int = 25,
    attributes: Mapping[str, object] | None = None,
    located: Located | None = None,
    also_write: Callable[[Event], object] | None = None,
    **personal_fields: object,
) -> Event:
    """Store one event reported by a user for their organisation, scrubbed and audited.

    `source` says which app it came through (partner, citizen, walk, shift). A caller that has
    already located lat/lon (`places.picker.locate`) passes `located`, so it is not looked up
    twice. Open311's
    personal fields, as keywords or among `attributes` (the request's other fields), are
    dropped unread; any other unexpected keyword is a programming error.

    `also_write(event)` writes a caller's own rows for the event (a resident's report and its
    photos) in the same transaction, before the event is counted: on PostgreSQL the count
    keeps the day's rollup row locked until commit, and every other report of the same day,
    kind and municipality waits for it, so the count comes last."""
    _drop_personal_fields(personal_fields)
    del attributes  # nothing else a client sends is stored: the event has its own columns
    if source not in REPORTED_SOURCES:
        raise ValidationError(
            {"source": _("Händelser från den här källan kan inte rapporteras här.")}
        )
    _check_may_report(acting_user, organisation, source)
    checked = check_event_fields(
        occurred_from=occurred_from, occurred_to=occurred_to, lat=lat, lon=lon, located=located
    )
    if checked["errors"]:
        raise ValidationError(checked["errors"])
    x, y, municipality_id, area_id = checked["position"]
    scrubbed = scrub(description)
    event = Event(
        category=category,
        occurred_from=occurred_from,
        occurred_to=occurred_to,
        lat=lat,
        lon=lon,
        x=x,
        y=y,
        precision_m=precision_m,
        municipality_id=municipality_id,
        area_id=area_id,
        place=place,
        organisation=organisation,
        reported_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
        source=source,
        external_id=external_id,
        description=scrubbed.text,
        was_scrubbed=scrubbed.was_scrubbed,
        visibility=visibility,
    )
    if photo is not None:
        event.photo.save("photo.jpg", clean_photo(photo), save=False)
    event.save()
    record_created(acting_user, event, AUDITED_FIELDS)
    if also_write is not None:
        also_write(event)
    daily_counts.add_event(event)
    return event


def _check_may_report(acting_user, organisation, source: str) -> None:
    """Staff report for an organisation they may write for. A resident without an account
    reports only through the citizens' portal and Open311 (source citizen), whose moderation
    queue is where a person first sees it; the event then belongs to the municipality's
    coordinating organisation, which the citizens app passes as `organisation`."""
    if not getattr(acting_user, "is_authenticated", False):
        if source == Source.CITIZEN:
            return
        raise PermissionDenied(_("Logga in för att rapportera."))
    if not access_for(acting_user).can_report_for(organisation):
        raise PermissionDenied(_("Du kan inte rapportera för %(org)s.") % {"org": organisation})


def without_personal_fields(data: Mapping[str, object]) -> dict[str, object]:
    """`data` without Open311's personal fields: for a view that passes a request on."""
    return {key: value for key, value in data.items() if key not in OPEN311_PERSONAL_FIELDS}


def _drop_personal_fields(given: Mapping[str, object]) -> None:
    unexpected = sorted(set(given) - OPEN311_PERSONAL_FIELDS)
    if unexpected:  # names only: a value might be exactly what must not be logged
        raise TypeError(f"report_event() got unexpected keyword arguments: {unexpected}")


def set_event_status(event: Event, status: str, *, acting_user) -> Event:
    """Review an event (reviewed, rejected, duplicate): coordinators of its municipality only."""
    return review_event(event, status=status, flagged=event.flagged, acting_user=acting_user)


@transaction.atomic
def review_event(event: Event, *, status: str, flagged: bool, acting_user) -> Event:
    """Set an event's review status and whether it goes to the EST group's next meeting.

    Coordinators of the event's municipality only. Rejected reports and duplicates leave the
    statistics, so the event's day is counted again."""
    if not access_for(acting_user).can_coordinate(event.municipality_id):
        raise PermissionDenied(_("Bara samordnare i kommunen kan granska händelser."))
    return apply_review(event, status=status, flagged=flagged, acting_user=acting_user)


@transaction.atomic
def apply_review(event: Event, *, status: str, flagged: bool, acting_user) -> Event:
    """`review_event` without its permission check, for an app above that has checked its own
    (a resident's report is reviewed by whoever the municipality named as its moderator)."""
    if status not in Status.values:
        raise ValidationError({"status": _("Okänd status.")})
    changes = {
        field: (getattr(event, field), value)
        for field, value in (("status", status), ("flagged", bool(flagged)))
        if getattr(event, field) != value
    }
    if not changes:
        return event
    for field, (_old, value) in changes.items():
        setattr(event, field, value)
    event.save(update_fields=list(changes))
    record_changes(acting_user, event, changes)
    if "status" in changes:
        daily_counts.recount_day(event.municipality_id, event.occurred_from)
    return event


def record_read(event: Event, *, acting_user) -> None:
    """Audit a partner's read of a non-public event of another organisation (DESIGN §5).

    Public events and an organisation's own events are not logged: reading them needs no
    account. The row says who read which event, never what it showed."""
    if event.visibility == Visibility.PUBLIC:
        return
    if event.organisation_id in access_for(acting_user).organisation_ids:
        return
    record(acting_user, event, AuditEntry.Action.READ)
