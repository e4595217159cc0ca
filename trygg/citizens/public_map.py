"""What the public map and list show of residents' reports (issue 12, point 4), as plain data.

Only what a moderator published: nothing pending, hidden or marked as a duplicate. Of each
report: the resident's category, the district it lies in, the day it came in, its status in
the words of the tracking page (`status.py`), the "me too" count, the description as published
(scrubbed when sent, and moderated) and the photos a moderator approved. Never the exact
position (the map gets squares of `grid.py`, at least 100 m), nor anything about who sent it:
no tracking hash, no address, no channel, no moderator.

Small counts are not suppressed on the map: every report it counts is on the list beside it,
so hiding "2" in a square would hide nothing (the same reasoning as the public walk pages).

Filters come from the address (`?kommun=1780&kategori=klotter&status=oppna&period=90`). A
value that cannot be used falls back to the default and says so (`PublicFilters.notes`): a
shared link with an old category still opens a page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count, F, Min, Prefetch, QuerySet
from django.db.models.functions import Floor
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trygg.citizens.categories import BY_CODE
from trygg.citizens.grid import GRID_M, cell_centre
from trygg.citizens.models import CitizenReport, Moderation, ReportPhoto
from trygg.citizens.receiving import receiving_municipalities
from trygg.citizens.status import status_lines
from trygg.events.queries import cell_size_for
from trygg.places.models import Municipality
from trygg.places.queries import current_districts, district_map

PAGE_SIZE = 50
PERIODS = {
    30: gettext_lazy("senaste 30 dagarna"),
    90: gettext_lazy("senaste 90 dagarna"),
    365: gettext_lazy("senaste året"),
}
DEFAULT_DAYS = 90
STATES = {
    "": gettext_lazy("Öppna och avslutade"),
    "oppna": gettext_lazy("Öppna"),
    "avslutade": gettext_lazy("Avslutade"),
}
# The map's zoom levels (Leaflet's); the square size follows the zoom, never below GRID_M.
MIN_ZOOM, MAX_ZOOM = 0, 22


@dataclass(frozen=True)
class PublicFilters:
    municipality: Municipality | None
    category: str = ""  # a resident category code, or "" for all
    state: str = ""  # a key of STATES
    days: int = DEFAULT_DAYS
    # (parameter, message) for each value that could not be used and fell back.
    notes: list[tuple[str, str]] = field(default_factory=list)

    def query(self, **extra) -> str:
        """The filters as a query string with only usable values (links, the map's data)."""
        values = {
            "kommun": self.municipality.code if self.municipality else "",
            "kategori": self.category,
            "status": self.state,
            "period": str(self.days),
        } | {key: str(value) for key, value in extra.items()}
        return urlencode({key: value for key, value in values.items() if value})

    def reports(self) -> QuerySet[CitizenReport]:
        """The published reports these filters choose, newest first."""
        if self.municipality is None:
            return CitizenReport.objects.none()
        since = timezone.now() - dt.timedelta(days=self.days)
        # The event is read with the report (the list, the map's squares): naming its
        # municipality too lets Citus join the two sharded tables on one shard. A report's
        # event lies in the report's municipality, so no row is lost.
        reports = CitizenReport.objects.filter(
            municipality=self.municipality,
            event__municipality=self.municipality,
            moderation=Moderation.PUBLISHED,
            created_at__gte=since,
        )
        if self.category:
            reports = reports.filter(resident_category=self.category)
        if self.state == "oppna":
            reports = reports.filter(closed_at__isnull=True)
        elif self.state == "avslutade":
            reports = reports.filter(closed_at__isnull=False)
        return reports.order_by("-created_at", "-pk")


def municipality_choices() -> list[Municipality]:
    """The municipalities that take residents' reports, by name."""
    return list(receiving_municipalities().only("pk", "code", "name"))


def _default_municipality(choices: list[Municipality]) -> Municipality | None:
    """The first (by name) with a published report; else the first that takes reports."""
    # One small question per municipality, in the order of the choices, each on one shard
    # (Citus), rather than one over every report of every municipality.
    published = CitizenReport.objects.filter(moderation=Moderation.PUBLISHED)
    found = (m for m in choices if published.filter(municipality_id=m.pk).exists())
    return next(found, choices[0] if choices else None)


def parse_filters(params, choices: list[Municipality] | None = None) -> PublicFilters:
    """The filters in `params` (a QueryDict); unusable values fall back, with a note."""
    choices = municipality_choices() if choices is None else choices
    notes: list[tuple[str, str]] = []
    code = (params.get("kommun") or "").strip()
    municipality = next((m for m in choices if m.code == code), None)
    if code and municipality is None:
        notes.append(("kommun", _("Kommunen %(code)s visar inga rapporter här.") % {"code": code}))
    if municipality is None:
        municipality = _default_municipality(choices)
    category = (params.get("kategori") or "").strip()
    if category and category not in BY_CODE:
        notes.append(("kategori", _("Okänd kategori: alla kategorier visas.")))
        category = ""
    state = (params.get("status") or "").strip()
    if state not in STATES:
        notes.append(("status", _("Okänt val av status: öppna och avslutade visas.")))
        state = ""
    raw_days = (params.get("period") or "").strip()
    days = int(raw_days) if raw_days.isdigit() else DEFAULT_DAYS
    if raw_days and days not in PERIODS:
        notes.append(("period", _("Okänd period: de senaste 90 dagarna visas.")))
        days = DEFAULT_DAYS
    return PublicFilters(municipality, category, state, days, notes)


# --- the list ------------------------------------------------------------------------------


def public_status(report: CitizenReport) -> str:
    """Where the report stands now, in the tracking page's words: the steps of its latest day
    (e.g. "Åtgärdad 3 maj · Avslutad: …"), leaving out "Mottagen", which the list's date says."""
    lines = status_lines(report)
    latest = lines[-1][0]
    steps = [text for day, text in lines[1:] if day == latest]
    return " · ".join(steps) if steps else lines[-1][1]


def with_public_parts(
    reports: QuerySet[CitizenReport], municipality_id: int | None
) -> QuerySet[CitizenReport]:
    """What the list reads, in few queries: the event, where it went, approved photos only.
    The photos of the reports' municipality (`reports` are of one), so Citus reads one shard."""
    approved = ReportPhoto.objects.filter(review=ReportPhoto.Review.APPROVED)
    if municipality_id is not None:  # None: no municipality chosen, and no reports
        approved = approved.filter(municipality_id=municipality_id)
    return reports.select_related("event", "routed_to").prefetch_related(
        Prefetch("photos", queryset=approved, to_attr="public_photos")
    )


class Districts:
    """The district an event's area counts in (`places.queries.district_map`), by name."""

    def __init__(self, municipality: Municipality | None):
        if municipality is None:
            self.of_area: dict[int, int] = {}
            self.names: dict[int, str] = {}
            return
        self.of_area = district_map(municipality)
        self.names = {area.pk: area.name for area in current_districts(municipality)}

    def name(self, area_id: int | None) -> str:
        if area_id is None:
            return ""
        return self.names.get(self.of_area.get(area_id, -1), "")


def report_row(report: CitizenReport, districts: Districts) -> dict:
    category = BY_CODE.get(report.resident_category)
    return {
        "category": str(category.label) if category else report.resident_category,
        "district": districts.name(report.event.area_id),
        "day": timezone.localdate(report.created_at),
        "status": public_status(report),
        "is_open": report.closed_at is None,
        "me_too": report.me_too,
        "description": report.event.description,
        "photos": [
            reverse("citizens:photo", args=[photo.pk])
            for photo in report.public_photos  # type: ignore[attr-defined]
        ],
    }


# --- the map -------------------------------------------------------------------------------


def parse_zoom(raw: str | None) -> int:
    """Leaflet's zoom level, clipped to what a map shows; ValueError if not a whole number."""
    zoom = int((raw or "12").strip())
    return min(max(zoom, MIN_ZOOM), MAX_ZOOM)


def square_size(zoom: int) -> int:
    """The square's side for a zoom level: the event map's sizes, never below the grid."""
    return max(cell_size_for(zoom), GRID_M)


def map_cells(reports: QuerySet[CitizenReport], zoom: int) -> dict:
    """The reports as a GeoJSON FeatureCollection of squares: one Point per square holding any,
    at the square's centre (never the reports' mean, which for one report would be its exact
    position), with the count, and for a square that holds one report its category and status.
    Grouped in the database, so the browser gets one row per square."""
    size = square_size(zoom)
    rows = list(
        reports.order_by()
        .annotate(gx=Floor(F("event__x") / size), gy=Floor(F("event__y") / size))
        .values("gx", "gy")
        .annotate(n=Count("pk"), one=Min("pk"))
        .order_by("gy", "gx")
    )
    single_ids = [row["one"] for row in rows if row["n"] == 1]
    singles = {
        report.pk: report
        # Among `reports`, which name their municipality: one shard on Citus.
        for report in reports.order_by().filter(pk__in=single_ids).select_related("routed_to")
    }
    features = [_feature(row, size, singles.get(row["one"])) for row in rows]
    return {
        "type": "FeatureCollection",
        "cell_m": size,
        "total": sum(row["n"] for row in rows),
        "features": features,
    }


def _feature(row: dict, size: int, single: CitizenReport | None) -> dict:
    lat, lon = cell_centre(int(row["gx"]), int(row["gy"]), size)
    properties: dict = {"count": row["n"], "cell_m": size}
    if row["n"] == 1 and single is not None:
        category = BY_CODE.get(single.resident_category)
        properties |= {
            "category": str(category.label) if category else single.resident_category,
            "status": public_status(single),
            "open": single.closed_at is None,
        }
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": properties,
    }
