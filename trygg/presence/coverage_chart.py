"""The coverage page's hour × weekday chart, drawn on the server as SVG like the situation
page's charts: events shade each hour of the week, a dot marks the hours someone was out
(larger for more people-hours). The page shows the same numbers as tables beside it, so the
chart only helps the eye; colour is never the only carrier of a number."""

from __future__ import annotations

import numpy as np
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from trygg.situation.charts import heat_levels, weekday_names

CELL, LEFT, TOP = 26, 78, 22
SHADES = ("#ffffff", "#e3eef8", "#bcd6ee", "#7fb0dc", "#0b4f8a")
DOT, MUTED, GRID = "#b3261e", "#595959", "#d0d0d0"


def hour_weekday_chart(events: np.ndarray, people_hours: np.ndarray) -> SafeString:
    """7 × 24 events (shade) and people-hours (dot) as one SVG with a text alternative."""
    levels = heat_levels(events.tolist())
    peak = float(people_hours.max()) if people_hours.size else 0.0
    width, height = LEFT + 24 * CELL + 4, TOP + 7 * CELL + 4
    body = [
        f'<text x="{LEFT + h * CELL + CELL / 2}" y="{TOP - 8}" font-size="10" '
        f'text-anchor="middle" fill="{MUTED}">{h}</text>'
        for h in range(24)
    ]
    for d, name in enumerate(weekday_names()):
        y = TOP + d * CELL
        body.append(
            f'<text x="{LEFT - 6}" y="{y + CELL / 2 + 4}" font-size="11" text-anchor="end" '
            f'fill="{MUTED}">{escape(name)}</text>'
        )
        for h in range(24):
            x = LEFT + h * CELL
            body.append(
                f'<rect x="{x}" y="{y}" width="{CELL}" height="{CELL}" '
                f'fill="{SHADES[levels[d][h][1]]}" stroke="{GRID}"/>'
            )
            if people_hours[d, h] > 0:
                radius = 2.5 + 6 * (people_hours[d, h] / peak) ** 0.5
                body.append(
                    f'<circle cx="{x + CELL / 2}" cy="{y + CELL / 2}" r="{radius:.1f}" '
                    f'fill="{DOT}" fill-opacity=".85" stroke="#ffffff"/>'
                )
    label = _(
        "Händelser (mörkare ruta: fler) och närvaro (röd prick: någon ute, större: fler "
        "persontimmar) per veckodag och timme. Tabellerna under diagrammet visar samma siffror."
    )
    # Numbers, colours and the escaped label only.
    return mark_safe(  # noqa: S308
        f'<svg class="chart coverage-chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(label)}</title>{''.join(body)}</svg>"
    )
