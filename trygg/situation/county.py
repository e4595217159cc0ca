"""The county view for regional coordination (issue 16, point 4; decision 0035): /lan/<kod>/.

Aggregates only: counts of the shared events (public and partner-wide; never one
organisation's own) per municipality, top-level category and month (the police's county-level
events on a line of their own, from the county's own row, `Municipality.county_level`), read
from the daily rollup, with small counts suppressed by the public summary's rule
(`public.figure`: a sum is built from the cells it adds up, never from other figures). Nothing
finer than a municipality reaches the page or its CSV: no event, position, place, area or text.

Rates per 1,000 inhabitants are not shown: no population table per municipality ships with
the installation (the surveys' SCB tables cover only a survey's frame).
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Max, Min, Sum
from django.db.models.functions import ExtractMonth
from django.http import HttpResponse
from django.utils.translation import gettext as _

from trygg.analysis.suppression import COUNT
from trygg.events.models import Category, DailyCount, Visibility
from trygg.places.models import Municipality
from trygg.places.reference import county_names
from trygg.situation.public import (
    NOT_INCIDENT_CATEGORIES,
    Cube,
    Figure,
    Table,
    category_table,
    cross_table,
    figure,
    months_shown,
)

SHARED = [Visibility.PUBLIC, Visibility.PARTNERS]


def county_name(county_code: str) -> str | None:
    """'Värmland' for '17', from the reference data; None for a code with no municipality."""
    if not Municipality.objects.filter(county_code=county_code).exists():
        return None
    return county_names().get(county_code) or _("Län %(kod)s") % {"kod": county_code}


def rollup(county_code: str):
    """The rollup rows the county view counts: shared, incidents only."""
    return (
        DailyCount.objects.filter(municipality__county_code=county_code, visibility__in=SHARED)
        .exclude(category__code__in=NOT_INCIDENT_CATEGORIES)
        .order_by()
    )


def years(county_code: str, today: dt.date) -> list[int]:
    span = rollup(county_code).aggregate(first=Min("day"), last=Max("day"))
    found = {today.year}
    if span["first"] is not None:
        found.update(range(span["first"].year, span["last"].year + 1))
    return sorted(found, reverse=True)


def count_cube(county_code: str, year: int, months: int, top_of: dict[int, int]) -> Cube:
    """(municipality, top category, month) -> shared events of the year's first `months`."""
    start = dt.date(year, 1, 1)
    end = dt.date(year + 1, 1, 1) if months == 12 else dt.date(year, months + 1, 1)
    rows = (
        rollup(county_code)
        .filter(day__gte=start, day__lt=end)
        .annotate(month=ExtractMonth("day"))
        .values("municipality_id", "category_id", "month")
        .annotate(n=Sum("events"))
    )
    cube: Cube = defaultdict(int)
    for row in rows:
        cube[(row["municipality_id"], top_of[row["category_id"]], row["month"])] += row["n"]
    return dict(cube)


@dataclass(frozen=True)
class Trend:
    """One municipality's months so far against the same months a year earlier."""

    label: str
    previous: Figure
    current: Figure
    change: str  # "+12 %", or "–" when either figure is suppressed or the earlier one is 0

    @property
    def cells(self) -> list[Figure]:
        return [self.previous, self.current]


@dataclass(frozen=True)
class CountyView:
    county_code: str
    name: str
    year: int
    category: Category | None
    threshold: int
    by_municipality: Table
    by_category: Table
    trends: list[Trend]
    months: int

    def table(self, key: str) -> Table:
        return self.by_category if key == self.by_category.key else self.by_municipality


def build(
    county_code: str,
    name: str,
    year: int,
    category: Category | None,
    *,
    tops: list[Category],
    top_of: dict[int, int],
    today: dt.date,
    threshold: int,
) -> CountyView:
    months = months_shown(year, today)
    lines = county_lines(county_code)
    cube = count_cube(county_code, year, len(months), top_of)
    keep = (lambda key: True) if category is None else (lambda key: key[1] == category.pk)
    names = {"lan": name, "ar": year}
    rows, totals = cross_table(
        cube,
        rows=[(pk, label) for pk, label in lines],
        row_of=lambda key: key[0],
        keep=keep,
        months=months,
        total_label=_("Hela länet"),
        threshold=threshold,
    )
    by_municipality = Table(
        "kommuner",
        _("%(kategori)s: händelser per kommun och månad, %(lan)s %(ar)s")
        % (names | {"kategori": category.name if category else _("Alla kategorier")}),
        _("Kommun"),
        months,
        rows,
        totals,
    )
    by_category = category_table(
        cube,
        tops,
        months,
        threshold,
        _("Hela länet: händelser per kategori och månad, %(lan)s %(ar)s") % names,
    )
    earlier = count_cube(county_code, year - 1, len(months), top_of)
    trends = [
        _trend(label, _parts(earlier, pk, keep), _parts(cube, pk, keep), threshold)
        for pk, label in lines
    ]
    trends.append(
        _trend(
            _("Hela länet"),
            [n for key, n in earlier.items() if keep(key)],
            [n for key, n in cube.items() if keep(key)],
            threshold,
        )
    )
    return CountyView(
        county_code,
        name,
        year,
        category,
        threshold,
        by_municipality,
        by_category,
        trends,
        len(months),
    )


def county_lines(county_code: str) -> list[tuple[int, str]]:
    """(key, label) of the county's lines: its municipalities by name, then its county-level
    events ("Värmlands län (länsnivå)") where the county has more than one municipality (the
    police's county-level events of Gotland are Gotland's)."""
    lines = list(
        Municipality.objects.filter(county_code=county_code)
        .order_by("name")
        .values_list("pk", "name")
    )
    county_row = (
        Municipality.with_counties.filter(county_code=county_code, county_level=True)
        .values_list("pk", "name")
        .first()
    )
    if county_row is not None and len(lines) > 1:
        lines.append(county_row)
    return lines


def _parts(cube: Cube, municipality_id: int, keep) -> list[int]:
    return [n for key, n in cube.items() if key[0] == municipality_id and keep(key)]


def _trend(label: str, previous: list[int], current: list[int], threshold: int) -> Trend:
    before, now = figure(previous, threshold), figure(current, threshold)
    change = "–"
    if before.state == COUNT and now.state == COUNT and before.n and now.n is not None:
        change = f"{round(100 * (now.n - before.n) / before.n):+d} %"
    return Trend(label, before, now, change)


def csv_response(view: CountyView, table: Table) -> HttpResponse:
    """The table as on the page: UTF-8 with BOM (Excel), `;`, suppressed cells as "<3"."""
    category = view.category.code if view.category else "alla"
    name = f"lan-{view.county_code}-{view.year}-{category}-{table.key}"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow([table.row_heading, *(f"{m:%Y-%m}" for m in table.months), _("Hela året")])
    for row in [*table.rows, table.totals]:
        writer.writerow([row.label, *(_csv_value(cell, view.threshold) for cell in row.figures)])
    return response


def _csv_value(cell: Figure, threshold: int) -> str:
    return f"<{threshold}" if cell.state == "few" else cell.text
