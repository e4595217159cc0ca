"""Who may see and make situation pictures: staff of organisations in the municipality see
it, its coordinators make meeting packs and the annual report. Residents see the public
summary only (public.py)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from trygg.events.queries import user_municipality_ids
from trygg.organisations.access import access_for
from trygg.organisations.tenancy import first_choice
from trygg.places.models import Municipality


def situation_municipalities(user) -> list[Municipality]:
    """The municipalities whose picture this user may see, by name."""
    ids = user_municipality_ids(user)
    return list(Municipality.objects.filter(pk__in=ids).defer("geometry").order_by("name"))


def can_edit(user, municipality_id: int) -> bool:
    """Make meeting packs, write priorities and the annual report: the municipality's
    coordinators (the EST group's secretaries)."""
    return access_for(user).can_coordinate(municipality_id)


def chosen_municipality(request) -> Municipality | None:
    """The municipality a page is about: `?kommun=<id>` when the user works there, else the
    one chosen in the session's switcher, else the user's first municipality; None when they
    work in none. Asking for a municipality one does not work in is refused (403), not
    quietly changed."""
    mine = {m.pk: m for m in situation_municipalities(request.user)}
    chosen = request.POST.get("kommun") or request.GET.get("kommun")
    if not chosen:
        default = first_choice(request, mine)
        return mine[default] if default is not None else None
    try:
        return mine[int(chosen)]
    except (KeyError, ValueError):
        raise PermissionDenied(_("Du arbetar inte i den kommunen.")) from None
