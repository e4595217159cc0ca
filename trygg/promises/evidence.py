"""The evidence for one candidate problem (issue 14, point 2): for the municipality and the
problem's areas (none: the whole municipality), its event categories and a period, the counts
per category against the same length before with the situation picture's honest comparison,
the months of both periods, the places with the most events, the hotspots, and the sections
apps beside this one add (the safety survey's index, the citizen dialogues' themes; see
`situation.evidence_sections`).

The events counted are those every partner may see (public or shared with partners), not
rejected or duplicates, as the promise's event indicator counts them
(`measures.indicators.shared_events`): the coordinator, the kommunpolis and the housing company
see the same figures, so they can rank the problems from the same evidence.

Where the figures come from (the page's budget is 300 ms over a million events): the rollup
(`events.DailyCount`) has no area, so the problem's areas read their events once through the
(area, occurred_from) index, both periods, and the months, places and hotspot points are all
made from that one pass (`event_rows`); the whole municipality counts its months from the
rollup and reads only the period's places and positions, for the places and the hotspots,
through the (category, municipality, occurred_from, ...) index that holds every column it
reads. PostgreSQL sends those rows
packed as doubles in one value (`_packed`). The hotspot cells are kept as the situation page
keeps them, under their points.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from django.core.cache import cache
from django.db import connections
from django.db.models import Case, Count, IntegerField, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce

from trygg.core.periods import Period, custom, midnight
from trygg.events.categories import CategoryTree
from trygg.events.daily_counts import counted
from trygg.events.models import DailyCount, Event
from trygg.measures.indicators import SHARED
from trygg.organisations.shards import linked, linked_ids
from trygg.places.geo import outline_in_sweref
from trygg.places.models import Area, Municipality, Place
from trygg.promises.models import Problem
from trygg.situation import charts, evidence_sections, hotspot_layer
from trygg.situation.picture import marked_comparisons
from trygg.situation.scope import Scope

DEFAULT_MONTHS = 12
MAX_DAYS = 5 * 366  # a longer period would make a chart nobody reads, and a slow page
TOP_PLACES = 10


@dataclass(frozen=True)
class EvidencePeriod:
    """The chosen period (both days included) and the comparison just before it."""

    period: Period

    @classmethod
    def of(cls, first_day: dt.date, last_day: dt.date) -> EvidencePeriod:
        return cls(custom(first_day, last_day))

    @property
    def first_day(self) -> dt.date:
        return self.period.start

    @property
    def last_day(self) -> dt.date:
        return self.period.last_day

    @property
    def whole_months(self) -> int | None:
        """How many calendar months the period is, when it is whole months; else None."""
        start, end = self.period.start, self.period.end
        if start.day != 1 or end.day != 1:
            return None
        return (end.year - start.year) * 12 + end.month - start.month

    @property
    def comparison(self) -> Period:
        """As many months just before, for whole months (twelve months are compared with the
        twelve before even across a leap day); otherwise as many days. The comparison scales
        the counts by the periods' lengths in days either way."""
        months = self.whole_months
        if months is None:
            return self.period.previous()
        return Period(self.period.kind, add_months(self.period.start, -months), self.period.start)


def default_period(today: dt.date) -> EvidencePeriod:
    """The twelve complete months before today's month."""
    last_day = today.replace(day=1) - dt.timedelta(days=1)
    first_day = add_months(last_day.replace(day=1), -(DEFAULT_MONTHS - 1))
    return EvidencePeriod.of(first_day, last_day)


def add_months(day: dt.date, months: int) -> dt.date:
    """The first of the month `months` after (or before) `day`'s month."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


# --- what is counted ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Subject:
    """What the problem's figures are about, read once: its municipality, areas and categories
    with every category at or below them."""

    municipality: Municipality
    areas: list[Area]
    categories: list  # events.Category, in tree order
    leaves_of: dict[int, frozenset[int]]  # a problem category -> the categories it counts

    @classmethod
    def of(cls, problem: Problem) -> Subject:
        tree = CategoryTree.load()
        chosen = set(linked_ids(problem, "categories"))
        categories = [c for c, _depth in tree.depth_first() if c.pk in chosen]
        leaves_of = {c.pk: frozenset(tree.group_of([c.pk])) for c in categories}
        areas = list(linked(problem, "areas").order_by("name", "pk"))
        return cls(problem.agreement.municipality, areas, categories, leaves_of)

    @property
    def category_ids(self) -> list[int]:
        return sorted(set().union(*self.leaves_of.values())) if self.leaves_of else []

    @property
    def whole_municipality(self) -> bool:
        return not self.areas


def shared_events(subject: Subject, start: dt.date, end: dt.date) -> QuerySet:
    """The subject's events every partner may see and the statistics count, from the local
    day `start` up to `end` (excluded)."""
    events = counted(Event.objects.filter(municipality=subject.municipality)).filter(
        visibility__in=SHARED,
        category_id__in=subject.category_ids,
        occurred_from__gte=midnight(start),
        occurred_from__lt=midnight(end),
    )
    if subject.whole_municipality:
        return events.order_by()
    plain = sorted(
        {
            pk
            for area in subject.areas
            if area.kind != Area.Kind.CUSTOM
            for pk in area.descendant_ids()
        }
    )
    in_areas = events.filter(area_id__in=plain)
    for area in subject.areas:
        if area.kind == Area.Kind.CUSTOM:  # drawn by a user: its events are found by position
            in_areas = in_areas | events.in_area(area)
    return in_areas.order_by()


# --- months ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bucket:
    """A calendar month, or the part of it inside one of the two periods."""

    start: dt.date
    end: dt.date  # exclusive
    in_period: bool  # False: the comparison period

    @property
    def key(self) -> str:
        return f"b{self.start:%Y%m%d}"

    @property
    def partial(self) -> bool:
        return self.start.day != 1 or self.end != add_months(self.start, 1)


def buckets(chosen: EvidencePeriod) -> list[Bucket]:
    """The months of the comparison period, then of the period, cut at the periods' ends."""
    found = []
    for period, in_period in ((chosen.comparison, False), (chosen.period, True)):
        start = period.start
        while start < period.end:
            end = min(add_months(start, 1), period.end)
            found.append(Bucket(start, end, in_period))
            start = end
    return found


@dataclass(frozen=True)
class EventRows:
    """The subject's events, one array entry each: what the places, the hotspots and (in the
    problem's areas) the month counts are made of, read in one pass over the events."""

    both_periods: bool  # False: the period alone (the whole municipality counts from the rollup)
    in_period: np.ndarray  # bool: in the period, not the comparison
    place: np.ndarray  # place id, 0 for none
    xy: np.ndarray  # SWEREF 99 TM metres, n × 2
    exact: np.ndarray  # precise enough for a hotspot cell (hotspot_layer.MAX_PRECISION_M)
    category: np.ndarray  # category id (read with both periods only, else empty)
    bucket: np.ndarray  # index into the buckets (read with both periods only, else empty)


# A place's id, 0 for none: every column read is a number, so the rows go straight to numpy.
PLACE_OR_0 = Coalesce("place_id", Value(0), output_field=IntegerField())
COLUMNS = ("p", "x", "y", "precision_m")


def event_rows(subject: Subject, parts: list[Bucket]) -> EventRows:
    """One query over the subject's events. The problem's areas read both periods through the
    (area, occurred_from) index, with the bucket each event falls in; the whole municipality
    counts from the rollup, so it reads only the period's events and only what the places and
    the hotspots need, through the (category, municipality, occurred_from, ...) index."""
    if not subject.category_ids:
        return _rows(np.zeros((0, len(COLUMNS))), np.zeros(0, dtype=bool))
    if subject.whole_municipality:
        period = [b for b in parts if b.in_period]
        events = shared_events(subject, period[0].start, period[-1].end)
        table = _numbers(events.annotate(p=PLACE_OR_0).values_list(*COLUMNS))
        return _rows(table, np.ones(len(table), dtype=bool))
    month = _bucket_case("occurred_from", [midnight(b.end) for b in parts])
    events = shared_events(subject, parts[0].start, parts[-1].end)
    values = events.annotate(p=PLACE_OR_0, b=month).values_list(*COLUMNS, "b", "category_id")
    table = _numbers(values)
    bucket = table[:, 4].astype(np.int64)
    in_period = np.array([b.in_period for b in parts] + [False])[bucket]
    return _rows(table, in_period, category=table[:, 5].astype(np.int64), bucket=bucket)


def _rows(
    table: np.ndarray,
    in_period: np.ndarray,
    category: np.ndarray | None = None,
    bucket: np.ndarray | None = None,
) -> EventRows:
    """EventRows of a table whose first columns are COLUMNS; with the categories and buckets
    when both periods were read."""
    empty = np.zeros(0, dtype=np.int64)
    return EventRows(
        both_periods=bucket is not None,
        in_period=in_period,
        place=table[:, 0].astype(np.int64),
        xy=table[:, 1:3],
        exact=table[:, 3] <= hotspot_layer.MAX_PRECISION_M,
        category=empty if category is None else category,
        bucket=empty if bucket is None else bucket,
    )


def _numbers(values: QuerySet) -> np.ndarray:
    """The rows of `values` (numbers, never NULL) as an n × columns float array, read straight
    from the cursor: fifty thousand rows through the ORM's converters, or numpy's conversion
    of a list of tuples, cost more than the query."""
    sql, params = values.query.sql_with_params()
    width = len(values.query.values_select) + len(values.query.annotation_select)
    connection = connections[values.db]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            return _packed(cursor, sql, params, width)
        cursor.execute(sql, params)
        found = cursor.fetchall()
    flat = itertools.chain.from_iterable(found)
    return np.fromiter(flat, dtype=np.float64, count=len(found) * width).reshape(-1, width)


def _packed(cursor, sql: str, params: tuple, width: int) -> np.ndarray:
    """PostgreSQL: the rows as one value, every row's numbers as big-endian doubles one after
    another (float8send, exact), that numpy reads in one step: no Python object per number,
    which for fifty thousand rows cost as much as the query."""
    names = [f"c{i}" for i in range(width)]
    row = " || ".join(f"float8send({name}::float8)" for name in names)
    # The inner query is the ORM's, with its parameters; the rest is fixed text.
    packed = f"SELECT string_agg({row}, ''::bytea) FROM ({sql}) AS t ({', '.join(names)})"  # noqa: S608
    cursor.execute(packed, params)
    (data,) = cursor.fetchone()
    doubles = np.frombuffer(bytes(data or b""), dtype=">f8").astype(np.float64)
    return doubles.reshape(-1, width)


def _bucket_case(field: str, ends: list) -> Case:
    """The index of the first bucket that ends after `field` (buckets in order, the earliest
    first, so the database stops at the first match), -1 after the last."""
    whens = [When(**{f"{field}__lt": end}, then=Value(i)) for i, end in enumerate(ends)]
    return Case(*whens, default=Value(-1), output_field=IntegerField())


def counts_by_bucket(
    subject: Subject, parts: list[Bucket], rows: EventRows
) -> dict[int, dict[str, int]]:
    """Category -> bucket key -> events (none where there are none): from the daily rollup for
    the whole municipality (one grouped query, a few thousand index rows), from the rows
    already read for the problem's areas."""
    if not subject.category_ids:
        return {}
    if subject.whole_municipality:
        pairs = (
            DailyCount.objects.filter(
                municipality=subject.municipality,
                visibility__in=SHARED,
                category_id__in=subject.category_ids,
                day__gte=parts[0].start,
                day__lt=parts[-1].end,
            )
            .order_by()
            .annotate(b=_bucket_case("day", [b.end for b in parts]))
            .values_list("category_id", "b")
            .annotate(n=Sum("events"))
        )
        found = list(pairs)
    else:
        both = np.column_stack([rows.category, rows.bucket])
        unique, n = np.unique(both, axis=0, return_counts=True)
        found = [(c, b, k) for (c, b), k in zip(unique.tolist(), n.tolist(), strict=True)]
    counted_in: dict[int, dict[str, int]] = {}
    for category, bucket, count in found:
        if bucket >= 0:
            counted_in.setdefault(category, {})[parts[bucket].key] = count
    return counted_in


# --- the figures -------------------------------------------------------------------------------


def build(problem: Problem, chosen: EvidencePeriod) -> dict[str, Any]:
    """Everything the evidence page shows for `problem` in `chosen`, but the registered
    sections (`sections`), as JSON-ready data."""
    subject = Subject.of(problem)
    parts = buckets(chosen)
    rows = event_rows(subject, parts)
    by_category = counts_by_bucket(subject, parts, rows)
    return {
        "period": _period_data(chosen.period),
        "comparison": _period_data(chosen.comparison),
        "whole_municipality": subject.whole_municipality,
        "areas": [area.name for area in subject.areas],
        "categories": [category.path_name for category in subject.categories],
        "table": category_table(subject, parts, by_category, chosen),
        "months": month_rows(subject, parts, by_category),
        "places": top_places(subject, chosen, rows),
        "hotspots": hotspots(subject, chosen, rows),
    }


def sections(problem: Problem, chosen: EvidencePeriod) -> list[evidence_sections.ComputedSection]:
    """What the apps beside promises add for the problem's areas, categories and period."""
    return evidence_sections.compute_all(
        problem.agreement.municipality,
        list(linked(problem, "areas")),
        list(linked(problem, "categories")),
        chosen.first_day,
        chosen.last_day,
    )


def _period_data(period: Period) -> dict[str, Any]:
    return {
        "first_day": period.start.isoformat(),
        "last_day": period.last_day.isoformat(),
        "days": period.days,
        "label": period.label(),
    }


def category_table(
    subject: Subject, parts: list[Bucket], by_category: dict, chosen: EvidencePeriod
) -> dict[str, Any]:
    """Per problem category the period against the comparison, marked over the rows together
    (Benjamini-Hochberg, as the situation picture's table); the total alone. A category under
    another chosen one counts in both rows, but once in the total."""

    def total(leaves, in_period: bool) -> int:
        return sum(
            by_category.get(leaf, {}).get(b.key, 0)
            for leaf in leaves
            for b in parts
            if b.in_period == in_period
        )

    rows: list[dict[str, Any]] = [
        {
            "name": category.path_name,
            "current": total(subject.leaves_of[category.pk], True),
            "previous": total(subject.leaves_of[category.pk], False),
        }
        for category in subject.categories
    ]
    every = subject.category_ids
    total_row: dict[str, Any] = {"current": total(every, True), "previous": total(every, False)}
    ratio = chosen.period.days / chosen.comparison.days
    for family in (rows, [total_row]):
        marked = marked_comparisons([(r["current"], r["previous"]) for r in family], ratio)
        for row, data in zip(family, marked, strict=True):
            row["change"] = data
    return {"rows": rows, "total": total_row}


def month_rows(subject: Subject, parts: list[Bucket], by_category: dict) -> list[dict[str, Any]]:
    """One row per month (or part of one) of both periods: the events in each problem category
    and in all of them together."""
    names = charts.month_names()
    rows = []
    for b in parts:
        per_category = [
            sum(by_category.get(leaf, {}).get(b.key, 0) for leaf in subject.leaves_of[c.pk])
            for c in subject.categories
        ]
        counts = [by_category.get(leaf, {}).get(b.key, 0) for leaf in subject.category_ids]
        label = f"{names[b.start.month - 1]} {b.start.year}"
        if b.partial:
            label = f"{b.start.day}–{(b.end - dt.timedelta(days=1)).day} {label}"
        rows.append(
            {
                "start": b.start.isoformat(),
                "label": label,
                "days": (b.end - b.start).days,
                "partial": b.partial,
                "in_period": b.in_period,
                "by_category": per_category,
                "total": sum(counts),
            }
        )
    return rows


def top_places(subject: Subject, chosen: EvidencePeriod, rows: EventRows) -> list[dict[str, Any]]:
    """The named places with the most events in the period, with their comparison counts
    (read for these places alone when the rows hold only the period)."""
    in_period, named = rows.in_period, rows.place > 0
    places, now = np.unique(rows.place[named & in_period], return_counts=True)
    if not len(places):
        return []
    # Every place with as many events as the tenth, so ties at the cut are ordered by name.
    least = np.sort(now)[::-1][min(TOP_PLACES, len(now)) - 1]
    candidates = {int(pk): int(n) for pk, n in zip(places, now, strict=True) if n >= least}
    names = dict(Place.objects.filter(pk__in=list(candidates)).values_list("pk", "name"))
    top = sorted(candidates.items(), key=lambda item: (-item[1], names.get(item[0], "")))
    top = top[:TOP_PLACES]
    if rows.both_periods:
        before = dict(
            zip(*np.unique(rows.place[named & ~in_period], return_counts=True), strict=True)
        )
    else:
        before = dict(
            shared_events(subject, chosen.comparison.start, chosen.comparison.end)
            .filter(place_id__in=[pk for pk, _n in top])
            .values_list("place_id")
            .annotate(n=Count("pk"))
        )
    return [
        {"name": names.get(pk, ""), "current": n, "previous": int(before.get(pk, 0))}
        for pk, n in top
    ]


def hotspots(subject: Subject, chosen: EvidencePeriod, rows: EventRows) -> dict[str, Any]:
    """Gi* over the period's events with exact positions, in the problem's areas (or the
    municipality's districts), by the situation picture's rule (`hotspot_layer.cells`), with
    the region's outline for the drawn map. Both are kept as briefly as the situation page's
    layer is."""
    window = hotspot_layer.window_for(chosen.period)
    if window == chosen.period:
        points = rows.xy[rows.exact & rows.in_period]
    else:  # a period shorter than the window: the window reaches back before both periods
        events = shared_events(subject, window.start, window.end).filter(
            precision_m__lte=hotspot_layer.MAX_PRECISION_M
        )
        points = np.array(list(events.values_list("x", "y")), dtype=float).reshape(-1, 2)
    if subject.whole_municipality:
        region, cell = f"{subject.municipality.pk}:0", hotspot_layer.MUNICIPALITY_CELL_M
    else:
        ids = ",".join(str(area.pk) for area in subject.areas)
        region, cell = f"{subject.municipality.pk}:problem:{ids}", hotspot_layer.AREA_CELL_M
    shape = functools.cache(lambda: _region(subject))
    data = hotspot_layer.cells_cached(region, window, points, shape, cell)
    rings_key = f"evidence-outline:{region}"
    rings = cache.get(rings_key)
    if rings is None:
        rings = hotspot_layer.rings_of(shape())
        cache.set(rings_key, rings, hotspot_layer.CACHE_SECONDS)
    return data | {"outline": rings, "summary": hotspot_layer.summary(data)}


def _region(subject: Subject):
    """The study region: the problem's areas together, or the municipality's districts."""
    if subject.whole_municipality:
        return hotspot_layer.outline(Scope(user=None, municipality=subject.municipality))
    shapes = [outline_in_sweref(area.geometry) for area in subject.areas]
    return shapely.union_all(shapes).buffer(0)
