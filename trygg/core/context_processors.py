"""Values every page template needs."""

from django.conf import settings

from trygg.organisations.access import access_for


def trygg(request):
    access = access_for(getattr(request, "user", None))
    return {
        "trygg_access": access,
        "map_tiles_url": settings.TRYGG_MAP_TILES_URL,
        "map_tiles_attribution": settings.TRYGG_MAP_TILES_ATTRIBUTION,
    }
