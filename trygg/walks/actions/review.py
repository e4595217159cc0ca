"""The coordinator's review of a walk's findings: who answers for each one, which photos may be
published, and which findings are not events at all (issue 11, item 3).

Nothing is routed before a person has seen it: the responsibility rules only suggest
(`Finding.suggested_responsible`); a finding reaches an organisation's answer page and its
e-mail only once a coordinator has confirmed who is responsible (`routed`)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from trygg.core.audit import record_changes
from trygg.events.actions import review_event
from trygg.events.models import Status as EventStatus
from trygg.organisations.access import access_for
from trygg.organisations.models import Organisation
from trygg.walks.in_municipality import children, walk_findings
from trygg.walks.models import Finding, FindingPhoto, Walk, WalkNotice

# A rejected report or a duplicate is no question to anyone: it leaves the routing (and the
# statistics, through events.actions.review_event) but stays on the review page.
NOT_ROUTED_STATUSES = (EventStatus.REJECTED, EventStatus.DUPLICATE)


def routable(findings: QuerySet[Finding]) -> QuerySet[Finding]:
    """The findings that need someone responsible (their event was not rejected)."""
    return findings.exclude(event__status__in=NOT_ROUTED_STATUSES)


def routed(findings: QuerySet[Finding]) -> QuerySet[Finding]:
    """The findings a coordinator has confirmed an organisation for: the only ones any e-mail
    or answer page shows."""
    return routable(findings).filter(
        responsible__isnull=False, responsible_confirmed_at__isnull=False
    )


def unconfirmed(walk: Walk) -> QuerySet[Finding]:
    """The walk's findings still waiting for a confirmed responsible organisation."""
    # Both the query and its subquery name the walk's municipality for every sharded table.
    findings = walk_findings(walk)
    return routable(findings).exclude(pk__in=routed(findings).values("pk"))


def check_may_review(walk: Walk, user) -> None:
    if not access_for(user).can_coordinate(walk.municipality_id):
        raise PermissionDenied(
            _("Bara samordnare i kommunen kan granska vandringens iakttagelser.")
        )


@transaction.atomic
def confirm_responsible(finding: Finding, organisation: Organisation, *, acting_user) -> Finding:
    """Make `organisation` answer for `finding` (coordinators of the walk's municipality).

    Confirming the same organisation again changes nothing. Once the protocol has gone out, a
    finding routed to a new organisation (after a "not ours") earns that organisation its own
    e-mail with its answer page."""
    walk = finding.walk
    check_may_review(walk, acting_user)
    if organisation.municipality_id != walk.municipality_id:
        # The answer opens a measure in the walk's municipality, owned by this organisation.
        raise ValidationError({"responsible": _("Organisationen hör till en annan kommun.")})
    if finding.event.status in NOT_ROUTED_STATUSES:
        raise ValidationError({"responsible": _("Iakttagelsen är avvisad och skickas inte.")})
    if finding.responsible_id == organisation.pk and finding.responsible_confirmed_at:
        return finding
    old = finding.responsible
    finding.responsible = organisation
    finding.responsible_confirmed_by = acting_user
    finding.responsible_confirmed_at = timezone.now()
    finding.save(
        update_fields=["responsible", "responsible_confirmed_by", "responsible_confirmed_at"]
    )
    record_changes(acting_user, finding, {"responsible": (old, organisation)})
    _notice_after_reroute(finding, organisation)
    return finding


def _notice_after_reroute(finding: Finding, organisation: Organisation) -> None:
    """After the protocol was sent, the new organisation is told about the finding now its own
    (the key names the version and the finding, so the same re-route is never mailed twice)."""
    latest = children(finding.walk, "protocols").order_by("-number").first()
    if latest is None:
        return  # sending the protocol tells everyone
    WalkNotice.objects.get_or_create(
        walk=finding.walk,
        kind=WalkNotice.Kind.PROTOCOL,
        organisation=organisation,
        key=f"v{latest.number}-{finding.number}",
    )


@transaction.atomic
def confirm_all_suggestions(walk: Walk, *, acting_user) -> int:
    """Confirm the rules' suggestion for every finding still without a responsible one; returns
    how many were confirmed. Findings without a suggestion are left for the coordinator."""
    check_may_review(walk, acting_user)
    waiting = (
        unconfirmed(walk)
        .filter(suggested_responsible__isnull=False, walk__municipality_id=walk.municipality_id)
        .select_related("walk", "event", "suggested_responsible", "responsible")
    )
    confirmed = 0
    for finding in waiting:
        suggested = finding.suggested_responsible
        if suggested is None or suggested.municipality_id != walk.municipality_id:
            continue
        confirm_responsible(finding, suggested, acting_user=acting_user)
        confirmed += 1
    return confirmed


@transaction.atomic
def review_photo(photo: FindingPhoto, review: str, *, acting_user) -> FindingPhoto:
    """Approve a photo for publication or keep it from the public (the walk's coordinators)."""
    check_may_review(photo.finding.walk, acting_user)
    if review not in FindingPhoto.Review.values:
        raise ValidationError({"review": _("Okänt val för fotot.")})
    if photo.review == review:
        return photo
    old = photo.review
    photo.review = review
    photo.reviewed_by = acting_user
    photo.reviewed_at = timezone.now()
    photo.save(update_fields=["review", "reviewed_by", "reviewed_at"])
    record_changes(acting_user, photo, {"review": (old, review)})
    return photo


@transaction.atomic
def review_finding_event(finding: Finding, status: str, *, acting_user) -> Finding:
    """Set the finding's event status as the events app's review does (reject a finding that is
    no observation, mark a duplicate). A rejected finding leaves the routing; its responsible
    organisation, if any, is kept for the record but it is no longer sent."""
    check_may_review(finding.walk, acting_user)
    event = finding.event
    review_event(event, status=status, flagged=event.flagged, acting_user=acting_user)
    return finding
