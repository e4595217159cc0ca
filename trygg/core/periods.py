"""Periods the EST work counts in: ISO weeks, four-week blocks, tertials, years, custom spans.

A period is a span of whole local days, `start` included and `end` excluded, so periods of
the same kind tile the calendar without gaps or overlaps. Comparisons need the period before
and the same period a year earlier, which each kind defines in its own way (an ISO week's
year-earlier twin is the same week number, not the same dates).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from django.utils import timezone

# Month names as Swedish text writes them (the police feed's event names, the annual report's
# dates): not translated, since they are part of the Swedish text they stand in.
MONTHS_SV = (
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
)


class Kind(StrEnum):
    WEEK = "week"
    FOUR_WEEKS = "4weeks"
    TERTIAL = "tertial"
    YEAR = "year"
    CUSTOM = "custom"


@dataclass(frozen=True)
class Period:
    kind: Kind
    start: dt.date
    end: dt.date  # exclusive

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise ValueError("a period must end after it starts")

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    @property
    def last_day(self) -> dt.date:
        return self.end - dt.timedelta(days=1)

    def contains(self, day: dt.date) -> bool:
        return self.start <= day < self.end

    def previous(self) -> Period:
        """The period of the same kind and length just before this one."""
        if self.kind == Kind.TERTIAL:
            year, number = tertial_of(self.start)
            return tertial(year - 1, 3) if number == 1 else tertial(year, number - 1)
        if self.kind == Kind.YEAR:
            return year_period(self.start.year - 1)
        return Period(self.kind, self.start - dt.timedelta(days=self.days), self.start)

    def year_earlier(self) -> Period:
        """The same period a year before: the same ISO week(s), tertial or dates."""
        if self.kind in (Kind.WEEK, Kind.FOUR_WEEKS):
            iso = self.start.isocalendar()
            start = iso_week_start(iso.year - 1, min(iso.week, weeks_in_year(iso.year - 1)))
            return Period(self.kind, start, start + dt.timedelta(days=self.days))
        if self.kind == Kind.TERTIAL:
            year, number = tertial_of(self.start)
            return tertial(year - 1, number)
        if self.kind == Kind.YEAR:
            return year_period(self.start.year - 1)
        return Period(self.kind, _year_back(self.start), _year_back(self.end))

    def year_to_date(self) -> Period:
        """From 1 January of the period's last day up to and including that day."""
        last = self.last_day
        return Period(Kind.CUSTOM, dt.date(last.year, 1, 1), self.end)

    def label(self) -> str:
        """A short Swedish-neutral label: 'v. 47 2026', 'T3 2026', '2026', or the dates."""
        if self.kind == Kind.WEEK:
            iso = self.start.isocalendar()
            return f"v. {iso.week} {iso.year}"
        if self.kind == Kind.FOUR_WEEKS:
            first, last = self.start.isocalendar(), self.last_day.isocalendar()
            return f"v. {first.week}–{last.week} {last.year}"
        if self.kind == Kind.TERTIAL:
            year, number = tertial_of(self.start)
            return f"T{number} {year}"
        if self.kind == Kind.YEAR:
            return str(self.start.year)
        return f"{self.start:%Y-%m-%d} – {self.last_day:%Y-%m-%d}"


def midnight(day: dt.date) -> dt.datetime:
    """The aware moment a local day starts, in the project's time zone (Europe/Stockholm).

    Always the default zone, not one a request activated: a day's events and its rollup row
    must begin at the same instant. Midnight never falls in a daylight-saving gap or overlap
    in Sweden (clocks change at 02:00 and 03:00), so the moment is unambiguous."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_default_timezone())


def time_range(period: Period) -> tuple[dt.datetime, dt.datetime]:
    """The period as aware moments: its first day's midnight up to its end's (excluded)."""
    return midnight(period.start), midnight(period.end)


def _year_back(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def iso_week_start(year: int, week: int) -> dt.date:
    return dt.date.fromisocalendar(year, week, 1)


def weeks_in_year(year: int) -> int:
    return dt.date(year, 12, 28).isocalendar().week


def iso_week(year: int, week: int) -> Period:
    if not 1 <= week <= weeks_in_year(year):
        raise ValueError(f"year {year} has no week {week}")
    start = iso_week_start(year, week)
    return Period(Kind.WEEK, start, start + dt.timedelta(days=7))


def four_weeks_ending(year: int, week: int) -> Period:
    """The four ISO weeks ending with the given week (the EST group's usual look back)."""
    last = iso_week(year, week)
    return Period(Kind.FOUR_WEEKS, last.start - dt.timedelta(days=21), last.end)


def tertial_of(day: dt.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 4 + 1


def tertial(year: int, number: int) -> Period:
    """January–April, May–August, September–December."""
    if number not in (1, 2, 3):
        raise ValueError("a tertial is numbered 1, 2 or 3")
    start = dt.date(year, 4 * (number - 1) + 1, 1)
    end = dt.date(year + 1, 1, 1) if number == 3 else dt.date(year, 4 * number + 1, 1)
    return Period(Kind.TERTIAL, start, end)


def year_period(year: int) -> Period:
    return Period(Kind.YEAR, dt.date(year, 1, 1), dt.date(year + 1, 1, 1))


def custom(first_day: dt.date, last_day: dt.date) -> Period:
    """From `first_day` to `last_day`, both included."""
    return Period(Kind.CUSTOM, first_day, last_day + dt.timedelta(days=1))


def containing(kind: Kind, day: dt.date) -> Period:
    """The period of this kind that holds `day` (custom: that day alone)."""
    if kind == Kind.WEEK:
        iso = day.isocalendar()
        return iso_week(iso.year, iso.week)
    if kind == Kind.FOUR_WEEKS:
        iso = day.isocalendar()
        return four_weeks_ending(iso.year, iso.week)
    if kind == Kind.TERTIAL:
        return tertial(*tertial_of(day))
    if kind == Kind.YEAR:
        return year_period(day.year)
    return custom(day, day)


def latest_complete(kind: Kind, today: dt.date) -> Period:
    """The last period of this kind that has ended by `today` (the meeting looks back)."""
    if kind == Kind.FOUR_WEEKS:  # the four weeks ending with the last complete week
        week = latest_complete(Kind.WEEK, today).start.isocalendar()
        return four_weeks_ending(week.year, week.week)
    period = containing(kind, today)
    return period.previous() if period.end > today else period


def parse(kind: str, value: str) -> Period:
    """A period from the situation page's parameters; ValueError with the reason if bad.

    week / 4weeks: '2026-W47'; tertial: '2026-T3'; year: '2026'; custom: '2026-01-01..2026-03-31'.
    """
    try:
        period_kind = Kind(kind)
    except ValueError:
        raise ValueError(f"unknown period kind {kind!r}") from None
    value = value.strip()
    if period_kind in (Kind.WEEK, Kind.FOUR_WEEKS):
        year, _, week = value.upper().partition("-W")
        make = iso_week if period_kind == Kind.WEEK else four_weeks_ending
        return make(int(year), int(week))
    if period_kind == Kind.TERTIAL:
        year, _, number = value.upper().partition("-T")
        return tertial(int(year), int(number))
    if period_kind == Kind.YEAR:
        return year_period(int(value))
    first, _, last = value.partition("..")
    return custom(dt.date.fromisoformat(first), dt.date.fromisoformat(last))


def as_parameter(period: Period) -> str:
    """The inverse of `parse` for the period's own kind."""
    if period.kind in (Kind.WEEK, Kind.FOUR_WEEKS):
        iso = period.last_day.isocalendar()
        return f"{iso.year}-W{iso.week:02d}"
    if period.kind == Kind.TERTIAL:
        year, number = tertial_of(period.start)
        return f"{year}-T{number}"
    if period.kind == Kind.YEAR:
        return str(period.start.year)
    return f"{period.start.isoformat()}..{period.last_day.isoformat()}"
