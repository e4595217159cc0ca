"""Are we out where and when the problems are? The coverage page under /narvaro/tackning/
(a map, an hour × weekday chart with its tables, the evening cells nobody covers, suggested
shifts) and accepting a suggestion into the calendar. Parse, check, query, render."""

from __future__ import annotations

from typing import Any

import numpy as np
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from trygg.core.forms import add_action_errors
from trygg.places.models import Area
from trygg.presence import coverage
from trygg.presence.access import may_plan_any
from trygg.presence.actions.series import plan_series
from trygg.presence.calendar import clashes_among
from trygg.presence.coverage_chart import hour_weekday_chart
from trygg.presence.coverage_data import (
    Report,
    build,
    default_period,
    next_month_series,
    shown_rows,
)
from trygg.presence.forms_coverage import PeriodForm, SuggestionForm, initial_for
from trygg.presence.views_shifts import _planning_municipality, series_shifts
from trygg.situation.access import chosen_municipality, situation_municipalities
from trygg.situation.charts import heat_levels, weekday_names

GAP_ROWS = 20


@require_GET
@login_required
def coverage_page(request):
    municipality = chosen_municipality(request)
    if municipality is None:
        return render(request, "presence/no_municipality.html", status=403)
    asked = "fran" in request.GET or "till" in request.GET
    first, last = default_period(timezone.localdate())
    form = PeriodForm(request.GET if asked else None, initial={"fran": first, "till": last})
    context: dict[str, Any] = {
        "municipality": municipality,
        "municipalities": situation_municipalities(request.user),
        "form": form,
        "can_plan": may_plan_any(request.user, municipality.pk),
        "many_at": coverage.MIN_EVENTS,
    }
    if asked and not form.is_valid():
        return render(request, "presence/coverage.html", context, status=400)
    if asked:
        first, last = form.cleaned_data["fran"], form.cleaned_data["till"]
    report = build(request.user, municipality, first, last)
    context |= page_context(request, report, context["can_plan"])
    return render(request, "presence/coverage.html", context)


def page_context(request, report: Report, can_plan: bool) -> dict[str, Any]:
    rows = shown_rows(report)
    cells = report.cells
    events, people = cells.events.sum(axis=0), cells.people_hours.sum(axis=0)
    names = weekday_names()
    return {
        "report": report,
        "share_percent": None if report.share is None else int(100 * report.share + 0.5),
        "areas": [_area_row(report, i) for i in rows],
        "gaps": [_gap_row(report, gap, names) for gap in report.gaps[:GAP_ROWS]],
        "more_gaps": max(len(report.gaps) - GAP_ROWS, 0),
        "suggestions": _suggestions(request, report, names, can_plan),
        "chart": hour_weekday_chart(events, people),
        "event_weekdays": list(zip(names, heat_levels(events.tolist()), strict=True)),
        "people_weekdays": list(
            zip(names, heat_levels(np.rint(people).astype(int).tolist()), strict=True)
        ),
        "map_config": coverage_map(report, rows),
    }


def hours_label(start: int, end: int) -> str:
    return f"{start:02d}–{end % 24:02d}"


def _evening(values: np.ndarray) -> np.ndarray:
    return values[:, list(coverage.EVENING_HOURS)]


def _area_row(report: Report, i: int) -> dict[str, Any]:
    cells = report.cells
    evening = int(_evening(cells.events[i]).sum())
    covered = int(_evening(cells.covered[i]).sum())
    return {
        "name": report.areas[i].name,
        "area_id": report.areas[i].map_area_id,
        "events": int(cells.events[i].sum()),
        "evening": evening,
        "covered": covered,
        "uncovered": evening - covered,
        "people_hours": float(_evening(cells.people_hours[i]).sum()),
        "shift_hours": float(_evening(cells.shift_hours[i]).sum()),
    }


def _gap_row(report: Report, gap: coverage.Gap, names: list[str]) -> dict[str, Any]:
    return {
        "area": report.areas[gap.area].name,
        "weekday": names[gap.weekday],
        "hours": hours_label(gap.hour, gap.hour + 1),
        "events": gap.events,
        "verdict": gap.verdict,
    }


def _suggestions(request, report: Report, names, can_plan: bool) -> list[dict[str, Any]]:
    today = timezone.localdate()
    made = []
    for n, suggestion in enumerate(report.suggestions):
        area = report.areas[suggestion.area]
        series = next_month_series(suggestion, today)
        form = None
        if can_plan:
            form = SuggestionForm(
                municipality=report.municipality,
                user=request.user,
                initial=initial_for(area.map_area_id, series),
                prefix=f"s{n}",
            )
        made.append(
            {
                "area": area.name,
                "weekday": names[suggestion.weekday],
                "hours": hours_label(suggestion.start, suggestion.end),
                "events": suggestion.events,
                "series": series,
                "form": form,
                "prefix": f"s{n}",
            }
        )
    return made


def coverage_map(report: Report, rows: list[int]) -> dict[str, Any]:
    """What coverage_map.js draws: each area shaded by its evening events with nobody out."""
    shown = [_area_row(report, i) for i in rows]
    geometry = dict(
        Area.objects.filter(pk__in=[row["area_id"] for row in shown]).values_list("pk", "geometry")
    )
    return {
        "boundariesUrl": reverse("events:boundaries"),
        "tilesUrl": settings.TRYGG_MAP_TILES_URL,
        "tilesAttribution": settings.TRYGG_MAP_TILES_ATTRIBUTION,
        "areas": [
            {
                "name": row["name"],
                "geometry": geometry.get(row["area_id"]),
                "uncovered": row["uncovered"],
                "evening": row["evening"],
                "peopleHours": round(row["people_hours"]),
            }
            for row in shown
        ],
        "texts": {
            "uncovered": _("{n} kvällshändelser utan någon ute"),
            "evening": _("{n} kvällshändelser"),
            "people": _("{n} persontimmar på kvällar"),
            "shown": _("Områden på kartan: {n}. Mörkare: fler kvällshändelser utan någon ute."),
        },
    }


@require_POST
@login_required
def accept_suggestion(request):
    """A suggested shift into next month's calendar: a weekly series for the chosen group."""
    municipality = _planning_municipality(request)
    prefix = request.POST.get("prefix") or None
    form = SuggestionForm(request.POST, municipality=municipality, user=request.user, prefix=prefix)
    if form.is_valid():
        try:
            series = plan_series(
                municipality,
                form.cleaned_data["group"],
                form.series_input(),
                acting_user=request.user,
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            shifts = series_shifts(series)
            messages.success(request, _("%(n)s pass är planerade.") % {"n": len(shifts)})
            if any(clashes_among(shifts).values()):
                messages.warning(
                    request, _("Obs! Några av passen sammanfaller med en annan grupps pass.")
                )
            return redirect(series.group)
    context = {"form": form, "municipality": municipality, "prefix": prefix or ""}
    return render(request, "presence/coverage_accept.html", context, status=400)
