"""The situation picture of a scope and period as plain data: the page, the meeting pack and
its PDF all render this dict, and a kept pack stores it, so what was shown can be shown again.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import get_language

from trygg.analysis.counts import CountComparison, compare_counts, control_fdr
from trygg.analysis.trends import largest_rises, weekly_expectation
from trygg.core.periods import Kind, Period, as_parameter, midnight
from trygg.events.categories import CategoryTree
from trygg.events.models import Category, Event
from trygg.places.models import Area, Place
from trygg.situation import counts
from trygg.situation.scope import Scope

TREND_WEEKS = 104
# The band is fitted on up to five years before the period, so the season is learnt from more
# than the two years shown.
FIT_WEEKS = 260
MONTH_YEARS = 3
TOP_LIMIT = 10
FLAGGED_LIMIT = 50


@dataclass(frozen=True)
class Comparisons:
    current: Period
    previous: Period
    year_earlier: Period
    ytd: Period
    ytd_last: Period

    @classmethod
    def of(cls, period: Period) -> Comparisons:
        return cls(
            current=period,
            previous=period.previous(),
            year_earlier=period.year_earlier(),
            ytd=period.year_to_date(),
            ytd_last=period.year_earlier().year_to_date(),
        )

    def as_dict(self) -> dict[str, Period]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


def build(scope: Scope, period: Period) -> dict:
    """Everything the situation page shows for `scope` in `period`, as JSON-ready data."""
    comparisons = Comparisons.of(period)
    return {
        "period": period_data(period),
        "comparisons": {name: p.label() for name, p in comparisons.as_dict().items()},
        "table": category_table(scope, comparisons),
        **time_figures(scope, period),
        "hour_weekday": counts.hour_weekday(scope, period).tolist(),
        **place_figures(scope, period),
        "flagged": flagged_events(scope, period),
        "generated_at": timezone.now().isoformat(timespec="seconds"),
    }


def build_cached(scope: Scope, period: Period) -> tuple[dict, str]:
    """`build`, kept for settings.TRYGG_PICTURE_CACHE_SECONDS, and the key it is kept under
    (the page caches its rendered figures under the same key).

    The page is the platform's most visited and costs ~100 ms of CPU; a picture of last week
    hardly changes within a minute, and the page says when it was computed. Meeting packs and
    the annual report always compute afresh."""
    raw = f"{get_language()}|{scope.cache_key()}|{period.kind}|{period.start}|{period.end}"
    key = "situation-picture:" + hashlib.sha256(raw.encode()).hexdigest()
    seconds = settings.TRYGG_PICTURE_CACHE_SECONDS
    data = cache.get(key) if seconds > 0 else None
    if data is None:
        data = build(scope, period)
        if seconds > 0:
            cache.set(key, data, seconds)
    return data, key


def period_data(period: Period) -> dict:
    return {
        "kind": str(period.kind),
        "start": period.start.isoformat(),
        "last_day": period.last_day.isoformat(),
        "label": period.label(),
        "param": as_parameter(period),
    }


# --- the CompStat table --------------------------------------------------------------------


def category_table(scope: Scope, comparisons: Comparisons) -> dict:
    """Counts per shown category in the period and its comparison periods, with tests.

    Each comparison column marks its rows with Benjamini-Hochberg over the rows (a table of 25
    categories would otherwise show a chance marker most weeks); the total is tested alone."""
    periods = comparisons.as_dict()
    by_leaf = counts.by_category(scope, periods)
    shown, group_of = display_groups(scope.category)
    rows: dict[int, dict[str, int]] = {pk: dict.fromkeys(periods, 0) for pk in shown}
    for leaf_id, values in by_leaf.items():
        group = group_of.get(leaf_id)
        if group is not None:
            for name, n in values.items():
                rows[group][name] += n
    table: list[dict[str, Any]] = [{"name": shown[pk], **values} for pk, values in rows.items()]
    table = [row for row in table if row["ytd"] or row["ytd_last"] or row["year_earlier"]]
    total = {"name": "", **{name: sum(row[name] for row in table) for name in periods}}
    for family in (table, [total]):
        _mark_changes(family, comparisons)
    return {
        "rows": sorted(table, key=lambda row: (-row["current"], -row["ytd"], row["name"])),
        "total": total,
        # Tells the template that the markers are corrected over the rows; packs kept before
        # the correction lack it and keep their own explanation.
        "markers": "fdr_bh",
    }


def display_groups(category: Category | None) -> tuple[dict[int, str], dict[int, int]]:
    """The table's rows (top-level categories, or the chosen category's children) by id with
    their names, and for every category below them the row it counts in."""
    tree = CategoryTree.load()
    categories = tree.categories
    if category is None:
        heads = [c.pk for c in tree.tops()]
    else:
        heads = [pk for pk, c in categories.items() if c.parent_id == category.pk] or [category.pk]
    return {pk: categories[pk].name for pk in heads}, tree.group_of(heads)


# (key in a row, current count, baseline count, current period, baseline period)
COMPARED = (
    ("vs_previous", "current", "previous", "current", "previous"),
    ("vs_year", "current", "year_earlier", "current", "year_earlier"),
    ("vs_ytd", "ytd", "ytd_last", "ytd", "ytd_last"),
)


def _mark_changes(rows: list[dict], comparisons: Comparisons) -> None:
    """Adds each comparison column to the rows, marked over the rows together (`control_fdr`)."""
    for key, now, before, period, baseline in COMPARED:
        ratio = getattr(comparisons, period).days / getattr(comparisons, baseline).days
        marked = marked_comparisons([(row[now], row[before]) for row in rows], ratio)
        for row, data in zip(rows, marked, strict=True):
            row[key] = data


def marked_comparisons(pairs: list[tuple[int, int]], ratio: float) -> list[dict]:
    """Each (current, baseline) count pair compared by the exact test of two Poisson counts,
    `ratio` being the current period's length over the baseline's, and marked over the pairs
    together (`control_fdr`), as JSON-ready data: one table's rows, or a total alone."""
    tested = [_compared(now, before, ratio) for now, before in pairs]
    return [_comparison_data(result) for result in control_fdr(tested)]


@functools.lru_cache(maxsize=4096)
def _compared(now: int, before: int, ratio: float) -> CountComparison:
    # The exact test costs ~0.5 ms and a table repeats the same small counts many times.
    return compare_counts(now, before, exposure_ratio=ratio)


def _comparison_data(result: CountComparison) -> dict:
    return {
        "change": round(result.change, 1),
        "percent": None if result.change_percent is None else round(result.change_percent),
        "p": round(result.p_value, 4),
        "q": None if result.q_value is None else round(result.q_value, 4),
        "verdict": str(result.verdict),
    }


# --- over time -----------------------------------------------------------------------------


def time_figures(scope: Scope, period: Period) -> dict:
    """The weekly trend with its seasonal band and the annual wheel, from one daily series."""
    last_week_start = _monday(period.last_day)
    fit_start = last_week_start - dt.timedelta(weeks=FIT_WEEKS - 1)
    wheel_start = dt.date(period.last_day.year - MONTH_YEARS + 1, 1, 1)
    first = min(fit_start, wheel_start)
    series = counts.daily(scope, first, last_week_start + dt.timedelta(days=7))
    return {
        "trend": weekly_trend(series, fit_start),
        "months": month_wheel(series, wheel_start, period.end),
    }


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def weekly_trend(series: counts.DailySeries, fit_start: dt.date) -> dict:
    offset = (fit_start - series.first_day).days
    weekly = series.counts[offset:].reshape(-1, 7).sum(axis=1)
    starts = [fit_start + dt.timedelta(weeks=i) for i in range(len(weekly))]
    begin = reporting_start(weekly)
    band = (
        _expectation(
            weekly[begin:].astype(np.int64).tobytes(),
            tuple(s.isocalendar().week for s in starts[begin:]),
        )
        if begin < len(weekly)
        else None
    )
    shown = range(max(len(weekly) - TREND_WEEKS, 0), len(weekly))
    weeks = [_week_point(i, starts[i], int(weekly[i]), band, begin) for i in shown]
    return {
        "weeks": weeks,
        "enough_data": bool(band is not None and band.enough_data),
        "reason": None if band is None else band.reason,
        "trend_per_year": None if band is None else band.trend_per_year,
    }


@functools.lru_cache(maxsize=128)
def _expectation(weekly: bytes, week_numbers: tuple[int, ...]):
    # The fit is a pure function of the counts and costs 5–30 ms (a negative binomial one the
    # most), so every view of a picture whose counts have not changed reuses it. The band is
    # only read, never changed. Keyed by the counts' bytes, as arrays cannot be hashed.
    return weekly_expectation(np.frombuffer(weekly, dtype=np.int64), list(week_numbers))


def reporting_start(weekly: np.ndarray) -> int:
    """The first week of steady reporting: weeks before it are left out of the fit.

    Weeks before the first report are not weeks with nothing happening but weeks without
    data, and a reporting routine that starts up (a quarter of a typical week or less) would
    otherwise be read as a steep rising trend."""
    reported = weekly[weekly > 0]
    if not len(reported):
        return len(weekly)
    return int(np.flatnonzero(weekly >= 0.25 * np.median(reported))[0])


def _week_point(i: int, start: dt.date, n: int, band, begin: int) -> dict:
    point = {"start": start.isoformat(), "week": start.isocalendar().week, "count": n}
    if band is not None and band.enough_data and i >= begin:
        j = i - begin
        point |= {
            "expected": round(float(band.expected[j]), 2),
            "lower": float(band.lower[j]),
            "upper": float(band.upper[j]),
            "outside": "above" if band.above[j] else "below" if band.below[j] else None,
        }
    return point


def month_wheel(series: counts.DailySeries, wheel_start: dt.date, end: dt.date) -> dict:
    """Events per month for each of the last years (årshjul), and the mean per month."""
    years = list(range(wheel_start.year, wheel_start.year + MONTH_YEARS))
    grid = np.zeros((len(years), 12), dtype=np.int64)
    for day, n in zip(series.days(), series.counts.tolist(), strict=True):
        if wheel_start <= day < end and n:
            grid[day.year - wheel_start.year, day.month - 1] += n
    rows: list[list[int | None]] = [list(row) for row in grid.tolist()]
    # Months after the period are not zero months: they have not happened yet.
    last = end - dt.timedelta(days=1)
    for month in range(last.month, 12):
        rows[-1][month] = None
    return {"years": years, "counts": rows}


# --- where ---------------------------------------------------------------------------------


def baseline_for(period: Period) -> Period:
    """What a place's count is compared with: the four periods before a week or four weeks
    (one week alone is too noisy), the period before anything longer."""
    if period.kind in (Kind.WEEK, Kind.FOUR_WEEKS):
        return Period(Kind.CUSTOM, period.start - 4 * (period.end - period.start), period.start)
    return period.previous()


def place_figures(scope: Scope, period: Period) -> dict:
    baseline = baseline_for(period)
    ratio = period.days / baseline.days
    figures: dict[str, Any] = {"baseline_label": baseline.label()}
    for key, model in (("place", Place), ("area", Area)):
        pairs = counts.by_key(scope, f"{key}_id", period, baseline)
        names = dict(model.objects.filter(pk__in=list(pairs)).values_list("pk", "name"))
        top = sorted(pairs.items(), key=lambda item: (-item[1][0], names.get(item[0], "")))
        figures[f"top_{key}s"] = [
            {
                "id": pk,
                "name": names.get(pk, ""),
                "current": now,
                "baseline": before,
                "expected": round(before * ratio, 1),
            }
            for pk, (now, before) in top[:TOP_LIMIT]
            if now
        ]
        rises = largest_rises(
            {pk: now for pk, (now, _b) in pairs.items()},
            {pk: before for pk, (_n, before) in pairs.items()},
            ratio,
            limit=TOP_LIMIT,
        )
        figures[f"rising_{key}s"] = [
            {
                "id": r.key,
                "name": names.get(r.key, ""),
                "current": r.current,
                "baseline": r.baseline,
                "expected": round(r.expected, 1),
                "excess_low": round(r.excess_low, 1),
            }
            for r in rises
        ]
    return figures


def flagged_events(scope: Scope, period: Period) -> list[dict]:
    """Events in the period that a reviewer flagged for the meeting."""
    events = (
        scope.events()
        .filter(
            flagged=True,
            occurred_from__gte=midnight(period.start),
            occurred_from__lt=midnight(period.end),
        )
        .select_related("category", "place", "area", "organisation")
        .order_by("occurred_from")[:FLAGGED_LIMIT]
    )
    return [_flagged(event) for event in events]


def _flagged(event: Event) -> dict:
    return {
        "id": event.pk,
        "time": timezone.localtime(event.occurred_from).strftime("%Y-%m-%d %H:%M"),
        "category": event.category.name,
        "where": event.place.name if event.place else event.area.name if event.area else "",
        "organisation": event.organisation.name,
        "description": event.description[:300],
    }
