"""Who may see and change measures, meetings, plans and rules.

Measures are shared work: every partner in the municipality sees them. The coordinators run
them (create, assign, decide, plan); the responsible organisation reports its progress;
any partner that reports may propose a measure and comment. Rules are edited by admins."""

from __future__ import annotations

from trygg.organisations.access import WRITE_ROLES, access_for
from trygg.organisations.models import Membership


def can_coordinate(user, municipality_id: int) -> bool:
    return access_for(user).can_coordinate(municipality_id)


def can_contribute(user, municipality_id: int) -> bool:
    """Propose a measure or comment: someone who reports for an organisation there."""
    return access_for(user).has_role_in(municipality_id, WRITE_ROLES)


def acts_for_responsible(user, measure) -> bool:
    """A reporter, coordinator or admin of the organisation that owns the measure."""
    access = access_for(user)
    return access.roles.get(measure.responsible_id) in WRITE_ROLES


def can_update_status(user, measure) -> bool:
    return can_coordinate(user, measure.municipality_id) or acts_for_responsible(user, measure)


def can_comment(user, measure) -> bool:
    return can_update_status(user, measure) or can_contribute(user, measure.municipality_id)


ANALYSIS_ROLES = {Membership.Role.ANALYST, Membership.Role.COORDINATOR, Membership.Role.ADMIN}


def can_analyse(user, municipality_id: int) -> bool:
    """Change an evaluation's control area and rings: analysts, coordinators and admins."""
    return access_for(user).has_role_in(municipality_id, ANALYSIS_ROLES)


def can_edit_rules(user, municipality_id: int) -> bool:
    """Administrators of an organisation in the municipality (and superusers)."""
    return access_for(user).has_role_in(municipality_id, {Membership.Role.ADMIN})


def acting_organisation(user, municipality_id: int, preferred_id: int | None = None):
    """The organisation a user writes for in the timeline: the measure's responsible one if
    they belong to it, else their organisation in the municipality (None for superusers)."""
    access = access_for(user)
    if preferred_id in access.organisation_ids:
        return preferred_id
    in_municipality = sorted(
        org for org, mun in access.municipality_of.items() if mun == municipality_id
    )
    return in_municipality[0] if in_municipality else None
