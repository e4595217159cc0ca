"""The Trygghetscenter desk (issue 12, point 6): recording what a resident came about, the
partner closing it, the desk sending it to another partner, and the coordinators setting up a
centre.

Who may:
- record a case: staff of one of the centre's organisations (a reporter, coordinator or admin
  membership; a viewer reads only);
- close a case: staff of the organisation that took it on, or a coordinator of the
  municipality; a case sent back to the desk also the desk's staff (it is settled there);
- send a case to another partner: the desk's staff or a coordinator of the municipality;
- send a case back to the desk ("not ours", with a reason): staff of the partner that has it;
- create and change a centre: coordinators of its municipality.

Every action checks everything first and raises one ValidationError naming each bad field
(Swedish), then writes in one transaction and audits. A case never holds who came: the note is
scrubbed (phone numbers, e-mail addresses, personal and registration numbers removed) before
it is stored, and the audit row holds the scrubbed text only."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trygg.citizens.models import Centre, CentreOrganisation, DeskCase, DeskTopic
from trygg.core.audit import record, record_changes, record_created
from trygg.core.fields import free_text
from trygg.core.models import AuditEntry
from trygg.organisations.access import WRITE_ROLES, access_for
from trygg.organisations.models import Membership, Organisation
from trygg.organisations.shards import set_links
from trygg.places.index import locate_one
from trygg.places.models import Area, Place

# A desk note says what the matter is in a sentence or two, never the story.
NOTE_MAX_LENGTH = 500
# How far back a visit may be recorded: a forgotten paper slip from last spring, not history.
OLDEST_VISIT_DAYS = 365
CENTRE_AUDITED_FIELDS = ["municipality", "name", "is_active"]
CASE_AUDITED_FIELDS = [
    "centre",
    "visited_on",
    "topic",
    "place",
    "area",
    "note",
    "taken_by",
    "state",
    "recorded_by_organisation",
]
# The roles that see every case of their municipality (as they see its events and measures).
OVERSEEING_ROLES = {Membership.Role.COORDINATOR, Membership.Role.ADMIN, Membership.Role.ANALYST}

NOT_DESK_STAFF = gettext_lazy(
    "Bara personal från organisationerna på trygghetscentret kan föra ärenden."
)
NOT_A_COORDINATOR = gettext_lazy("Bara kommunens samordnare kan ändra ett trygghetscenter.")


# --- who may ------------------------------------------------------------------------------


def staffing_organisation_ids(user, centre: Centre) -> list[int]:
    """The centre's organisations `user` may write for, in a stable order."""
    access = access_for(user)
    centre_ids = sorted(centre_organisation_ids(centre))
    if access.is_superuser:
        return centre_ids
    return [pk for pk in centre_ids if access.roles.get(pk) in WRITE_ROLES]


def centre_organisation_ids(centre: Centre) -> list[int]:
    """The organisations staffing `centre`, read from the link table alone and naming the
    centre's municipality, so that Citus sends it to the one shard the centre lies on."""
    links = CentreOrganisation.objects.filter(
        municipality_id=centre.municipality_id, centre_id=centre.pk
    )
    return list(links.values_list("organisation_id", flat=True))


def centre_organisations(centre: Centre) -> QuerySet[Organisation]:
    """The organisations staffing `centre`, by name: the link rows first (one shard), then
    the organisations, a reference table, by id."""
    return Organisation.objects.filter(pk__in=centre_organisation_ids(centre))


def is_desk_staff(user, centre: Centre) -> bool:
    return bool(staffing_organisation_ids(user, centre))


def may_handle(user, case: DeskCase) -> bool:
    """Close a case: the partner that took it on, or a coordinator of the municipality; a case
    back at the desk without a partner, the desk's staff."""
    access = access_for(user)
    if access.can_coordinate(case.municipality_id):
        return True
    if case.taken_by_id is None:
        return is_desk_staff(user, case.centre)
    return access.roles.get(case.taken_by_id) in WRITE_ROLES


def may_return(user, case: DeskCase) -> bool:
    """Send a case back to the desk: the partner that has it, no one else (the desk and the
    coordinators send it on instead)."""
    access = access_for(user)
    if case.taken_by_id is None:
        return False
    return access.is_superuser or access.roles.get(case.taken_by_id) in WRITE_ROLES


def may_reassign(user, case: DeskCase) -> bool:
    return access_for(user).can_coordinate(case.municipality_id) or is_desk_staff(user, case.centre)


def may_read(user, case: DeskCase) -> bool:
    """The rule of `visible_cases` for one case: the partner that took it on, coordinators and
    analysts of its municipality, and members of the centre's organisations (the link rows of
    the case's municipality only, so one shard answers)."""
    access = access_for(user)
    if access.is_superuser:
        return True
    if not access.is_authenticated:
        return False
    if case.taken_by_id in access.organisation_ids:
        return True
    if case.municipality_id in overseen_municipality_ids(user):
        return True
    return CentreOrganisation.objects.filter(
        municipality_id=case.municipality_id,
        centre_id=case.centre_id,
        organisation_id__in=list(access.organisation_ids),
    ).exists()


def overseen_municipality_ids(user) -> frozenset[int]:
    access = access_for(user)
    return frozenset(
        access.municipality_of[org]
        for org, role in access.roles.items()
        if role in OVERSEEING_ROLES
    )


def visible_cases(user) -> QuerySet[DeskCase]:
    """The cases `user` may read: members of the centre's organisations and of the partner
    that took the case on, and coordinators and analysts of the municipality. Never public."""
    access = access_for(user)
    cases = DeskCase.objects.all()
    if access.is_superuser:
        return cases
    if not access.is_authenticated:
        return cases.none()
    organisation_ids = list(access.organisation_ids)
    # Every case a user sees lies in a municipality of their organisations (a centre's
    # organisations and a case's partner are the municipality's own). Naming those, and
    # reading the staffed centres from the link rows first, keeps the query on the cases
    # alone, which Citus can run (it cannot join the cases to the link rows across shards).
    municipality_ids = list({access.municipality_of[org] for org in organisation_ids})
    staffed = set(
        CentreOrganisation.objects.filter(
            municipality_id__in=municipality_ids, organisation_id__in=organisation_ids
        ).values_list("centre_id", flat=True)
    )
    seen = (
        Q(centre_id__in=sorted(staffed))
        | Q(taken_by__in=organisation_ids)
        | Q(municipality__in=list(overseen_municipality_ids(user)))
    )
    return cases.filter(seen, municipality_id__in=municipality_ids)


def staffed_centres(user) -> QuerySet[Centre]:
    """The centres where `user` may record cases (active or not; the desk says if closed)."""
    access = access_for(user)
    centres = Centre.objects.select_related("municipality")
    if access.is_superuser:
        return centres
    write_ids = access.reporting_organisation_ids()
    # A centre's organisations lie in its municipality: the link rows are read first from the
    # writing organisations' municipalities alone, then the centres by id, with no join
    # between the two sharded tables (Citus cannot join them on the centre's id).
    municipality_ids = {access.municipality_of[org] for org in write_ids}
    centre_ids = CentreOrganisation.objects.filter(
        municipality_id__in=municipality_ids, organisation_id__in=write_ids
    ).values_list("centre_id", flat=True)
    return centres.filter(municipality_id__in=municipality_ids, pk__in=set(centre_ids))


# --- cases --------------------------------------------------------------------------------


def _check_visited_on(visited_on: dt.date | None, errors: dict[str, str]) -> None:
    today = timezone.localdate()
    if visited_on is None:
        errors["visited_on"] = _("Ange besöksdagen.")
    elif visited_on > today:
        errors["visited_on"] = _("Besöksdagen ligger i framtiden.")
    elif visited_on < today - dt.timedelta(days=OLDEST_VISIT_DAYS):
        errors["visited_on"] = _("Besöksdagen får ligga högst ett år bakåt.")


def _check_where(centre: Centre, place: Place | None, area: Area | None, errors) -> None:
    if place is None and area is None:
        errors["place"] = _("Ange en plats eller ett område.")
    if place is not None and place.municipality_id != centre.municipality_id:
        errors["place"] = _("Platsen ligger i en annan kommun.")
    if area is not None and area.municipality_id != centre.municipality_id:
        errors["area"] = _("Området ligger i en annan kommun.")


def _check_partner(municipality_id: int, organisation: Organisation | None, errors) -> None:
    if organisation is not None and organisation.municipality_id != municipality_id:
        errors["taken_by"] = _("Organisationen hör inte till kommunen.")


def _scrubbed_note(
    note: str, errors: dict[str, str], *, required: bool, key: str, missing: str = ""
) -> str:
    text = free_text(note).text
    if required and not text:
        errors[key] = missing or _("Skriv en kort anteckning.")
    elif len(text) > NOTE_MAX_LENGTH:
        errors[key] = _("Anteckningen får vara högst %(n)s tecken.") % {"n": NOTE_MAX_LENGTH}
    return text


def area_of_place(place: Place) -> int | None:
    """The area a place lies in: the one it is filed under, else the current area whose
    boundary holds its position (as an event at that position gets it)."""
    if place.area_id is not None:
        return place.area_id
    return locate_one(place.lon, place.lat)[3]


def _recording_organisation(user, centre: Centre, organisation: Organisation | None):
    staffing = staffing_organisation_ids(user, centre)
    if not staffing:
        raise PermissionDenied(NOT_DESK_STAFF)
    if organisation is None:
        return staffing[0]
    if organisation.pk not in staffing:
        raise ValidationError(
            {"organisation": _("Du kan inte föra ärenden för %(org)s här.") % {"org": organisation}}
        )
    return organisation.pk


@transaction.atomic
def record_case(
    centre: Centre,
    *,
    acting_user,
    topic: str,
    visited_on: dt.date | None = None,
    place: Place | None = None,
    area: Area | None = None,
    taken_by: Organisation | None = None,
    note: str = "",
    organisation: Organisation | None = None,
) -> DeskCase:
    """Record what a resident came about. `visited_on` defaults to today; `organisation` is
    the centre organisation the staff member records for (their first one if not given).
    Without `taken_by` the matter was settled at the desk: the case is closed at once."""
    recorder_id = _recording_organisation(acting_user, centre, organisation)
    visited_on = timezone.localdate() if visited_on is None else visited_on
    errors: dict[str, str] = {}
    if not centre.is_active:
        errors["centre"] = _("Trygghetscentret är stängt.")
    if topic not in DeskTopic.values:
        errors["topic"] = _("Välj ett ämne.")
    _check_visited_on(visited_on, errors)
    _check_where(centre, place, area, errors)
    _check_partner(centre.municipality_id, taken_by, errors)
    text = _scrubbed_note(note, errors, required=False, key="note")
    if errors:
        raise ValidationError(errors)
    area_id = area.pk if area is not None else area_of_place(place)  # type: ignore[arg-type]
    settled = taken_by is None
    case = DeskCase.objects.create(
        centre=centre,
        municipality_id=centre.municipality_id,
        visited_on=visited_on,
        topic=topic,
        place=place,
        area_id=area_id,
        note=text,
        taken_by=taken_by,
        state=DeskCase.State.CLOSED if settled else DeskCase.State.OPEN,
        closed_at=timezone.now() if settled else None,
        closed_by=acting_user if settled and acting_user.is_authenticated else None,
        recorded_by=acting_user if acting_user.is_authenticated else None,
        recorded_by_organisation_id=recorder_id,
    )
    record_created(acting_user, case, CASE_AUDITED_FIELDS)
    return case


@transaction.atomic
def close_case(case: DeskCase, *, note: str, acting_user) -> DeskCase:
    """The partner closes its case with a note (required) on what was done."""
    if not may_handle(acting_user, case):
        raise PermissionDenied(
            _("Bara den organisation som tagit ärendet eller kommunens samordnare kan avsluta det.")
        )
    errors: dict[str, str] = {}
    if case.state == DeskCase.State.CLOSED:
        errors["case"] = _("Ärendet är redan avslutat.")
    text = _scrubbed_note(note, errors, required=True, key="note")
    if errors:
        raise ValidationError(errors)
    changes = {
        "state": (case.state, DeskCase.State.CLOSED),
        "closing_note": (case.closing_note, text),
    }
    case.state, case.closing_note = DeskCase.State.CLOSED, text
    case.closed_at = timezone.now()
    case.closed_by = acting_user if acting_user.is_authenticated else None
    case.save(update_fields=["state", "closing_note", "closed_at", "closed_by"])
    record_changes(acting_user, case, changes)
    return case


@transaction.atomic
def reassign(case: DeskCase, organisation: Organisation, *, acting_user) -> DeskCase:
    """Send an open case to another partner of the municipality (the desk chose wrong, or the
    partner says it is not theirs)."""
    if not may_reassign(acting_user, case):
        raise PermissionDenied(
            _("Bara trygghetscentrets personal och kommunens samordnare kan skicka om ärenden.")
        )
    errors: dict[str, str] = {}
    if case.state == DeskCase.State.CLOSED:
        errors["case"] = _("Ärendet är redan avslutat.")
    if organisation is None:
        errors["taken_by"] = _("Välj den organisation som ska ta ärendet.")
    else:
        _check_partner(case.municipality_id, organisation, errors)
        if organisation.pk == case.taken_by_id:
            errors["taken_by"] = _("Ärendet ligger redan hos %(org)s.") % {"org": organisation}
    if errors:
        raise ValidationError(errors)
    record_changes(acting_user, case, {"taken_by": (case.taken_by_id, organisation.pk)})
    case.taken_by = organisation
    case.save(update_fields=["taken_by"])
    return case


def _lock(case: DeskCase) -> None:
    """Hold the case's row and read its partner and state afresh: a page loaded before the
    desk sent the case on must not send back a case that is now another partner's."""
    list(
        DeskCase.objects.select_for_update()
        .filter(pk=case.pk, municipality_id=case.municipality_id)
        .values_list("pk")
    )
    case.refresh_from_db(fields=["taken_by", "state", "returned_by", "return_reason"])


@transaction.atomic
def return_case(case: DeskCase, *, reason: str, acting_user) -> DeskCase:
    """The partner says the case is not theirs: it goes back to the desk, open and without a
    partner, with the reason (required, scrubbed), until the desk sends it on or settles it."""
    _lock(case)
    if not may_return(acting_user, case):
        raise PermissionDenied(
            _("Bara den organisation som har ärendet kan skicka tillbaka det till disken.")
        )
    errors: dict[str, str] = {}
    if case.state == DeskCase.State.CLOSED:
        errors["case"] = _("Ärendet är redan avslutat.")
    missing = _("Skriv kort varför ärendet inte är ert.")
    text = _scrubbed_note(reason, errors, required=True, key="reason", missing=missing)
    if errors:
        raise ValidationError(errors)
    partner_id = case.taken_by_id
    changes = {
        "taken_by": (partner_id, None),
        "returned_by": (case.returned_by_id, partner_id),
        "return_reason": (case.return_reason, text),
    }
    case.taken_by, case.returned_by_id = None, partner_id
    case.return_reason, case.returned_at = text, timezone.now()
    case.save(update_fields=["taken_by", "returned_by", "return_reason", "returned_at"])
    # One row per field even when unchanged (the same partner, the same words as last time):
    # the history reads each return with its reason from these rows.
    for name, (old, new) in changes.items():
        record(acting_user, case, AuditEntry.Action.UPDATE, field=name, old=old, new=new)
    return case


# --- centres ------------------------------------------------------------------------------


def _check_centre(
    municipality_id: int,
    name: str,
    organisations: list[Organisation],
    errors: dict[str, str],
    *,
    exclude_pk: int | None = None,
) -> str:
    text = free_text(name, Centre._meta.get_field("name")).text
    same_name = Centre.objects.filter(municipality_id=municipality_id, name__iexact=text)
    if exclude_pk is not None:
        same_name = same_name.exclude(pk=exclude_pk)
    if not text:
        errors["name"] = _("Ge trygghetscentret ett namn.")
    elif same_name.exists():
        errors["name"] = _("Kommunen har redan ett trygghetscenter med det namnet.")
    if not organisations:
        errors["organisations"] = _("Välj minst en organisation som finns på plats.")
    elif any(org.municipality_id != municipality_id for org in organisations):
        errors["organisations"] = _("Alla organisationer måste höra till kommunen.")
    return text


def _check_coordinator(user, municipality_id: int) -> None:
    if not access_for(user).can_coordinate(municipality_id):
        raise PermissionDenied(NOT_A_COORDINATOR)


@transaction.atomic
def create_centre(
    municipality,
    *,
    acting_user,
    name: str,
    organisations: Iterable[Organisation],
    is_active: bool = True,
) -> Centre:
    _check_coordinator(acting_user, municipality.pk)
    chosen = list(organisations)
    errors: dict[str, str] = {}
    text = _check_centre(municipality.pk, name, chosen, errors)
    if errors:
        raise ValidationError(errors)
    centre = Centre.objects.create(municipality=municipality, name=text, is_active=is_active)
    set_links(centre, "organisations", chosen)
    record_created(acting_user, centre, CENTRE_AUDITED_FIELDS)
    record(
        acting_user,
        centre,
        AuditEntry.Action.UPDATE,
        field="organisations",
        old=None,
        new=sorted(org.pk for org in chosen),
    )
    return centre


@transaction.atomic
def update_centre(
    centre: Centre,
    *,
    acting_user,
    name: str,
    organisations: Iterable[Organisation],
    is_active: bool,
) -> Centre:
    _check_coordinator(acting_user, centre.municipality_id)
    chosen = list(organisations)
    errors: dict[str, str] = {}
    text = _check_centre(centre.municipality_id, name, chosen, errors, exclude_pk=centre.pk)
    if errors:
        raise ValidationError(errors)
    before = sorted(centre_organisation_ids(centre))
    after = sorted(org.pk for org in chosen)
    changes: dict[str, tuple] = {
        "name": (centre.name, text),
        "is_active": (centre.is_active, bool(is_active)),
    }
    centre.name, centre.is_active = text, bool(is_active)
    centre.save(update_fields=["name", "is_active"])
    if before != after:
        set_links(centre, "organisations", chosen)
        changes["organisations"] = (before, after)
    record_changes(acting_user, centre, changes)
    return centre
