"""Values every page template needs: who the user is in which organisations, and the map tiles."""

from django.conf import settings
from django.utils.functional import SimpleLazyObject

from trygg.organisations.access import access_for
from trygg.organisations.models import Membership


def _memberships(user):
    if not getattr(user, "is_authenticated", False):
        return []
    # One query for the header's "organisation (role)" list, not one per organisation.
    return list(Membership.objects.filter(user=user).select_related("organisation"))


def trygg(request):
    user = getattr(request, "user", None)
    return {
        "trygg_access": access_for(user),
        "trygg_memberships": SimpleLazyObject(lambda: _memberships(user)),
        "map_tiles_url": settings.TRYGG_MAP_TILES_URL,
        "map_tiles_attribution": settings.TRYGG_MAP_TILES_ATTRIBUTION,
    }
