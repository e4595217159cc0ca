"""E-mails about a walk: the protocol to each responsible organisation, and reminders of
unanswered findings before the follow-up meeting. Sent by the worker from `WalkNotice` rows,
never twice.

Rows are queued by `actions.protocol.send_protocol` (one per organisation and version, key
"v<n>"), by `actions.review.confirm_responsible` when a finding is routed anew after the
protocol went out (key "v<n>-<finding number>"), and by :func:`schedule_reminders` (key: the
follow-up meeting's date, so a moved meeting earns a fresh reminder and the same date never
two). The unique (walk, kind, organisation, key) makes queueing idempotent.

Sending has the shape of `trygg.measures.notifications` and reuses its rules: each row is
locked while it is handled (`select_for_update(skip_locked=True)`), `sent_at` is set only once
the backend accepted the message, a failure is tried again on the same schedule
(`RETRY_AFTER`, `MAX_ATTEMPTS`), and a row that is no longer true at its turn is skipped
(`sent_at` set, `last_error` starting with `SKIPPED`). Recipients are found the same way
(`recipients_for`: the organisation's mailbox, else its coordinators, else its reporters).

The mails name organisations and places and quote the findings' own (scrubbed) notes, never
a person: who captured a finding or answered it is not passed to the templates."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import Exists, OuterRef, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import Truncator

from trygg.core import outbox
from trygg.core.periods import midnight
from trygg.core.privacy import scrub_text
from trygg.measures.notifications import (
    RETRY_AFTER,
    SEND_LIMIT,
    absolute_url,
    recipients_for,
)
from trygg.walks.actions.review import routed
from trygg.walks.in_municipality import answers_prefetch, stop_prefetch, walk_findings
from trygg.walks.models import Answer, Finding, ProtocolVersion, Walk, WalkNotice
from trygg.walks.protocol import local

Kind = WalkNotice.Kind
REMINDER_DAYS = 7
NOTE_CHARS = 300


# --- queueing reminders --------------------------------------------------------------------


def unanswered(walk: Walk, organisation_id: int) -> QuerySet[Finding]:
    """The organisation's confirmed findings on the walk that it has not answered."""
    mine = routed(walk_findings(walk).filter(responsible_id=organisation_id))
    # The answers as a subquery naming the walk's municipality (Citus: one shard).
    answers = Answer.objects.filter(
        municipality_id=walk.municipality_id, organisation_id=organisation_id
    )
    return mine.exclude(pk__in=answers.values("finding_id"))


def schedule_reminders(today: dt.date) -> int:
    """Queue a reminder for each organisation with unanswered findings on a walk whose
    protocol is out and whose follow-up meeting is within REMINDER_DAYS; returns how many are
    new. Running it again the same day (or the next) adds nothing."""
    start, end = midnight(today), midnight(today + dt.timedelta(days=REMINDER_DAYS + 1))
    # Every municipality's walks: the walks and their protocols read by two queries of one
    # table each, since sharded by municipality (Citus) a join of the two across
    # municipalities is refused.
    walks = _with_protocol(Walk.objects.filter(followup_at__gte=start, followup_at__lt=end))
    wanted = []
    for walk in walks:
        assert walk.followup_at is not None  # noqa: S101 -- the filter above
        key = timezone.localdate(walk.followup_at).isoformat()
        # A finding answered by the organisation now responsible for it (an earlier "not
        # ours" from another one does not count). The walk's municipality is named for every
        # table, so that the query goes to the walk's shard.
        answered_by_responsible = Answer.objects.filter(
            municipality_id=walk.municipality_id,
            finding=OuterRef("pk"),
            organisation=OuterRef("responsible"),
        )
        owners = set(
            routed(walk_findings(walk))
            .exclude(Exists(answered_by_responsible))
            .values_list("responsible_id", flat=True)
        )
        wanted += [
            WalkNotice(walk=walk, kind=Kind.REMINDER, organisation_id=org, key=key)
            for org in sorted(owners)
        ]
    existing = set(
        WalkNotice.objects.filter(
            kind=Kind.REMINDER,
            municipality_id__in={walk.municipality_id for walk in walks},
            walk_id__in=[walk.pk for walk in walks],
        ).values_list("walk_id", "organisation_id", "key")
    )
    new = [row for row in wanted if (row.walk_id, row.organisation_id, row.key) not in existing]
    # ignore_conflicts: another worker may have queued the same row since we looked.
    WalkNotice.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def _with_protocol(walks: QuerySet[Walk]) -> list[Walk]:
    """`walks` (in their order) whose protocol has been sent."""
    walks_list = list(walks)
    sent = set(
        ProtocolVersion.objects.filter(
            municipality_id__in={walk.municipality_id for walk in walks_list},
            walk_id__in=[walk.pk for walk in walks_list],
        ).values_list("walk_id", flat=True)
    )
    return [walk for walk in walks_list if walk.pk in sent]


# --- sending -------------------------------------------------------------------------------


def send_pending(now: dt.datetime, limit: int = SEND_LIMIT) -> Counter[str]:
    """Send (or skip, or fail) up to `limit` rows whose turn it is; counts by outcome."""
    rows = WalkNotice.objects.select_related("walk__municipality", "organisation")
    return outbox.send_pending(
        rows,
        _handle,  # type: ignore[arg-type]
        now,
        limit=limit,
        retry_after=RETRY_AFTER,
    )


def _handle(row: WalkNotice, now: dt.datetime) -> str:
    findings = findings_for(row)
    addresses = recipients_for(row.organisation)
    return outbox.deliver(
        row,
        now,
        skip=reason_to_skip(row, findings, now),
        addresses=addresses,
        message=lambda: build_message(row, findings, addresses),
    )


def findings_for(row: WalkNotice) -> list[Finding]:
    """What the mail lists: all the organisation's findings (protocol), or the unanswered
    ones (reminder), as they are at sending time."""
    if row.kind == Kind.REMINDER:
        found = unanswered(row.walk, row.organisation_id)
    else:
        found = routed(walk_findings(row.walk).filter(responsible_id=row.organisation_id))
    # The optional stop and the answers read apart in the walk's municipality (one shard).
    municipality_id = row.walk.municipality_id
    return list(
        found.select_related("event__category__parent", "event__place")
        .prefetch_related(stop_prefetch(municipality_id), answers_prefetch(municipality_id))
        .order_by("number")
    )


def reason_to_skip(row: WalkNotice, findings: list[Finding], now: dt.datetime) -> str:
    """Why the notice is no longer true at send time ("" when it still is)."""
    if row.kind == Kind.PROTOCOL:
        return "" if findings else "organisationen ansvarar inte längre för någon iakttagelse"
    followup = row.walk.followup_at
    if followup is None or timezone.localdate(followup).isoformat() != row.key:
        return "uppföljningsmötet har flyttats"
    if followup <= now:
        return "uppföljningsmötet har redan börjat"
    if not findings:
        return "alla iakttagelser är besvarade"
    return ""


# --- the message ---------------------------------------------------------------------------


def build_message(row: WalkNotice, findings: list[Finding], addresses: list[str]) -> EmailMessage:
    """The e-mail for one row, in the site's language, from walks/email/<kind>*.txt."""
    context = mail_context(row, findings)
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"walks/email/{row.kind}_subject.txt", context)
        body = render_to_string(f"walks/email/{row.kind}.txt", context)
    return EmailMessage(
        subject=" ".join(subject.split()),
        body=body.strip() + "\n",
        to=addresses,
        headers={"Auto-Submitted": "auto-generated"},  # RFC 3834
    )


def mail_context(row: WalkNotice, findings: list[Finding]) -> dict:
    """Organisations, places, categories and the findings' scrubbed notes; no user."""
    walk = row.walk
    answers_url = reverse("walks:answers", args=[walk.pk, row.organisation_id])
    return {
        "kind": row.kind,
        "organisation": row.organisation.name,
        "municipality": walk.municipality.name,
        "walk": scrub_text(walk.title),
        "walk_at": local(walk.walk_at),
        "followup_at": local(walk.followup_at),
        "findings": [_finding_line(f, row.organisation_id) for f in findings],
        "url": absolute_url(answers_url),
        "protocol_url": absolute_url(reverse("walks:protocol", args=[walk.pk])),
    }


def _finding_line(finding: Finding, organisation_id: int) -> dict:
    event = finding.event
    where = event.place.name if event.place else (finding.stop.name if finding.stop else "")
    answered = any(a.organisation_id == organisation_id for a in finding.answers.all())
    return {
        "number": finding.number,
        "category": event.category.path_name,
        "place": where,
        "note": Truncator(scrub_text(event.description)).chars(NOTE_CHARS),
        "answered": answered,
    }


# --- the worker's hook ---------------------------------------------------------------------


def run_periodic(now: dt.datetime, limit: int = SEND_LIMIT) -> dict[str, int]:
    """One round for the worker (registered in walks/apps.py): queue the reminders owed
    today, then send what is waiting."""
    queued = schedule_reminders(timezone.localdate(now))
    counts = send_pending(now, limit)
    return {
        "queued": queued,
        "sent": counts["sent"],
        "skipped": counts["skipped"],
        "failed": counts["failed"],
    }
