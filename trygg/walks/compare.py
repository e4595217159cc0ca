"""A later walk on the same route compared with the earlier one (`walk.previous`), place by place.

`comparison_data(walk)` returns plain, JSON-able data: the protocol keeps it in its stored
version and renders it with `walks/_comparison.html` (variable `comparison`), the comparison
page does the same.

The rules
---------
Stops. Each stop of the new walk is paired with at most one stop of the earlier walk, in three
passes, each over the stops still unpaired: the same named place (`WalkStop.place`); else the
same number and the same name; else the nearest earlier stop within STOP_MATCH_M (100 m).
Stops left over are shown as "only then" or "only now".

Scores. Per paired stop and checklist item, and over the whole walk, the mean then and now
with the number of scores each rests on (`trygg.walks.scores`: the same cells as the protocol).
Scores are 0..3 and ordinal, so a change is judged by a two-sided Mann–Whitney U test of the
scores then against the scores now (scipy; exact for small samples): "better" or "worse" when
p < ALPHA, "no clear difference" otherwise, and "too few scores to tell" when either side has
fewer than MIN_SCORES.
With three scores a side the test cannot reach p < 0.05 at all: few scores honestly say little.

Findings of the earlier walk, each in one class:
* still open, found again: the new walk found the same category within SAME_SPOT_M (50 m);
  this wins over a measure marked done (the problem is there again);
* fixed: a measure linked to it is done: one its answer opened or named (will act, already
  planned), or one made from its event;
* still open otherwise: no answer; will not act; not ours (back with the coordinator); a
  measure still open or cancelled; or an answer without a measure to show what was done.
Findings of the new walk are new when the earlier walk found nothing of the same category
within SAME_SPOT_M; the others are the "found again" side of a still open finding.

Given a `user`, only findings whose event the user may see take part (`Event.visible_to`).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from scipy.stats import PermutationMethod, mannwhitneyu

from trygg.events.models import Event
from trygg.measures.models import Measure, MeasureEvent, Status
from trygg.walks import scores
from trygg.walks.in_municipality import (
    answers_prefetch,
    children,
    read_previous,
    stop_prefetch,
    walk_findings,
)
from trygg.walks.models import Answer, Finding, Walk, WalkStop

STOP_MATCH_M = 100.0
SAME_SPOT_M = 50.0
MIN_SCORES = 3
ALPHA = 0.05
# Up to this many ways to split the scores the test is exact (all splits are counted).
EXACT_SPLITS = 10_000

FIXED, STILL_OPEN, NEW = "fixed", "still_open", "new"


# --- stops ---------------------------------------------------------------------------------


def _distance(a, b) -> float:
    return math.hypot(a.x - b.x, a.y - b.y)


def match_stops(then: list[WalkStop], now: list[WalkStop]) -> list[tuple[Any, Any, str]]:
    """(earlier stop or None, new stop or None, how) in the new walk's order, then the
    earlier walk's stops that found no partner."""
    pairs: dict[int, tuple[WalkStop, str]] = {}  # new stop pk -> (earlier stop, how)
    free = list(then)

    def pair(new: WalkStop, old: WalkStop, how: str) -> None:
        pairs[new.pk] = (old, how)
        free.remove(old)

    for new in now:
        old = next((s for s in free if new.place_id and s.place_id == new.place_id), None)
        if old is not None:
            pair(new, old, "place")
    for new in (s for s in now if s.pk not in pairs):
        name = new.name.strip().casefold()
        old = next(
            (s for s in free if s.order == new.order and s.name.strip().casefold() == name), None
        )
        if old is not None:
            pair(new, old, "name")
    candidates = sorted(
        (_distance(new, old), new.order, old.order, new, old)
        for new in now
        if new.pk not in pairs
        for old in free
        if _distance(new, old) <= STOP_MATCH_M
    )
    for _d, _n, _o, new, old in candidates:
        if new.pk not in pairs and old in free:
            pair(new, old, "distance")
    rows: list[tuple[Any, Any, str]] = [
        (pairs[new.pk][0], new, pairs[new.pk][1]) if new.pk in pairs else (None, new, "")
        for new in now
    ]
    return rows + [(old, None, "") for old in free]


# --- scores --------------------------------------------------------------------------------


def _values(walk: Walk) -> dict[int | None, dict[str, list[int]]]:
    """stop id -> item code -> the scores ('' -> every score at the stop)."""
    grouped: dict[int | None, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for stop_id, _band, code, score in scores.score_rows(walk):
        grouped[stop_id][code].append(score)
        grouped[stop_id][""].append(score)
    return grouped


def _whole_walk(values: dict[int | None, dict[str, list[int]]]) -> dict[str, list[int]]:
    merged: dict[str, list[int]] = defaultdict(list)
    for items in values.values():
        for code, scores_ in items.items():
            merged[code].extend(scores_)
    return merged


def _cell(values: list[int]) -> dict[str, Any]:
    cell = scores.Cell.of(values)
    return {"mean": None if cell.mean is None else round(cell.mean, 2), "n": cell.n}


def _method(then: list[int], now: list[int]):
    """Exact for small samples (every split of the pooled scores: scores tie a lot, and the
    normal approximation is too generous below ten or so a side); the normal one beyond."""
    if math.comb(len(then) + len(now), len(then)) <= EXACT_SPLITS:
        return PermutationMethod(n_resamples=EXACT_SPLITS)
    return "asymptotic"


def judge(then: list[int], now: list[int]) -> tuple[str, str]:
    """(verdict, Swedish words) for the change from `then` to `now` (see the module docstring)."""
    if len(then) < MIN_SCORES or len(now) < MIN_SCORES:
        return "too_few", _("för få poäng för att säga något (minst %(n)s före och efter)") % {
            "n": MIN_SCORES
        }
    if set(then) == set(now) and len(set(then)) == 1:
        return "unclear", _("ingen skillnad")
    p = mannwhitneyu(now, then, alternative="two-sided", method=_method(then, now)).pvalue
    if p >= ALPHA:
        return "unclear", _("ingen säker skillnad")
    better = sum(now) / len(now) > sum(then) / len(then)
    return ("better", _("bättre")) if better else ("worse", _("sämre"))


def compare_cells(code: str, label: str, then: list[int], now: list[int]) -> dict[str, Any]:
    before, after = _cell(then), _cell(now)
    verdict, words = judge(then, now)
    change = None
    if before["mean"] is not None and after["mean"] is not None:
        change = round(after["mean"] - before["mean"], 2)
    return {
        "code": code,
        "label": label,
        "then": before,
        "now": after,
        "change": change,
        "verdict": verdict,
        "verdict_label": words,
    }


def _item_labels(walk: Walk, previous: Walk) -> list[tuple[str, str]]:
    """(code, label) of the items both checklists may hold, the new walk's order first."""
    seen: dict[str, str] = {}
    for template in (walk.template, previous.template):
        for item in template.items.all():
            seen.setdefault(item.code, item.display_label)
    return list(seen.items())


def _score_rows(items, then: dict[str, list[int]], now: dict[str, list[int]]) -> list[dict]:
    return [
        compare_cells(code, label, then.get(code, []), now.get(code, []))
        for code, label in items
        if then.get(code) or now.get(code)
    ]


def _stop_ref(stop: WalkStop | None) -> dict[str, Any] | None:
    if stop is None:
        return None
    return {"id": stop.pk, "order": stop.order, "name": stop.name, "lat": stop.lat, "lon": stop.lon}


def stop_rows(walk: Walk, previous: Walk, items) -> list[dict[str, Any]]:
    then_values, now_values = _values(previous), _values(walk)
    rows = []
    then_stops, now_stops = list(children(previous, "stops")), list(children(walk, "stops"))
    for old, new, how in match_stops(then_stops, now_stops):
        then = then_values.get(old.pk, {}) if old else {}
        now = now_values.get(new.pk, {}) if new else {}
        rows.append(
            {
                "then": _stop_ref(old),
                "now": _stop_ref(new),
                "match": how,
                "match_label": str(MATCH_LABELS.get(how, "")),
                "distance_m": round(_distance(old, new)) if old and new else None,
                "items": _score_rows(items, then, now),
                "total": compare_cells("", _("Alla punkter"), then.get("", []), now.get("", [])),
            }
        )
    return rows


MATCH_LABELS = {
    "place": gettext_lazy("samma plats"),
    "name": gettext_lazy("samma nummer och namn"),
    "distance": gettext_lazy("närmaste stopp"),
}


# --- findings ------------------------------------------------------------------------------


@dataclass
class Found:
    finding: Finding
    measures: list[Measure]


def _findings(walk: Walk, user) -> list[Found]:
    # As in the protocol: the municipality named for the finding and its event, the stop read
    # apart, so that a sharded database sends the query to the walk's shard.
    municipality_id = walk.municipality_id
    findings = walk_findings(walk).select_related("event__category", "responsible")
    if user is not None:
        events = Event.objects.visible_to(user).filter(municipality_id=municipality_id)
        findings = findings.filter(event__in=events.values("pk"))
    # The measure is optional: an outer join to a second sharded table would need every shard.
    findings = list(
        findings.prefetch_related(
            stop_prefetch(municipality_id),
            answers_prefetch(municipality_id, organisation=True, measure=True),
        ).order_by("number")
    )
    by_event = _event_measures(municipality_id, [f.event_id for f in findings])
    result = []
    for finding in findings:
        linked = {a.measure.pk: a.measure for a in finding.answers.all() if a.measure}
        linked.update({m.pk: m for m in by_event.get(finding.event_id, [])})
        result.append(Found(finding, sorted(linked.values(), key=lambda m: m.pk)))
    return result


def _event_measures(municipality_id: int, event_ids: list[int]) -> dict[int, list[Measure]]:
    """event id -> the measures linked to it (`Event.measures`), read as the link rows and
    then the measures, each query naming the municipality: joined, the link table and the
    measures would be two sharded tables of which Citus could place only one."""
    links = list(
        MeasureEvent.objects.filter(
            municipality_id=municipality_id, event_id__in=event_ids
        ).values_list("event_id", "measure_id")
    )
    measures = Measure.objects.filter(
        municipality_id=municipality_id, pk__in={measure_id for _e, measure_id in links}
    ).in_bulk()
    by_event: dict[int, list[Measure]] = defaultdict(list)
    for event_id, measure_id in links:
        if measure_id in measures:
            by_event[event_id].append(measures[measure_id])
    return by_event


def _near_same(finding: Finding, others: Iterable[Found]) -> list[Finding]:
    event = finding.event
    return [
        o.finding
        for o in others
        if o.finding.event.category_id == event.category_id
        and _distance(o.finding.event, event) <= SAME_SPOT_M
    ]


def classify(found: Found, again: list[Finding]) -> tuple[str, str]:
    """(class, reason) of one finding of the earlier walk: the rules in the module docstring."""
    if again:
        return STILL_OPEN, "found_again"
    if any(m.status == Status.DONE for m in found.measures):
        return FIXED, "measure_done"
    kinds = {a.kind for a in found.finding.answers.all()}
    if not kinds:
        return STILL_OPEN, "no_answer"
    if Answer.Kind.WILL_NOT_ACT in kinds:
        return STILL_OPEN, "will_not_act"
    if any(m.is_open for m in found.measures):
        return STILL_OPEN, "measure_open"
    if found.measures:
        return STILL_OPEN, "measure_cancelled"
    if Answer.Kind.NOT_OURS in kinds:
        return STILL_OPEN, "not_ours"
    return STILL_OPEN, "no_measure"


REASONS = {
    "found_again": gettext_lazy("hittades igen på samma ställe"),
    "measure_done": gettext_lazy("åtgärden är klar"),
    "no_answer": gettext_lazy("inget svar från den ansvariga"),
    "will_not_act": gettext_lazy("den ansvariga åtgärdar inte"),
    "measure_open": gettext_lazy("åtgärden är inte klar"),
    "measure_cancelled": gettext_lazy("åtgärden avbröts"),
    "not_ours": gettext_lazy("ansvaret ska fördelas om"),
    "no_measure": gettext_lazy("ingen åtgärd visar vad som gjorts"),
    "new": format_lazy(
        gettext_lazy("inget av samma slag inom {m} m förra gången"), m=int(SAME_SPOT_M)
    ),
}


def finding_item(found: Found, reason: str, again: list[Finding]) -> dict[str, Any]:
    finding, event = found.finding, found.finding.event
    return {
        "id": finding.pk,
        "number": finding.number,
        "category": event.category.code,
        "category_name": event.category.name,
        "note": event.description,
        "lat": event.lat,
        "lon": event.lon,
        "stop": finding.stop.name if finding.stop else None,
        "responsible": finding.responsible.name if finding.responsible else None,
        "reason": reason,
        "reason_label": str(REASONS[reason]),
        "answers": [
            {
                "organisation": a.organisation.name,
                "kind": a.kind,
                "label": str(a.get_kind_display()),
            }
            for a in finding.answers.all()
        ],
        "measures": [
            {
                "title": m.title,
                "status": m.status,
                "status_label": str(m.get_status_display()),
                "done_on": m.done_on.isoformat() if m.done_on else None,
            }
            for m in found.measures
        ],
        "again": [f.number for f in again],
    }


def finding_classes(walk: Walk, previous: Walk, user) -> dict[str, list[dict[str, Any]]]:
    then, now = _findings(previous, user), _findings(walk, user)
    classes: dict[str, list[dict[str, Any]]] = {FIXED: [], STILL_OPEN: [], NEW: []}
    for found in then:
        again = _near_same(found.finding, now)
        kind, reason = classify(found, again)
        classes[kind].append(finding_item(found, reason, again))
    for found in now:
        if not _near_same(found.finding, then):
            classes[NEW].append(finding_item(found, "new", []))
    return classes


# --- the whole comparison ------------------------------------------------------------------


def _walk_ref(walk: Walk) -> dict[str, Any]:
    return {
        "id": walk.pk,
        "title": walk.title,
        "walk_at": timezone.localtime(walk.walk_at).isoformat(),
        "light": walk.light,
        "light_label": str(walk.get_light_display()),
    }


def comparison_data(walk: Walk, *, user=None) -> dict[str, Any]:
    """The comparison of `walk` with `walk.previous` as plain data ({} without a previous)."""
    if not Walk.previous.is_cached(walk):
        read_previous(walk)  # naming the municipality (the same as the walk's)
    previous = walk.previous
    if previous is None:
        return {}
    items = _item_labels(walk, previous)
    then_all, now_all = _whole_walk(_values(previous)), _whole_walk(_values(walk))
    classes = finding_classes(walk, previous, user)
    return {
        "walk": _walk_ref(walk),
        "previous": _walk_ref(previous),
        "rules": {"min_scores": MIN_SCORES, "same_spot_m": SAME_SPOT_M, "stop_m": STOP_MATCH_M},
        "stops": stop_rows(walk, previous, items),
        "total": {
            "items": _score_rows(items, then_all, now_all),
            "all": compare_cells("", _("Alla punkter"), then_all.get("", []), now_all.get("", [])),
        },
        "findings": classes,
        "counts": {name: len(rows) for name, rows in classes.items()},
    }
