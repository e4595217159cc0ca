"""Publishing a walk for everyone (issue 11, item 7): the coordinators' decision, audited.

Publishing makes the public page `public_walk` show the walk (route, findings by kind and as
points, the answers and what was done, approved photos); it changes no event's visibility:
the walk's page is the publication, and the events keep their owners' choice on the shared log.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trygg.core.audit import record_changes
from trygg.organisations.access import access_for
from trygg.walks.models import Walk


def _check_may_publish(walk: Walk, acting_user) -> None:
    if not access_for(acting_user).can_coordinate(walk.municipality_id):
        raise PermissionDenied(_("Bara samordnare i kommunen kan publicera vandringen."))


@transaction.atomic
def publish_walk(walk: Walk, *, acting_user) -> Walk:
    """Show the walk on the public pages from now on. Publishing it again changes nothing
    (the date it was first published stays)."""
    _check_may_publish(walk, acting_user)
    walk = Walk.objects.select_for_update().get(pk=walk.pk, municipality_id=walk.municipality_id)
    if walk.status == Walk.Status.PLANNED:
        raise ValidationError(
            {"published_at": _("Vandringen är inte genomförd än: det finns inget att publicera.")}
        )
    if walk.published_at is not None:
        return walk
    walk.published_at = timezone.now()
    walk.save(update_fields=["published_at", "updated_at"])
    record_changes(acting_user, walk, {"published_at": (None, walk.published_at)})
    return walk


@transaction.atomic
def unpublish_walk(walk: Walk, *, acting_user) -> Walk:
    """Take the walk off the public pages (its public page answers 404 again)."""
    _check_may_publish(walk, acting_user)
    walk = Walk.objects.select_for_update().get(pk=walk.pk, municipality_id=walk.municipality_id)
    if walk.published_at is None:
        return walk
    old = walk.published_at
    walk.published_at = None
    walk.save(update_fields=["published_at", "updated_at"])
    record_changes(acting_user, walk, {"published_at": (old, None)})
    return walk
