"""Planning a walk: the walk itself and its three meetings, the route and stops, who is
invited, the participants as counts, and marking it held. The municipality's coordinators
plan; each write checks everything first, writes nothing on bad input and leaves audit rows."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from trygg.core.audit import record_changes, record_created
from trygg.core.fields import free_text
from trygg.measures.routing import coordinating_organisation
from trygg.organisations.access import access_for
from trygg.organisations.models import Membership, Organisation
from trygg.places import index
from trygg.places.geo import to_sweref
from trygg.places.models import Area, Place
from trygg.places.picker import locate
from trygg.walks.in_municipality import children
from trygg.walks.invitations import suggest_invitations
from trygg.walks.models import (
    PARTICIPANT_GROUPS,
    ChecklistTemplate,
    Invitation,
    Walk,
    WalkStop,
)
from trygg.walks.models.walk import SUGGESTED_GAP

# What the planning form sets; the rest (status, route, participants) has its own action.
PLAN_FIELDS = (
    "title",
    "purpose",
    "area",
    "light",
    "template",
    "premeeting_at",
    "walk_at",
    "followup_at",
    "meeting_place",
    "previous",
)
CREATED_FIELDS = [
    "municipality_id",
    "organisation_id",
    "title",
    "area_id",
    "light",
    "template_id",
    "premeeting_at",
    "walk_at",
    "followup_at",
    "previous_id",
]
# A route is drawn by hand: a few dozen clicks; the limits keep a page and a phone light.
MAX_ROUTE_POINTS = 200
MAX_STOPS = 30
# More than a walk ever has; anything above is a typing error.
MAX_PARTICIPANTS = 9999
COORDINATING_ROLES = {Membership.Role.COORDINATOR, Membership.Role.ADMIN}


def _check_coordinator(user, municipality_id: int) -> None:
    if not access_for(user).can_coordinate(municipality_id):
        raise PermissionDenied(_("Bara samordnare i kommunen kan planera trygghetsvandringar."))


def organiser_for(user, municipality) -> Organisation:
    """The coordinator's own organisation in the municipality (for a superuser without one:
    the municipality's coordinating organisation)."""
    access = access_for(user)
    own = sorted(
        org
        for org, role in access.roles.items()
        if role in COORDINATING_ROLES and access.municipality_of.get(org) == municipality.pk
    )
    organisation = (
        Organisation.objects.filter(pk=own[0]).first()
        if own
        else coordinating_organisation(municipality.pk)
    )
    if organisation is None:
        raise ValidationError(
            {"organisation": _("Kommunen har ingen organisation som kan hålla i vandringen.")}
        )
    return organisation


# --- the walk and its meetings --------------------------------------------------------------


def suggested_dates(
    premeeting_at: dt.datetime | None,
    walk_at: dt.datetime | None,
    followup_at: dt.datetime | None,
) -> tuple[dt.datetime | None, dt.datetime | None]:
    """(walk, follow-up) with the empty ones filled: the walk SUGGESTED_GAP after the förmöte,
    the follow-up SUGGESTED_GAP after the walk (the method's 2–3 weeks)."""
    if walk_at is None and premeeting_at is not None:
        walk_at = premeeting_at + SUGGESTED_GAP
    if followup_at is None and walk_at is not None:
        followup_at = walk_at + SUGGESTED_GAP
    return walk_at, followup_at


@transaction.atomic
def plan_walk(municipality, *, acting_user, **fields) -> Walk:
    """A new walk held by the coordinator's organisation. Planned from an earlier walk
    (`previous`), it starts with that walk's route and stops."""
    _check_coordinator(acting_user, municipality.pk)
    walk = Walk(
        municipality=municipality,
        organisation=organiser_for(acting_user, municipality),
        created_by=acting_user,
    )
    _apply_plan(walk, {name: fields.get(name) for name in PLAN_FIELDS})
    walk.save()
    record_created(acting_user, walk, CREATED_FIELDS)
    if walk.previous is not None:
        _copy_route(walk, walk.previous, acting_user)
    return walk


@transaction.atomic
def update_walk(walk: Walk, *, acting_user, **fields) -> Walk:
    """Change the plan. A walk without a route or stops that gets an earlier walk copies its
    route, as a new one would."""
    _check_coordinator(acting_user, walk.municipality_id)
    unknown = set(fields) - set(PLAN_FIELDS)
    if unknown:
        raise ValueError(f"not editable here: {', '.join(sorted(unknown))}")
    before = {name: getattr(walk, name) for name in PLAN_FIELDS}
    _apply_plan(walk, before | fields)
    changes = {
        n: (before[n], getattr(walk, n)) for n in PLAN_FIELDS if before[n] != getattr(walk, n)
    }
    if not changes:
        return walk
    walk.save()
    record_changes(acting_user, walk, changes)
    if "previous" in changes and walk.previous is not None and not _has_route(walk):
        _copy_route(walk, walk.previous, acting_user)
    return walk


def _apply_plan(walk: Walk, values: dict) -> None:
    """Scrub, suggest the dates, check everything, then set the values on `walk`."""
    values = dict(values)
    for name in ("title", "purpose", "meeting_place"):
        # free-text columns of the walk's own table
        column = cast(models.Field, Walk._meta.get_field(name))
        values[name] = free_text(values.get(name), column).text
    values["light"] = values.get("light") or Walk.Light.DAY
    values["walk_at"], values["followup_at"] = suggested_dates(
        values.get("premeeting_at"), values.get("walk_at"), values.get("followup_at")
    )
    errors = _plan_errors(walk, values)
    if errors:
        raise ValidationError(errors)
    for name, value in values.items():
        setattr(walk, name, value)


def _plan_errors(walk: Walk, values: dict) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not values["title"]:
        errors["title"] = _("Ge vandringen ett namn.")
    if values["light"] not in Walk.Light.values:
        errors["light"] = _("Välj dagsljus eller mörker.")
    area: Area | None = values.get("area")
    if area is not None and (area.municipality_id != walk.municipality_id or area.valid_to):
        errors["area"] = _("Välj ett av kommunens nuvarande områden.")
    template_error = _template_error(walk, values.get("template"))
    if template_error:
        errors["template"] = template_error
    previous: Walk | None = values.get("previous")
    if previous is not None and (
        previous.municipality_id != walk.municipality_id or previous.pk == walk.pk
    ):
        errors["previous"] = _("Välj en tidigare vandring i samma kommun.")
    errors.update(_date_errors(values))
    walk_at = values["walk_at"]
    earlier = previous is None or walk_at is None or previous.walk_at < walk_at
    if not earlier and "previous" not in errors:
        errors["previous"] = _("Den tidigare vandringen måste ha hållits före den här.")
    return errors


def _template_error(walk: Walk, template: ChecklistTemplate | None) -> str | None:
    if template is None:
        return _("Välj en checklista.")
    if template.municipality_id not in (None, walk.municipality_id):
        return _("Checklistan hör till en annan kommun.")
    unchanged = walk.pk is not None and walk.template_id == template.pk
    if not template.is_active and not unchanged:
        return _("Checklistan används inte längre.")
    if walk.pk is not None and not unchanged and children(walk, "findings").exists():
        return _("Checklistan kan inte bytas när vandringen har iakttagelser.")
    return None


def _date_errors(values: dict) -> dict[str, str]:
    """The three meetings in the method's order: förmöte < vandring < uppföljningsmöte."""
    premeeting, walk_at, followup = (
        values.get("premeeting_at"),
        values["walk_at"],
        values["followup_at"],
    )
    if walk_at is None:
        return {
            "walk_at": _(
                "Ange när vandringen hålls, eller när förmötet hålls så föreslås vandringen "
                "två veckor senare."
            )
        }
    errors = {}
    if premeeting is not None and premeeting >= walk_at:
        errors["premeeting_at"] = _("Förmötet ska hållas före vandringen.")
    if followup is not None and followup <= walk_at:
        errors["followup_at"] = _("Uppföljningsmötet ska hållas efter vandringen.")
    return errors


@transaction.atomic
def mark_walked(walk: Walk, *, acting_user, now: dt.datetime | None = None) -> Walk:
    """The walk has been held: its findings go on to the protocol."""
    _check_coordinator(acting_user, walk.municipality_id)
    if walk.status != Walk.Status.PLANNED:
        raise ValidationError({"status": _("Vandringen är redan markerad som genomförd.")})
    if walk.walk_at > (now or timezone.now()):
        raise ValidationError(
            {"status": _("Vandringen har inte börjat än och kan inte markeras som genomförd.")}
        )
    walk.status = Walk.Status.WALKED
    walk.save(update_fields=["status", "updated_at"])
    record_changes(acting_user, walk, {"status": (Walk.Status.PLANNED, Walk.Status.WALKED)})
    return walk


# --- participants -----------------------------------------------------------------------------


@transaction.atomic
def set_participants(walk: Walk, counts: Mapping[str, int | None], *, acting_user) -> Walk:
    """How many took part, by group (never who): before the walk as expected, after it as
    counted."""
    _check_coordinator(acting_user, walk.municipality_id)
    columns = [column for column, _label in PARTICIPANT_GROUPS]
    unknown = set(counts) - set(columns)
    if unknown:
        raise ValueError(f"not a participant group: {', '.join(sorted(unknown))}")
    errors = {}
    for column, value in counts.items():
        if value is not None and (not isinstance(value, int) or not 0 <= value <= MAX_PARTICIPANTS):
            errors[column] = _("Ange ett heltal från 0 till %(max)s.") % {"max": MAX_PARTICIPANTS}
    if errors:
        raise ValidationError(errors)
    changes = {c: (getattr(walk, c), v) for c, v in counts.items() if getattr(walk, c) != v}
    for column, (_old, value) in changes.items():
        setattr(walk, column, value)
    if changes:
        walk.save(update_fields=[*changes, "updated_at"])
        record_changes(acting_user, walk, changes)
    return walk


# --- who is invited ---------------------------------------------------------------------------


@transaction.atomic
def set_invitations(walk: Walk, organisations: Iterable[Organisation], *, acting_user) -> Walk:
    """Invite exactly `organisations`: any suggested one (with the suggestion's reason) or any
    organisation of the municipality (added by the coordinator)."""
    _check_coordinator(acting_user, walk.municipality_id)
    suggested = {s.organisation.pk: s.reason for s in suggest_invitations(walk)}
    current = dict(children(walk, "invitations").values_list("organisation_id", "pk"))
    chosen = {org.pk: org for org in organisations}
    allowed = set(suggested) | set(current)
    allowed |= set(
        Organisation.objects.filter(
            pk__in=list(chosen), municipality_id=walk.municipality_id
        ).values_list("pk", flat=True)
    )
    if set(chosen) - allowed:
        raise ValidationError(
            {"organisations": _("Bara kommunens organisationer och de föreslagna kan bjudas in.")}
        )
    added = [pk for pk in chosen if pk not in current]
    removed = [pk for pk in current if pk not in chosen]
    Invitation.objects.filter(pk__in=[current[pk] for pk in removed]).delete()
    Invitation.objects.bulk_create(
        Invitation(walk=walk, organisation_id=pk, reason=suggested.get(pk, Invitation.Reason.ADDED))
        for pk in added
    )
    if added or removed:
        record_changes(acting_user, walk, {"invitations": (_ids(current), _ids(chosen))})
    return walk


def _ids(keys: Iterable[int]) -> str:
    return ",".join(str(pk) for pk in sorted(keys))


# --- route and stops --------------------------------------------------------------------------


@dataclass(frozen=True)
class StopInput:
    """One stop as the form sends it: a named place, a position, or both (the position wins);
    `pk` for a stop the walk already has (without place or position it stays where it is)."""

    name: str = ""
    place: Place | None = None
    lat: float | None = None
    lon: float | None = None
    pk: int | None = None


@dataclass(frozen=True)
class _CheckedStop:
    pk: int | None
    name: str
    place: Place | None
    lat: float
    lon: float


@transaction.atomic
def save_route(walk: Walk, stops: Sequence[StopInput], *, route: dict | None, acting_user) -> Walk:
    """Store the route line and the stops in the order given. Errors name the stop
    (`stops.<n>.<field>`, n from 1); nothing is written unless everything holds."""
    _check_coordinator(acting_user, walk.municipality_id)
    errors: dict[str, list[str]] = {}
    route_error = _route_error(walk, route)
    if route_error:
        errors["route"] = [route_error]
    checked = _check_stops(walk, stops, errors)
    if errors:
        raise ValidationError(errors)
    old_route, old_stops = walk.route, _stops_summary(children(walk, "stops"))
    _write_stops(walk, checked)
    walk.route = route
    walk.save(update_fields=["route", "updated_at"])
    changes = {
        "route": (_route_summary(old_route), _route_summary(route)),
        "stops": (old_stops, _stops_summary(children(walk, "stops"))),
    }
    record_changes(acting_user, walk, changes)
    return walk


def _route_error(walk: Walk, route: dict | None) -> str | None:
    """Why the line cannot be stored: not a line, too many points, a point outside."""
    if route is None:
        return None
    if not isinstance(route, dict) or route.get("type") != "LineString":
        return _("Rutten ska vara en linje.")
    coordinates = route.get("coordinates")
    if not isinstance(coordinates, list):
        return _("Rutten ska vara en linje.")
    if not 2 <= len(coordinates) <= MAX_ROUTE_POINTS:
        return _("Rutten ska ha mellan 2 och %(max)s punkter.") % {"max": MAX_ROUTE_POINTS}
    try:
        lons = [float(point[0]) for point in coordinates]
        lats = [float(point[1]) for point in coordinates]
    except (TypeError, ValueError, IndexError):
        return _("Ruttens punkter ska vara longitud och latitud.")
    located = index.locate(lons, lats)
    outside = [i for i, mun in enumerate(located.municipality_id) if mun != walk.municipality_id]
    if not outside:
        return None
    first = outside[0]
    try:
        locate(lats[first], lons[first], municipality=walk.municipality)
    except ValidationError as error:
        return _("Punkt %(n)s på rutten: %(reason)s") % {
            "n": first + 1,
            "reason": error.messages[0],
        }
    return None  # the polygon index and the picker disagree only on a border: accept it


def _check_stops(walk: Walk, stops: Sequence[StopInput], errors: dict) -> list[_CheckedStop]:
    if len(stops) > MAX_STOPS:
        errors["stops"] = [_("Högst %(max)s stopp per vandring.") % {"max": MAX_STOPS}]
        return []
    existing = {stop.pk: stop for stop in children(walk, "stops")}
    checked: list[_CheckedStop] = []
    for number, stop in enumerate(stops, start=1):
        if stop.pk is not None and stop.pk in {c.pk for c in checked}:
            errors[f"stops.{number}.name"] = [_("Stoppet står två gånger i listan.")]
            continue
        result = _check_stop(walk, stop, existing, errors, f"stops.{number}")
        if result is not None:
            checked.append(result)
    kept = {stop.pk for stop in stops if stop.pk}
    used = (
        WalkStop.objects.filter(
            walk=walk,
            municipality_id=walk.municipality_id,
            findings__isnull=False,
            findings__municipality_id=walk.municipality_id,
        )
        .exclude(pk__in=kept)
        .distinct()
    )
    for used_stop in used:
        errors.setdefault("stops", []).append(
            _("Stoppet ”%(name)s” har iakttagelser och kan inte tas bort.")
            % {"name": used_stop.name}
        )
    return checked


def _check_stop(walk, stop: StopInput, existing, errors, key) -> _CheckedStop | None:
    if stop.pk is not None and stop.pk not in existing:
        errors[f"{key}.name"] = [_("Stoppet hör till en annan vandring.")]
        return None
    place = stop.place
    if place is not None and place.municipality_id != walk.municipality_id:
        errors[f"{key}.place"] = [_("Platsen ligger i en annan kommun.")]
        return None
    lat, lon = stop.lat, stop.lon
    if (lat is None) != (lon is None):
        errors[f"{key}.lat"] = [_("Ange både latitud och longitud.")]
        return None
    if (lat is None or lon is None) and place is None and stop.pk is not None:
        lat, lon = existing[stop.pk].lat, existing[stop.pk].lon  # kept where it was
    if lat is None or lon is None:
        if place is None:
            errors[f"{key}.place"] = [
                _("Välj en plats, klicka på kartan eller skriv latitud och longitud.")
            ]
            return None
        lat, lon = place.lat, place.lon
    try:
        locate(lat, lon, municipality=walk.municipality)
    except ValidationError as error:
        errors[f"{key}.lat"] = error.messages
        return None
    name = free_text(stop.name, WalkStop._meta.get_field("name")).text or (
        place.name if place else ""
    )
    if not name:
        errors[f"{key}.name"] = [_("Ge stoppet ett namn.")]
        return None
    return _CheckedStop(stop.pk, name, place, lat, lon)


def _write_stops(walk: Walk, stops: list[_CheckedStop]) -> None:
    kept = {stop.pk for stop in stops if stop.pk}
    children(walk, "stops").exclude(pk__in=kept).delete()
    # Numbers are unique per walk: move the kept stops out of the way before renumbering.
    children(walk, "stops").update(order=F("order") + 1000)
    existing = {stop.pk: stop for stop in children(walk, "stops")}
    for order, checked in enumerate(stops, start=1):
        stop = existing.get(checked.pk) if checked.pk else None
        stop = stop or WalkStop(walk=walk)
        x, y = to_sweref(checked.lon, checked.lat)
        stop.order, stop.name, stop.place = order, checked.name, checked.place
        stop.lat, stop.lon, stop.x, stop.y = checked.lat, checked.lon, float(x), float(y)
        stop.save()


def _has_route(walk: Walk) -> bool:
    return bool(walk.route) or children(walk, "stops").exists()


def _copy_route(walk: Walk, previous: Walk, acting_user) -> None:
    """The earlier walk's line and stops, so the comparison walks the same ground."""
    walk.route = previous.route
    walk.save(update_fields=["route", "updated_at"])
    WalkStop.objects.bulk_create(
        WalkStop(
            walk=walk,
            order=stop.order,
            name=stop.name,
            place_id=stop.place_id,
            lat=stop.lat,
            lon=stop.lon,
            x=stop.x,
            y=stop.y,
        )
        for stop in children(previous, "stops")
    )
    record_changes(
        acting_user,
        walk,
        {
            "route": ("", _route_summary(walk.route)),
            "stops": ("", _stops_summary(children(walk, "stops"))),
        },
    )


def _stops_summary(stops: Iterable[WalkStop]) -> str:
    """'1. Stora torget; 2. Järnvägsgatan' for the audit row."""
    return "; ".join(f"{stop.order}. {stop.name}" for stop in stops)


def _route_summary(route: dict | None) -> str:
    return json.dumps(route, separators=(",", ":")) if route else ""
