"""What a PromiseVersion keeps: the promise as adopted, in plain data. The public pages and
the API read versions through here, never the working copy, so what residents see changes
only when a version is adopted."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.utils import translation

from trygg.measures import indicators
from trygg.organisations.shards import children, linked
from trygg.promises.models import (
    ENTERED,
    Column,
    Commitment,
    MeasuresOnRemoval,
    Promise,
    TargetComparison,
    TargetPer,
)


def target_text(commitment: Commitment) -> str:
    """The target in words: "minst 4 per år", "färre än under jämförelseperioden"."""
    if commitment.target_comparison == TargetComparison.FEWER_THAN_BASELINE:
        first, last = commitment.baseline_start, commitment.baseline_end
        return f"{TargetComparison.FEWER_THAN_BASELINE.label} ({first}–{last})"
    if commitment.target_value is None:
        return ""
    value = _number(commitment.target_value)
    comparison = TargetComparison(commitment.target_comparison).label
    per = TargetPer(commitment.target_per).label if commitment.target_per else ""
    return " ".join(part for part in (str(comparison), value, str(per)) if part)


def indicator_text(commitment: Commitment) -> str:
    if commitment.indicator_kind == ENTERED:
        return str(commitment.indicator_source)
    kind = indicators.kind(commitment.indicator_kind)
    if kind is None:
        return ""
    parts = [str(kind.label)]
    if commitment.indicator_category is not None:
        parts.append(commitment.indicator_category.name)
    if commitment.indicator_area is not None:
        parts.append(commitment.indicator_area.name)
    return ", ".join(parts)


def _number(value: Decimal) -> str:
    return str(int(value)) if value == value.to_integral_value() else str(value.normalize())


def commitment_data(commitment: Commitment) -> dict[str, Any]:
    return {
        "id": commitment.pk,
        "column": commitment.column,
        "text": commitment.text,
        "owner": commitment.owner.name,
        "target": target_text(commitment),
        "indicator": indicator_text(commitment),
    }


def snapshot_of(promise: Promise, *, removed: Sequence[Commitment] = ()) -> dict[str, Any]:
    """In Swedish whatever language the adopting user reads in: the promise is a Swedish
    public document, and the words kept are the words adopted."""
    with translation.override("sv"):
        return _snapshot(promise, removed)


def _snapshot(promise: Promise, removed: Sequence[Commitment]) -> dict[str, Any]:
    live = (
        children(promise, "commitments")
        .filter(removed_in=None)
        .exclude(pk__in=[c.pk for c in removed])
        .select_related("owner", "indicator_category", "indicator_area")
    )
    order = {code: i for i, code in enumerate(Column.values)}
    commitments = sorted(live, key=lambda c: (order[c.column], c.sort_order, c.pk))
    return {
        "title": promise.title,
        "focus": promise.focus,
        "start": promise.start.isoformat(),
        "end": promise.end.isoformat(),
        "problems": [p.title for p in linked(promise, "problems")],
        "commitments": [commitment_data(c) for c in commitments],
        "removed": [
            {
                "id": c.pk,
                "column": c.column,
                "text": c.text,
                "reason": c.removal_reason,
                "measures": str(MeasuresOnRemoval(c.measures_on_removal).label)
                if c.measures_on_removal
                else "",
            }
            for c in removed
        ],
    }
