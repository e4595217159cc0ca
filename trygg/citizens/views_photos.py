"""A resident's photo. Media files are not served openly: the report's moderators see every
photo; everyone else only a photo a moderator approved, of a published report."""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.views.decorators.http import require_GET

from trygg.citizens.actions.moderation import may_moderate
from trygg.citizens.models import CitizenReport, Moderation, ReportPhoto
from trygg.organisations.shards import own_first_or_404


def may_see_photo(user, photo: ReportPhoto) -> bool:
    report = photo.report
    if may_moderate(user, report.municipality_id):
        return True
    return photo.review == ReportPhoto.Review.APPROVED and report.moderation == Moderation.PUBLISHED


def _photo_or_404(request, pk: int) -> ReportPhoto:
    """Looked for first among the municipalities the user works in (their shards only); the
    public, a superuser and anyone else from every shard, as the photo's municipality is not
    known before."""
    return own_first_or_404(request.user, ReportPhoto.objects.all(), pk=pk)


@require_GET
def report_photo(request, pk: int):
    # The photo alone, then its report naming the photo's municipality: Citus cannot join the
    # two sharded tables when the query does not say which municipality they are of.
    photo = _photo_or_404(request, pk)
    photo.report = CitizenReport.objects.get(
        municipality_id=photo.municipality_id, pk=photo.report_id
    )
    if not may_see_photo(request.user, photo):
        raise Http404
    response = FileResponse(photo.image.open("rb"), content_type="image/jpeg")
    # Pending photos must not linger in a shared cache once a moderator rejects them.
    response["Cache-Control"] = "private, max-age=600"
    return response
