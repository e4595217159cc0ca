"""Who sees and who runs a Purple Flag year.

Like the action plan and the measures, the year is the municipality's shared work: every
member of an organisation there reads it (the partners of the evening economy work towards
it together). The municipality's coordinators run it: create the year, move its steps, score
the self-assessment, link walks and tag measures. Anyone else is refused, and a year of
another municipality is not found at all."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from trygg.organisations.access import access_for


def may_view(user, municipality_id: int) -> bool:
    return access_for(user).can_view(municipality_id)


def may_run(user, municipality_id: int) -> bool:
    return access_for(user).can_coordinate(municipality_id)


def check_may_run(user, municipality_id: int) -> None:
    if not may_run(user, municipality_id):
        raise PermissionDenied(_("Bara kommunens samordnare kan arbeta med Purple Flag-året."))
