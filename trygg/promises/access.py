"""Who does what with a municipality's agreement and promise.

Every member of an organisation in the municipality reads the internal pages (the evidence,
drafts, follow-ups in the making). The municipality's coordinators and admins set an agreement
up; after that its parties write it together: the coordinators, and every member of a party
organisation (the kommunpolis of the local police area is a reporter in the police's
organisation, and writes the promise with the coordinator). A commitment's owner records its
status at a follow-up. The public reads only what is adopted and published."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from trygg.organisations.access import access_for
from trygg.organisations.shards import children, parent

SETTING_UP_ROLES = ("coordinator", "admin")


def may_view(user, municipality_id: int) -> bool:
    return access_for(user).can_view(municipality_id)


def may_set_up(user, municipality_id: int) -> bool:
    return access_for(user).has_role_in(municipality_id, SETTING_UP_ROLES)


def may_edit(user, agreement) -> bool:
    if may_set_up(user, agreement.municipality_id):
        return True
    organisation_ids = access_for(user).organisation_ids
    return children(agreement, "parties").filter(organisation_id__in=organisation_ids).exists()


def may_report_for(user, commitment) -> bool:
    """Whoever edits the promise, or a member of the commitment's owner."""
    if commitment.owner_id in access_for(user).organisation_ids:
        return True
    return may_edit(user, parent(parent(commitment, "promise"), "agreement"))


def check_may_set_up(user, municipality_id: int) -> None:
    if not may_set_up(user, municipality_id):
        raise PermissionDenied(_("Bara kommunens samordnare kan lägga upp en överenskommelse."))


def check_may_edit(user, agreement) -> None:
    if not may_edit(user, agreement):
        raise PermissionDenied(
            _("Bara överenskommelsens parter och kommunens samordnare kan ändra den.")
        )


def check_may_report_for(user, commitment) -> None:
    if not may_report_for(user, commitment):
        raise PermissionDenied(
            _("Bara den ansvariga organisationen och samordnarna kan följa upp åtagandet.")
        )
