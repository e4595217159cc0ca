"""Values every page template needs: who the user is in which organisations, and the map tiles."""

from django.conf import settings
from django.utils.functional import SimpleLazyObject

from trygg.organisations.access import access_for
from trygg.organisations.models import Membership
from trygg.organisations.tenancy import chosen_municipality_id


def _memberships(user):
    if not getattr(user, "is_authenticated", False):
        return []
    # One query for the header's "organisation (role)" list, not one per organisation.
    # The municipality's name for the switcher, without its boundary.
    return list(
        Membership.objects.filter(user=user)
        .select_related("organisation__municipality")
        .defer("organisation__municipality__geometry")
    )


def _switchable(request, memberships) -> list[tuple[int, str, bool]]:
    """(id, name, chosen) of the user's municipalities when there are several, else []."""
    names = {
        m.organisation.municipality_id: m.organisation.municipality.name
        for m in memberships
        if not m.organisation.has_county_scope
    }
    if len(names) < 2:
        return []
    chosen = chosen_municipality_id(request) or min(names, key=names.__getitem__)
    return sorted(((pk, name, pk == chosen) for pk, name in names.items()), key=lambda r: r[1])


def trygg(request):
    user = getattr(request, "user", None)
    memberships = SimpleLazyObject(lambda: _memberships(user))
    return {
        # The header's municipality switcher, for users who work in several (decision 0035).
        "trygg_switchable": SimpleLazyObject(lambda: _switchable(request, memberships)),
        "trygg_access": access_for(user),
        "trygg_memberships": memberships,
        "map_tiles_url": settings.TRYGG_MAP_TILES_URL,
        "map_tiles_attribution": settings.TRYGG_MAP_TILES_ATTRIBUTION,
    }
