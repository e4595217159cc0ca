"""Whether a commitment's target can be measured by its indicator: the one rule the forms,
the API and the actions share, so a target nothing can follow is refused before it is kept."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from trygg.events.models import Category
from trygg.measures import indicators
from trygg.places.models import Area
from trygg.promises.models import ENTERED, TargetComparison, TargetPer


@dataclass(frozen=True)
class TargetSpec:
    indicator_kind: str = ""
    category: Category | None = None
    area: Area | None = None
    target_value: Decimal | None = None
    target_comparison: str = ""
    target_per: str = ""
    baseline_start: dt.date | None = None
    baseline_end: dt.date | None = None
    indicator_source: str = ""


def target_errors(spec: TargetSpec, *, promise_start: dt.date) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    kind = (
        indicators.kind(spec.indicator_kind) if spec.indicator_kind not in ("", ENTERED) else None
    )
    if spec.indicator_kind not in ("", ENTERED) and kind is None:
        add("indicator_kind", _("Okänd indikator."))
        return errors
    has_target = spec.target_value is not None or bool(spec.target_comparison)
    if has_target and not spec.indicator_kind:
        add("indicator_kind", _("Ett mätbart mål behöver en indikator som mäter det."))
    if spec.indicator_kind == ENTERED and not spec.indicator_source.strip():
        add("indicator_source", _("Ange var värdet kommer ifrån när det förs in för hand."))
    if spec.target_comparison and spec.target_comparison not in TargetComparison.values:
        add("target_comparison", _("Okänd jämförelse."))
    if spec.target_per and spec.target_per not in TargetPer.values:
        add("target_per", _("Okänd period för målet."))
    _check_numeric_target(spec, add)
    if kind is not None:
        _check_kind(spec, kind, add)
    elif spec.category is not None or spec.area is not None:
        add(
            "indicator_category",
            _("Kategori och område används bara av en beräknad indikator."),
        )
    _check_baseline(spec, kind, promise_start, add)
    return errors


def _check_numeric_target(spec: TargetSpec, add) -> None:
    fewer = spec.target_comparison == TargetComparison.FEWER_THAN_BASELINE
    if spec.target_value is not None:
        if spec.target_value < 0:
            add("target_value", _("Målet kan inte vara negativt."))
        if spec.target_comparison not in (TargetComparison.AT_LEAST, TargetComparison.AT_MOST):
            add("target_comparison", _("Säg om målet är minst eller högst så många."))
        if not spec.target_per:
            add("target_per", _("Säg vilken period målet gäller (per månad, tertial, år)."))
    elif spec.target_comparison and not fewer:
        add("target_value", _("Ange hur många."))
    if fewer and spec.target_value is not None:
        add("target_value", _("Ett mål om färre än jämförelseperioden har inget antal."))


def _check_kind(spec: TargetSpec, kind: indicators.IndicatorKind, add) -> None:
    if kind.requires_category and spec.category is None:
        add(
            "indicator_category",
            _("Indikatorn %(kind)s behöver en kategori.") % {"kind": kind.label},
        )
    if spec.category is not None and not kind.uses_category:
        add(
            "indicator_category",
            _("Indikatorn %(kind)s räknas inte per kategori.") % {"kind": kind.label},
        )
    if spec.area is not None and not kind.uses_area:
        add(
            "indicator_area",
            _("Indikatorn %(kind)s räknas inte per område.") % {"kind": kind.label},
        )


def _check_baseline(spec: TargetSpec, kind, promise_start: dt.date, add) -> None:
    fewer = spec.target_comparison == TargetComparison.FEWER_THAN_BASELINE
    given = spec.baseline_start is not None or spec.baseline_end is not None
    if fewer and (kind is None or not kind.compares):
        add(
            "target_comparison",
            _("Indikatorn kan inte jämföras med en tidigare period; välj händelser i en kategori."),
        )
        return
    if given and (kind is None or not kind.compares):
        add("baseline_start", _("Bara en indikator som jämför har en jämförelseperiod."))
        return
    if fewer and not given:
        add("baseline_start", _("Ange jämförelseperioden målet mäts mot."))
        return
    if not given:
        return
    if spec.baseline_start is None or spec.baseline_end is None:
        add("baseline_start", _("Ange både första och sista dag i jämförelseperioden."))
    elif spec.baseline_end < spec.baseline_start:
        add("baseline_end", _("Slutdatum kan inte ligga före startdatum."))
    elif spec.baseline_end >= promise_start:
        add("baseline_end", _("Jämförelseperioden ska ligga före löftets start."))
