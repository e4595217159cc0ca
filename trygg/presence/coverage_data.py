"""The coverage analysis of one municipality over a period, as one user sees it: the shifts
and the visible events read as plain numbers, the rest done by the pure functions of
coverage.py.

Only the needed columns are read, times as whole seconds since 1970 computed by the database
(no datetime object per row). A year in a municipality with a million events of history is a
few hundred thousand events: the database writes each as one number (its area and hour of
the period) and joins them into one text, which numpy reads at once. A Python row per event,
let alone a datetime, cost more than all the rest (bench/presence_coverage.py,
docs/decisions/0027).

The areas are the municipality's districts: an event or a shift in a sub-area counts in the
district it lies in (the top of the area tree), and the versions of one district (a boundary
redrawn) are one row, by kind and name (docs/decisions/0027).
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db.models import Aggregate, BigIntegerField, Func, TextField, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from trygg.core.trees import ancestor_chain
from trygg.events.daily_counts import counted
from trygg.events.models import Event
from trygg.places.models import Area, Municipality
from trygg.presence import coverage
from trygg.presence.actions.shifts import MAX_SHIFT
from trygg.presence.evenings import day_bounds
from trygg.presence.models import Shift

# A year (a leap year too): longer periods are split by the user, not read at once.
MAX_DAYS = 366
DEFAULT_DAYS = 91  # thirteen weeks: each weekday thirteen times, recent enough to plan from
SUGGESTIONS = 5


class EpochSeconds(Func):
    """A stored moment as whole seconds since 1970 (UTC), computed by the database."""

    output_field = BigIntegerField()

    def as_sqlite(self, compiler, connection, **extra):
        # SQLite's own C functions (Django's datetime functions call Python per row):
        # unixepoch since 3.38, else strftime, slower. Its '%s' is written '%%%%s': once for
        # this template, once for the backend, which reads a bare %s as a parameter.
        template = "CAST(strftime('%%%%s', %(expressions)s) AS INTEGER)"
        if connection.Database.sqlite_version_info >= (3, 38):
            template = "unixepoch(%(expressions)s)"
        return self.as_sql(compiler, connection, template=template)

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            # date_part gives a double; EXTRACT a numeric, slower over a year of rows.
            template="CAST(FLOOR(date_part('epoch', %(expressions)s)) AS BIGINT)",
        )


class Joined(Aggregate):
    """The integers of all rows as one text, "3,1,4", in no particular order: numpy reads it at
    once, where a Python row per value costs more than the database's work. Grouping in the
    database is no cheaper on SQLite, which sorts every row to group them."""

    output_field = TextField()

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="group_concat(%(expressions)s)")

    def as_postgresql(self, compiler, connection, **extra):
        template = "string_agg(CAST(%(expressions)s AS text), ',')"
        return self.as_sql(compiler, connection, template=template)


def period_errors(first: dt.date | None, last: dt.date | None) -> dict[str, list[str]]:
    """What is wrong with a period, by field ("from", "to"), in Swedish."""
    if first is None:
        return {"from": [_("Ange första dagen som ett datum, till exempel 2026-09-01.")]}
    if last is None:
        return {"to": [_("Ange sista dagen som ett datum, till exempel 2026-11-30.")]}
    if last < first:
        return {"to": [_("Perioden måste sluta samma dag som den börjar eller senare.")]}
    if (last - first).days + 1 > MAX_DAYS:
        return {"to": [_("Perioden kan vara högst ett år (%(n)s dagar).") % {"n": MAX_DAYS}]}
    return {}


def default_period(today: dt.date) -> tuple[dt.date, dt.date]:
    """The thirteen weeks up to yesterday."""
    last = today - dt.timedelta(days=1)
    return last - dt.timedelta(days=DEFAULT_DAYS - 1), last


@dataclass(frozen=True)
class AreaCell:
    """One row of the analysis: a district (all its versions) or another top-level area."""

    name: str
    kind: str
    area_ids: tuple[int, ...]  # every version and every area within them
    map_area_id: int  # the version drawn on the map: the current one, else the latest


@dataclass
class Report:
    municipality: Municipality
    first: dt.date
    last: dt.date
    areas: list[AreaCell]
    cells: coverage.Cells
    gaps: list[coverage.Gap]
    suggestions: list[coverage.Suggestion]
    covered: int  # evening events in an area and hour with someone out
    evening_events: int  # evening events in an area
    without_area: int  # evening events with no area (the police's municipality-wide ones)
    shifts: int

    @property
    def share(self) -> float | None:
        return self.covered / self.evening_events if self.evening_events else None


def area_cells(municipality: Municipality) -> tuple[list[AreaCell], dict[int, int]]:
    """The top-level areas as rows, and every area id of the municipality -> its row."""
    rows = list(
        Area.objects.filter(municipality=municipality).values_list(
            "pk", "parent_id", "name", "kind", "valid_to", "valid_from"
        )
    )
    parents = {pk: parent for pk, parent, *_ in rows}
    info = {pk: rest for pk, _parent, *rest in rows}  # name, kind, valid_to, valid_from
    groups: dict[tuple[str, str], list[int]] = {}
    top_of = {}
    for pk in parents:
        top = ancestor_chain(parents, pk)[0]
        top_of[pk] = top
        name, kind, *_ = info[top]
        groups.setdefault((kind, name), []).append(pk)
    cells: list[AreaCell] = []
    index: dict[int, int] = {}
    for (kind, name), ids in sorted(groups.items(), key=lambda item: (item[0][1], item[0][0])):
        tops = {top_of[pk] for pk in ids}
        shown = max(tops, key=lambda pk: (info[pk][2] is None, info[pk][3], pk))
        for pk in ids:
            index[pk] = len(cells)
        cells.append(AreaCell(name, kind, tuple(sorted(ids)), shown))
    return cells, index


def row_of(index: dict[int, int], area_ids: np.ndarray) -> np.ndarray:
    """Each area id's row; -1 for no area (id 0) and for an area of elsewhere."""
    table = np.full(max(index, default=0) + 2, -1, dtype=np.int64)
    for pk, row in index.items():
        table[pk] = row
    # Ids beyond the table (no area of this municipality) read its last entry, which is -1.
    return table[np.clip(area_ids, 0, len(table) - 1)]


def _rows(rows, width: int) -> np.ndarray:
    return np.fromiter(itertools.chain.from_iterable(rows), dtype=np.int64).reshape(-1, width)


def visible_events(user, municipality: Municipality, start: dt.datetime, end: dt.datetime):
    """The events the user may see that statistics count, in [start, end)."""
    return (
        counted(Event.objects.visible_to(user))
        .filter(municipality=municipality, occurred_from__gte=start, occurred_from__lt=end)
        .order_by()
    )


def event_times(user, municipality, table: coverage.HourTable) -> np.ndarray:
    """(area id or 0, epoch seconds of the hour it began in) of every visible event in the
    period, each sent by the database as area id × hours of the period + its hour."""
    start = dt.datetime.fromtimestamp(table.start_s, dt.UTC)
    end = dt.datetime.fromtimestamp(table.end_s, dt.UTC)
    hour = (EpochSeconds("occurred_from") - Value(table.start_s)) / Value(coverage.HOUR_S)
    area = Coalesce("area_id", Value(0), output_field=BigIntegerField())
    events = visible_events(user, municipality, start, end)
    text = events.aggregate(keys=Joined(area * Value(table.size) + hour))["keys"]
    keys = np.fromstring(text or "", dtype=np.int64, sep=",")
    areas, hours = np.divmod(keys, table.size)
    return np.column_stack([areas, table.start_s + hours * coverage.HOUR_S])


def shift_times(municipality, start, end) -> np.ndarray:
    """(area id, start, end, people) of the planned and held shifts running in [start, end)."""
    shifts = (
        Shift.objects.active()
        .filter(
            municipality=municipality,
            starts_at__gte=start - MAX_SHIFT,
            starts_at__lt=end,
            ends_at__gt=start,
        )
        .order_by()
    )
    rows = shifts.values_list(
        "area_id", EpochSeconds("starts_at"), EpochSeconds("ends_at"), "people"
    )
    return _rows(rows, 4)


def build(user, municipality: Municipality, first: dt.date, last: dt.date) -> Report:
    """The analysis of the calendar days first..last (each from 02:00 to 02:00)."""
    tz = timezone.get_default_timezone()
    start, end = day_bounds(first, last, tz)
    table = coverage.hour_table(start, end, tz)
    areas, index = area_cells(municipality)
    shifts = shift_times(municipality, start, end)
    events = event_times(user, municipality, table)
    shift_rows = row_of(index, shifts[:, 0])
    shifts, shift_rows = shifts[shift_rows >= 0], shift_rows[shift_rows >= 0]
    event_rows = row_of(index, events[:, 0])
    placed = event_rows >= 0
    people, hours = coverage.presence_by_hour(
        shift_rows, shifts[:, 1], shifts[:, 2], shifts[:, 3], table, len(areas)
    )
    by_hour = coverage.events_by_hour(event_rows[placed], events[placed, 1], table, len(areas))
    result = coverage.cells(by_hour, people, hours, table)
    covered, total = coverage.evening_share(result)
    found = coverage.gaps(result)
    return Report(
        municipality=municipality,
        first=first,
        last=last,
        areas=areas,
        cells=result,
        gaps=found,
        suggestions=coverage.suggestions(found, SUGGESTIONS),
        covered=covered,
        evening_events=total,
        without_area=_evening_without_area(events[~placed, 1], table),
        shifts=len(shifts),
    )


def _evening_without_area(moments: np.ndarray, table: coverage.HourTable) -> int:
    column = (moments - table.start_s) // coverage.HOUR_S
    return int(np.isin(table.hour[column], coverage.EVENING_HOURS).sum())


def shown_rows(report: Report) -> list[int]:
    """The rows worth showing: the current districts, and any area with events or presence."""
    events = report.cells.events.sum(axis=(1, 2))
    presence = report.cells.shift_hours.sum(axis=(1, 2))
    return [
        i
        for i, area in enumerate(report.areas)
        if area.kind == Area.Kind.DISTRICT or events[i] or presence[i]
    ]


def next_month_series(suggestion: coverage.Suggestion, today: dt.date) -> dict[str, Any]:
    """The weekly series that puts the suggestion into next month's calendar: its first day,
    number of weeks, ISO weekday and times. A shift that starts after midnight is planned on
    the morning after the evening it belongs to."""
    first_of_month = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    after_midnight = suggestion.start < coverage.EVENING_HOURS[0]
    weekday = (suggestion.weekday + int(after_midnight)) % 7
    first_day = first_of_month + dt.timedelta(days=(weekday - first_of_month.weekday()) % 7)
    next_month = (first_of_month + dt.timedelta(days=32)).replace(day=1)
    weeks = len(range(first_day.toordinal(), next_month.toordinal(), 7))
    return {
        "first_day": first_day,
        "weeks": weeks,
        "weekday": weekday + 1,
        "start_time": dt.time(suggestion.start),
        "end_time": dt.time(suggestion.end % 24),
    }
