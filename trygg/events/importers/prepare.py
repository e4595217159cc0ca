"""From parsed records to rows ready to write: positions located and checked, times checked,
free text scrubbed, each event's columns and its rollup key computed.

None of this reads the database (the lookups it needs were loaded before), so a part of a
large file can be prepared in another process (parallel.py) and handed back as `Prepared`:
plain lists of plain values, cheap to pickle.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import cast

import numpy as np
from django.utils import timezone
from django.utils.translation import gettext as _

from trygg.core.privacy import scrub
from trygg.events.importers.records import Candidate, Parsed, RowError, Skip
from trygg.places.geo import in_sweden_box
from trygg.places.index import locate

# Reports may be entered a little ahead of a clock that is slightly wrong; more is a typo.
FUTURE_TOLERANCE = dt.timedelta(minutes=10)

# The columns each record brings; every other column of Event gets its field's default.
EVENT_COLUMNS = (
    "category_id",
    "occurred_from",
    "occurred_to",
    "lat",
    "lon",
    "x",
    "y",
    "precision_m",
    "municipality_id",
    "area_id",
    "place_id",
    "external_id",
    "external_type",
    "source_url",
    "description",
    "was_scrubbed",
    "visibility",
)
# Where the daily rollup's key (with the day) sits in each event's columns.
MUNICIPALITY, CATEGORY, VISIBILITY = (
    EVENT_COLUMNS.index(name) for name in ("municipality_id", "category_id", "visibility")
)


def count_keys(prepared: Prepared, chosen: Iterable[int]) -> Counter:
    """The chosen events counted by (municipality, local day as an ordinal, category,
    visibility): plain values, added up batch by batch (`dated_keys` at the end)."""
    events, days = prepared.events, prepared.days
    return Counter(
        (events[i][MUNICIPALITY], days[i], events[i][CATEGORY], events[i][VISIBILITY])
        for i in chosen
    )


def dated_keys(counts: Counter) -> Counter:
    """`count_keys`' counts keyed by (municipality, local day, category, visibility)."""
    return Counter(
        {
            (municipality, dt.date.fromordinal(day), category, vis): n
            for (municipality, day, category, vis), n in counts.items()
        }
    )


Progress = Callable[[str, int, int], None]
TimeAdapter = Callable[[dt.datetime], object]


@dataclass
class Prepared:
    """Prepared records in columns: index i of `rows`, `external_ids`, `events` and `days`
    is the same record."""

    records: int = 0
    skipped: Counter = field(default_factory=Counter)
    errors: list[RowError] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)
    external_ids: list[str] = field(default_factory=list)
    events: list[tuple] = field(default_factory=list)  # EVENT_COLUMNS, ready for the driver
    # The local day it happened, as a proleptic ordinal (an int pickles several times faster
    # than a date). With the event's municipality, category and visibility it is the event's
    # key in the daily rollup.
    days: list[int] = field(default_factory=list)

    def extend(self, other: Prepared) -> None:
        """Append a later part of the same file."""
        self.records += other.records
        self.skipped.update(other.skipped)
        self.errors += other.errors
        self.rows += other.rows
        self.external_ids += other.external_ids
        self.events += other.events
        self.days += other.days


def prepare(
    parsed: Iterable[Parsed], now: dt.datetime, adapt_time: TimeAdapter, progress: Progress
) -> Prepared:
    prepared = Prepared()
    candidates = _collect(parsed, prepared, progress)
    located = _locate_and_check(candidates, prepared, now)
    _add_rows(located, prepared, adapt_time)
    return prepared


def _collect(parsed: Iterable[Parsed], prepared: Prepared, progress: Progress) -> list[Candidate]:
    candidates: list[Candidate] = []
    keep, skipped, errors = candidates.append, prepared.skipped, prepared.errors
    records = 0
    for item in parsed:
        records += 1
        if type(item) is Candidate:
            keep(item)
        elif type(item) is Skip:
            skipped[item.reason] += 1
        else:
            errors.append(cast(RowError, item))  # Parsed is one of three classes
        if records % 10000 == 0:
            progress("read", records, 0)
    prepared.records = records
    progress("read", records, records)
    return candidates


def _locate_and_check(
    candidates: list[Candidate], prepared: Prepared, now: dt.datetime
) -> list[tuple[Candidate, float, float, int, int]]:
    """(candidate, x, y, municipality, area) for each candidate in Sweden with sane times; the
    others become row errors. -1 means no municipality or area."""
    if not candidates:
        return []
    lon = np.array([c.lon for c in candidates], dtype=float)
    lat = np.array([c.lat for c in candidates], dtype=float)
    county_level = np.array([c.county_level for c in candidates], dtype=bool)
    given = np.array(
        [-1 if c.municipality_id is None else c.municipality_id for c in candidates], dtype=np.int64
    )
    # County-level positions are looked up in the polygons only to prove they lie in Sweden.
    located = locate(
        lon, lat, [c.precision_m for c in candidates], np.where(county_level, -1, given)
    )
    # A municipality named by the record skips the polygons: its position must still be in Sweden.
    in_sweden = ((located.municipality_id >= 0) & in_sweden_box(lon, lat)).tolist()
    # Plain Python values: database drivers do not take numpy's, and they index faster.
    municipality = np.where(county_level, given, located.municipality_id).tolist()
    area = np.where(county_level, -1, located.area_id).tolist()
    x, y = located.x.tolist(), located.y.tolist()
    latest = now + FUTURE_TOLERANCE
    errors = prepared.errors
    kept = []
    for i, cand in enumerate(candidates):
        if not in_sweden[i]:
            errors.append(RowError(cand.row, "lat/lon", _("positionen ligger utanför Sverige")))
        elif cand.occurred_from > latest:
            errors.append(RowError(cand.row, "occurred_at", _("tidpunkten ligger i framtiden")))
        elif cand.occurred_to is not None and cand.occurred_to < cand.occurred_from:
            errors.append(RowError(cand.row, "occurred_to", _("sluttiden är före starttiden")))
        else:
            kept.append((cand, x[i], y[i], municipality[i], area[i]))
    return kept


def _add_rows(located, prepared: Prepared, adapt_time: TimeAdapter) -> None:
    """Each event's columns in EVENT_COLUMNS order, the description scrubbed, and its key in
    the daily rollup (the local day of when it happened)."""
    local = timezone.get_default_timezone()
    rows, ids = prepared.rows, prepared.external_ids
    events, days = prepared.events, prepared.days
    for cand, x, y, municipality, area in located:
        scrubbed = scrub(cand.description)
        occurred_from = cand.occurred_from
        municipality_id = municipality if municipality >= 0 else None
        rows.append(cand.row)
        ids.append(cand.external_id)
        events.append(
            (
                cand.category_id,
                adapt_time(occurred_from),
                None if cand.occurred_to is None else adapt_time(cand.occurred_to),
                cand.lat,
                cand.lon,
                x,
                y,
                cand.precision_m,
                municipality_id,
                area if area >= 0 else None,
                cand.place_id,
                cand.external_id,
                cand.external_type,
                cand.source_url,
                scrubbed.text,
                scrubbed.was_scrubbed,
                cand.visibility,
            )
        )
        # County-level police events too: their county's row is counted for the county view.
        days.append(occurred_from.astimezone(local).toordinal())
