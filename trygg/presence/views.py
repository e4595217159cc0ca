"""The shared calendar under /narvaro/: tonight and the coming four weeks across every
organisation in the municipality, with the clashes and the evenings nobody covers, and a map
of tonight's shifts. Parse, check, query, render."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from trygg.places.models import Area
from trygg.presence.access import may_plan_any
from trygg.presence.calendar import Calendar, ShiftRow, build_calendar
from trygg.presence.forms import CalendarFilters
from trygg.presence.models import ShiftState
from trygg.situation.access import chosen_municipality, situation_municipalities


@require_GET
@login_required
def calendar_page(request):
    municipality = chosen_municipality(request)
    if municipality is None:
        return render(request, "presence/no_municipality.html", status=403)
    filters = CalendarFilters(request.GET or None, municipality=municipality)
    group = area = None
    if filters.is_bound and filters.is_valid():
        group, area = filters.cleaned_data["grupp"], filters.cleaned_data["omrade"]
    calendar = build_calendar(municipality, group=group, area=area)
    context = {
        "municipality": municipality,
        "municipalities": situation_municipalities(request.user),
        "filters": filters,
        "filtered": group is not None or area is not None,
        "calendar": calendar,
        "can_plan": may_plan_any(request.user, municipality.pk),
        "map_config": tonight_map(calendar),
    }
    return render(request, "presence/calendar.html", context)


def tonight_map(calendar: Calendar) -> dict[str, Any]:
    """What tonight_map.js draws: tonight's areas, each with its shifts, over the base map."""
    rows = [row for row in calendar.tonight if row.shift.state != ShiftState.CANCELLED]
    geometry = dict(
        Area.objects.filter(pk__in={row.shift.area_id for row in rows}).values_list(
            "pk", "geometry"
        )
    )
    areas: dict[int, dict[str, Any]] = {}
    for row in rows:
        shift = row.shift
        entry = areas.setdefault(
            shift.area_id,
            {"id": shift.area_id, "name": shift.area.name, "geometry": geometry.get(shift.area_id)},
        )
        entry.setdefault("shifts", []).append(_map_shift(row))
    return {
        "boundariesUrl": reverse("events:boundaries"),
        "tilesUrl": settings.TRYGG_MAP_TILES_URL,
        "tilesAttribution": settings.TRYGG_MAP_TILES_ATTRIBUTION,
        "fitTo": "areas",
        "areas": list(areas.values()),
        "texts": {
            "people": _("{n} personer"),
            "clash": _("Samtidigt som en annan grupp i samma område"),
            "shown": _("Områden med pass i kväll på kartan: {n}."),
        },
    }


def _map_shift(row: ShiftRow) -> dict[str, Any]:
    shift = row.shift
    start, end = timezone.localtime(shift.starts_at), timezone.localtime(shift.ends_at)
    return {
        "group": shift.group.name,
        "time": f"{start:%H:%M}–{end:%H:%M}",
        "people": shift.people,
        "clash": bool(row.clashes),
        "url": shift.get_absolute_url(),
    }
