"""Whether the main menu shows the residents' reports queue: for those who moderate them, the
coordinators and the people a municipality named (one small query, kept on the user object)."""

from __future__ import annotations

from django import template

from trygg.citizens.actions.moderation import moderated_municipality_ids
from trygg.organisations.access import access_for

register = template.Library()


@register.simple_tag
def moderates_reports(user) -> bool:
    cached = getattr(user, "_trygg_moderation_nav", None)
    if cached is not None:
        return cached
    shown = access_for(user).is_superuser or bool(moderated_municipality_ids(user))
    if getattr(user, "is_authenticated", False):
        user._trygg_moderation_nav = shown
    return shown
