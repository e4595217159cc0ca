"""The public summary of the situation picture: /oppen/lagesbild/, no login.

Counts of public events by current district, top-level category and month (local time), with
small counts suppressed (DESIGN §5). Nothing finer than a district reaches the page: no
positions, no places, no descriptions, no event ids; only `Event.objects.public()` is read.

Suppression, and why a total is sometimes a range
-------------------------------------------------
Everything published here, on any page of any municipality, year or category, is a sum of
cells of one cube: district × top-level category × month, and every figure is computed from
the cube cells it adds up, never from other figures, by `trygg.analysis.suppression.suppress`
(whose docstring gives the rule and why). A cell with 0 < n < threshold is "fewer than 3"; a
sum with several such cells is the range a reader could work out anyway ("45–52"), so the
pages together say no more about a suppressed cell than that it is 1 … threshold - 1, while a
resident still gets a useful total (hiding such totals, the safe alternative, left almost
every whole-municipality figure blank with the demo's 66 districts).
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.db.models import Count, Max, Min
from django.db.models.functions import ExtractMonth
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from trygg.analysis.suppression import COUNT, FEW, RANGE, suppress
from trygg.core.periods import midnight
from trygg.events.categories import CategoryTree
from trygg.events.daily_counts import counted
from trygg.events.models import Category, Event, Source
from trygg.places.models import Area, Municipality
from trygg.places.queries import current_districts, district_map

# The police feed's press notices and updates on earlier events are not incidents of their own
# (counting them would count an incident twice); shift summaries never reach the log anyway.
NOT_INCIDENT_CATEGORIES = ("polis.meddelande", "polis.sammanfattning")
NO_DISTRICT = None  # the cube's district key for "Utan stadsdel"


# --- what may be counted -------------------------------------------------------------------


def counted_events(municipality: Municipality):
    """The public events of a municipality that the summary counts: as every statistic, not
    rejected reports or duplicates (`counted`), and only incidents."""
    public = Event.objects.public().filter(municipality=municipality)
    return counted(public).exclude(category__code__in=NOT_INCIDENT_CATEGORIES)


def municipalities_with_districts() -> list[Municipality]:
    """Municipalities that have current districts: only they can be summarised by district."""
    return list(
        Municipality.objects.filter(areas__kind=Area.Kind.DISTRICT, areas__valid_to__isnull=True)
        .distinct()
        .only("pk", "code", "name")
    )


def default_municipality(municipalities: list[Municipality]) -> Municipality | None:
    """The first municipality (by name) with public events; the first of all if none has any."""
    for municipality in municipalities:
        if counted_events(municipality).exists():
            return municipality
    return municipalities[0] if municipalities else None


def years_with_events(municipality: Municipality, today: dt.date) -> list[int]:
    """The years (local time) from the first counted event to the last, and the current year,
    newest first. From the first and last only: a DISTINCT over every event's year costs a
    date function per row, and a year in between with no events just shows zeros."""
    span = counted_events(municipality).aggregate(
        first=Min("occurred_from"), last=Max("occurred_from")
    )
    years = {today.year}
    if span["first"] is not None:
        first, last = (timezone.localtime(span[end]).year for end in ("first", "last"))
        years.update(range(first, last + 1))
    return sorted(years, reverse=True)


def top_categories() -> tuple[list[Category], dict[int, int]]:
    """The top-level categories in tree order, and a map from every category to its top one."""
    tree = CategoryTree.load()
    return tree.tops(), {pk: tree.top(pk) for pk in tree.categories}


Cube = dict[tuple[int | None, int, int], int]  # (district or NO_DISTRICT, top category, month)


def count_cube(municipality: Municipality, year: int, months: int, top_of: dict) -> Cube:
    """Counted events of one year's first `months` months, by district, top category, month.

    One GROUP BY over (area, category, month) in local time; the tree and the areas are
    folded in Python, where they are a few hundred keys."""
    start = midnight(dt.date(year, 1, 1))
    end = midnight(dt.date(year + 1, 1, 1) if months == 12 else dt.date(year, months + 1, 1))
    rows = (
        counted_events(municipality)
        .in_period(start, end)
        .annotate(month=ExtractMonth("occurred_from"))
        .values("area_id", "category_id", "month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    to_district = district_map(municipality)
    cube: Cube = defaultdict(int)
    for row in rows:
        key = (
            to_district.get(row["area_id"], NO_DISTRICT),
            top_of[row["category_id"]],
            row["month"],
        )
        cube[key] += row["n"]
    return dict(cube)


# --- suppression ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """One number as published: a count, "fewer than the threshold", or a range."""

    state: str  # suppression.COUNT, FEW or RANGE
    n: int | None  # the count, or the range's lower end
    high: int | None  # the range's upper end
    text: str  # as shown
    spoken: str  # as a screen reader should say it ("6–7" is read as "6 minus 7")


def figure(parts: Iterable[int], threshold: int) -> Figure:
    """The published form of a sum of cube cells (`parts`), worded: `suppression.suppress`."""
    shown = suppress(parts, threshold)
    if shown.state == COUNT:
        return Figure(COUNT, shown.low, None, str(shown.low), str(shown.low))
    if shown.state == FEW:
        text = few_text(threshold)
        return Figure(FEW, None, None, text, text)
    spoken = _("mellan %(low)s och %(high)s") % {"low": shown.low, "high": shown.high}
    return Figure(RANGE, shown.low, shown.high, f"{shown.low}–{shown.high}", spoken)


def few_text(threshold: int) -> str:
    return _("färre än %(threshold)s") % {"threshold": threshold}


# --- tables --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    label: str
    cells: list[Figure]  # one per month
    total: Figure  # the whole year

    @property
    def figures(self) -> list[Figure]:
        return [*self.cells, self.total]


@dataclass(frozen=True)
class Table:
    key: str  # the CSV link's `tabell`
    caption: str
    row_heading: str
    months: list[dt.date]
    rows: list[Row]
    totals: Row  # each month and the year over all rows


def cross_table(
    cube: Cube,
    *,
    rows: list[tuple[Hashable, str]],
    row_of: Callable[[tuple], Hashable],
    keep: Callable[[tuple], bool],
    months: list[dt.date],
    total_label: str,
    threshold: int,
) -> tuple[list[Row], Row]:
    """Rows × months of the kept cube cells, with row and column totals, all suppressed.

    Each figure is built from the cube cells it adds up (not from other figures), so the
    rule holds for totals as much as for cells."""
    parts: dict[tuple, list[int]] = defaultdict(list)
    for key, n in cube.items():
        if keep(key):
            parts[(row_of(key), key[2])].append(n)
    numbers = [month.month for month in months]
    table_rows = []
    for row_key, label in rows:
        cells = [parts.get((row_key, month), []) for month in numbers]
        table_rows.append(_row(label, cells, threshold))
    columns = [
        [n for (_row_key, m), ns in parts.items() if m == month for n in ns] for month in numbers
    ]
    return table_rows, _row(total_label, columns, threshold)


def _row(label: str, cells: list[list[int]], threshold: int) -> Row:
    return Row(
        label,
        [figure(cell, threshold) for cell in cells],
        figure([n for cell in cells for n in cell], threshold),
    )


@dataclass(frozen=True)
class Summary:
    municipality: Municipality
    year: int
    category: Category | None
    threshold: int
    by_district: Table
    by_category: Table
    has_demo_data: bool

    def table(self, key: str) -> Table:
        return self.by_category if key == self.by_category.key else self.by_district


def category_table(
    cube: dict, tops: list[Category], months: list[dt.date], threshold: int, caption: str
) -> Table:
    """Top-level categories × months over every cell of the cube (whose key holds the top
    category second): the "per kategori" table of the public and the county summaries."""
    rows, totals = cross_table(
        cube,
        rows=[(top.pk, top.name) for top in tops],
        row_of=lambda key: key[1],
        keep=lambda key: True,
        months=months,
        total_label=_("Alla kategorier"),
        threshold=threshold,
    )
    return Table("kategorier", caption, _("Kategori"), months, rows, totals)


def months_shown(year: int, today: dt.date) -> list[dt.date]:
    """All months of a past year; of this year, those that have begun."""
    last = today.month if year == today.year else 12
    return [dt.date(year, month, 1) for month in range(1, last + 1)]


def build_summary(
    municipality: Municipality,
    year: int,
    category: Category | None,
    *,
    tops: list[Category],
    top_of: dict[int, int],
    today: dt.date,
    threshold: int,
) -> Summary:
    """Both tables of the page (and of the CSV) for one municipality, year and category."""
    months = months_shown(year, today)
    districts = current_districts(municipality)
    cube = count_cube(municipality, year, len(months), top_of)
    district_rows: list[tuple[Hashable, str]] = [(area.pk, area.name) for area in districts]
    if any(district is NO_DISTRICT for district, _c, _m in cube):
        district_rows.append((NO_DISTRICT, _("Utan stadsdel")))
    names = {"kommun": municipality.name, "ar": year}
    rows, totals = cross_table(
        cube,
        rows=district_rows,
        row_of=lambda key: key[0],
        keep=(lambda key: True) if category is None else (lambda key: key[1] == category.pk),
        months=months,
        total_label=_("Hela kommunen"),
        threshold=threshold,
    )
    by_district = Table(
        "stadsdelar",
        _("%(kategori)s: händelser per stadsdel och månad, %(kommun)s %(ar)s")
        % (names | {"kategori": category.name if category else _("Alla kategorier")}),
        _("Stadsdel"),
        months,
        rows,
        totals,
    )
    by_category = category_table(
        cube,
        tops,
        months,
        threshold,
        _("Hela kommunen: händelser per kategori och månad, %(kommun)s %(ar)s") % names,
    )
    start = midnight(dt.date(year, 1, 1))
    has_demo = (
        counted_events(municipality)
        .in_period(start, midnight(dt.date(year + 1, 1, 1)))
        .filter(source=Source.DEMO)
        .exists()
    )
    return Summary(municipality, year, category, threshold, by_district, by_category, has_demo)


# --- the page ------------------------------------------------------------------------------


def year_field(no_events_message) -> forms.TypedChoiceField:
    """The year of a public or county summary; `no_events_message` says a year is not offered."""
    return forms.TypedChoiceField(
        label=gettext_lazy("År"), coerce=int, error_messages={"invalid_choice": no_events_message}
    )


def top_category_field() -> forms.ChoiceField:
    """A top-level category, or all of them (empty)."""
    return forms.ChoiceField(
        label=gettext_lazy("Kategori"),
        required=False,
        error_messages={
            "invalid_choice": gettext_lazy(
                "Det finns ingen huvudkategori med koden %(value)s. Välj en kategori i listan."
            )
        },
    )


class SummaryForm(forms.Form):
    """The page's filters, read from the query string (a GET form: links can be shared)."""

    kommun = forms.ChoiceField(
        label=gettext_lazy("Kommun"),
        error_messages={
            "invalid_choice": gettext_lazy(
                "Det finns ingen kommun med kommunkoden %(value)s i den öppna lägesbilden. "
                "Välj en kommun i listan."
            )
        },
    )
    ar = year_field(
        gettext_lazy("Det finns inga offentliga händelser år %(value)s. Välj ett år i listan.")
    )
    kategori = top_category_field()

    def __init__(self, data, *, municipalities, categories, today):
        data = data.copy()
        self.municipalities = {m.code: m for m in municipalities}
        if not data.get("kommun"):
            default = default_municipality(municipalities)
            data["kommun"] = default.code if default else ""
        if not data.get("ar"):
            data["ar"] = str(today.year)
        super().__init__(data)
        chosen = self.municipalities.get(data["kommun"])
        self.categories = {category.code: category for category in categories}
        self.fields["kommun"].choices = [(m.code, m.name) for m in municipalities]
        if chosen is None:
            # The municipality is wrong: say that, not also that it has no such year.
            self.fields["ar"].choices = [(data["ar"], data["ar"])]
        else:
            years = years_with_events(chosen, today)
            self.fields["ar"].choices = [(year, str(year)) for year in years]
        self.fields["kategori"].choices = [("", _("Alla kategorier"))] + [
            (category.code, category.name) for category in categories
        ]

    def clean(self):
        cleaned = super().clean()
        cleaned["municipality"] = self.municipalities.get(cleaned.get("kommun"))
        cleaned["category"] = self.categories.get(cleaned.get("kategori") or "")
        return cleaned


@require_GET
def public_summary(request):
    """Counts of public events by district, category and month, for anyone (no login)."""
    today = timezone.localdate()
    municipalities = municipalities_with_districts()
    if not municipalities:
        return render(request, "situation/public_summary.html", {"form": None, "summary": None})
    tops, top_of = top_categories()
    form = SummaryForm(request.GET, municipalities=municipalities, categories=tops, today=today)
    wants_csv = request.GET.get("format") == "csv"
    if not form.is_valid():
        if wants_csv:
            errors = " ".join(str(e) for errors in form.errors.values() for e in errors)
            return HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")
        return render(request, "situation/public_summary.html", {"form": form}, status=400)
    summary = build_summary(
        form.cleaned_data["municipality"],
        form.cleaned_data["ar"],
        form.cleaned_data["category"],
        tops=tops,
        top_of=top_of,
        today=today,
        threshold=settings.TRYGG_SUPPRESSION_THRESHOLD,
    )
    if wants_csv:
        return csv_response(summary, summary.table(request.GET.get("tabell", "")))
    context = {
        "form": form,
        "summary": summary,
        "tables": [summary.by_district, summary.by_category],
        "few": few_text(summary.threshold),
    }
    return render(request, "situation/public_summary.html", context)


def csv_response(summary: Summary, table: Table) -> HttpResponse:
    """The table as on the page: UTF-8 with BOM (Excel), `;`, suppressed cells as "<3"."""
    category = summary.category.code if summary.category else "alla"
    name = f"oppen-lagesbild-{summary.municipality.code}-{summary.year}-{category}-{table.key}"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow([table.row_heading, *(f"{m:%Y-%m}" for m in table.months), _("Hela året")])
    for row in [*table.rows, table.totals]:
        values = [csv_value(cell, summary.threshold) for cell in row.figures]
        writer.writerow([csv_text(row.label), *values])
    return response


def csv_value(cell: Figure, threshold: int) -> str:
    return f"<{threshold}" if cell.state == FEW else cell.text


def csv_text(text: str) -> str:
    # A name starting with = + - @ would be run as a formula by a spreadsheet.
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text
