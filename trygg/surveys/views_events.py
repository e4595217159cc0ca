"""The survey beside the events (/matningar/<pk>/handelser/): per item a table of each sub-area's
felt figure beside the events in the item's categories there, and a map of the sub-areas
coloured by the chosen item. The tables are the content; the map (side_by_side.js) helps."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from trygg.analysis.survey import Estimate
from trygg.places.models import Area
from trygg.surveys.estimates import min_answers
from trygg.surveys.files import FileProblems
from trygg.surveys.side_by_side import compare
from trygg.surveys.views import _survey_for


@require_GET
@login_required
def survey_events(request, pk: int):
    survey = _survey_for(request, pk)
    context: dict[str, Any] = {"survey": survey, "min_answers": min_answers()}
    try:
        data = compare(survey, request.user)
    except FileProblems as problems:
        context["problems"] = problems.problems
        return render(request, "surveys/side_by_side.html", context)
    for item in data["items"]:
        for row in [*item["rows"], item["whole"]]:
            row["estimate"] = _estimate(row)
    context |= {"data": data, "map_config": _map_config(data)}
    return render(request, "surveys/side_by_side.html", context)


def _estimate(row: dict[str, Any]) -> Estimate:
    """The row's figure as the survey templates' filters show it."""
    return Estimate(row["value"], row["se"], row["low"], row["high"], row["n"], row["too_few"])


def _map_config(data: dict[str, Any]) -> dict[str, Any]:
    """The sub-areas' outlines and, per item, each sub-area's figure and events."""
    outlines = dict(
        Area.objects.filter(pk__in=[a["id"] for a in data["areas"]]).values_list("pk", "geometry")
    )
    return {
        "boundariesUrl": reverse("events:boundaries"),
        "tilesUrl": settings.TRYGG_MAP_TILES_URL,
        "tilesAttribution": settings.TRYGG_MAP_TILES_ATTRIBUTION,
        "areas": [
            {"id": area["id"], "name": area["name"], "geometry": outlines[area["id"]]}
            for area in data["areas"]
        ],
        "items": [
            {
                "code": item["code"],
                "label": item["label"],
                "measure": item["measure"],
                "rows": {
                    str(row["area"]): {
                        "value": row["value"],
                        "low": row["low"],
                        "high": row["high"],
                        "tooFew": row["too_few"],
                        "events": row["events"],
                        "rate": row["rate"],
                        "verdict": row["verdict_text"],
                    }
                    for row in item["rows"]
                },
            }
            for item in data["items"]
        ],
        "texts": {
            "index": _("Index 0–6"),
            "share": _("Andel"),
            "tooFew": _("för få svar"),
            "events": _("Händelser"),
            "rate": _("per 1 000 invånare"),
            "noResidents": _("inga invånare i ramen"),
        },
    }
