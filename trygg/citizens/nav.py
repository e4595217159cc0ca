"""Who sees which of the residents' pages in the staff menu, and the "Invånare" hub that groups
them (one entry in the main menu instead of three, so it fits on one line at 1280 px).

The rules are the ones the three menu entries had: the moderation queue for those who moderate
a municipality's reports, the Trygghetscenter for members of an organisation at a centre or
with one of its cases and for coordinators, the dialogues for everyone signed in (each page
then shows what the user may read). Only the hub asks, so the menu itself costs no query."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from trygg.citizens.actions.moderation import moderated_municipality_ids
from trygg.citizens.models import CentreOrganisation, DeskCase
from trygg.organisations.access import access_for


def moderates_reports(user) -> bool:
    """One small query: the municipalities whose reports the user moderates."""
    return access_for(user).is_superuser or bool(moderated_municipality_ids(user))


def works_with_desk(user) -> bool:
    """At most two small queries: a centre of the user's organisations, or one of its cases."""
    access = access_for(user)
    if access.is_superuser or access.coordinated_municipality_ids:
        return True
    organisation_ids = list(access.organisation_ids)
    # A centre's organisations and a case's partner lie in its municipality: naming the
    # organisations' municipalities reads only their shards (Citus), and the link table alone
    # answers for the centres (it cannot join it to the centres across shards).
    municipality_ids = {access.municipality_of[org] for org in organisation_ids}
    return bool(organisation_ids) and (
        CentreOrganisation.objects.filter(
            municipality_id__in=municipality_ids, organisation_id__in=organisation_ids
        ).exists()
        or DeskCase.objects.filter(
            municipality_id__in=municipality_ids, taken_by__in=organisation_ids
        ).exists()
    )


@dataclass(frozen=True)
class Entry:
    title: str | Promise
    url: str
    description: str | Promise


def residents_entries(user) -> list[Entry]:
    """The hub's links, in the order the menu had them, for this user."""
    entries = [
        Entry(
            _("Dialoger"),
            reverse("dialogues:list"),
            _("Medborgardialoger: vad invånare tog upp, per tema och område."),
        )
    ]
    if moderates_reports(user):
        entries.append(
            Entry(
                _("Invånarrapporter"),
                reverse("citizens:queue"),
                _("Granska rapporter från invånare, skicka dem vidare och avsluta dem."),
            )
        )
    if works_with_desk(user):
        entries.append(
            Entry(
                _("Trygghetscenter"),
                reverse("desk:index"),
                _("Ärenden från trygghetscentret: disken, era ärenden och statistiken."),
            )
        )
    return entries
