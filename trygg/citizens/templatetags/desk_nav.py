"""Whether the main menu shows the Trygghetscenter: for members of an organisation that sits
at a centre or has taken on one of its cases, and for coordinators, who set centres up (at
most two small queries per page, the answer kept on the user object)."""

from __future__ import annotations

from django import template

from trygg.citizens.models import Centre, DeskCase
from trygg.organisations.access import access_for

register = template.Library()


@register.simple_tag
def works_with_desk(user) -> bool:
    cached = getattr(user, "_trygg_desk_nav", None)
    if cached is not None:
        return cached
    access = access_for(user)
    organisation_ids = list(access.organisation_ids)
    shown = (
        access.is_superuser
        or bool(access.coordinated_municipality_ids)
        or (
            bool(organisation_ids)
            and (
                Centre.objects.filter(organisations__in=organisation_ids).exists()
                or DeskCase.objects.filter(taken_by__in=organisation_ids).exists()
            )
        )
    )
    if getattr(user, "is_authenticated", False):
        user._trygg_desk_nav = shown
    return shown
