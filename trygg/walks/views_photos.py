"""A finding's photo. Media files are not served openly: partners who may see the walk see
every photo; everyone else only a photo a moderator approved, of a published walk."""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.views.decorators.http import require_GET

from trygg.organisations.shards import own_first_or_404
from trygg.walks.models import Finding, FindingPhoto, Walk


def may_see_photo(user, photo: FindingPhoto) -> bool:
    walk = photo.finding.walk
    if (
        Walk.objects.visible_to(user)
        .filter(municipality_id=walk.municipality_id, pk=walk.pk)
        .exists()
    ):
        return True
    return photo.is_public and walk.published_at is not None


@require_GET
def finding_photo(request, pk: int):
    # Looked for in the user's own municipalities first (their shards only on Citus); the
    # public, whose photos could be anywhere, by the id alone.
    photo = own_first_or_404(request.user, FindingPhoto.objects.all(), pk=pk)
    # The finding and its walk read in the photo's municipality: sharded (Citus), a join of
    # the three tables by id alone would be refused.
    photo.finding = Finding.objects.select_related("walk").get(
        municipality_id=photo.municipality_id,
        walk__municipality_id=photo.municipality_id,
        pk=photo.finding_id,
    )
    if not may_see_photo(request.user, photo):
        raise Http404
    response = FileResponse(photo.image.open("rb"), content_type="image/jpeg")
    # Pending photos must not linger in a shared cache once a moderator rejects them.
    response["Cache-Control"] = "private, max-age=600"
    return response
