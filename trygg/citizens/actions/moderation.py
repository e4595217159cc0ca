"""Moderating residents' reports (issue 12, point 3): publish, hide, mark as duplicate, correct
category or position, remove text, route to the responsible organisation, close.

Who may: coordinators (and admins) of the report's municipality, and the people its
coordinators name as moderators (`ReportModerator`, e.g. the Trygghetscenter's staff).

Every action checks everything before writing, writes in one transaction, audits each changed
field, and queues the resident's status mail (`StatusNotice`) when the report is routed,
closed, hidden or marked as a duplicate and the resident left an address. The mail is sent by
the worker (`citizens.notices`), never from here."""

from __future__ import annotations

import datetime as dt
import math

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trygg.citizens.categories import BY_CODE
from trygg.citizens.models import (
    CitizenReport,
    Moderation,
    Outcome,
    ReportModerator,
    ReportPhoto,
    StatusContact,
    StatusNotice,
)
from trygg.core.audit import record, record_changes
from trygg.core.fields import free_text
from trygg.core.models import AuditEntry
from trygg.events import daily_counts
from trygg.events.actions import apply_review
from trygg.events.models import Category, Status, Visibility
from trygg.measures.routing import Suggestion, suggest_for_event
from trygg.organisations.access import access_for
from trygg.organisations.models import Organisation
from trygg.places.picker import locate

# Reports a moderator may choose as the original of a duplicate.
DUPLICATE_RADIUS_M = 250.0
DUPLICATE_DAYS = 90
DUPLICATE_CHOICES = 10
# What the audit row says instead of the removed text (FixMyStreet #2338: the history must
# not keep what a moderator removed).
TEXT_REMOVED = "text borttagen av moderator"


NOT_A_MODERATOR = gettext_lazy(
    "Bara kommunens samordnare och de granskare kommunen utsett kan granska invånares rapporter."
)


def moderated_municipality_ids(user) -> frozenset[int]:
    """The municipalities whose reports `user` moderates (superusers: see `may_moderate`)."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    named = ReportModerator.objects.filter(user=user).values_list("municipality_id", flat=True)
    return access_for(user).coordinated_municipality_ids | frozenset(named)


def may_moderate(user, municipality_id: int | None) -> bool:
    access = access_for(user)
    return access.can_coordinate(municipality_id) or (
        municipality_id in moderated_municipality_ids(user)
    )


def check_may_moderate(user, report: CitizenReport) -> None:
    if not may_moderate(user, report.municipality_id):
        raise PermissionDenied(NOT_A_MODERATOR)


def _open(report: CitizenReport) -> None:
    if report.closed_at is not None:
        raise ValidationError({"report": _("Rapporten är redan avslutad.")})


def _save(report: CitizenReport, acting_user, changes: dict) -> None:
    """Apply `changes` (field -> (old, new)) to the report, stamp who moderated, audit."""
    changes = {name: pair for name, pair in changes.items() if pair[0] != pair[1]}
    if not changes:
        return
    for name, (_old, new) in changes.items():
        setattr(report, name, new)
    report.moderated_by = acting_user
    report.moderated_at = timezone.now()
    report.save(update_fields=[*changes, "moderated_by", "moderated_at"])
    record_changes(acting_user, report, changes)


def _queue_notice(report: CitizenReport, kind: str, key: str = "") -> None:
    """One mail row, only if the resident left an address; queueing twice adds nothing."""
    # Both name the report's municipality, so Citus reads the report's shard only.
    municipality_id = report.municipality_id
    if StatusContact.objects.filter(municipality_id=municipality_id, report=report).exists():
        StatusNotice.objects.get_or_create(
            municipality_id=municipality_id, report=report, kind=kind, key=key
        )


# --- publish, hide, duplicate --------------------------------------------------------------


@transaction.atomic
def publish(report: CitizenReport, *, acting_user) -> CitizenReport:
    """The report has been seen: partners may see the event. The public map decides itself
    what of a published report it shows."""
    check_may_moderate(acting_user, report)
    _open(report)
    if report.moderation not in (Moderation.PENDING, Moderation.HIDDEN):
        # A duplicate stays one: its count already went to the original.
        raise ValidationError({"report": _("Rapporten kan inte publiceras i sitt nuvarande läge.")})
    event = report.event
    if event.visibility != Visibility.PARTNERS:
        record_changes(acting_user, event, {"visibility": (event.visibility, Visibility.PARTNERS)})
        event.visibility = Visibility.PARTNERS
        event.save(update_fields=["visibility"])
    if event.status != Status.REVIEWED:  # new, or rejected when it was hidden
        apply_review(event, status=Status.REVIEWED, flagged=event.flagged, acting_user=acting_user)
    _save(report, acting_user, {"moderation": (report.moderation, Moderation.PUBLISHED)})
    return report


@transaction.atomic
def hide(report: CitizenReport, *, reason: str, acting_user) -> CitizenReport:
    """Hidden from everyone but the municipality, with a reason (required); the event is
    rejected, so it leaves the statistics."""
    check_may_moderate(acting_user, report)
    scrubbed = free_text(reason).text
    if not scrubbed:
        raise ValidationError({"reason": _("Skriv varför rapporten döljs.")})
    _open(report)
    event = report.event
    if event.visibility != Visibility.ORGANISATION:
        record_changes(
            acting_user, event, {"visibility": (event.visibility, Visibility.ORGANISATION)}
        )
        event.visibility = Visibility.ORGANISATION
        event.save(update_fields=["visibility"])
    apply_review(event, status=Status.REJECTED, flagged=False, acting_user=acting_user)
    _save(
        report,
        acting_user,
        {
            "moderation": (report.moderation, Moderation.HIDDEN),
            "hidden_reason": (report.hidden_reason, scrubbed),
        },
    )
    _queue_notice(report, StatusNotice.Kind.HIDDEN)
    return report


def duplicate_candidates(report: CitizenReport, *, now=None) -> list[CitizenReport]:
    """Open reports of the municipality within DUPLICATE_RADIUS_M, of any category, from the
    last DUPLICATE_DAYS days, nearest first: what a moderator chooses the original among."""
    now = now or timezone.now()
    x, y = report.event.x, report.event.y
    r = DUPLICATE_RADIUS_M
    rows = (
        CitizenReport.objects.filter(
            # The events' municipality too (the reports'): Citus joins them on one shard.
            municipality_id=report.municipality_id,
            event__municipality_id=report.municipality_id,
            moderation__in=(Moderation.PENDING, Moderation.PUBLISHED),
            closed_at__isnull=True,
            created_at__gte=now - dt.timedelta(days=DUPLICATE_DAYS),
            event__x__range=(x - r, x + r),
            event__y__range=(y - r, y + r),
        )
        .exclude(pk=report.pk)
        .select_related("event", "event__place")
    )
    near = sorted(
        (math.hypot(o.event.x - x, o.event.y - y), o.pk, o)
        for o in rows
        if math.hypot(o.event.x - x, o.event.y - y) <= r
    )
    return [other for _d, _pk, other in near[:DUPLICATE_CHOICES]]


@transaction.atomic
def mark_duplicate(report: CitizenReport, *, original: CitizenReport, acting_user) -> CitizenReport:
    """The report says what `original` already says. Its "me too" count, plus one for the
    resident who sent it, moves to the original: the count is how many have seen it. The
    resident's address does not move (they gave it for their own report): they get one mail
    saying the report was merged, with the original's status, and the address is then
    forgotten."""
    check_may_moderate(acting_user, report)
    _open(report)
    if original.pk == report.pk or original.municipality_id != report.municipality_id:
        raise ValidationError({"original": _("Välj en annan rapport i samma kommun.")})
    if original.moderation not in (Moderation.PENDING, Moderation.PUBLISHED) or (
        original.closed_at is not None
    ):
        raise ValidationError({"original": _("Originalet måste vara en öppen rapport.")})
    moved = report.me_too + 1
    # Naming the municipality sends both statements to the original's shard (Citus).
    same = CitizenReport.objects.filter(municipality_id=original.municipality_id, pk=original.pk)
    same.update(me_too=F("me_too") + moved)
    original.me_too = same.values_list("me_too", flat=True).get()
    record_changes(acting_user, original, {"me_too": (original.me_too - moved, original.me_too)})
    apply_review(report.event, status=Status.DUPLICATE, flagged=False, acting_user=acting_user)
    _save(
        report,
        acting_user,
        {
            "moderation": (report.moderation, Moderation.DUPLICATE),
            "duplicate_of": (report.duplicate_of, original),
            "me_too": (report.me_too, 0),
        },
    )
    _queue_notice(report, StatusNotice.Kind.DUPLICATE)
    return report


# --- corrections ---------------------------------------------------------------------------


@transaction.atomic
def correct(
    report: CitizenReport,
    *,
    acting_user,
    category_code: str | None = None,
    lat: float | None = None,
    lon: float | None = None,
    place_id: int | None = None,
) -> CitizenReport:
    """Correct the resident's category (and so the EST category on the event) and/or the
    position (located anew: area and place recomputed, within the same municipality)."""
    check_may_moderate(acting_user, report)
    errors: dict[str, list[str]] = {}
    resident = None
    if category_code is not None:
        resident = BY_CODE.get(category_code)
        if resident is None:
            errors["category"] = [_("Välj vad det gäller.")]
    location = None
    if lat is not None or lon is not None:
        try:
            location = locate(
                lat if lat is not None else math.nan,
                lon if lon is not None else math.nan,
                municipality=report.municipality,
                place_id=place_id,
            )
        except ValidationError as error:
            errors["position"] = error.messages
    if errors:
        raise ValidationError(errors)
    event = report.event
    event_changes: dict = {}
    if resident is not None:
        category = Category.objects.get(code=resident.est_code)
        event_changes["category_id"] = (event.category_id, category.pk)
        _save(report, acting_user, {"resident_category": (report.resident_category, resident.code)})
    if location is not None:
        event_changes |= {
            "lat": (event.lat, location.lat),
            "lon": (event.lon, location.lon),
            "x": (event.x, location.x),
            "y": (event.y, location.y),
            "area_id": (event.area_id, location.area_id),
            "place_id": (event.place_id, location.place.pk if location.place else None),
        }
    event_changes = {name: pair for name, pair in event_changes.items() if pair[0] != pair[1]}
    if event_changes:
        for name, (_old, new) in event_changes.items():
            setattr(event, name, new)
        event.save(update_fields=[name.removesuffix("_id") for name in event_changes])
        record_changes(acting_user, event, event_changes)
        daily_counts.recount_day(event.municipality_id, event.occurred_from)
    return report


@transaction.atomic
def remove_text(report: CitizenReport, *, description: str, acting_user) -> CitizenReport:
    """Replace the event's description by the moderator's edit, which leaves out what a
    resident should not have written. The removed text is gone: the audit row names the field
    and says text was removed, never the old text (nor the new, which is on the event)."""
    check_may_moderate(acting_user, report)
    event = report.event
    cleaned = free_text(description).text
    if cleaned == event.description:
        raise ValidationError({"description": _("Texten är oförändrad.")})
    event.description = cleaned
    event.save(update_fields=["description"])
    record(acting_user, event, AuditEntry.Action.UPDATE, "description", None, TEXT_REMOVED)
    return report


@transaction.atomic
def review_photo(photo: ReportPhoto, *, approve: bool, acting_user) -> ReportPhoto:
    """Approve a photo for publication, or keep it to the municipality."""
    # The photo carries its report's municipality: no need to read the report.
    if not may_moderate(acting_user, photo.municipality_id):
        raise PermissionDenied(NOT_A_MODERATOR)
    review = ReportPhoto.Review.APPROVED if approve else ReportPhoto.Review.REJECTED
    if photo.review != review:
        record_changes(acting_user, photo, {"review": (photo.review, review)})
        photo.review = review
        photo.save(update_fields=["review"])
    return photo


# --- routing and closing -------------------------------------------------------------------


@transaction.atomic
def route(report: CitizenReport, *, organisation: Organisation, acting_user) -> CitizenReport:
    """Send the report to the organisation responsible (the rules' suggestion, confirmed or
    replaced by the moderator): an organisation of the report's municipality."""
    check_may_moderate(acting_user, report)
    _open(report)
    if organisation.municipality_id != report.municipality_id:
        raise ValidationError({"organisation": _("Välj en organisation i kommunen.")})
    if report.routed_to_id == organisation.pk:
        return report
    _save(
        report,
        acting_user,
        {
            "routed_to": (report.routed_to, organisation),
            "routed_at": (report.routed_at, timezone.now()),
        },
    )
    _queue_notice(report, StatusNotice.Kind.ROUTED, str(organisation.pk))
    return report


@transaction.atomic
def close(report: CitizenReport, *, outcome: str, note: str, acting_user) -> CitizenReport:
    """Close with an outcome and a note for the resident; their address is forgotten once the
    closing mail is sent (`citizens.notices`)."""
    check_may_moderate(acting_user, report)
    errors: dict[str, list[str]] = {}
    if outcome not in Outcome.values:
        errors["outcome"] = [_("Välj hur ärendet slutade.")]
    scrubbed = free_text(note).text
    if not scrubbed:
        errors["note"] = [_("Skriv ett besked till den som rapporterade.")]
    if errors:
        raise ValidationError(errors)
    _open(report)
    _save(
        report,
        acting_user,
        {
            "outcome": (report.outcome, outcome),
            "closing_note": (report.closing_note, scrubbed),
            "closed_at": (report.closed_at, timezone.now()),
        },
    )
    _queue_notice(report, StatusNotice.Kind.CLOSED)
    return report


def routing_suggestion(report: CitizenReport) -> Suggestion:
    """Who the responsibility rules say should act (and why): shown for the moderator to
    confirm or replace."""
    return suggest_for_event(report.event)
