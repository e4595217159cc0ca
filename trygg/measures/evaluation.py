"""Did it work? The evaluation of a done measure at a place or an area (issue 4, item 6).

Events are counted in three zones (trygg/analysis/rings.py): the target (a disc of
`target_radius_m` around the place, or the area's polygon), the buffer ring `buffer_m` wide
around it, and the control (the chosen control area, else the municipality's current
districts, else its boundary; always outside target and buffer). Two windows of equal length
are compared: the weeks before the measure started and as many weeks from the day it was done,
at most EVALUATION_WEEKS, cut at today and at the first event Trygg holds. The weeks in between,
while the work went on, are in neither. The figures are the pure functions of
trygg/analysis/evaluation.py on those counts; the WDD is scaled to the control
(trygg/analysis/scaled_wdd.py says why).

The events counted are those every partner in the municipality may see (public or partners),
not rejected or duplicates, with a position good enough for a district (the police feed's
municipality centroids are not at any place), in the measure's category subtree or, without
one, every category but the police's notices and summaries. Everyone who may see the measure
thus sees the same figures.

A physical measure (a camera, lighting, cleared bushes) is also evaluated on the events of
evenings and nights (18–06, local time) and of whole weekends only: a school-yard camera is
put up against what happens when the school is empty, and a drop then can hide in the daytime
figures (docs/decisions/0030).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
import shapely
from django.db.models import Min, Q, QuerySet
from django.utils import timezone
from shapely.geometry.base import BaseGeometry

from trygg.analysis.evaluation import (
    ITS,
    RES,
    WDD,
    WDQ,
    Verdict,
    interrupted_time_series,
    relative_effect_size,
    verdict,
    weighted_displacement_quotient,
)
from trygg.analysis.rings import Rings, Zone, count_in_bins, disc_rings, polygon_rings
from trygg.analysis.rings import zone_of_points as zones_of
from trygg.analysis.scaled_wdd import wdd_with_scaled_control
from trygg.core.periods import midnight
from trygg.events.daily_counts import counted
from trygg.events.models import Category, Event, Visibility
from trygg.measures.access import can_analyse
from trygg.measures.models import Measure, Status
from trygg.measures.models.meeting import Decision
from trygg.places.geo import outline_in_sweref
from trygg.places.index import AREA_PRECISION_LIMIT_M
from trygg.places.models import Area

EVALUATION_WEEKS = 26  # the longest before and after windows compared
ITS_WEEKS_BEFORE = 104  # the longest history the time series looks back on
SEASON_WEEKS = 52  # with a year before, the time series also takes out the season
SHARED = (Visibility.PUBLIC, Visibility.PARTNERS)
NOT_INCIDENTS = ("polis.meddelande", "polis.sammanfattning")


class Unavailable(StrEnum):
    NOT_DONE = "not_done"
    NO_PLACE = "no_place"
    TOO_EARLY = "too_early"  # not one whole week since it was done
    NO_DATA_BEFORE = "no_data_before"  # no week of events before it started


class Hours(StrEnum):
    ALL = "all"
    EVENINGS_WEEKENDS = "evenings_weekends"  # 18:00–05:59 every day, and Saturday and Sunday


EVENING_FROM, EVENING_UNTIL = 18, 6  # local hours: from 18:00 until 06:00


class ControlKind(StrEnum):
    CHOSEN = "chosen"  # measure.control_area
    DISTRICTS = "districts"  # the municipality's current districts
    MUNICIPALITY = "municipality"  # its boundary, when it has no districts
    NONE = "none"


@dataclass(frozen=True)
class Windows:
    started: dt.date  # the before window ends here
    done: dt.date  # the after window starts here
    weeks: int  # length of each window
    series_weeks_before: int  # the time series' weeks before `done`
    series_weeks_after: int  # and from it (whole weeks up to yesterday)

    @property
    def before(self) -> tuple[dt.date, dt.date]:
        return self.started - dt.timedelta(weeks=self.weeks), self.started

    @property
    def after(self) -> tuple[dt.date, dt.date]:
        return self.done, self.done + dt.timedelta(weeks=self.weeks)

    @property
    def last_days(self) -> tuple[dt.date, dt.date]:
        """The last day of the before window and of the after window (both included)."""
        day = dt.timedelta(days=1)
        return self.before[1] - day, self.after[1] - day

    @property
    def series_start(self) -> dt.date:
        return self.done - dt.timedelta(weeks=self.series_weeks_before)

    def week_starts(self) -> list[dt.date]:
        n = self.series_weeks_before + self.series_weeks_after
        return [self.series_start + dt.timedelta(weeks=k) for k in range(n)]


@dataclass(frozen=True)
class Counts:
    target: tuple[int, int]  # (before, after)
    buffer: tuple[int, int]
    control: tuple[int, int] | None  # None without a control area

    @property
    def has_control(self) -> bool:
        return self.control is not None


@dataclass(frozen=True)
class Week:
    start: dt.date
    count: int
    after: bool  # from the day the measure was done
    during: bool  # while the work went on (started, not yet done)


@dataclass
class Evaluation:
    measure: Measure
    hours: Hours = Hours.ALL
    unavailable: Unavailable | None = None
    windows: Windows | None = None
    control_kind: ControlKind = ControlKind.NONE
    counts: Counts | None = None
    res: RES | None = None
    wdd: WDD | None = None
    wdq: WDQ | None = None
    its: ITS | None = None
    verdict: Verdict | None = None
    weeks: list[Week] = field(default_factory=list)


def evaluate(
    measure: Measure, today: dt.date | None = None, hours: Hours = Hours.ALL
) -> Evaluation:
    """The counts, figures and verdict for `measure`, or why there are none yet; with
    `hours`, only the events of evenings, nights and weekends are counted."""
    reason = unavailable_reason(measure)
    done_on = measure.done_on
    if reason is not None or done_on is None:  # the reason is NOT_DONE when done_on is None
        return Evaluation(measure, hours, unavailable=reason or Unavailable.NOT_DONE)
    events = in_hours(counted_events(measure), hours)
    # Windows and data start are the same for every hours filter: a week without evening
    # events is still a week Trygg has data for.
    windows = plan_windows(
        start_of(measure), done_on, today or timezone.localdate(), data_start(measure)
    )
    if isinstance(windows, Unavailable):
        return Evaluation(measure, hours, unavailable=windows)
    rings = rings_of(measure)
    control, control_kind = control_of(measure)
    target_before, target_after, buffer_counts, series = _near_counts(events, rings, windows)
    control_counts = None if control is None else _control_counts(events, rings, control, windows)
    counts = Counts((target_before, target_after), buffer_counts, control_counts)
    result = Evaluation(measure, hours, windows=windows, control_kind=control_kind, counts=counts)
    _add_figures(result, counts, series, windows)
    result.weeks = _weeks(series, windows)
    return result


def unavailable_reason(measure: Measure) -> Unavailable | None:
    if measure.status != Status.DONE or measure.done_on is None:
        return Unavailable.NOT_DONE
    if measure.place_id is None and measure.area_id is None:
        return Unavailable.NO_PLACE
    return None


def can_change_settings(user, measure: Measure) -> bool:
    """The rule of `set_evaluation_settings`, asked before showing its form."""
    return can_analyse(user, measure.municipality_id)


# --- when ----------------------------------------------------------------------------------


def start_of(measure: Measure) -> dt.date:
    """When the measure started: the day it was set in progress, else the EST meeting that
    decided it, else the day it was entered; never after it was done."""
    started = measure.started_on
    if started is None:
        decision = Decision.objects.filter(measure=measure).select_related("meeting").first()
        started = decision.meeting.held_on if decision else timezone.localdate(measure.created_at)
    return min(started, measure.done_on) if measure.done_on else started


def data_start(measure: Measure) -> dt.date | None:
    """The local day of the first event the evaluation could count in the municipality (any
    category): weeks before it are not "no events" but "no data"."""
    first = _shared_events(measure).aggregate(first=Min("occurred_from"))["first"]
    return timezone.localdate(first) if first else None


def plan_windows(
    started: dt.date, done: dt.date, today: dt.date, first_day: dt.date | None
) -> Windows | Unavailable:
    """Equal before and after windows of whole weeks, and the time series' span."""
    weeks_after = (today - done).days // 7  # whole weeks that have ended by yesterday
    if weeks_after < 1:
        return Unavailable.TOO_EARLY
    if first_day is None or (started - first_day).days < 7:
        return Unavailable.NO_DATA_BEFORE
    return Windows(
        started=started,
        done=done,
        weeks=min(EVALUATION_WEEKS, weeks_after, (started - first_day).days // 7),
        series_weeks_before=min(ITS_WEEKS_BEFORE, (done - first_day).days // 7),
        series_weeks_after=weeks_after,
    )


# --- what and where ------------------------------------------------------------------------


def _shared_events(measure: Measure) -> QuerySet[Event]:
    events = Event.objects.filter(
        municipality_id=measure.municipality_id,
        visibility__in=SHARED,
        precision_m__lte=AREA_PRECISION_LIMIT_M,
    )
    return counted(events)


def counted_events(measure: Measure) -> QuerySet[Event]:
    """The events the evaluation counts (see the module's docstring)."""
    events = _shared_events(measure)
    if measure.category is not None:
        return events.filter(category_id__in=measure.category.descendant_ids())
    excluded = [
        pk
        for root in Category.objects.filter(code__in=NOT_INCIDENTS)
        for pk in root.descendant_ids()
    ]
    return events.exclude(category_id__in=excluded)


def in_hours(events: QuerySet[Event], hours: Hours) -> QuerySet[Event]:
    """Evenings, nights and weekends by the local clock of when the event began (the
    database converts to the site's time zone, so summer time is taken into account)."""
    if hours == Hours.ALL:
        return events
    return events.filter(
        Q(occurred_from__hour__gte=EVENING_FROM)
        | Q(occurred_from__hour__lt=EVENING_UNTIL)
        | Q(occurred_from__iso_week_day__gte=6)  # Saturday and Sunday
    )


def rings_of(measure: Measure) -> Rings:
    place = measure.place
    if place is not None:
        return disc_rings(place.x, place.y, measure.target_radius_m, measure.buffer_m)
    area = measure.area
    if area is None:  # unavailable_reason() keeps such a measure from being evaluated
        raise ValueError("A measure without a place or an area has no rings.")
    return polygon_rings(outline_in_sweref(area.geometry), measure.buffer_m)


def control_of(measure: Measure) -> tuple[BaseGeometry | None, ControlKind]:
    """The control polygon in SWEREF 99 TM (target and buffer are taken out when counting)."""
    if measure.control_area is not None:
        return outline_in_sweref(measure.control_area.geometry), ControlKind.CHOSEN
    districts = Area.objects.current().filter(
        municipality_id=measure.municipality_id, kind=Area.Kind.DISTRICT
    )
    outlines = [outline_in_sweref(g) for g in districts.values_list("geometry", flat=True)]
    if outlines:
        return shapely.union_all(outlines), ControlKind.DISTRICTS
    if measure.municipality.geometry:
        return outline_in_sweref(measure.municipality.geometry), ControlKind.MUNICIPALITY
    return None, ControlKind.NONE


# --- counting ------------------------------------------------------------------------------


def _edges(*days: dt.date) -> np.ndarray:
    return np.array([midnight(day).timestamp() for day in days])


def _in_box(events: QuerySet[Event], bounds, first: dt.date, end: dt.date) -> QuerySet[Event]:
    """A box and a span in SQL; the exact shape is tested in numpy afterwards."""
    min_x, min_y, max_x, max_y = bounds
    return events.filter(
        x__range=(min_x, max_x),
        y__range=(min_y, max_y),
        occurred_from__gte=midnight(first),
        occurred_from__lt=midnight(end),
    )


def _near_counts(events: QuerySet[Event], rings: Rings, windows: Windows):
    """Target before/after, buffer (before, after) and the target's weekly series."""
    starts = windows.week_starts()
    series_end = starts[-1] + dt.timedelta(weeks=1)
    first = min(windows.before[0], windows.series_start)
    rows = list(
        _in_box(events, rings.bounds, first, series_end).values_list("x", "y", "occurred_from")
    )
    xs = np.array([row[0] for row in rows], dtype=np.float64)
    ys = np.array([row[1] for row in rows], dtype=np.float64)
    times = np.array([row[2].timestamp() for row in rows], dtype=np.float64)
    zones = zones_of(rings, xs, ys)
    target, buffer = times[zones == Zone.TARGET], times[zones == Zone.BUFFER]
    before, after = _edges(*windows.before), _edges(*windows.after)
    series = count_in_bins(target, _edges(*starts, series_end))
    return (
        int(count_in_bins(target, before)[0]),
        int(count_in_bins(target, after)[0]),
        (int(count_in_bins(buffer, before)[0]), int(count_in_bins(buffer, after)[0])),
        series,
    )


def _control_counts(
    events: QuerySet[Event], rings: Rings, control: BaseGeometry, windows: Windows
) -> tuple[int, int]:
    """Events in the control outside target and buffer, before and after. Only positions are
    read (the control may be most of the municipality)."""
    counts = []
    for first, end in (windows.before, windows.after):
        xy = np.array(
            _in_box(events, control.bounds, first, end).values_list("x", "y"), dtype=np.float64
        ).reshape(-1, 2)
        counts.append(int((zones_of(rings, xy[:, 0], xy[:, 1], control) == Zone.CONTROL).sum()))
    return counts[0], counts[1]


# --- figures -------------------------------------------------------------------------------


def _add_figures(result: Evaluation, counts: Counts, series: np.ndarray, windows: Windows) -> None:
    (a, b), (d0, d1) = counts.target, counts.buffer
    if counts.control is not None:
        c, d = counts.control
        result.res = relative_effect_size(a, b, c, d)
        result.wdd = wdd_with_scaled_control(a, b, d0, d1, c, d)
        result.wdq = weighted_displacement_quotient(a, b, d0, d1, c, d)
    seasons = None
    if windows.series_weeks_before >= SEASON_WEEKS:
        seasons = [start.isocalendar().week for start in windows.week_starts()]
    result.its = interrupted_time_series(series, windows.series_weeks_before, week_of_year=seasons)
    result.verdict = verdict(res=result.res, wdd=result.wdd, its=result.its)


def _weeks(series: np.ndarray, windows: Windows) -> list[Week]:
    return [
        Week(
            start=start,
            count=int(n),
            after=start >= windows.done,
            during=windows.started <= start < windows.done,
        )
        for start, n in zip(windows.week_starts(), series, strict=True)
    ]
