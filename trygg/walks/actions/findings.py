"""A finding from a phone on the walk: checked whole, then written whole, or not at all.

The phone makes the finding's id (`client_id`), so a finding sent twice (the network dropped
after the server stored it, two tabs, a retry) is stored once: the second send gets the first
one back. A finding becomes an event with source `walk` through `events.actions.report_event`,
the one door for a person's report (scrubber, position, audit, daily counts)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from trygg.core import photos as photos_module
from trygg.events.actions import report_event
from trygg.events.models import Category, Source
from trygg.measures.routing import suggest
from trygg.organisations.access import access_for
from trygg.organisations.models import Organisation
from trygg.places.geo import to_sweref
from trygg.places.picker import locate
from trygg.walks.in_municipality import children
from trygg.walks.models import (
    ChecklistItem,
    ChecklistTemplate,
    Finding,
    FindingPhoto,
    FindingScore,
    Walk,
    WalkStop,
    time_band_of,
)

# A finding is counted at the stop it was made nearest to, if one lies this close.
STOP_RADIUS_M = 150.0
MAX_PHOTOS = 6


@dataclass
class FindingInput:
    """One finding as the phone sends it."""

    client_id: uuid.UUID
    lat: float
    lon: float
    captured_at: dt.datetime
    category: Category
    note: str = ""
    # checklist item -> score (None where the checklist is not scored)
    scores: Mapping[ChecklistItem, int | None] = field(default_factory=dict)
    photos: Sequence = ()
    stop: WalkStop | None = None


def photo_max_bytes() -> int:
    return int(settings.TRYGG_WALK_PHOTO_MAX_BYTES)


def capturing_organisation(walk: Walk, user) -> Organisation:
    """The organisation a participant's finding is reported for: the walk's organiser if the
    user may report for it, else an invited organisation they may report for."""
    access = access_for(user)
    if access.can_report_for(walk.organisation):
        return walk.organisation
    invited = Organisation.objects.filter(
        walk_invitations__walk=walk,
        walk_invitations__municipality_id=walk.municipality_id,
        pk__in=access.reporting_organisation_ids(),
    ).order_by("pk")
    organisation = invited.first()
    if organisation is None:
        raise PermissionDenied(_("Du kan inte registrera iakttagelser på den här vandringen."))
    return organisation


def record_finding(walk: Walk, data: FindingInput, *, acting_user) -> tuple[Finding, bool]:
    """Store one finding; returns (finding, created). A repeated client_id returns the stored
    finding unchanged. ValidationError (Swedish, by field) writes nothing."""
    # Access first: a repeat answers only someone who may capture on this walk.
    organisation = capturing_organisation(walk, acting_user)
    existing = _already_stored(walk, data.client_id)
    if existing is not None:
        return existing, False
    location, photos = check_finding(walk, data)
    try:
        with transaction.atomic():
            return _write(walk, data, organisation, location, photos, acting_user), True
    except IntegrityError:
        # The same finding arrived twice at once: the other request stored it.
        existing = _already_stored(walk, data.client_id)
        if existing is None:
            raise
        return existing, False


def _already_stored(walk: Walk, client_id: uuid.UUID) -> Finding | None:
    # Looked up in the walk's municipality, for the finding and its event, so that sharded
    # (Citus) the query goes to one shard: a phone's random id is never another
    # municipality's, and there the unique column would refuse it anyway.
    found = (
        Finding.objects.filter(
            municipality_id=walk.municipality_id,
            event__municipality_id=walk.municipality_id,
            client_id=client_id,
        )
        .select_related("event")
        .first()
    )
    if found is not None and found.walk_id != walk.pk:
        raise ValidationError({"client_id": _("Id:t används redan av en annan vandring.")})
    return found


def check_finding(walk: Walk, data: FindingInput):
    """Every check before anything is written: (location, cleaned photos) or ValidationError."""
    errors: dict[str, list[str]] = {}
    location = None
    try:
        location = locate(data.lat, data.lon, municipality=walk.municipality)
    except ValidationError as error:
        errors["lat"] = error.messages
    if data.captured_at > timezone.now() + dt.timedelta(minutes=10):
        errors["captured_at"] = [_("Tidpunkten ligger i framtiden.")]
    if data.stop is not None and data.stop.walk_id != walk.pk:
        errors["stop"] = [_("Stoppet hör till en annan vandring.")]
    score_errors = check_scores(walk.template, data.scores)
    if score_errors:
        errors["scores"] = score_errors
    photos, photo_errors = clean_photos(data.photos)
    if photo_errors:
        errors["photos"] = photo_errors
    if errors:
        raise ValidationError(errors)
    return location, photos


def check_scores(template: ChecklistTemplate, scores: Mapping[ChecklistItem, int | None]):
    """Swedish messages for items of another checklist and scores outside the scale."""
    errors = []
    for item, score in scores.items():
        if item.template_id != template.pk:
            errors.append(
                _("Punkten ”%(item)s” hör inte till vandringens checklista.") % {"item": item.label}
            )
        elif template.scale_max is None and score is not None:
            errors.append(_("Checklistan sätter inga poäng (”%(item)s”).") % {"item": item.label})
        elif template.scale_max is not None and (
            score is None or not 0 <= score <= template.scale_max
        ):
            errors.append(
                _("Poängen för ”%(item)s” ska vara ett heltal från 0 till %(max)s.")
                % {"item": item.label, "max": template.scale_max}
            )
    return errors


def clean_photos(photos: Sequence) -> tuple[list, list[str]]:
    """Photos without metadata, or the reasons they were refused."""
    return photos_module.clean_photos(photos, max_bytes=photo_max_bytes(), max_count=MAX_PHOTOS)


def _write(walk, data: FindingInput, organisation, location, photos, acting_user) -> Finding:
    # Lock the walk so that two phones sending at once get consecutive numbers.
    Walk.objects.select_for_update().filter(
        pk=walk.pk, municipality_id=walk.municipality_id
    ).first()
    place = data.stop.place if data.stop is not None and data.stop.place else location.place
    event = report_event(
        acting_user=acting_user,
        organisation=organisation,
        category=data.category,
        occurred_from=data.captured_at,
        lat=data.lat,
        lon=data.lon,
        description=data.note,
        place=place,
        source=Source.WALK,
        external_id=str(data.client_id),
        precision_m=25,
        located=location.located,
    )
    suggestion = suggest(
        walk.municipality_id, category=data.category, area=event.area, place=event.place
    )
    finding = Finding.objects.create(
        walk=walk,
        client_id=data.client_id,
        number=(children(walk, "findings").aggregate(n=Max("number"))["n"] or 0) + 1,
        event=event,
        stop=data.stop or nearest_stop(walk, data.lat, data.lon),
        time_band=_time_band(walk, data.captured_at),
        captured_by=acting_user,
        suggested_responsible=suggestion.organisation,
        suggestion_reason=str(suggestion.reason),
    )
    FindingScore.objects.bulk_create(
        FindingScore(finding=finding, item=item, score=score) for item, score in data.scores.items()
    )
    for photo in photos:
        FindingPhoto(finding=finding).image.save("photo.jpg", photo, save=True)
    return finding


def _time_band(walk: Walk, captured_at: dt.datetime) -> str:
    if walk.template.kind != ChecklistTemplate.Kind.PURPLE_FLAG:
        return ""
    return time_band_of(timezone.localtime(captured_at).hour)


def nearest_stop(walk: Walk, lat: float, lon: float) -> WalkStop | None:
    """The walk's stop nearest to the position, if within STOP_RADIUS_M."""
    x, y = to_sweref(lon, lat)
    best, best_d2 = None, STOP_RADIUS_M**2
    for stop in children(walk, "stops"):
        d2 = (stop.x - x) ** 2 + (stop.y - y) ** 2
        if d2 <= best_d2:
            best, best_d2 = stop, d2
    return best
