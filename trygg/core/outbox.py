"""E-mails owed, kept as rows and sent by the worker, never twice: the one sending loop for
every app's notices (measures' `Notification`, walks' `WalkNotice`).

A row model has `created_at`, `sent_at`, `attempts`, `recipients` and `last_error`. Each row is
locked while it is handled (``select_for_update(skip_locked=True)`` on PostgreSQL, as
:func:`trygg.core.jobs.claim_next`), so two workers never send the same one, and `sent_at` is
set only once the backend accepted the message (or the row was skipped as no longer true).
What a row says and to whom is the app's: it hands in a `handle(row, now) -> outcome`.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from collections.abc import Callable, Sequence

from django.core.mail import EmailMessage
from django.db import models, transaction
from django.db.models import Q, QuerySet

log = logging.getLogger(__name__)

Handler = Callable[[models.Model, dt.datetime], str]
# How a row ends, read from its fields: `last_error` of a skipped row starts with SKIPPED.
SKIPPED = "hoppades över: "
NO_ADDRESS = "ingen e-postadress"


def turn_has_come(
    rows: QuerySet, now: dt.datetime, retry_after: Sequence[dt.timedelta]
) -> QuerySet:
    """Unsent rows never tried, or tried fewer than len(retry_after) times and waited long
    enough (counted from `created_at`: the rows keep no time of their last try)."""
    waited = Q(attempts=0)
    for attempts, wait in enumerate(retry_after[1:], start=1):
        waited |= Q(attempts=attempts, created_at__lte=now - wait)
    return rows.filter(waited, sent_at=None).order_by("created_at", "pk")


def send_pending(
    rows: QuerySet,
    handle: Handler,
    now: dt.datetime,
    *,
    limit: int,
    retry_after: Sequence[dt.timedelta],
) -> Counter[str]:
    """Handle up to `limit` of `rows` whose turn it is, oldest first; counts by outcome."""
    queue = turn_has_come(rows, now, retry_after)
    counts: Counter[str] = Counter()
    handled: set[int] = set()  # a row that failed now waits for a later run, not this one
    while len(handled) < limit:
        outcome = _handle_next(queue, handle, now, handled)
        if outcome is None:
            break
        counts[outcome] += 1
    return counts


def _handle_next(
    queue: QuerySet, handle: Handler, now: dt.datetime, handled: set[int]
) -> str | None:
    # Locked until its outcome is saved: another worker skips it rather than sending it too
    # (SQLite has one writer at a time anyway). The next row is found first and then locked
    # by its key, municipality included where the rows have one: a sharded database (Citus)
    # locks rows only in a query it can send to one shard.
    key_fields = ["pk"]
    if any(f.name == "municipality" for f in queue.model._meta.fields):
        key_fields.append("municipality_id")
    with transaction.atomic():
        while True:
            key = queue.exclude(pk__in=handled).values(*key_fields).first()
            if key is None:
                return None
            handled.add(key["pk"])
            # Only the row's own table: a joined table (a notice's measure) would be joined
            # on its id alone, which Citus cannot lock in one shard; the handler reads it.
            locking = queue.filter(**key).select_related(None)
            row = locking.select_for_update(skip_locked=True, of=("self",)).first()
            if row is not None:  # else another worker has it, or has just finished it
                return handle(row, now)


def save_outcome(row: models.Model, **values) -> None:
    for name, value in values.items():
        setattr(row, name, value)
    row.save(update_fields=list(values))


def deliver(
    row, now: dt.datetime, *, skip: str, addresses: list[str], message: Callable[[], EmailMessage]
) -> str:
    """One row's outcome: "skipped" (no longer true: `skip` says why), "failed" (no address,
    or the backend refused: tried again later) or "sent"."""
    if skip:
        save_outcome(row, sent_at=now, last_error=SKIPPED + skip)
        return "skipped"
    if not addresses:
        save_outcome(row, attempts=row.attempts + 1, last_error=NO_ADDRESS)
        return "failed"
    try:
        message().send()
    except Exception as error:  # any backend failure (SMTP, TLS, DNS, a template): try later
        log.exception("%s %s could not be sent", type(row).__name__, row.pk)
        error_text = f"{type(error).__name__}: {error}"
        save_outcome(row, attempts=row.attempts + 1, last_error=error_text)
        return "failed"
    recipients = ", ".join(addresses)
    save_outcome(row, attempts=row.attempts + 1, sent_at=now, recipients=recipients, last_error="")
    return "sent"
