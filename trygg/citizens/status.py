"""What happened to a resident's report, in plain Swedish, derived from the report alone: the
tracking page shows it, the status mails reuse it. A pure function: no queries beyond the
report's own relations, no writes."""

from __future__ import annotations

import datetime as dt

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from trygg.citizens.models import CitizenReport, Moderation, Outcome


def _day(moment: dt.datetime | None) -> dt.date | None:
    return timezone.localdate(moment) if moment is not None else None


def _text_date(day: dt.date) -> str:
    return formats.date_format(day, "DATE_FORMAT")


def status_lines(report: CitizenReport) -> list[tuple[dt.date, str]]:
    """(date, text) per step the report has taken, oldest first."""
    received = _day(report.created_at) or timezone.localdate()
    lines: list[tuple[dt.date, str]] = [
        (received, _("Mottagen %(date)s") % {"date": _text_date(received)})
    ]
    moderated = _day(report.moderated_at) or received
    if report.moderation == Moderation.PUBLISHED:
        lines.append((moderated, _("Granskad och publicerad")))
    elif report.moderation == Moderation.HIDDEN:
        reason = report.hidden_reason.strip()
        text = _("Dold: %(reason)s") % {"reason": reason} if reason else _("Dold")
        lines.append((moderated, text))
    elif report.moderation == Moderation.DUPLICATE:
        lines.append((moderated, _("Samma sak som en tidigare rapport")))
    if report.routed_to is not None:
        routed = _day(report.routed_at) or moderated
        lines.append(
            (
                routed,
                _("Skickad till %(organisation)s %(date)s")
                % {"organisation": report.routed_to.name, "date": _text_date(routed)},
            )
        )
    if report.closed_at is not None:
        closed = _day(report.closed_at) or received
        if report.outcome == Outcome.FIXED:
            lines.append((closed, _("Åtgärdad %(date)s") % {"date": _text_date(closed)}))
        note = report.closing_note.strip()
        if note:
            lines.append((closed, _("Avslutad: %(note)s") % {"note": note}))
        elif report.outcome != Outcome.FIXED:
            lines.append((closed, _("Avslutad %(date)s") % {"date": _text_date(closed)}))
    return sorted(lines, key=lambda line: line[0])
