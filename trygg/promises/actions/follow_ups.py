"""Writing a follow-up: the period (one the agreement's interval gives, inside the promise),
each commitment's status with the indicator's value, and publication for residents. A
published follow-up is what residents read: it does not change afterwards."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trygg.core.audit import record_changes, record_created
from trygg.organisations.shards import children, parent
from trygg.promises.access import check_may_edit, check_may_report_for
from trygg.promises.actions.agreements import changed
from trygg.promises.models import (
    ENTERED,
    Commitment,
    CommitmentState,
    CommitmentStatus,
    FollowUp,
    Promise,
    PromiseVersion,
)
from trygg.promises.progress import follow_up_periods, is_computed, target_progress, value_for


def commitments_followed(follow_up: FollowUp):
    """The commitments a follow-up covers: adopted by the period's end, and not removed
    before the period began."""
    # The versions are read by subqueries naming the municipality rather than joined (a
    # commitment never removed has no removing version, which would take an outer join), so
    # that Citus sends the query to one shard. Each row keeps the follow-up's promise.
    promise = parent(follow_up, "promise")
    versions = PromiseVersion.objects.filter(
        municipality_id=follow_up.municipality_id, promise_id=follow_up.promise_id
    )
    return (
        children(promise, "commitments")
        .filter(added_in__in=versions.filter(adopted_on__lte=follow_up.last_day).values("pk"))
        .exclude(removed_in__in=versions.filter(adopted_on__lt=follow_up.first_day).values("pk"))
        .select_related("owner", "indicator_category", "indicator_area")
    )


@transaction.atomic
def open_follow_up(
    promise: Promise, *, first_day: dt.date, last_day: dt.date, acting_user
) -> FollowUp:
    """A follow-up for one of the agreement's periods inside the promise."""
    check_may_edit(acting_user, promise.agreement)
    errors: dict[str, list[str]] = {}
    if promise.current_version() is None:
        errors["promise"] = [_("Löftet är inte antaget än; det finns inget att följa upp.")]
    if first_day < promise.start or last_day > promise.end:
        errors["first_day"] = [
            _("Perioden ligger utanför löftets period (%(start)s–%(end)s).")
            % {"start": promise.start, "end": promise.end}
        ]
    elif (first_day, last_day) not in follow_up_periods(promise):
        errors["first_day"] = [
            _("Överenskommelsen följs upp %(interval)s; välj en av de perioderna.")
            % {"interval": promise.agreement.get_follow_up_interval_display()}
        ]
    if children(promise, "follow_ups").filter(first_day=first_day, last_day=last_day).exists():
        errors["first_day"] = [_("Perioden är redan uppföljd.")]
    if errors:
        raise ValidationError(errors)
    follow_up = FollowUp.objects.create(
        promise=promise, first_day=first_day, last_day=last_day, created_by=acting_user
    )
    record_created(acting_user, follow_up, ["first_day", "last_day"])
    return follow_up


def computed_figures(commitment: Commitment, follow_up: FollowUp) -> dict:
    """The indicator over the period and against the target, as kept with the status."""
    value = value_for(commitment, follow_up.first_day, follow_up.last_day)
    if value is None:
        return {}
    data = {"period": value.as_json(), "kind": commitment.indicator_kind}
    progress = target_progress(commitment, follow_up.first_day, follow_up.last_day)
    if progress is not None:
        data["target"] = progress.as_json()
    return data


@transaction.atomic
def record_status(
    follow_up: FollowUp,
    commitment: Commitment,
    *,
    state: str,
    reason: str = "",
    value: Decimal | None = None,
    value_source: str = "",
    note: str = "",
    acting_user,
) -> CommitmentStatus:
    """A commitment's status at the follow-up. A computed indicator's value is computed now
    and kept; an entered one needs its source; a dropped commitment needs its reason."""
    check_may_report_for(acting_user, commitment)
    errors = _status_errors(follow_up, commitment, state, reason, value, value_source)
    if errors:
        raise ValidationError(errors)
    figures = computed_figures(commitment, follow_up)
    if figures:
        value, value_source = Decimal(figures["period"]["value"]), ""
    row = (
        CommitmentStatus.objects.filter(
            municipality_id=follow_up.municipality_id, follow_up=follow_up, commitment=commitment
        )
        .order_by("pk")
        .first()
    )
    fields = {
        "state": state,
        "reason": reason.strip(),
        "value": value,
        "value_source": value_source.strip(),
        "note": note.strip(),
        "computed": figures,
    }
    if row is None:
        row = CommitmentStatus.objects.create(follow_up=follow_up, commitment=commitment, **fields)
        record_created(acting_user, row, ["state", "reason", "value", "value_source", "note"])
        return row
    old = {name: getattr(row, name) for name in fields if name != "computed"}
    for name, new in fields.items():
        setattr(row, name, new)
    row.save()
    record_changes(acting_user, row, changed(row, old))
    return row


def _status_errors(follow_up, commitment, state, reason, value, value_source):
    errors: dict[str, list[str]] = {}
    if follow_up.is_published:
        errors["state"] = [_("Uppföljningen är publicerad och kan inte ändras.")]
    if not commitments_followed(follow_up).filter(pk=commitment.pk).exists():
        errors["commitment"] = [_("Åtagandet ingår inte i löftet under perioden.")]
    if state not in CommitmentState.values:
        errors["state"] = [_("Välj en status.")]
    if state == CommitmentState.DROPPED and not reason.strip():
        errors["reason"] = [_("Skriv varför åtagandet utgår.")]
    if is_computed(commitment) and value is not None:
        errors["value"] = [_("Värdet räknas fram ur Trygg och kan inte föras in för hand.")]
    if commitment.indicator_kind == ENTERED and value is not None and not value_source.strip():
        errors["value_source"] = [_("Ange var värdet kommer ifrån.")]
    if value is not None and value < 0:
        errors["value"] = [_("Värdet kan inte vara negativt.")]
    return errors


@transaction.atomic
def publish_follow_up(
    follow_up: FollowUp,
    *,
    summary: str,
    next_steps: str,
    published_on: dt.date | None = None,
    acting_user,
) -> FollowUp:
    """Publish for residents, once every commitment has its status and the next steps are
    written: the follow-up then reads the same for good."""
    check_may_edit(acting_user, follow_up.promise.agreement)
    published_on = published_on or timezone.localdate()
    errors: dict[str, list[str]] = {}
    if follow_up.is_published:
        errors["published_on"] = [_("Uppföljningen är redan publicerad.")]
    recorded = CommitmentStatus.objects.filter(
        municipality_id=follow_up.municipality_id, follow_up=follow_up
    )
    missing = (
        commitments_followed(follow_up).exclude(pk__in=recorded.values("commitment_id")).count()
    )
    if missing:
        errors["statuses"] = [_("%(n)s åtaganden saknar status.") % {"n": missing}]
    if not next_steps.strip():
        errors["next_steps"] = [_("Skriv vad som händer nu.")]
    if published_on < follow_up.last_day:
        errors["published_on"] = [_("En uppföljning publiceras tidigast när perioden är slut.")]
    if published_on > timezone.localdate():
        # Residents would read it now, under a day that has not come.
        errors["published_on"] = [_("Publiceringsdagen kan inte ligga efter i dag.")]
    if errors:
        raise ValidationError(errors)
    old = {"summary": follow_up.summary, "next_steps": follow_up.next_steps, "published_on": None}
    follow_up.summary, follow_up.next_steps = summary.strip(), next_steps.strip()
    follow_up.published_on = published_on
    follow_up.save()
    record_changes(acting_user, follow_up, changed(follow_up, old))
    return follow_up
