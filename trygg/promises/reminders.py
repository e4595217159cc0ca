"""Reminders before a follow-up: an e-mail to each organisation that owns commitments in an
adopted promise, `TRYGG_PROMISE_REMINDER_DAYS` days before a follow-up period ends, so that
it has its statuses and figures ready. Sent by the worker from `FollowUpReminder` rows, never
twice.

Queueing (:func:`schedule_reminders`) looks at the adopted promises whose follow-up period
ends within the next N days and wants one row per (promise, organisation owning a live
commitment, the period's last day); the unique constraint on those makes it once however
often the worker runs. Sending goes through `core.outbox` with the rules of the measures'
and walks' notices: a row is locked while handled, `sent_at` is set once the backend took the
message, a failure is tried again (`RETRY_AFTER`), and a row no longer true at its turn is
skipped (the follow-up already published, or the organisation owns no commitment any more).
Recipients are found as for every notice (`recipients_for`: the organisation's mailbox, else
its coordinators, else its reporters).

The mail names the promise, the period, the organisation and its commitments; never a
person."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from trygg.core import outbox
from trygg.measures.notifications import RETRY_AFTER, SEND_LIMIT, absolute_url, recipients_for
from trygg.organisations.shards import children
from trygg.promises.figures import day_words, period_words
from trygg.promises.models import (
    Agreement,
    Commitment,
    FollowUp,
    FollowUpReminder,
    Promise,
    PromiseVersion,
)
from trygg.promises.progress import follow_up_periods


def reminder_days() -> int:
    return settings.TRYGG_PROMISE_REMINDER_DAYS


def live_commitments(promise: Promise):
    """The commitments promised now: adopted, not removed by a revision."""
    return children(promise, "commitments").exclude(added_in=None).filter(removed_in=None)


# --- queueing --------------------------------------------------------------------------------


def schedule_reminders(today: dt.date) -> int:
    """Queue a reminder for each owner of a live commitment in each adopted promise whose
    follow-up period ends within the next N days; returns how many are new. Running it again
    adds nothing."""
    days = reminder_days()
    # For every municipality at once: each query reads one table, the agreements and the
    # reminders by the keys and municipalities found, so that Citus need not join sharded
    # tables across shards.
    # Without the versions' default order, which would join the promises to sort.
    versions = PromiseVersion.objects.order_by()
    adopted = set(versions.values_list("promise_id", flat=True).distinct())
    promises = list(
        Promise.objects.filter(
            pk__in=adopted, start__lte=today + dt.timedelta(days=days), end__gte=today
        )
    )
    agreements = Agreement.objects.filter(
        municipality_id__in={p.municipality_id for p in promises},
        pk__in={p.agreement_id for p in promises},
    )
    by_pk = {a.pk: a for a in agreements}
    for promise in promises:
        promise.agreement = by_pk[promise.agreement_id]
    wanted = []
    for promise in promises:
        for _first, last in follow_up_periods(promise):
            if today <= last <= today + dt.timedelta(days=days):
                owners = set(live_commitments(promise).values_list("owner_id", flat=True))
                wanted += [
                    FollowUpReminder(promise=promise, organisation_id=org, period_last_day=last)
                    for org in sorted(owners)
                ]
    existing = set(
        FollowUpReminder.objects.filter(
            municipality_id__in={p.municipality_id for p in promises},
            promise_id__in=[p.pk for p in promises],
        ).values_list("promise_id", "organisation_id", "period_last_day")
    )
    new = [
        row
        for row in wanted
        if (row.promise_id, row.organisation_id, row.period_last_day) not in existing
    ]
    # ignore_conflicts: another worker may have queued the same row since we looked.
    FollowUpReminder.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


# --- sending ---------------------------------------------------------------------------------


def send_pending(now: dt.datetime, limit: int = SEND_LIMIT) -> Counter[str]:
    """Send (or skip, or fail) up to `limit` rows whose turn it is; counts by outcome."""
    rows = FollowUpReminder.objects.select_related(
        "promise__agreement__municipality", "organisation"
    ).defer("promise__agreement__municipality__geometry")
    return outbox.send_pending(
        rows,
        _handle,  # type: ignore[arg-type]
        now,
        limit=limit,
        retry_after=RETRY_AFTER,
    )


def _handle(row: FollowUpReminder, now: dt.datetime) -> str:
    commitments = list(live_commitments(row.promise).filter(owner=row.organisation))
    addresses = recipients_for(row.organisation)
    return outbox.deliver(
        row,
        now,
        skip=reason_to_skip(row, commitments),
        addresses=addresses,
        message=lambda: build_message(row, commitments, addresses),
    )


def period_of(row: FollowUpReminder) -> tuple[dt.date, dt.date] | None:
    return next((p for p in follow_up_periods(row.promise) if p[1] == row.period_last_day), None)


def reason_to_skip(row: FollowUpReminder, commitments: list[Commitment]) -> str:
    """Why the reminder is no longer true at send time ("" when it still is)."""
    period = period_of(row)
    if period is None:
        return "perioden finns inte längre i löftet"
    published = FollowUp.objects.filter(
        municipality_id=row.municipality_id,
        promise=row.promise,
        first_day=period[0],
        last_day=period[1],
        published_on__isnull=False,
    )
    if published.exists():
        return "uppföljningen är redan publicerad"
    if not commitments:
        return "organisationen ansvarar inte längre för något åtagande"
    return ""


def build_message(
    row: FollowUpReminder, commitments: list[Commitment], addresses: list[str]
) -> EmailMessage:
    """The e-mail, in the site's language, from promises/email/reminder*.txt."""
    context = mail_context(row, commitments)
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("promises/email/reminder_subject.txt", context)
        body = render_to_string("promises/email/reminder.txt", context)
    return EmailMessage(
        subject=" ".join(subject.split()),
        body=body.strip() + "\n",
        to=addresses,
        headers={"Auto-Submitted": "auto-generated"},  # RFC 3834
    )


def mail_context(row: FollowUpReminder, commitments: list[Commitment]) -> dict:
    """The promise, the period, the organisation and its commitments; no person."""
    promise = row.promise
    period = period_of(row)
    assert period is not None  # noqa: S101 -- a row without its period is skipped
    with translation.override(settings.LANGUAGE_CODE):
        period_text, last_text = period_words(*period), day_words(period[1])
    return {
        "organisation": row.organisation.name,
        "municipality": promise.agreement.municipality.name,
        "promise": promise.title,
        "period": period_text,
        "last_day": last_text,
        "commitments": [c.text for c in commitments],
        "url": absolute_url(reverse("promises:follow_ups", args=[promise.pk])),
    }


# --- the worker's hook -----------------------------------------------------------------------


def run_periodic(now: dt.datetime, limit: int = SEND_LIMIT) -> dict[str, int]:
    """One round for the worker (registered in promises/apps.py): queue the reminders owed
    today, then send what is waiting."""
    queued = schedule_reminders(timezone.localdate(now))
    counts = send_pending(now, limit)
    return {
        "queued": queued,
        "sent": counts["sent"],
        "skipped": counts["skipped"],
        "failed": counts["failed"],
    }
