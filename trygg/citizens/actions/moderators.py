"""Naming and removing the people who moderate a municipality's residents' reports besides its
coordinators (issue 12, point 3), e.g. the Trygghetscenter's staff or the customer service.

Only a coordinator (or admin) of that municipality names or removes; only a member of an
organisation in the municipality can be named (a moderator sees the reports' exact positions
and unpublished text, which stay within the municipality's partners). Each write is audited;
`actions/moderation.py` reads the result through `moderated_municipality_ids`."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trygg.citizens.models import ReportModerator
from trygg.core.audit import record, record_created
from trygg.core.models import AuditEntry
from trygg.organisations.access import access_for
from trygg.places.models import Municipality

NOT_A_COORDINATOR = gettext_lazy("Bara kommunens samordnare kan utse och ta bort granskare.")


def check_may_name(acting_user, municipality_id: int) -> None:
    if not access_for(acting_user).can_coordinate(municipality_id):
        raise PermissionDenied(NOT_A_COORDINATOR)


def candidates(municipality: Municipality) -> QuerySet:
    """Active users with a membership of an organisation in the municipality who are not
    named yet, by user name: whom a coordinator chooses among."""
    named = ReportModerator.objects.filter(municipality=municipality).values("user_id")
    return (
        get_user_model()
        .objects.filter(is_active=True, memberships__organisation__municipality=municipality)
        .exclude(pk__in=named)
        .distinct()
        .order_by("username")
    )


@transaction.atomic
def name_moderator(municipality: Municipality, user, *, acting_user) -> ReportModerator:
    """`user` moderates the municipality's residents' reports from now on."""
    check_may_name(acting_user, municipality.pk)
    if not candidates(municipality).filter(pk=user.pk).exists():
        if ReportModerator.objects.filter(municipality=municipality, user=user).exists():
            raise ValidationError({"user": _("Personen är redan granskare i kommunen.")})
        raise ValidationError({"user": _("Välj någon som är med i en organisation i kommunen.")})
    moderator = ReportModerator.objects.create(
        municipality=municipality, user=user, named_by=acting_user
    )
    record_created(acting_user, moderator, ["municipality_id", "user_id", "named_by_id"])
    return moderator


@transaction.atomic
def remove_moderator(moderator: ReportModerator, *, acting_user) -> None:
    """The person no longer moderates (coordinators of the municipality still do)."""
    check_may_name(acting_user, moderator.municipality_id)
    # Who it was and where, kept in the audit after the row is gone.
    for name in ("municipality", "user"):
        old = getattr(moderator, f"{name}_id")
        record(acting_user, moderator, AuditEntry.Action.DELETE, name, old, None)
    moderator.delete()
