"""Serving hours beside the events around a premise (issue 15, point 6): of the events near a
licensed premise in a period, how many fell while it served, how many after its closing time
that night, and how many on a day it had no serving, hour by hour.

What counts:

- *Near*: within `RADIUS_M` metres of the premise's place, measured on SWEREF 99 TM, of events
  whose position is at least that precise (the police feed's municipality centroids are not
  "near" anything). A box on the (x, y) columns first, then the exact distance.
- *Which events*: those the reader may see (`Event.objects.visible_to`), counted as the
  statistics count them (no rejected reports or duplicates), not the inspections' own findings:
  the inspectors choose when to come, so their findings say when they came, not when trouble
  happens.
- *Which serving day*: a night belongs to the day its serving began: an event before the
  licence's `serving_from` belongs to the day before (01:30 on Saturday is Friday's night).
  The licence is the one in force on that serving day.
- *After closing*: from the closing time that serving day to the next day's `serving_from`.
  A serving day without hours (None), or without a licence, is its own column.

Local time throughout (Europe/Stockholm): the licence's hours are wall-clock hours."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from trygg.core.periods import midnight
from trygg.events.daily_counts import counted
from trygg.events.models import Event, Source
from trygg.presence.models import Licence, Premise

STOCKHOLM = ZoneInfo("Europe/Stockholm")
RADIUS_M = 100
PERIOD_DAYS = 365
# The first hour after closing, when the guests leave: shown on its own.
FIRST_HOUR = dt.timedelta(hours=1)
# The table's hours, from noon to the next morning: the serving evening reads top to bottom.
HOURS = [(12 + i) % 24 for i in range(24)]

SERVING, AFTER_CLOSING, NO_SERVING = "serving", "after_closing", "no_serving"


@dataclass
class HourRow:
    hour: int
    serving: int = 0
    after_closing: int = 0
    no_serving: int = 0

    @property
    def total(self) -> int:
        return self.serving + self.after_closing + self.no_serving

    @property
    def label(self) -> str:
        return f"{self.hour:02d}–{(self.hour + 1) % 24:02d}"


@dataclass
class ServingComparison:
    start: dt.date
    end: dt.date  # inclusive
    radius_m: int
    rows: list[HourRow] = field(default_factory=list)
    first_hour_after: int = 0

    def _sum(self, name: str) -> int:
        return sum(getattr(row, name) for row in self.rows)

    @property
    def total(self) -> int:
        return self._sum("total")

    @property
    def serving(self) -> int:
        return self._sum("serving")

    @property
    def after_closing(self) -> int:
        return self._sum("after_closing")

    @property
    def no_serving(self) -> int:
        return self._sum("no_serving")

    @property
    def after_closing_share(self) -> int | None:
        """Percent of the events after closing, rounded; None without events."""
        return round(100 * self.after_closing / self.total) if self.total else None

    @property
    def busy_rows(self) -> list[HourRow]:
        """The hours with any event: the table leaves empty hours out."""
        return [row for row in self.rows if row.total]


def _closing(licence: Licence, day: dt.date) -> dt.datetime | None:
    """When serving ends on serving day `day` (local), None on a day without serving."""
    until = licence.serving_until[day.weekday()]
    if not until:
        return None
    hours, minutes = (int(part) for part in until.split(":"))
    closes = dt.time(hours, minutes)
    end_day = day + dt.timedelta(days=int(closes <= licence.serving_from))
    return dt.datetime.combine(end_day, closes, tzinfo=STOCKHOLM)


def classify(moment: dt.datetime, licences: list[Licence]) -> tuple[str, bool]:
    """(serving, after_closing or no_serving; whether within the first hour after closing)
    for one event's time, given the premise's licences."""
    local = moment.astimezone(STOCKHOLM)
    day, licence = _serving_day(local, licences)
    closes = _closing(licence, day) if licence is not None else None
    if licence is None or closes is None:
        return NO_SERVING, False
    if local < closes:
        return SERVING, False
    return AFTER_CLOSING, local - closes < FIRST_HOUR


def _serving_day(local: dt.datetime, licences: list[Licence]) -> tuple[dt.date, Licence | None]:
    """The serving day a local time belongs to and the licence in force then: the day itself
    from its `serving_from`, else the night of the day before."""
    day = local.date()
    today = _licence_on(licences, day)
    if today is not None and local.time() >= today.serving_from:
        return day, today
    before = _licence_on(licences, day - dt.timedelta(days=1))
    if before is not None and local.time() < before.serving_from:
        return day - dt.timedelta(days=1), before
    return day, None


def _licence_on(licences: list[Licence], day: dt.date) -> Licence | None:
    for licence in licences:
        if licence.valid_from <= day and (licence.valid_to is None or day <= licence.valid_to):
            return licence
    return None


def nearby(premise: Premise, user, start: dt.date, end: dt.date, radius_m: int = RADIUS_M):
    """(local time of each event) near the premise in [start, end] that `user` may see."""
    place = premise.place
    events = counted(Event.objects.visible_to(user)).filter(
        municipality_id=premise.municipality_id,
        precision_m__lte=radius_m,
        x__gte=place.x - radius_m,
        x__lte=place.x + radius_m,
        y__gte=place.y - radius_m,
        y__lte=place.y + radius_m,
    )
    events = events.exclude(source=Source.INSPECTION).in_period(
        midnight(start), midnight(end + dt.timedelta(days=1))
    )
    return [
        when
        for when, x, y in events.values_list("occurred_from", "x", "y")
        if math.hypot(x - place.x, y - place.y) <= radius_m
    ]


def serving_comparison(
    premise: Premise, user, end: dt.date, days: int = PERIOD_DAYS, radius_m: int = RADIUS_M
) -> ServingComparison:
    """The events near `premise` in the `days` up to and including `end`, by hour and by
    whether the premise served then; see the module docstring."""
    start = end - dt.timedelta(days=days - 1)
    result = ServingComparison(start, end, radius_m)
    rows = {hour: HourRow(hour) for hour in HOURS}
    licences = list(premise.own_licences().order_by("valid_from"))
    for moment in nearby(premise, user, start, end, radius_m):
        kind, first_hour = classify(moment, licences)
        row = rows[moment.astimezone(STOCKHOLM).hour]
        setattr(row, kind, getattr(row, kind) + 1)
        result.first_hour_after += int(first_hour)
    result.rows = [rows[hour] for hour in HOURS]
    return result
