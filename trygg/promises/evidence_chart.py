"""The evidence page's month chart: the events of every month of the comparison period and of
the period as bars, drawn on the server as SVG like the situation pages' charts (no JavaScript;
the page shows the same numbers as a table)."""

from __future__ import annotations

import datetime as dt

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from trygg.situation.charts import HEIGHT, INK, MUTED, PAD_BOTTOM, PAD_LEFT, PAD_RIGHT, WIDTH

PAD_TOP = 28  # room for the legend
PERIOD = "#0b4f8a"
COMPARISON = "#757575"  # 4.6:1 on white
GRID = "#e0e0e0"


def _top(value: int) -> int:
    """A round number at or above the largest bar, for four grid lines."""
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10_000):
        if value <= step * 4:
            return step * 4
    return value + 1


def month_bars(months: list[dict], month_names: list[str]) -> SafeString:
    """One bar per month (or part of one), the comparison period grey, the period blue."""
    if not months or not any(m["total"] for m in months):
        return mark_safe("")
    plot_w, plot_h = WIDTH - PAD_LEFT - PAD_RIGHT, HEIGHT - PAD_TOP - PAD_BOTTOM
    top = _top(max(m["total"] for m in months))
    slot = plot_w / len(months)
    body = []
    for i in range(5):
        y = PAD_TOP + plot_h - plot_h * i / 4
        body.append(
            f'<line x1="{PAD_LEFT}" x2="{WIDTH - PAD_RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="{GRID}"/><text x="{PAD_LEFT - 6}" y="{y + 4:.1f}" font-size="11" '
            f'text-anchor="end" fill="{MUTED}">{top * i // 4}</text>'
        )
    every = max(1, round(len(months) / 12))  # at most a dozen month labels
    for i, month in enumerate(months):
        height = plot_h * month["total"] / top
        x = PAD_LEFT + i * slot
        colour = PERIOD if month["in_period"] else COMPARISON
        body.append(
            f'<rect x="{x + slot * 0.15:.1f}" y="{PAD_TOP + plot_h - height:.1f}" '
            f'width="{slot * 0.7:.1f}" height="{height:.1f}" fill="{colour}"/>'
        )
        start = dt.date.fromisoformat(month["start"])
        if i % every == 0:
            body.append(
                f'<text x="{x + slot / 2:.1f}" y="{HEIGHT - 14}" font-size="10" '
                f'text-anchor="middle" fill="{MUTED}">{escape(month_names[start.month - 1])}</text>'
            )
        if i == 0 or (start.month == 1 and start.day == 1):
            body.append(
                f'<text x="{x + slot / 2:.1f}" y="{HEIGHT - 2}" font-size="10" '
                f'text-anchor="middle" fill="{INK}">{start.year}</text>'
            )
    legend = [(COMPARISON, _("jämförelseperioden")), (PERIOD, _("perioden"))]
    x = PAD_LEFT
    for colour, text in legend:
        body.append(
            f'<rect x="{x}" y="6" width="12" height="12" fill="{colour}"/>'
            f'<text x="{x + 16}" y="16" font-size="11" fill="{INK}">{escape(text)}</text>'
        )
        x += 30 + 7 * len(text)
    label = _("Händelser per månad i jämförelseperioden och perioden")
    # The body is markup built here from numbers, constants and escaped text.
    return mark_safe(  # noqa: S308
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(label)}</title>{''.join(body)}</svg>"
    )
