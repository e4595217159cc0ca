"""The national public overview: /oppen/sverige/, no login.

Public events per county and municipality for a year (to date, for the current year) beside
the same days a year earlier, for every municipality of Sweden on one page. A national
installation holds about ten million events, so the figures come from the daily rollup
(`DailyCount`, exact by construction) and never from the event table: one grouped query over
the two periods' public rows, read through the rollup's (municipality, day, …) index one
municipality at a time (`municipality_id = ANY(…)`), which PostgreSQL walks as one short index
range per municipality instead of the whole table.

What is counted is what the municipal public summary counts (`public.counted_events`): public
events that are not rejected or duplicates, and not the police's press notices or summaries.
Small counts are suppressed by the same rule (`public.figure`): every published figure is
computed from the cells of one cube, municipality × top-level category × period, that it adds
up, so a county's total is a range when a municipality's cell is hidden.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.db.models import Case, IntegerField, Min, Sum, When
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from trygg.analysis.suppression import COUNT
from trygg.events.models import Category, DailyCount, Event, Visibility
from trygg.places.models import Municipality
from trygg.places.reference import county_names
from trygg.situation.public import (
    NOT_INCIDENT_CATEGORIES,
    Figure,
    csv_text,
    csv_value,
    few_text,
    figure,
    municipalities_with_districts,
    top_categories,
    top_category_field,
    year_field,
)

CURRENT, EARLIER = "current", "earlier"
# The years on offer change only when a year of data is added: kept ten minutes.
YEARS_CACHE_SECONDS = 600

Cube = dict[tuple[int, int, str], int]  # (municipality, top category, CURRENT or EARLIER)


@dataclass(frozen=True)
class Span:
    """The days counted: the year (to `last`, for the current year) and the same days a year
    earlier."""

    year: int
    first: dt.date
    last: dt.date

    @classmethod
    def of(cls, year: int, today: dt.date) -> Span:
        last = today if year == today.year else dt.date(year, 12, 31)
        return cls(year, dt.date(year, 1, 1), last)

    @property
    def earlier_first(self) -> dt.date:
        return self.first.replace(year=self.year - 1)

    @property
    def earlier_last(self) -> dt.date:
        # 29 February has no day a year earlier: the earlier span ends on the 28th.
        if self.last.month == 2 and self.last.day == 29:
            return dt.date(self.year - 1, 2, 28)
        return self.last.replace(year=self.year - 1)

    @property
    def whole_year(self) -> bool:
        return self.last == dt.date(self.year, 12, 31)


def count_cube(span: Span, top_of: dict[int, int], municipality_ids: list[int]) -> Cube:
    """Public counted events of both spans by municipality and top category, from the rollup."""
    excluded = Category.objects.filter(code__in=NOT_INCIDENT_CATEGORIES).values("pk")
    rows = (
        DailyCount.objects.filter(
            municipality_id__in=municipality_ids,
            day__gte=span.earlier_first,
            day__lte=span.last,
            visibility=Visibility.PUBLIC,
        )
        .exclude(category_id__in=excluded)
        .values("municipality_id", "category_id")
        .annotate(
            current=_sum_between(span.first, span.last),
            earlier=_sum_between(span.earlier_first, span.earlier_last),
        )
        .order_by()
    )
    cube: Cube = defaultdict(int)
    for row in rows:
        top = top_of[row["category_id"]]
        for period in (CURRENT, EARLIER):
            if row[period]:
                cube[(row["municipality_id"], top, period)] += row[period]
    return dict(cube)


def _sum_between(first: dt.date, last: dt.date):
    return Sum(
        Case(
            When(day__gte=first, day__lte=last, then="events"),
            default=0,
            output_field=IntegerField(),
        )
    )


# --- rows ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """A county's or a municipality's figures as published."""

    code: str
    name: str
    current: Figure
    earlier: Figure
    change: str  # "+12 %", or "" where a suppressed figure or a small base makes it meaningless
    link_code: str | None = None  # the municipality's code where it has a public summary

    @property
    def figures(self) -> tuple[Figure, Figure]:
        return (self.current, self.earlier)


@dataclass(frozen=True)
class County:
    line: Line
    municipalities: list[Line]


@dataclass(frozen=True)
class Overview:
    span: Span
    category: Category | None
    threshold: int
    counties: list[County]
    sweden: Line


def change_text(current: Figure, earlier: Figure, threshold: int) -> str:
    """The change in per cent, only between two exact figures, and only from a base of at
    least ten times the threshold: from a handful of events a percentage says nothing."""
    if current.state != COUNT or earlier.state != COUNT:
        return ""
    if earlier.n is None or current.n is None or earlier.n < 10 * threshold:
        return ""
    percent = round(100 * (current.n - earlier.n) / earlier.n)
    return f"{percent:+d} %".replace("-", "−")


def _line(code, name, parts: dict[str, list[int]], threshold: int, link_code=None) -> Line:
    current = figure(parts[CURRENT], threshold)
    earlier = figure(parts[EARLIER], threshold)
    return Line(code, name, current, earlier, change_text(current, earlier, threshold), link_code)


def build_overview(
    span: Span,
    category: Category | None,
    *,
    top_of: dict[int, int],
    threshold: int,
) -> Overview:
    municipalities = list(Municipality.objects.only("pk", "code", "name", "county_code"))
    with_summary = {m.pk for m in municipalities_with_districts()}
    cube = count_cube(span, top_of, [m.pk for m in municipalities])
    cells: dict[tuple[int, str], list[int]] = defaultdict(list)
    for (municipality_id, top, period), n in cube.items():
        if category is None or top == category.pk:
            cells[(municipality_id, period)].append(n)

    def parts_of(ids) -> dict[str, list[int]]:
        ids = list(ids)
        return {p: [n for pk in ids for n in cells.get((pk, p), [])] for p in (CURRENT, EARLIER)}

    by_county: dict[str, list[Municipality]] = defaultdict(list)
    for municipality in municipalities:
        by_county[municipality.county_code].append(municipality)
    names = county_names()
    counties = []
    for code in sorted(by_county, key=lambda c: names.get(c, c)):
        members = sorted(by_county[code], key=lambda m: m.name)
        lines = [
            _line(
                m.code,
                m.name,
                parts_of([m.pk]),
                threshold,
                m.code if m.pk in with_summary else None,
            )
            for m in members
        ]
        county_line = _line(code, names.get(code, code), parts_of(m.pk for m in members), threshold)
        counties.append(County(county_line, lines))
    sweden = _line("", _("Hela Sverige"), parts_of(m.pk for m in municipalities), threshold)
    return Overview(span, category, threshold, counties, sweden)


# --- the page ------------------------------------------------------------------------------


def years_on_offer(today: dt.date) -> list[int]:
    """From the year of the first public event to this year, newest first.

    The first event is the first entry of the (occurred_from, …, visibility, municipality, …)
    index that is public: PostgreSQL reads it from the index's start, and sharded by
    municipality each shard answers its own. Every event has a municipality; a county-level
    police event's is its county's own row, which the overview does not list, so a year of
    only such events would show zeros, as would a year in between without public events."""
    key = f"trygg:national-years:{today.year}"
    years = cache.get(key)
    if years is None:
        first = Event.objects.public().aggregate(first=Min("occurred_from"))["first"]
        start = min(timezone.localtime(first).year, today.year) if first else today.year
        years = list(range(today.year, start - 1, -1))
        cache.set(key, years, YEARS_CACHE_SECONDS)
    return years


class NationalForm(forms.Form):
    ar = year_field(
        gettext_lazy("Det finns inga offentliga händelser år %(value)s. Välj ett år i listan.")
    )
    kategori = top_category_field()

    def __init__(self, data, *, categories, years, today):
        data = data.copy()
        if not data.get("ar"):
            data["ar"] = str(today.year)
        super().__init__(data)
        self.categories = {category.code: category for category in categories}
        self.fields["ar"].choices = [(year, str(year)) for year in years]
        self.fields["kategori"].choices = [("", _("Alla kategorier"))] + [
            (category.code, category.name) for category in categories
        ]

    def clean(self):
        cleaned = super().clean()
        cleaned["category"] = self.categories.get(cleaned.get("kategori") or "")
        return cleaned


@require_GET
def national_overview(request):
    """Public events per county and municipality, this year beside the year before."""
    today = timezone.localdate()
    tops, top_of = top_categories()
    form = NationalForm(request.GET, categories=tops, years=years_on_offer(today), today=today)
    wants_csv = request.GET.get("format") == "csv"
    if not form.is_valid():
        if wants_csv:
            errors = " ".join(str(e) for errors in form.errors.values() for e in errors)
            return HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")
        return render(request, "situation/national.html", {"form": form}, status=400)
    overview = build_overview(
        Span.of(form.cleaned_data["ar"], today),
        form.cleaned_data["category"],
        top_of=top_of,
        threshold=settings.TRYGG_SUPPRESSION_THRESHOLD,
    )
    if wants_csv:
        return csv_response(overview)
    context = {"form": form, "overview": overview, "few": few_text(overview.threshold)}
    return render(request, "situation/national.html", context)


def csv_response(overview: Overview) -> HttpResponse:
    """One row per municipality with its county, then the counties and Sweden; as the
    municipal summary's CSV: UTF-8 with BOM, `;`, suppressed cells as "<3"."""
    category = overview.category.code if overview.category else "alla"
    name = f"oppen-sverige-{overview.span.year}-{category}"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    span = overview.span
    writer.writerow(
        [
            _("Län"),
            _("Kommunkod"),
            _("Kommun"),
            f"{span.first:%Y-%m-%d}–{span.last:%Y-%m-%d}",
            f"{span.earlier_first:%Y-%m-%d}–{span.earlier_last:%Y-%m-%d}",
        ]
    )

    def values(line: Line) -> list[str]:
        return [
            csv_value(line.current, overview.threshold),
            csv_value(line.earlier, overview.threshold),
        ]

    for county in overview.counties:
        for line in county.municipalities:
            writer.writerow(
                [csv_text(county.line.name), line.code, csv_text(line.name), *values(line)]
            )
    for county in overview.counties:
        writer.writerow([csv_text(county.line.name), "", _("Hela länet"), *values(county.line)])
    writer.writerow(["", "", overview.sweden.name, *values(overview.sweden)])
    return response
