"""Charts drawn on the server as SVG: the same markup in the browser and in the PDF, no
JavaScript, no chart library. Each chart has a text alternative; the page also shows the
numbers as a table."""

from __future__ import annotations

import datetime as dt

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

WIDTH, HEIGHT = 720, 240
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 44, 12, 12, 28
INK, MUTED, BAND, ALERT = "#1a1a1a", "#595959", "#cfe3f5", "#b3261e"
YEAR_COLOURS = ("#9e9e9e", "#5b8fc7", "#0b4f8a")


def _nice_max(value: float) -> int:
    for step in (5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10_000, 50_000):
        if value <= step * 4:
            return int(step * -(-max(value, 1) // step))
    return int(value) + 1


def _svg(label: str, body: list[str]) -> SafeString:
    # The body is markup built here from numbers and constants; every text in it and the
    # label are escaped where they are put in.
    return mark_safe(  # noqa: S308
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(label)}</title>{''.join(body)}</svg>"
    )


def _y_axis(top: int, plot_h: int) -> list[str]:
    parts = []
    for i in range(5):
        value = top * i / 4
        y = PAD_TOP + plot_h - plot_h * i / 4
        parts.append(
            f'<line x1="{PAD_LEFT}" x2="{WIDTH - PAD_RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="#e0e0e0"/><text x="{PAD_LEFT - 6}" y="{y + 4:.1f}" font-size="11" '
            f'text-anchor="end" fill="{MUTED}">{value:g}</text>'
        )
    return parts


def trend_chart(trend: dict) -> SafeString:
    """Weekly counts as a line over the expected band (when there is one); weeks outside the
    band are marked with a dot."""
    weeks = trend["weeks"]
    if not weeks:
        return mark_safe("")
    plot_w, plot_h = WIDTH - PAD_LEFT - PAD_RIGHT, HEIGHT - PAD_TOP - PAD_BOTTOM
    top = _nice_max(max(max(w["count"], w.get("upper", 0)) for w in weeks))
    step = plot_w / max(len(weeks) - 1, 1)

    def xy(i: int, value: float) -> str:
        return f"{PAD_LEFT + i * step:.1f},{PAD_TOP + plot_h - plot_h * value / top:.1f}"

    body = _y_axis(top, plot_h)
    banded = [(i, w) for i, w in enumerate(weeks) if "upper" in w]
    if banded:
        upper = [xy(i, w["upper"]) for i, w in banded]
        lower = [xy(i, w["lower"]) for i, w in reversed(banded)]
        body.append(f'<polygon points="{" ".join(upper + lower)}" fill="{BAND}"/>')
        expected = " ".join(xy(i, w["expected"]) for i, w in banded)
        body.append(
            f'<polyline points="{expected}" fill="none" stroke="{MUTED}" stroke-dasharray="4 3"/>'
        )
    line = " ".join(xy(i, w["count"]) for i, w in enumerate(weeks))
    body.append(f'<polyline points="{line}" fill="none" stroke="{INK}" stroke-width="1.6"/>')
    for i, w in enumerate(weeks):
        if w.get("outside"):
            x, y = xy(i, w["count"]).split(",")
            body.append(f'<circle cx="{x}" cy="{y}" r="3.5" fill="{ALERT}"/>')
        if i == 0 or (w["week"] == 1 and i >= 8):  # no year label on top of the first one
            year = dt.date.fromisoformat(w["start"]).isocalendar().year
            body.append(
                f'<text x="{PAD_LEFT + i * step:.1f}" y="{HEIGHT - 8}" font-size="11" '
                f'fill="{MUTED}">'
                f"{escape(_('v. %(week)s %(year)s') % {'week': w['week'], 'year': year})}</text>"
            )
    label = _("Händelser per vecka, de senaste %(n)s veckorna") % {"n": len(weeks)}
    if banded:
        label += ", " + _("med förväntat intervall för årstiden")
    return _svg(label, body)


def month_chart(months: dict) -> SafeString:
    """Events per month, one line per year (årshjul laid flat)."""
    counts = months["counts"]
    if not counts or not any(any(row) for row in counts):  # None (future) and 0 alike
        return mark_safe("")
    plot_w, plot_h = WIDTH - PAD_LEFT - PAD_RIGHT, HEIGHT - PAD_TOP - PAD_BOTTOM
    top = _nice_max(max(max(n or 0 for n in row) for row in counts))
    step = plot_w / 11
    body = _y_axis(top, plot_h)
    for m, name in enumerate(month_names()):
        body.append(
            f'<text x="{PAD_LEFT + m * step:.1f}" y="{HEIGHT - 8}" font-size="11" '
            f'text-anchor="middle" fill="{MUTED}">{escape(name)}</text>'
        )
    for index, (year, row) in enumerate(zip(months["years"], counts, strict=True)):
        colour = (
            YEAR_COLOURS[index - len(counts) + len(YEAR_COLOURS)]
            if index >= len(counts) - len(YEAR_COLOURS)
            else MUTED
        )
        points = " ".join(
            f"{PAD_LEFT + m * step:.1f},{PAD_TOP + plot_h - plot_h * n / top:.1f}"
            for m, n in enumerate(row)
            if n is not None
        )
        body.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"/>')
        body.append(
            f'<text x="{WIDTH - PAD_RIGHT}" y="{PAD_TOP + 12 + 14 * index}" font-size="11" '
            f'text-anchor="end" fill="{colour}">{year}</text>'
        )
    return _svg(_("Händelser per månad och år"), body)


def month_names() -> list[str]:
    return [
        _("jan"),
        _("feb"),
        _("mar"),
        _("apr"),
        _("maj"),
        _("jun"),
        _("jul"),
        _("aug"),
        _("sep"),
        _("okt"),
        _("nov"),
        _("dec"),
    ]


def weekday_names() -> list[str]:
    return [
        _("måndag"),
        _("tisdag"),
        _("onsdag"),
        _("torsdag"),
        _("fredag"),
        _("lördag"),
        _("söndag"),
    ]


def heat_levels(grid: list[list[int]]) -> list[list[tuple[int, int]]]:
    """Each cell's count with a shade level 0–4 (by share of the largest cell) for the
    hour × weekday table; the number is always printed, the shade only helps the eye."""
    peak = max((max(row) for row in grid), default=0)
    return [[(n, 0 if not n else min(4, 1 + int(4 * n / (peak + 1)))) for n in row] for row in grid]


def hotspot_map(hotspots: dict | None) -> SafeString:
    """The kept hotspot cells on the scope's outline, for the pack and its PDF (no tiles)."""
    if not hotspots or not hotspots.get("outline"):
        return mark_safe("")
    rings = hotspots["outline"]
    xs = [x for ring in rings for x, _y in ring]
    ys = [y for ring in rings for _x, y in ring]
    min_x, max_x, min_y, max_y = min(xs), max(xs), min(ys), max(ys)
    size = 480
    scale = (size - 20) / max(max_x - min_x, max_y - min_y, 1)

    def sx(x: float) -> float:
        return 10 + (x - min_x) * scale

    def sy(y: float) -> float:
        return 10 + (max_y - y) * scale

    body = [
        f'<polygon points="{" ".join(f"{sx(x):.1f},{sy(y):.1f}" for x, y in ring)}" '
        f'fill="#f7f7f7" stroke="#1f3b5c" stroke-width="1.2"/>'
        for ring in rings
    ]
    cell = hotspots["cell_m"] * scale
    for c in hotspots["cells"]:
        colour = ALERT if c["class"] == "hot" else "#1d5aa6"
        body.append(
            f'<rect x="{sx(c["x"]):.1f}" y="{sy(c["y"]) - cell:.1f}" width="{max(cell, 1.5):.1f}" '
            f'height="{max(cell, 1.5):.1f}" fill="{colour}"/>'
        )
    label = _("Karta med %(hot)s hotspot-rutor (röda)") % {"hot": len(hotspots["cells"])}
    height = 20 + (max_y - min_y) * scale
    # Coordinates, colours and the escaped label only.
    return mark_safe(  # noqa: S308
        f'<svg class="chart hotspot-map" viewBox="0 0 {size} {height:.0f}" role="img" '
        f'aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(label)}</title>{''.join(body)}</svg>"
    )
