"""Who does what with a municipality's presence calendar.

Every member of an organisation in the municipality reads the calendar, the groups and their
shifts: coordinating who is out where is the point, and the calendar holds no names. A group's
own organisation plans its shifts and looks after the group (its reporters, coordinators and
admins, as for reporting events); the municipality's coordinators plan and look after any
group there. Nobody else writes."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from trygg.organisations.access import WRITE_ROLES, access_for


def may_view(user, municipality_id: int) -> bool:
    return access_for(user).can_view(municipality_id)


def may_plan_for(user, municipality_id: int, organisation_id: int) -> bool:
    """Plan shifts of (and edit) a group of `organisation_id` in the municipality."""
    access = access_for(user)
    return (
        access.can_coordinate(municipality_id) or access.roles.get(organisation_id) in WRITE_ROLES
    )


def may_plan_any(user, municipality_id: int) -> bool:
    """Whether the user may plan for at least one organisation there (to offer the forms)."""
    access = access_for(user)
    return access.can_coordinate(municipality_id) or any(
        access.municipality_of.get(org) == municipality_id
        for org in access.reporting_organisation_ids()
    )


def planning_organisation_ids(user, municipality_id: int) -> set[int] | None:
    """The organisations whose groups the user plans for there; None: every one (a
    coordinator of the municipality)."""
    access = access_for(user)
    if access.can_coordinate(municipality_id):
        return None
    return {
        org
        for org in access.reporting_organisation_ids()
        if access.municipality_of.get(org) == municipality_id
    }


def check_may_plan(user, group) -> None:
    if not may_plan_for(user, group.municipality_id, group.organisation_id):
        raise PermissionDenied(
            _("Bara gruppens organisation och kommunens samordnare kan planera gruppens pass.")
        )


def check_may_manage_group(user, municipality_id: int, organisation_id: int) -> None:
    if not may_plan_for(user, municipality_id, organisation_id):
        raise PermissionDenied(
            _("Bara organisationen själv och kommunens samordnare kan lägga upp och ändra gruppen.")
        )


# --- krogtillsyn --------------------------------------------------------------------------------
# The municipality grants serving licences, so its coordinators keep the register of premises,
# licences and the inspection plan. An inspection is recorded by someone who writes for one of
# the organisations taking part (the municipality's licensing officer, the police), and its
# findings become that organisation's events.


def may_manage_premises(user, municipality_id: int) -> bool:
    return access_for(user).can_coordinate(municipality_id)


def check_may_manage_premises(user, municipality_id: int) -> None:
    if not may_manage_premises(user, municipality_id):
        raise PermissionDenied(
            _("Bara kommunens samordnare kan lägga upp serveringsställen och tillstånd.")
        )


def may_record_inspections(user, municipality_id: int) -> bool:
    """Whether the user writes for some organisation in the municipality (to offer the form)."""
    return access_for(user).has_role_in(municipality_id, WRITE_ROLES)


def check_may_record_for(user, organisation) -> None:
    if not access_for(user).can_report_for(organisation):
        raise PermissionDenied(
            _("Du kan inte registrera tillsyn för %(org)s.") % {"org": organisation.name}
        )


# --- ordningsvakter -----------------------------------------------------------------------------
# The municipality applies to the county for its guard areas, so its coordinators enter the
# decisions. The export of the guards' reports goes to the police: the coordinators and the
# guards' own organisation make it.


def may_manage_guard_areas(user, municipality_id: int) -> bool:
    return access_for(user).can_coordinate(municipality_id)


def check_may_manage_guard_areas(user, municipality_id: int) -> None:
    if not may_manage_guard_areas(user, municipality_id):
        raise PermissionDenied(
            _("Bara kommunens samordnare kan lägga in länsstyrelsens beslut om ordningsvakter.")
        )


def may_export_guard_reports(user, municipality_id: int, guard_organisation_ids) -> bool:
    access = access_for(user)
    return access.can_coordinate(municipality_id) or any(
        org in access.roles for org in guard_organisation_ids
    )
