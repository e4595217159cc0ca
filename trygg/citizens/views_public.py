"""The public map and list of residents' reports, no login (issue 12, point 4):
/oppen/rapporter/ and its map's data, /oppen/rapporter/karta.geojson.

The list is the content and works without JavaScript; the map is an addition that asks for the
same filters' squares at its zoom. What is shown, and what never is, is decided in
`public_map.py`; photos are served by `views_photos.report_photo`, which gives the public only
approved photos of published reports."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from trygg.citizens import public_map
from trygg.citizens.categories import RESIDENT_CATEGORIES
from trygg.core.api_errors import field_error


@require_GET
def public_reports(request):
    choices = public_map.municipality_choices()
    filters = public_map.parse_filters(request.GET, choices)
    municipality_id = filters.municipality.pk if filters.municipality else None
    reports = public_map.with_public_parts(filters.reports(), municipality_id)
    page = Paginator(reports, public_map.PAGE_SIZE).get_page(request.GET.get("sida"))
    districts = public_map.Districts(filters.municipality)
    context = {
        "filters": filters,
        "municipalities": choices,
        "categories": RESIDENT_CATEGORIES,
        "states": public_map.STATES.items(),
        "periods": public_map.PERIODS.items(),
        "page": page,
        "rows": [public_map.report_row(report, districts) for report in page.object_list],
        "previous_url": _page_url(filters, page.previous_page_number())
        if page.has_previous()
        else "",
        "next_url": _page_url(filters, page.next_page_number()) if page.has_next() else "",
        "map_config": _map_config(filters),
    }
    return render(request, "citizens/public_reports.html", context)


def _page_url(filters: public_map.PublicFilters, number: int) -> str:
    return f"{reverse('public_reports')}?{filters.query(sida=number)}"


def _map_config(filters: public_map.PublicFilters) -> dict | None:
    if filters.municipality is None:
        return None
    return {
        "dataUrl": f"{reverse('public_reports_map')}?{filters.query()}",
        "boundariesUrl": f"{reverse('citizens:boundaries')}?kommun={filters.municipality.code}",
        "tilesUrl": settings.TRYGG_MAP_TILES_URL,
        "tilesAttribution": settings.TRYGG_MAP_TILES_ATTRIBUTION,
        # The districts (the town) rather than the whole municipality: where reports are.
        "fitTo": "areas",
        "texts": {
            "loading": _("Hämtar rapporter till kartan …"),
            "error": _("Kunde inte hämta rapporter till kartan. Listan nedanför visar dem."),
            "empty": _("Inga rapporter att visa på kartan."),
            "cells": _("Kartan visar {total} rapporter i {cells} rutor om {size} meter."),
            "cellTitle": _("{n} rapporter i rutan – välj för att zooma in"),
            "open": _("öppen"),
            "closed": _("avslutad"),
        },
    }


@require_GET
def public_reports_map(request):
    """The same filters' reports as squares for the map's zoom (GeoJSON). Unlike the page,
    which falls back, a value that cannot be used is a 400 naming the parameter: the page's own
    script only sends values the page has checked."""
    filters = public_map.parse_filters(request.GET)
    errors = [field_error(name, message) for name, message in filters.notes]
    try:
        zoom = public_map.parse_zoom(request.GET.get("zoom"))
    except ValueError:
        errors.append(field_error("zoom", _("Ange zoomnivån som ett heltal.")))
    if errors:
        return JsonResponse({"detail": errors}, status=400)
    response = JsonResponse(
        public_map.map_cells(filters.reports(), zoom), content_type="application/geo+json"
    )
    response["Cache-Control"] = "public, max-age=60"
    return response
