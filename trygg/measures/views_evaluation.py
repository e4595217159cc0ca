"""Did it work? The evaluation page of a done measure, with the analysts' settings form.
Parse, check, call, render; the counting is in evaluation.py."""

from __future__ import annotations

import math

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from trygg.analysis.evaluation import MIN_TARGET_EVENTS, Z95, Verdict
from trygg.measures.actions import set_evaluation_settings
from trygg.measures.evaluation import (
    Evaluation,
    Hours,
    Week,
    can_change_settings,
    evaluate,
)
from trygg.measures.forms_evaluation import EvaluationSettingsForm
from trygg.measures.models import Measure
from trygg.organisations.access import can_view
from trygg.organisations.shards import own_first_or_404
from trygg.situation import charts


@require_http_methods(["GET", "POST"])
@login_required
def evaluation(request, pk: int):
    """GET: the figures. POST: analysts and coordinators change control area and rings."""
    measure = own_first_or_404(
        request.user,
        # The municipality's boundary is only read when it is the control (no districts).
        Measure.objects.visible_to(request.user)
        .select_related("place", "area", "control_area", "category", "municipality")
        .defer("municipality__geometry"),
        pk=pk,
    )
    if not can_view(request.user, measure.municipality_id):
        raise PermissionDenied(_("Utvärderingen bygger på händelser i en annan kommun."))
    editable = can_change_settings(request.user, measure)
    form = EvaluationSettingsForm(measure=measure) if editable else None
    if request.method == "POST":
        if not editable:
            raise PermissionDenied(_("Bara analytiker och samordnare kan ändra utvärderingen."))
        form = EvaluationSettingsForm(request.POST, measure=measure)
        if form.is_valid() and _saved(form, measure, request.user):
            messages.success(request, _("Inställningarna är sparade och siffrorna omräknade."))
            return redirect("measures:evaluation", pk=measure.pk)
    result = evaluate(measure)
    evenings = None
    if measure.is_physical and result.unavailable is None:
        evenings = evaluate(measure, hours=Hours.EVENINGS_WEEKENDS)
    context = {
        "measure": measure,
        "result": result,
        "form": form,
        "chart": series_chart(result.weeks),
        "shown": _shown(result),
        "count_rows": _count_rows(result),
        "min_events": MIN_TARGET_EVENTS,
        "hours_rows": hours_rows(result, evenings) if evenings else [],
    }
    status = 400 if form is not None and form.errors else 200
    return render(request, "measures/evaluation.html", context, status=status)


def _saved(form: EvaluationSettingsForm, measure: Measure, user) -> bool:
    try:
        set_evaluation_settings(measure, acting_user=user, **form.settings(measure))
    except ValidationError as error:
        form.add_error(None, error)
        return False
    return True


def _count_rows(result: Evaluation) -> list[dict]:
    """Target, buffer and control before and after (before None: no control area)."""
    if result.counts is None:
        return []
    rows = [
        (_("Målområdet"), result.counts.target),
        (_("Buffertringen"), result.counts.buffer),
        (_("Kontrollområdet"), result.counts.control),
    ]
    return [
        {
            "label": label,
            "before": pair[0] if pair else None,
            "after": pair[1] if pair else None,
            "change": _number(pair[1] - pair[0], sign=True) if pair else "",
        }
        for label, pair in rows
    ]


def _verdict_label(result: Evaluation) -> str:
    labels = {
        Verdict.FEWER_EVENTS: _("Färre händelser än väntat"),
        Verdict.MORE_EVENTS: _("Fler händelser än väntat"),
        Verdict.NO_CLEAR_CHANGE: _("Ingen tydlig förändring"),
    }
    return labels.get(result.verdict, _("För få händelser för att säga något"))  # type: ignore[arg-type]


def hours_rows(every: Evaluation, evenings: Evaluation) -> list[dict]:
    """A physical measure's comparison side by side: all hours, and evenings and weekends."""

    def cells(pick) -> list[str]:
        return [pick(result) for result in (every, evenings)]

    def pair(zone: str, index: int):
        def pick(result: Evaluation) -> str:
            counts = getattr(result.counts, zone)
            return "–" if counts is None else str(counts[index])

        return pick

    def res_change(result: Evaluation) -> str:
        res = result.res
        return _percent(1 / res.estimate) if res is not None else "–"

    return [
        {"label": _("Målområdet före"), "cells": cells(pair("target", 0))},
        {"label": _("Målområdet efter"), "cells": cells(pair("target", 1))},
        {"label": _("Kontrollområdet före"), "cells": cells(pair("control", 0))},
        {"label": _("Kontrollområdet efter"), "cells": cells(pair("control", 1))},
        {"label": _("Förändring jämfört med kontrollområdet (RES)"), "cells": cells(res_change)},
        {"label": _("Bedömning"), "cells": cells(_verdict_label), "verdict": True},
    ]


def _number(value: float, decimals: int = 0, *, sign: bool = False) -> str:
    """A figure in the page's language (decimal comma in Swedish), with a real minus sign."""
    text = number_format(abs(value), decimal_pos=decimals, use_l10n=True)
    if value < 0 and text.strip("0,.") != "":
        return "−" + text
    return ("+" + text) if sign and value > 0 else text


def _percent(ratio: float) -> str:
    """A rate ratio as a signed change in per cent (0.6 -> "−40 %")."""
    return _number((ratio - 1.0) * 100.0, sign=True) + " %"


def _shown(result: Evaluation) -> dict[str, str]:
    """Figures as the page says them: RES as the target's change relative to the control in
    per cent (RES 2 = "−50 %"), the time series' level change likewise, the WDD in events."""
    shown: dict[str, str] = {}
    if (res := result.res) is not None:
        shown |= {
            "res": _number(res.estimate, 2),
            "res_low": _number(res.ci_low, 2),
            "res_high": _number(res.ci_high, 2),
            "res_change": _percent(1 / res.estimate),
            "res_change_a": _percent(1 / res.ci_high),
            "res_change_b": _percent(1 / res.ci_low),
        }
    if (wdd := result.wdd) is not None:
        shown |= {
            "wdd": _number(wdd.estimate, 1, sign=True),
            "wdd_low": _number(wdd.estimate - Z95 * wdd.se, 1, sign=True),
            "wdd_high": _number(wdd.estimate + Z95 * wdd.se, 1, sign=True),
            "wdd_z": _number(wdd.z, 2) if math.isfinite(wdd.z) else "–",
            "wdd_p": _number(wdd.p_value, 3) if math.isfinite(wdd.p_value) else "–",
        }
    if (wdq := result.wdq) is not None and wdq.wdq is not None:
        shown["wdq"] = _number(wdq.wdq, 2)
    its = result.its
    if its is not None and its.enough_data and its.level_change is not None:
        shown |= {
            "its_level": _percent(its.level_change),
            "its_level_low": _percent(its.level_low or 0.0),
            "its_level_high": _percent(its.level_high or 0.0),
            "its_level_p": _number(its.level_p or 0.0, 3),
            "its_slope": _percent(its.slope_change or 1.0),
            "its_slope_low": _percent(its.slope_low or 0.0),
            "its_slope_high": _percent(its.slope_high or 0.0),
        }
    return shown


def series_chart(weeks: list[Week]) -> SafeString:
    """The target's events per week as a line, the weeks of the work shaded and the week the
    measure was done as a dashed vertical line labelled "klar" (not colour alone)."""
    if not weeks:
        return mark_safe("")
    left, top_pad = charts.PAD_LEFT, charts.PAD_TOP
    plot_w = charts.WIDTH - left - charts.PAD_RIGHT
    plot_h = charts.HEIGHT - top_pad - charts.PAD_BOTTOM
    top = charts._nice_max(max(week.count for week in weeks))
    if top < 20:  # whole numbers on the axis's quarter lines: counts have no fractions
        top = 4 * -(-top // 4)
    step = plot_w / max(len(weeks) - 1, 1)

    def x_of(i: float) -> float:
        return left + i * step

    body = charts._y_axis(top, plot_h)
    during = [i for i, week in enumerate(weeks) if week.during]
    if during:
        x0, x1 = x_of(during[0]), x_of(during[-1] + 1)
        body.append(
            f'<rect x="{x0:.1f}" y="{top_pad}" width="{max(x1 - x0, 1):.1f}" '
            f'height="{plot_h}" fill="#eeeeee"/>'
        )
    line = " ".join(
        f"{x_of(i):.1f},{top_pad + plot_h - plot_h * week.count / top:.1f}"
        for i, week in enumerate(weeks)
    )
    body.append(f'<polyline points="{line}" fill="none" stroke="{charts.INK}" stroke-width="1.6"/>')
    first_after = next((i for i, week in enumerate(weeks) if week.after), None)
    if first_after is not None:
        body.extend(_done_marker(x_of(first_after), plot_h))
    body.extend(_year_labels(weeks, x_of))
    label = _(
        "Händelser per vecka i målområdet, %(n)s veckor; den lodräta linjen visar när "
        "åtgärden blev klar"
    ) % {"n": len(weeks)}
    return charts._svg(label, body)


def _done_marker(x: float, plot_h: int) -> list[str]:
    y0, colour = charts.PAD_TOP, charts.ALERT
    return [
        f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{y0}" y2="{y0 + plot_h}" stroke="{colour}" '
        f'stroke-width="2" stroke-dasharray="5 3"/>',
        f'<text x="{x + 4:.1f}" y="{y0 + 12}" font-size="12" fill="{colour}">'
        f"{escape(_('klar'))}</text>",
    ]


def _year_labels(weeks: list[Week], x_of) -> list[str]:
    """'v. 1 2026' where a year starts (and at the first week), as the situation charts do."""
    labels, last_year = [], None
    for i, week in enumerate(weeks):
        iso = week.start.isocalendar()
        if iso.year != last_year and (i == 0 or i >= 8):  # no label on top of the first one
            text = _("v. %(week)s %(year)s") % {"week": iso.week, "year": iso.year}
            labels.append(
                f'<text x="{x_of(i):.1f}" y="{charts.HEIGHT - 8}" font-size="11" '
                f'fill="{charts.MUTED}">{escape(text)}</text>'
            )
        last_year = iso.year
    return labels
