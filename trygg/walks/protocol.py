"""The walk's protocol and the follow-up meeting's agenda as plain, JSON-able data.

`protocol_data(walk)` is what the protocol page, its PDF and a kept `ProtocolVersion.data`
render with the same templates (like the situation picture and its meeting packs): a version
sent weeks ago reopens as it was sent, whatever happened to the walk since. So everything a
template shows is copied in here as text and numbers (labels in the site's language, dates as
local "YYYY-MM-DD HH:MM"), never as a model a template would read live.

The map is drawn twice from the same data: on the page with Leaflet (the WGS84 positions), in
the PDF as a server-side SVG (`map_figure`, from the SWEREF 99 TM metres: no tiles, no
network)."""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from trygg.places.geo import to_sweref
from trygg.walks import scores
from trygg.walks.actions.review import routable
from trygg.walks.compare import comparison_data
from trygg.walks.in_municipality import (
    answers_prefetch,
    children,
    photos_prefetch,
    scores_prefetch,
    stop_prefetch,
    walk_findings,
)
from trygg.walks.models import Answer, ChecklistTemplate, Finding, TimeBand, Walk

# Below this many scores a mean says too little to compare: the tables say so instead.
MIN_SCORES = 3
# The SVG map's size in user units (points in the PDF) and its margin around the route.
MAP_WIDTH = 520
MAP_MAX_HEIGHT = 400
MAP_PADDING = 24
# A strip below the drawing for the scale bar, so no marker ever covers it.
MAP_SCALE_STRIP = 22


def local(moment: dt.datetime | None) -> str:
    """A moment as the local "YYYY-MM-DD HH:MM" every protocol shows ("" for none)."""
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def protocol_data(walk: Walk) -> dict:
    """The whole protocol of `walk` as it stands now (see the module's docstring)."""
    with translation.override(settings.LANGUAGE_CODE):
        findings = finding_rows(walk)
        return {
            "walk": walk_facts(walk),
            "participants": [
                {"label": label, "count": count} for label, count in walk.participant_counts()
            ],
            "stops": stop_rows(walk),
            "route": route_positions(walk.route),
            "findings": findings,
            "scores": score_tables(walk),
            "time_bands": time_band_table(walk),
            "responsible": responsible_summary(findings),
            # The comparison with the earlier walk on the same route; None: nothing to
            # compare with. The protocol goes to all the walk's partners, like its findings.
            "comparison": comparison_data(walk) or None,
            "made_at": local(timezone.now()),
        }


def walk_facts(walk: Walk) -> dict:
    return {
        "id": walk.pk,
        "title": walk.title,
        "purpose": walk.purpose,
        "municipality": walk.municipality.name,
        "organisation": walk.organisation.name,
        "area": walk.area.name if walk.area else "",
        "light": str(walk.get_light_display()),
        "template": walk.template.name,
        "template_kind": walk.template.kind,
        "scale_max": walk.template.scale_max,
        "premeeting_at": local(walk.premeeting_at),
        "walk_at": local(walk.walk_at),
        "followup_at": local(walk.followup_at),
        "meeting_place": walk.meeting_place,
        "status": str(walk.get_status_display()),
    }


def stop_rows(walk: Walk) -> list[dict]:
    return [
        {
            "order": stop.order,
            "name": stop.name,
            "place": stop.place.name if stop.place else "",
            "lat": stop.lat,
            "lon": stop.lon,
            "x": stop.x,
            "y": stop.y,
        }
        for stop in children(walk, "stops").select_related("place")
    ]


def route_positions(route: dict | None) -> list[list[float]]:
    """The drawn route as [lat, lon] pairs ([] when the walk has only stops)."""
    if not route or route.get("type") != "LineString":
        return []
    return [[float(lat), float(lon)] for lon, lat, *_rest in route.get("coordinates", [])]


# --- findings ------------------------------------------------------------------------------


def finding_rows(walk: Walk) -> list[dict]:
    """Every finding that is a real observation (rejected ones left out), by number."""
    # The walk's municipality named for the finding and its event, and the (optional) stop
    # read in a query of its own: sharded by municipality (Citus), the query then goes to the
    # walk's shard; an outer join to a third sharded table would need rows from every shard.
    # The prefetches name it too (see in_municipality.py).
    municipality_id = walk.municipality_id
    findings = (
        routable(walk_findings(walk))
        .select_related("event__category__parent", "event__place", "event__area", "responsible")
        .prefetch_related(
            stop_prefetch(municipality_id),
            scores_prefetch(municipality_id),
            photos_prefetch(municipality_id),
            answers_prefetch(municipality_id, measure=True),
        )
        .order_by("number")
    )
    return [finding_row(finding) for finding in findings]


def finding_row(finding: Finding) -> dict:
    event = finding.event
    stop = finding.stop
    return {
        "id": finding.pk,
        "number": finding.number,
        "category": event.category.path_name,
        "note": event.description,
        "lat": event.lat,
        "lon": event.lon,
        "x": event.x,
        "y": event.y,
        "stop": {"order": stop.order, "name": stop.name} if stop else None,
        "place": event.place.name if event.place else "",
        "area": event.area.name if event.area else "",
        "time_band": finding.time_band,
        "captured_at": local(event.occurred_from),
        "scores": [
            {"label": score.item.display_label, "score": score.score}
            for score in finding.scores.all()
        ],
        "photos": [
            {
                "id": photo.pk,
                "review": photo.review,
                "review_label": str(photo.get_review_display()),
            }
            for photo in finding.photos.all()
        ],
        "responsible": (
            {"id": finding.responsible.pk, "name": finding.responsible.name}
            if finding.responsible and finding.responsible_confirmed_at
            else None
        ),
        "answer": answer_row(current_answer(finding)),
    }


def current_answer(finding: Finding) -> Answer | None:
    """The answer of the organisation now responsible (a "not ours" from an earlier one is
    history: the finding went back to the coordinator)."""
    if finding.responsible_id is None:
        return None
    for answer in finding.answers.all():  # prefetched
        if answer.organisation_id == finding.responsible_id:
            return answer
    return None


def answer_row(answer: Answer | None) -> dict | None:
    if answer is None:
        return None
    measure = answer.measure
    return {
        "kind": answer.kind,
        "label": str(answer.get_kind_display()),
        "text": answer.text,
        "due": answer.due.isoformat() if answer.due else "",
        "answered_at": local(answer.answered_at),
        "measure": (
            {
                "id": measure.pk,
                "title": measure.title,
                "status": measure.status,
                "status_label": str(measure.get_status_display()),
                "due": measure.due.isoformat() if measure.due else "",
            }
            if measure
            else None
        ),
    }


def responsible_summary(findings: list[dict]) -> list[dict]:
    """Each responsible organisation with its finding numbers and how many it has answered."""
    by_organisation: dict[int, dict] = {}
    for finding in findings:
        owner = finding["responsible"]
        if owner is None:
            continue
        row = by_organisation.setdefault(
            owner["id"], {"id": owner["id"], "name": owner["name"], "numbers": [], "answered": 0}
        )
        row["numbers"].append(finding["number"])
        row["answered"] += finding["answer"] is not None
    return sorted(by_organisation.values(), key=lambda row: row["name"])


# --- scores --------------------------------------------------------------------------------


def cell(mean: float | None, n: int) -> dict:
    """A mean with the number of scores behind it; `few` when there are too few to tell."""
    return {"mean": None if mean is None else round(mean, 2), "n": n, "few": n < MIN_SCORES}


def pooled(cells: list[scores.Cell]) -> dict:
    """The mean over several cells' scores (weighted by their counts)."""
    n = sum(c.n for c in cells)
    total = sum((c.mean or 0) * c.n for c in cells)
    return cell(total / n if n else None, n)


def score_tables(walk: Walk) -> dict | None:
    """The mean score per checklist item at each stop and over the walk (scored walks only)."""
    template = walk.template
    if not template.is_scored:
        return None
    items = [{"code": item.code, "label": item.display_label} for item in template.items.all()]
    per_stop = scores.by_stop(walk)
    names = {stop.pk: f"{stop.order}. {stop.name}" for stop in children(walk, "stops")}
    rows = []
    for stop_id in [*names, None]:
        found = per_stop.get(stop_id)
        if not found:
            continue
        label = names[stop_id] if stop_id is not None else _("Mellan stoppen")
        rows.append(_score_row(label, items, found, pooled(list(found.values()))))
    totals = scores.totals(walk)
    overall = totals.pop("", scores.Cell(None, 0))
    return {
        "scale_max": template.scale_max,
        "min_scores": MIN_SCORES,
        "items": items,
        "rows": rows,
        "total": _score_row("", items, totals, cell(overall.mean, overall.n)),
    }


def _score_row(label: str, items: list[dict], found: dict, overall: dict) -> dict:
    empty = scores.Cell(None, 0)
    return {
        "label": label,
        "cells": [
            cell(found.get(item["code"], empty).mean, found.get(item["code"], empty).n)
            for item in items
        ],
        "all": overall,
    }


def time_band_table(walk: Walk) -> dict | None:
    """Purple Flag: each of the five areas scored in each of the four time zones."""
    if walk.template.kind != ChecklistTemplate.Kind.PURPLE_FLAG:
        return None
    matrix = scores.by_time_band(walk)
    bands = [{"code": code, "label": label} for code, label in TimeBand.choices]
    empty = scores.Cell(None, 0)
    rows = []
    for item in walk.template.items.all():
        found = matrix.get(item.code, {})
        rows.append(
            {
                "label": item.display_label,
                "cells": [
                    cell(found.get(b["code"], empty).mean, found.get(b["code"], empty).n)
                    for b in bands
                ],
            }
        )
    return {"bands": bands, "rows": rows, "min_scores": MIN_SCORES}


# --- the follow-up meeting's agenda --------------------------------------------------------


def agenda_data(walk: Walk) -> dict:
    """Every finding with its answer (or none yet), grouped by responsible organisation, and
    the measures the answers opened: what the uppföljningsmöte goes through."""
    with translation.override(settings.LANGUAGE_CODE):
        findings = finding_rows(walk)
        groups: dict[int, dict] = {}
        waiting = []
        for finding in findings:
            owner = finding["responsible"]
            if owner is None:
                waiting.append(finding)
                continue
            group = groups.setdefault(owner["id"], {**owner, "findings": [], "unanswered": 0})
            group["findings"].append(finding)
            group["unanswered"] += finding["answer"] is None
        measures = [
            {**f["answer"]["measure"], "number": f["number"], "organisation": f["responsible"]}
            for f in findings
            if f["answer"] and f["answer"]["measure"]
        ]
        return {
            "walk": walk_facts(walk),
            "groups": sorted(groups.values(), key=lambda g: g["name"]),
            "waiting": waiting,
            "measures": measures,
            "unanswered": sum(g["unanswered"] for g in groups.values()),
            "made_at": local(timezone.now()),
        }


# --- the SVG map ---------------------------------------------------------------------------


def map_figure(data: dict) -> dict | None:
    """The route, stops and numbered findings of a protocol's data in SVG user units (north
    up, metres kept square), with a scale bar; None when there is nothing to place."""
    route_xy = [to_sweref(lon, lat) for lat, lon in data.get("route") or []]
    points = (
        [(x, y) for x, y in route_xy]
        + [(s["x"], s["y"]) for s in data["stops"]]
        + [(f["x"], f["y"]) for f in data["findings"]]
    )
    if not points:
        return None
    project, width, height, metres_per_unit = _projection(points)
    return {
        "width": width,
        "height": height,
        "route": " ".join(f"{px:.1f},{py:.1f}" for px, py in map(project, route_xy)),
        "stops": [_marker(project, s["x"], s["y"], s["order"]) for s in data["stops"]],
        "findings": [_marker(project, f["x"], f["y"], f["number"]) for f in data["findings"]],
        "scale": _scale_bar(metres_per_unit, height),
    }


def _marker(project, x: float, y: float, label: int) -> dict:
    px, py = project((x, y))
    # left/top: the corner of a stop's 16-unit square centred on the point.
    return {"x": px, "y": py, "left": round(px - 8, 1), "top": round(py - 8, 1), "label": label}


def _projection(points: list[tuple[float, float]]):
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    # At least 200 m across, so one finding alone is not drawn at an absurd scale.
    span_x = max(max(xs) - min(xs), 200.0)
    span_y = max(max(ys) - min(ys), 200.0)
    inner = MAP_WIDTH - 2 * MAP_PADDING
    metres_per_unit = max(span_x / inner, span_y / (MAP_MAX_HEIGHT - 2 * MAP_PADDING))
    width = MAP_WIDTH
    drawn = span_y / metres_per_unit + 2 * MAP_PADDING
    height = round(drawn + MAP_SCALE_STRIP)
    centre_x = (max(xs) + min(xs)) / 2
    centre_y = (max(ys) + min(ys)) / 2

    def project(point: tuple[float, float]) -> tuple[float, float]:
        x, y = point
        return (
            round(width / 2 + (x - centre_x) / metres_per_unit, 1),
            round(drawn / 2 - (y - centre_y) / metres_per_unit, 1),  # north up
        )

    return project, width, height, metres_per_unit


def _scale_bar(metres_per_unit: float, height: int) -> dict:
    """A round length (1, 2 or 5 × 10^k m) about a fifth of the map wide."""
    target = MAP_WIDTH / 5 * metres_per_unit
    magnitude = 10 ** math.floor(math.log10(target))
    metres = max(m * magnitude for m in (1, 2, 5) if m * magnitude <= target)
    length = metres / metres_per_unit
    label = f"{metres / 1000:g} km" if metres >= 1000 else f"{metres:g} m"
    return {
        "x1": MAP_PADDING,
        "x2": round(MAP_PADDING + length, 1),
        "y": height - 6,
        "label": label,
    }


def findings_by_organisation(data: dict) -> dict[int, list[dict]]:
    """organisation id -> its findings in a protocol's data (for comparing two versions)."""
    grouped: dict[int, list[dict]] = defaultdict(list)
    for finding in data.get("findings", []):
        if finding["responsible"] is not None:
            grouped[finding["responsible"]["id"]].append(finding)
    return grouped
