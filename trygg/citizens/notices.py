"""Status mails to residents (issue 12, point 3), and forgetting their addresses (point 2).

Rows (`StatusNotice`) are queued by `actions.moderation` when a report is routed, closed,
hidden or marked as a duplicate, and only if the resident gave an address. The worker sends
them through `core.outbox` (locked while handled, `sent_at` set once the backend accepted
the message, tried again on the measures' schedule), so a mail never goes twice.

The mail carries the status itself, in plain Swedish: the tracking link's secret is not
stored, so it cannot be put in a mail. After a row is sent its `recipients` says
`ADDRESS_FORGOTTEN`, never the address. After the last mail a report will get (closed,
hidden, duplicate) the address is deleted; the periodic job deletes any address whose
`forget_after` day has come, whatever the state of the report."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone, translation

from trygg.citizens import status
from trygg.citizens.models import CitizenReport, StatusContact, StatusNotice
from trygg.core import outbox
from trygg.measures.notifications import RETRY_AFTER, SEND_LIMIT

Kind = StatusNotice.Kind
# After these the report gets no more mail: the address goes once the mail is sent.
FINAL_KINDS = {Kind.CLOSED, Kind.HIDDEN, Kind.DUPLICATE}
# What a sent row keeps instead of the address (the address itself is deleted).
ADDRESS_FORGOTTEN = "(adressen som invånaren angav, nu borttagen)"


# --- forgetting ----------------------------------------------------------------------------


def forget_contacts(today: dt.date) -> int:
    """Delete every address whose `forget_after` day has come; returns how many."""
    deleted, _by_model = StatusContact.objects.filter(forget_after__lte=today).delete()
    return deleted


# --- sending -------------------------------------------------------------------------------


def send_pending(now: dt.datetime, limit: int = SEND_LIMIT) -> Counter[str]:
    rows = StatusNotice.objects.select_related(
        "report__event__category", "report__event__place", "report__routed_to"
    )
    return outbox.send_pending(
        rows,
        _handle,  # type: ignore[arg-type]
        now,
        limit=limit,
        retry_after=RETRY_AFTER,
    )


def _handle(row: StatusNotice, now: dt.datetime) -> str:
    contact = StatusContact.objects.filter(report_id=row.report_id).first()
    addresses = [contact.email] if contact is not None else []
    outcome = outbox.deliver(
        row,
        now,
        skip="" if contact is not None else "adressen är redan borttagen",
        addresses=addresses,
        message=lambda: build_message(row, addresses),
    )
    if outcome == "sent":
        outbox.save_outcome(row, recipients=ADDRESS_FORGOTTEN)
        if row.kind in FINAL_KINDS and contact is not None:
            contact.delete()
    return outcome


def build_message(row: StatusNotice, addresses: list[str]) -> EmailMessage:
    context = {"kind": row.kind, "lines": status_lines(row.report)}
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("citizens/email/status_subject.txt", context)
        body = render_to_string("citizens/email/status.txt", context)
    return EmailMessage(
        subject=" ".join(subject.split()),
        body=body.strip() + "\n",
        to=addresses,
        headers={"Auto-Submitted": "auto-generated"},  # RFC 3834
    )


def status_lines(report: CitizenReport) -> list[str]:
    """The report's status in plain Swedish, the same lines as on the resident's tracking
    page (`citizens.status`), for a mail that cannot carry the link (its secret is not kept)."""
    return [text for _day, text in status.status_lines(report)]


# --- the worker's hook ---------------------------------------------------------------------


def run_periodic(now: dt.datetime, limit: int = SEND_LIMIT) -> dict[str, int]:
    """One round for the worker (registered in citizens/apps.py): send what is waiting, then
    forget the addresses whose day has come (in that order, so a closing mail queued on the
    last day still goes)."""
    counts = send_pending(now, limit)
    forgotten = forget_contacts(timezone.localdate(now))
    return {
        "sent": counts["sent"],
        "skipped": counts["skipped"],
        "failed": counts["failed"],
        "forgotten": forgotten,
    }
