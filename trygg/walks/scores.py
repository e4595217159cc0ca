"""A walk's scores as plain data: the mean per checklist item at each stop, over the whole
walk, and (Purple Flag) in each time zone. The protocol, the comparison with an earlier walk
and the API all read these, so they agree.

Scores are 0..scale_max, higher is better. A mean of few scores says little: each cell carries
its count `n` so a page can say how many scores it rests on."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from trygg.walks.models import FindingScore, Walk


@dataclass(frozen=True)
class Cell:
    mean: float | None
    n: int

    @classmethod
    def of(cls, values: list[int]) -> Cell:
        return cls(sum(values) / len(values) if values else None, len(values))


def score_rows(walk: Walk) -> list[tuple[int | None, str, str, int]]:
    """(stop id, time band, item code, score) for every scored item on the walk."""
    # The walk's municipality named for the score and its finding, so that sharded (Citus)
    # the query goes to the walk's shard (the checklist item is a reference table).
    rows = FindingScore.objects.filter(
        municipality_id=walk.municipality_id,
        finding__municipality_id=walk.municipality_id,
        finding__walk=walk,
        score__isnull=False,
    ).values_list("finding__stop_id", "finding__time_band", "item__code", "score")
    # score__isnull=False: every score here is an int.
    return [(stop, band, code, int(score or 0)) for stop, band, code, score in rows]


def by_stop(walk: Walk) -> dict[int | None, dict[str, Cell]]:
    """stop id (None: between stops) -> item code -> Cell."""
    grouped: dict[int | None, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for stop_id, _band, code, score in score_rows(walk):
        grouped[stop_id][code].append(score)
    return {
        stop: {code: Cell.of(v) for code, v in items.items()} for stop, items in grouped.items()
    }


def totals(walk: Walk) -> dict[str, Cell]:
    """item code -> Cell over the whole walk, and '' -> Cell over every score."""
    grouped: dict[str, list[int]] = defaultdict(list)
    for _stop, _band, code, score in score_rows(walk):
        grouped[code].append(score)
        grouped[""].append(score)
    return {code: Cell.of(values) for code, values in grouped.items()}


def by_time_band(walk: Walk) -> dict[str, dict[str, Cell]]:
    """Purple Flag: item code (area) -> time band -> Cell."""
    grouped: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for _stop, band, code, score in score_rows(walk):
        if band:
            grouped[code][band].append(score)
    return {
        code: {band: Cell.of(v) for band, v in bands.items()} for code, bands in grouped.items()
    }
