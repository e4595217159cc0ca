"""Keeping `DailyCount` equal to a count of the events it summarises.

Three ways in, one rule: a row counts the events of one municipality, local day, category,
source and visibility (and organisation, for events only their organisation sees) whose status
is not rejected or duplicate. Imports only ever add new events, so they add their own counts;
a single report or review recounts its day; `rebuild` starts over.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping

from django.db import connections, router, transaction
from django.db.models import Case, Count, F, IntegerField, When
from django.db.models.functions import TruncDate
from django.utils import timezone

from trygg.core.bulk_sql import insert_rows
from trygg.core.periods import midnight
from trygg.events.models import DailyCount, Event, Status, Visibility

NOT_COUNTED = (Status.REJECTED, Status.DUPLICATE)
# The namespace of the advisory locks that let one rollup write at a time into a municipality.
ROLLUP_LOCK = 0x44430001
Key = tuple[int, dt.date, int, str, str, int | None]
# An imported event: (municipality, local day, category, visibility); no day without a
# municipality.
ImportedKey = tuple[int | None, dt.date | None, int, str]


def counted(events):
    """The events statistics count: everything but rejected reports and duplicates."""
    return events.exclude(status__in=NOT_COUNTED)


def key_organisation(visibility: str, organisation_id: int) -> int | None:
    return organisation_id if visibility == Visibility.ORGANISATION else None


def add_imported(counts: Mapping[ImportedKey, int], *, source: str, organisation_id: int) -> None:
    """Add freshly imported events, counted by (municipality, local day, category, visibility).

    Imported events are new (status new) and never already counted: the importer drops
    records it already holds before writing."""
    keyed: Counter[Key] = Counter()
    for (municipality_id, day, category_id, visibility), n in counts.items():
        if municipality_id is None or day is None:
            continue  # county-level police events belong to no municipality's picture
        org = key_organisation(visibility, organisation_id)
        keyed[(municipality_id, day, category_id, source, visibility, org)] += n
    _merge(keyed)


def lock_municipalities(municipality_ids: Iterable[int]) -> None:
    """Hold the rollup of these municipalities until the transaction ends.

    A recount deletes a day's rows and inserts a fresh count: two at once (two reports the
    same day) would each insert a full count, and two imports would add to the same row from
    the same stale value. On PostgreSQL an advisory lock per municipality, taken in order,
    makes them wait for each other; SQLite lets one writer in at a time anyway."""
    connection = connections[router.db_for_write(DailyCount)]
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for municipality_id in sorted(set(municipality_ids)):
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [ROLLUP_LOCK, municipality_id])


@transaction.atomic
def _merge(counts: Counter[Key]) -> None:
    """Add `counts` to the rollup: existing rows grow, new keys get a row."""
    if not counts:
        return
    municipalities = {key[0] for key in counts}
    lock_municipalities(municipalities)
    days = [key[1] for key in counts]
    stored = DailyCount.objects.filter(
        municipality_id__in=municipalities, day__gte=min(days), day__lte=max(days)
    ).values_list(*_KEY_FIELDS, "pk", "events")
    existing = {tuple(row[:6]): (row[6], row[7]) for row in stored}
    changed, new = [], []
    for key, n in counts.items():
        row = existing.get(key)
        if row is None:
            new.append((*key, n))
        else:
            changed.append((row[1] + n, row[0]))
    _update_events(changed)
    _insert(new)


_KEY_FIELDS = ("municipality", "day", "category", "source", "visibility", "organisation")


def _insert(rows: list[tuple]) -> None:
    """New rollup rows, (key..., events), without the ORM: five years of the police feed add
    100,000 keys, which bulk_create builds model by model (about 4 s)."""
    connection = connections[router.db_for_write(DailyCount)]
    adapt_day = connection.ops.adapt_datefield_value
    insert_rows(
        connection,
        DailyCount,
        (*_KEY_FIELDS, "events"),
        ((municipality_id, adapt_day(day), *rest) for municipality_id, day, *rest in rows),
    )


def _update_events(changes: list[tuple[int, int]]) -> None:
    """(new count, row id) for rows that grow."""
    if not changes:
        return
    connection = connections[router.db_for_write(DailyCount)]
    quote, meta = connection.ops.quote_name, DailyCount._meta
    # Quoted table and column names from the model; the values are parameters.
    sql = "UPDATE {} SET {} = %s WHERE {} = %s".format(  # noqa: S608
        quote(meta.db_table), quote(meta.get_field("events").column), quote(meta.pk.column)
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, changes)


def recount_day(municipality_id: int | None, occurred_from: dt.datetime) -> None:
    """Count one municipality's local day again from its events (after a report or review)."""
    if municipality_id is None:
        return
    day = timezone.localtime(occurred_from).date()
    recount(municipality_ids=[municipality_id], first_day=day, last_day=day)


@transaction.atomic
def recount(
    *,
    municipality_ids: Iterable[int] | None = None,
    first_day: dt.date | None = None,
    last_day: dt.date | None = None,
) -> int:
    """Replace the rows for these municipalities and days (all when not given) with a fresh
    count of the events; the number of rows written."""
    rows = DailyCount.objects.all()
    events = counted(Event.objects.filter(municipality__isnull=False))
    if municipality_ids is not None:
        ids = list(municipality_ids)
        lock_municipalities(ids)
        rows, events = rows.filter(municipality_id__in=ids), events.filter(municipality_id__in=ids)
    if first_day is not None:
        rows = rows.filter(day__gte=first_day)
        events = events.filter(occurred_from__gte=midnight(first_day))
    if last_day is not None:
        rows = rows.filter(day__lte=last_day)
        events = events.filter(occurred_from__lt=midnight(last_day + dt.timedelta(days=1)))
    rows.delete()
    grouped = (
        events.order_by()
        .annotate(
            day=TruncDate("occurred_from", tzinfo=timezone.get_default_timezone()),
            org=Case(
                When(visibility=Visibility.ORGANISATION, then=F("organisation_id")),
                default=None,
                output_field=IntegerField(),
            ),
        )
        .values_list("municipality_id", "day", "category_id", "source", "visibility", "org")
        .annotate(n=Count("pk"))
    )
    new = list(grouped)
    _insert(new)
    return len(new)
