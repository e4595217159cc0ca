"""E-mails about measures (issue 4, item 4): sent by the worker from Notification rows, never twice.

Rows are queued in two places. The actions queue ASSIGNED (on assignment) and DONE (to the
organisations whose events the measure came from). :func:`schedule_reminders` queues DUE_SOON
(a week before the due date) and OVERDUE. The unique (measure, kind, organisation, key) makes
queueing idempotent: a rerun, or two workers at once, cannot add a second row; reminders carry
the due date as their key, so a moved due date earns a fresh reminder and the same date never
gets two.

:func:`send_pending` sends the unsent rows. Each row is locked while it is handled
(``select_for_update(skip_locked=True)`` on PostgreSQL, as :func:`trygg.core.jobs.claim_next`),
so two workers never send the same one, and ``sent_at`` is set only once the backend accepted
the message. How a row ends, read from its fields (the model has no outcome field):

* sent: ``sent_at`` set, ``recipients`` the addresses, ``last_error`` empty;
* skipped: ``sent_at`` set, ``recipients`` empty, ``last_error`` starts with :data:`SKIPPED`.
  What it would have said was no longer true when its turn came (the measure was closed,
  reassigned or got a new due date), so it never goes out;
* waiting for another try: ``sent_at`` empty, ``attempts`` < :data:`MAX_ATTEMPTS`,
  ``last_error`` says why the last try failed (no address, the mail server refused);
* given up: ``sent_at`` empty, ``attempts`` = :data:`MAX_ATTEMPTS`, the last error kept.

The mails name organisations, places, areas and categories and quote the measure's own text
(scrubbed again here), never a person: partners see organisations, not people (DESIGN §5).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import Truncator

from trygg.core import outbox
from trygg.core.privacy import scrub_text
from trygg.measures.models import Measure, Notification, Status
from trygg.measures.one_shard import linked_events
from trygg.organisations.models import Membership, Organisation

Kind = Notification.Kind
DUE_SOON_DAYS = 7
MAX_ATTEMPTS = 5
# How long after it was queued a row may be tried again, by the number of tries so far. The
# model keeps no time of the last try, so the schedule counts from `created_at`; the worker
# also runs this at most once a minute (trygg.core.jobs.PERIODIC), so a mail server that is
# down for a moment does not use up all the tries at once.
RETRY_AFTER = (
    dt.timedelta(0),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=30),
    dt.timedelta(hours=2),
    dt.timedelta(hours=8),
)
assert len(RETRY_AFTER) == MAX_ATTEMPTS  # noqa: S101 -- a check of the two constants above
SKIPPED = outbox.SKIPPED
NO_ADDRESS = outbox.NO_ADDRESS
# Where links point when settings.TRYGG_BASE_URL is not set: the address `make run` serves.
DEFAULT_BASE_URL = "http://127.0.0.1:8000"
DESCRIPTION_CHARS = 1200
SEND_LIMIT = 200


# --- queueing reminders --------------------------------------------------------------------


def schedule_reminders(today: dt.date) -> int:
    """Queue the week-before and overdue reminders owed on `today`; returns how many are new."""
    candidates = _reminder_candidates(today)
    wanted = [_reminder_for(measure, today) for measure in candidates]
    existing = _existing_reminders(candidates)
    new = [row for row in wanted if _identity(row) not in existing]
    # ignore_conflicts: another worker may have queued the same row since we looked.
    Notification.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def _reminder_candidates(today: dt.date) -> QuerySet[Measure]:
    """Open measures with an owner that are due within a week (not today) or overdue."""
    week_ahead = today + dt.timedelta(days=DUE_SOON_DAYS)
    return (
        Measure.objects.open()
        .exclude(responsible=None)
        .filter(due__lte=week_ahead)
        .exclude(due=today)
        .only("pk", "due", "responsible_id")
    )


def _reminder_for(measure: Measure, today: dt.date) -> Notification:
    # The candidates all have both (see the query above); this narrows the types.
    assert measure.due is not None and measure.responsible_id is not None  # noqa: S101
    kind = Kind.OVERDUE if measure.due < today else Kind.DUE_SOON
    return Notification(
        measure_id=measure.pk,
        kind=kind,
        organisation_id=measure.responsible_id,
        key=measure.due.isoformat(),
    )


def _existing_reminders(candidates: QuerySet[Measure]) -> set[tuple]:
    return set(
        Notification.objects.filter(
            measure__in=candidates.values("pk"), kind__in=(Kind.DUE_SOON, Kind.OVERDUE)
        ).values_list("measure_id", "kind", "organisation_id", "key")
    )


def _identity(row: Notification) -> tuple:
    return (row.measure_id, row.kind, row.organisation_id, row.key)


# --- sending -------------------------------------------------------------------------------


def send_pending(now: dt.datetime, limit: int = SEND_LIMIT) -> Counter[str]:
    """Send (or skip, or fail) up to `limit` rows whose turn it is; counts by outcome:
    "sent", "skipped", "failed"."""
    # The measure is read apart in _handle: a join to it would keep Citus from locking the
    # row in a query it sends to one shard (organisations are a shared table).
    rows = Notification.objects.select_related("organisation")
    return outbox.send_pending(
        rows,
        _handle,  # type: ignore[arg-type]
        now,
        limit=limit,
        retry_after=RETRY_AFTER,
    )


def _handle(row: Notification, now: dt.datetime) -> str:
    today = timezone.localdate(now)
    row.measure = Measure.objects.get(pk=row.measure_id, municipality_id=row.municipality_id)
    addresses = recipients_for(row.organisation)
    return outbox.deliver(
        row,
        now,
        skip=reason_to_skip(row, today),
        addresses=addresses,
        message=lambda: build_message(row, addresses, today),
    )


def reason_to_skip(row: Notification, today: dt.date) -> str:
    """Why the notice is no longer true at send time ("" when it still is)."""
    measure = row.measure
    if row.kind == Kind.DONE:
        return "" if measure.status == Status.DONE else "åtgärden är inte klar"
    if not measure.is_open:
        return "åtgärden är avslutad"
    if measure.responsible_id != row.organisation_id:
        return "en annan organisation ansvarar nu"
    if row.kind == Kind.ASSIGNED and _assigned_again(row):
        return "åtgärden har fördelats på nytt sedan dess"
    if row.kind in (Kind.DUE_SOON, Kind.OVERDUE):
        if measure.due is None or measure.due.isoformat() != row.key:
            return "slutdatumet har ändrats"
        if row.kind == Kind.DUE_SOON and measure.due < today:
            return "åtgärden är redan försenad"
    return ""


def _assigned_again(row: Notification) -> bool:
    """A later assignment (away and back) has its own notice: one mail is enough."""
    return Notification.objects.filter(
        municipality_id=row.municipality_id,  # one shard on Citus
        measure_id=row.measure_id,
        kind=Kind.ASSIGNED,
        pk__gt=row.pk,
    ).exists()


def recipients_for(organisation: Organisation) -> list[str]:
    """The organisation's shared mailbox; without one its coordinators' and admins' own
    addresses; without those its reporters'. Empty when nobody there has an address."""
    if organisation.contact_email:
        return [organisation.contact_email]
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    roles = Membership.Role
    for wanted in ((roles.COORDINATOR, roles.ADMIN), (roles.REPORTER,)):
        addresses = users.filter(
            memberships__organisation=organisation, memberships__role__in=wanted
        ).values_list("email", flat=True)
        if addresses:
            return sorted(set(addresses))
    return []


# --- the message ---------------------------------------------------------------------------


def build_message(row: Notification, addresses: list[str], today: dt.date) -> EmailMessage:
    """The e-mail for one row, in the site's language, from measures/email/<kind>*.txt."""
    context = mail_context(row, today)
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"measures/email/{row.kind}_subject.txt", context)
        body = render_to_string(f"measures/email/{row.kind}.txt", context)
    return EmailMessage(
        subject=" ".join(subject.split()),  # a header: one line
        body=body.strip() + "\n",
        to=addresses,
        # RFC 3834: out-of-office replies should not answer a machine.
        headers={"Auto-Submitted": "auto-generated"},
    )


def mail_context(row: Notification, today: dt.date) -> dict:
    """What the templates may show: organisations, places, categories and the measure's own
    (scrubbed) text. No user, author or timeline comment is passed, so none can leak."""
    measure = row.measure
    due = measure.due
    return {
        "kind": row.kind,
        "organisation": row.organisation.name,
        "municipality": measure.municipality.name,
        "title": scrub_text(measure.title),
        "description": Truncator(scrub_text(measure.description)).chars(DESCRIPTION_CHARS),
        "category": measure.category.path_name if measure.category else "",
        "place": measure.place.name if measure.place else "",
        "area": _area_name(measure),
        "responsible": measure.responsible.name if measure.responsible else "",
        "status": measure.get_status_display(),
        "due": due,
        "days_left": (due - today).days if due else None,
        "days_late": (today - due).days if due else None,
        "done_on": measure.done_on,
        "reported_events": _reported_events(row) if row.kind == Kind.DONE else 0,
        "url": absolute_url(measure.get_absolute_url()),
    }


def _area_name(measure: Measure) -> str:
    area = measure.area or (measure.place.area if measure.place else None)
    return area.name if area else ""


def _reported_events(row: Notification) -> int:
    return linked_events(row.measure).filter(organisation_id=row.organisation_id).count()


def absolute_url(path: str) -> str:
    """`path` on the site's public address (settings.TRYGG_BASE_URL, e.g.
    "https://trygg.karlstad.se"); mails are read outside any request."""
    base = getattr(settings, "TRYGG_BASE_URL", "") or DEFAULT_BASE_URL
    return base.rstrip("/") + path


# --- the worker's hook ---------------------------------------------------------------------


def run_periodic(now: dt.datetime, limit: int = SEND_LIMIT) -> dict[str, int]:
    """One round for the worker (trygg.core.jobs.PERIODIC) and `trygg send-reminders`: queue
    the reminders owed today, then send what is waiting."""
    queued = schedule_reminders(timezone.localdate(now))
    counts = send_pending(now, limit)
    return {
        "queued": queued,
        "sent": counts["sent"],
        "skipped": counts["skipped"],
        "failed": counts["failed"],
    }
