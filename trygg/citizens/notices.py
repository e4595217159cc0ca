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
from django.utils.translation import gettext as _

from trygg.citizens.models import CitizenReport, Moderation, StatusContact, StatusNotice
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
    """The report's status in plain Swedish, as the resident's tracking page says it.

    A local stand-in for `citizens.status.status_lines` (written in another part of issue 12):
    the integrator replaces it by that function."""
    event = report.event
    where = f" vid {event.place.name}" if event.place else ""
    lines = [
        _("Din rapport om %(what)s%(where)s, skickad %(day)s.")
        % {
            "what": report.get_resident_category_display().lower(),
            "where": where,
            "day": timezone.localdate(report.created_at).isoformat(),
        }
    ]
    if report.moderation == Moderation.HIDDEN:
        lines.append(_("Rapporten visas inte för andra. Skäl: %s") % report.hidden_reason)
    elif report.moderation == Moderation.DUPLICATE:
        lines.append(_("Samma sak var redan rapporterad; din rapport räknas med i den."))
        original = report.duplicate_of
        if original is not None and original.routed_to is not None:
            lines.append(_("Den har skickats till %s.") % original.routed_to.name)
    elif report.routed_to is not None and report.closed_at is None:
        lines.append(_("Rapporten har skickats till %s.") % report.routed_to.name)
    if report.closed_at is not None:
        lines.append(
            _("Ärendet är avslutat: %(outcome)s.") % {"outcome": report.get_outcome_display()}
        )
        if report.closing_note:
            lines.append(report.closing_note)
    return lines


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
