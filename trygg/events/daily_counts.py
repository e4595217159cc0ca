"""Keeping `DailyCount` equal to a count of the events it summarises.

Four ways in, one rule: a row counts the events of one municipality, local day, category,
source and visibility (and organisation, for events only their organisation sees) whose status
is not rejected or duplicate. Imports only ever add new events, so they add their own counts;
a single new report adds one to its row (`add_event`); a review or a moved event recounts its
day; `recount` starts over. A county-level police event is on its county's own row
(`Municipality.county_level`) and is counted there like any other: the county view reads those
rows, and nothing that lists municipalities (the national overview, the switcher) offers them.

At most one row per key, always equal to the count: on PostgreSQL everything that rewrites a
municipality's rows (a recount, an import's merge) holds its advisory lock alone, while new
reports hold it shared, so they do not wait for each other, only for a recount; two reports that
would create the same row take a lock on that key. SQLite lets one writer in at a time anyway.
"""

from __future__ import annotations

import datetime as dt
import zlib
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import cast

from django.db import connections, router, transaction
from django.db.models import Case, Count, F, Field, IntegerField, When
from django.db.models.functions import TruncDate
from django.utils import timezone

from trygg.core.bulk_sql import insert_rows
from trygg.core.periods import midnight
from trygg.events.models import DailyCount, Event, Status, Visibility

NOT_COUNTED = (Status.REJECTED, Status.DUPLICATE)
# The namespace of the advisory locks that let one rollup write at a time into a municipality.
ROLLUP_LOCK = 0x44430001
# The namespace of the advisory locks on one rollup key (a hash of it), for a row's creation.
ROLLUP_KEY_LOCK = 0x44430002
Key = tuple[int, dt.date, int, str, str, int | None]
# An imported event: (municipality, local day, category, visibility). The municipality may be a
# county's own row (county-level police events): counted like any other, for the county view.
ImportedKey = tuple[int, dt.date, int, str]


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
        org = key_organisation(visibility, organisation_id)
        keyed[(municipality_id, day, category_id, source, visibility, org)] += n
    _merge(keyed)


def lock_municipalities(municipality_ids: Iterable[int]) -> None:
    """Hold the rollup of these municipalities until the transaction ends.

    A recount deletes a day's rows and inserts a fresh count: two at once (two reports the
    same day) would each insert a full count, and two imports would add to the same row from
    the same stale value. On PostgreSQL an advisory lock per municipality, taken in order,
    makes them wait for each other (and for the reports that hold it shared, `add_event`);
    SQLite lets one writer in at a time anyway."""
    connection = connections[router.db_for_write(DailyCount)]
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for municipality_id in sorted(set(municipality_ids)):
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [ROLLUP_LOCK, municipality_id])


def add_event(event: Event) -> None:
    """A new event, just written in the current transaction, adds one to its day's row.

    Cheaper than a recount of the day, and it waits for no other report: see the module's
    docstring for how the row stays exact when reports, recounts and imports meet."""
    if event.status in NOT_COUNTED:
        return
    day = timezone.localtime(event.occurred_from).date()
    org = key_organisation(event.visibility, event.organisation_id)
    key = (event.municipality_id, day, event.category_id, event.source, event.visibility, org)
    # No savepoint: the caller's transaction is the unit (the event and its count together).
    with transaction.atomic(using=router.db_for_write(DailyCount), savepoint=False):
        _lock_for_adding(key)
        if not _add_one(key):
            _insert([(*key, 1)])


def _add_one(key: Key) -> bool:
    """One more on the row of `key`; False if there is none. A plain statement: the ORM's
    update took ten times as long to build as to run, on every report."""
    connection = connections[router.db_for_write(DailyCount)]
    quote, meta = connection.ops.quote_name, DailyCount._meta
    events = quote(meta.get_field("events").column)
    municipality, day, category, source, visibility, org = key
    # Every key field is a concrete column (the FKs' `_id`); the stubs allow relations too.
    columns = [quote(cast(Field, meta.get_field(name)).column) for name in _KEY_FIELDS]
    conditions = [f"{column} = %s" for column in columns[:5]]
    conditions.append(f"{columns[5]} IS NULL" if org is None else f"{columns[5]} = %s")
    # Quoted table and column names from the model; the values are parameters.
    sql = "UPDATE {} SET {} = {} + 1 WHERE {}".format(  # noqa: S608
        quote(meta.db_table), events, events, " AND ".join(conditions)
    )
    values = [municipality, connection.ops.adapt_datefield_value(day), category, source]
    values += [visibility] if org is None else [visibility, org]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        return cursor.rowcount > 0


def _lock_for_adding(key: Key) -> None:
    """PostgreSQL: the municipality's rollup lock shared (a recount or merge waits, other
    reports do not), and the key's own lock, so that of two first reports of the same key at
    once the second finds the first's row instead of inserting a second one. Both until the
    transaction ends."""
    connection = connections[router.db_for_write(DailyCount)]
    if connection.vendor != "postgresql":
        return
    # A signed 32-bit hash: two keys that share one only wait for each other, nothing worse.
    digest = zlib.crc32(repr(key).encode())
    key_hash = digest - 2**32 if digest >= 2**31 else digest
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock_shared(%s, %s), pg_advisory_xact_lock(%s, %s)",
            [ROLLUP_LOCK, key[0], ROLLUP_KEY_LOCK, key_hash],
        )


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
            changed.append((row[1] + n, key[0], row[0]))
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


def _update_events(changes: list[tuple[int, int, int]]) -> None:
    """(new count, municipality id, row id) for rows that grow. The municipality is named so
    that Citus sends each update to the one shard that holds the row."""
    if not changes:
        return
    connection = connections[router.db_for_write(DailyCount)]
    quote, meta = connection.ops.quote_name, DailyCount._meta
    municipality = quote(cast(Field, meta.get_field("municipality")).column)
    # Quoted table and column names from the model; the values are parameters.
    sql = "UPDATE {} SET {} = %s WHERE {} = %s AND {} = %s".format(  # noqa: S608
        quote(meta.db_table),
        quote(meta.get_field("events").column),
        municipality,
        quote(meta.pk.column),
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, changes)


def recount_day(municipality_id: int, occurred_from: dt.datetime) -> None:
    """Count one municipality's local day again from its events (after a report or review)."""
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
    events = counted(Event.objects.all())
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
