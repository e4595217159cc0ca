"""The measures part of the weekly meeting pack: what was opened in the period, what falls due
before the next meeting and what is overdue, as plain data the pack keeps (pack.content
["measures"]) so a pack reopens as the group saw it.

"Due" means due in the coming period of the same length as the pack's: for a weekly pack,
the week up to the next weekly meeting. The window starts at the period's end, or today when
the pack is made later than that, so a measure already past its date is listed once, under
overdue, and never under due as well. Done and cancelled measures are neither due nor
overdue; they are listed under opened if they were opened in the period."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from trygg.core.periods import midnight
from trygg.measures.models import Measure, Status

# A pack is read in a meeting: longer lists belong on the measures page, which the pack
# links to. The counts are always the full numbers.
LIST_LIMIT = 100


def measures_for_pack(
    municipality, period_start: dt.date, period_end: dt.date, today: dt.date
) -> dict:
    """The municipality's measures opened in [period_start, period_end), due in the coming
    period and overdue as of `today`, with their counts (JSON-ready)."""
    if period_end <= period_start:
        raise ValueError("period_end must come after period_start")
    due_from, due_until = due_window(period_start, period_end, today)
    measures = Measure.objects.filter(municipality=municipality).select_related(
        "responsible", "place", "area"
    )
    opened = measures.filter(
        created_at__gte=midnight(period_start), created_at__lt=midnight(period_end)
    ).order_by("created_at", "pk")
    due = measures.due_within(due_from, due_until).order_by("due", "pk")
    overdue = measures.overdue(today).order_by("due", "pk")
    return {
        "today": today.isoformat(),
        "period": {"start": period_start.isoformat(), "end": period_end.isoformat()},
        "due_window": _window_data(due_from, due_until),
        "counts": {"opened": opened.count(), "due": due.count(), "overdue": overdue.count()},
        "opened": [measure_row(m, today) for m in opened[:LIST_LIMIT]],
        "due": [measure_row(m, today) for m in due[:LIST_LIMIT]],
        "overdue": [measure_row(m, today) for m in overdue[:LIST_LIMIT]],
        "limit": LIST_LIMIT,
    }


def due_window(
    period_start: dt.date, period_end: dt.date, today: dt.date
) -> tuple[dt.date, dt.date]:
    """[start, end): the coming period of the pack's length, from its end or from today.

    Empty (start == end) when the pack is made after that period is over."""
    length = period_end - period_start
    end = period_end + length
    start = min(max(period_end, today), end)
    return start, end


def measure_row(measure: Measure, today: dt.date) -> dict:
    where = measure.where
    return {
        "id": measure.pk,
        "title": measure.title,
        "responsible": measure.responsible.name if measure.responsible else "",
        "due": measure.due.isoformat() if measure.due else None,
        "days_overdue": _days_overdue(measure, today),
        "status": measure.status,
        "status_label": str(Status(measure.status).label),
        "where": where.name if where is not None else "",
        "opened": timezone.localtime(measure.created_at).date().isoformat(),
    }


def _days_overdue(measure: Measure, today: dt.date) -> int:
    if measure.due is None or not measure.is_overdue(today):
        return 0
    return (today - measure.due).days


def _window_data(start: dt.date, end: dt.date) -> dict:
    if start >= end:
        return {"start": None, "last_day": None}
    return {"start": start.isoformat(), "last_day": (end - dt.timedelta(days=1)).isoformat()}
