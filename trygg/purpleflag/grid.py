"""The 5 × 4 grid of a Purple Flag year as plain data: per focus area and time zone the
self-assessment (score and note) beside the mean of the linked evening walks' scores, which
`walks.scores.by_time_band` computes per walk and this module pools (weighted by the number of
scores each mean rests on)."""

from __future__ import annotations

from trygg.organisations.shards import children, linked
from trygg.purpleflag.models import Certification, MeasureTag
from trygg.purpleflag.zones import FOCUS_AREAS, ZONES, FocusArea
from trygg.walks import scores
from trygg.walks.models import Walk
from trygg.walks.models.finding import TimeBand


def walk_scores(walks: list[Walk]) -> dict[tuple[str, str], tuple[float | None, int]]:
    """(focus area, zone) -> (mean over the walks, number of scores)."""
    sums: dict[tuple[str, str], float] = {}
    counts: dict[tuple[str, str], int] = {}
    for walk in walks:
        for code, bands in scores.by_time_band(walk).items():
            for zone, cell in bands.items():
                if cell.mean is None:
                    continue
                key = (code, zone)
                sums[key] = sums.get(key, 0.0) + cell.mean * cell.n
                counts[key] = counts.get(key, 0) + cell.n
    return {key: (sums[key] / n, n) for key, n in counts.items()}


def grid(certification: Certification) -> dict:
    assessed = {(a.focus_area, a.zone): a for a in children(certification, "assessments")}
    walked = walk_scores(list(linked(certification, "walks")))
    rows = []
    for code in FOCUS_AREAS:
        cells = []
        for zone in ZONES:
            assessment = assessed.get((code, zone))
            mean, n = walked.get((code, zone), (None, 0))
            cells.append(
                {
                    "zone": zone,
                    "score": assessment.score if assessment else None,
                    "note": assessment.note if assessment else "",
                    "walk_mean": None if mean is None else round(mean, 1),
                    "walk_n": n,
                }
            )
        rows.append({"focus_area": code, "label": str(FocusArea(code).label), "cells": cells})
    return {"zones": [{"code": z, "label": str(TimeBand(z).label)} for z in ZONES], "rows": rows}


def measures_by_focus_area(certification: Certification) -> list[dict]:
    """Each focus area with its tagged measures (title, status, due), in the areas' order."""
    tags = (
        # The joined measures named in the year's municipality too: one shard.
        MeasureTag.objects.filter(
            municipality_id=certification.municipality_id,
            certification=certification,
            measure__municipality_id=certification.municipality_id,
        )
        .select_related("measure__responsible")
        .order_by("measure__due", "measure__pk")
    )
    by_area: dict[str, list[MeasureTag]] = {code: [] for code in FOCUS_AREAS}
    for tag in tags:
        by_area[tag.focus_area].append(tag)
    return [
        {"focus_area": code, "label": str(FocusArea(code).label), "tags": by_area[code]}
        for code in FOCUS_AREAS
    ]
