"""The survey report's map (issue 13, point 7): the sub-areas of the frame drawn from their
polygons, each coloured by one item's figure, with a legend — drawn on the server, so the page
and the PDF show the same picture without tiles or JavaScript (as the walks protocol draws its
route).

The classes are fixed, not taken from the data, so two years' maps and two items' maps can be
put side by side: the 0–6 index in half steps around where municipalities usually lie
(1,2–1,8, decision 0020), shares in steps of ten percentage points. The colours are one blue
scale (ColorBrewer "Blues"), since for some items more is good (trust in the police) and for
others bad; a figure from too few answers is grey and says so."""

from __future__ import annotations

from dataclasses import dataclass

import shapely
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from trygg.analysis.survey import Estimate
from trygg.places.geo import outline_in_sweref

INDEX_BREAKS = (1.0, 1.5, 2.0, 2.5)
SHARE_BREAKS = (0.10, 0.20, 0.30, 0.40)
PALETTE = ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c")
TOO_FEW = "#d9d9d9"

WIDTH = 640
MAX_HEIGHT = 520
PADDING = 12
LEGEND_HEIGHT = 34


@dataclass(frozen=True)
class Shape:
    area_id: int
    name: str
    path: str  # SVG path data: every ring of every polygon, even-odd filled
    fill: str
    label: str  # the figure written on the map ("1,42", "23 %", "–")
    title: str  # name and figure with its interval, for the tooltip and screen readers
    x: float  # where the label goes (a point inside the area)
    y: float
    highlighted: bool


@dataclass(frozen=True)
class LegendEntry:
    fill: str
    text: str
    x: float  # the swatch's left edge; the text starts after it
    text_x: float


@dataclass(frozen=True)
class MapFigure:
    width: int
    height: int
    map_height: float
    shapes: list[Shape]
    legend: list[LegendEntry]
    legend_y: float  # the swatches' top; the texts' baseline is below it
    legend_text_y: float


def fill_for(estimate: Estimate | None, measure: str) -> str:
    """The colour of a figure: its class on the fixed scale, grey for too few answers."""
    if estimate is None or estimate.too_few or estimate.value is None:
        return TOO_FEW
    breaks = INDEX_BREAKS if measure == "index" else SHARE_BREAKS
    position = sum(1 for edge in breaks if estimate.value >= edge)
    return PALETTE[position]


def legend_texts(measure: str) -> list[str]:
    """The classes in words: 'under 1,0', '1,0–1,5', …, '2,5 och mer' (or in per cent)."""
    if measure == "index":
        edges = [number_format(edge, 1) for edge in INDEX_BREAKS]
    else:
        edges = [f"{number_format(100 * edge, 0)} %" for edge in SHARE_BREAKS]
    texts = [_("under %(edge)s") % {"edge": edges[0]}]
    texts += [f"{low}–{high}" for low, high in zip(edges, edges[1:], strict=False)]
    texts.append(_("%(edge)s och mer") % {"edge": edges[-1]})
    return texts


def survey_map(
    areas: list[tuple[int, str, dict, Estimate | None]],
    measure: str,
    *,
    label_of,
    title_of,
    highlight: int | None = None,
) -> MapFigure | None:
    """`areas`: (area id, name, WGS84 GeoJSON geometry, the figure) for each sub-area;
    `measure` "index" or "share"; `label_of` and `title_of` write a figure as text. None when
    no area has a polygon to draw."""
    outlines = [
        (area_id, name, outline_in_sweref(geometry), estimate)
        for area_id, name, geometry, estimate in areas
        if geometry
    ]
    outlines = [item for item in outlines if not item[2].is_empty]
    if not outlines:
        return None
    project, map_height, per_unit = _projection([shape for _id, _name, shape, _e in outlines])
    # Simplified to under a map unit: finer detail cannot be seen and only makes the PDF big.
    tolerance = per_unit * 0.75
    shapes = []
    for area_id, name, outline, estimate in outlines:
        simple = outline.simplify(tolerance, preserve_topology=True)
        inside = outline.representative_point()
        x, y = project(inside.x, inside.y)
        shapes.append(
            Shape(
                area_id=area_id,
                name=name,
                path=_path(simple, project),
                fill=fill_for(estimate, measure),
                label=label_of(estimate),
                title=f"{name}: {title_of(estimate)}",
                x=x,
                y=y,
                highlighted=area_id == highlight,
            )
        )
    return MapFigure(
        width=WIDTH,
        height=round(map_height + LEGEND_HEIGHT),
        map_height=round(map_height, 1),
        shapes=shapes,
        legend=_legend(measure),
        legend_y=round(map_height + 10, 1),
        legend_text_y=round(map_height + 21, 1),
    )


def _legend(measure: str) -> list[LegendEntry]:
    texts = [*legend_texts(measure), _("för få svar")]
    fills = [*PALETTE, TOO_FEW]
    step = (WIDTH - 2 * PADDING) / len(texts)
    return [
        LegendEntry(fill, text, round(PADDING + i * step, 1), round(PADDING + i * step + 19, 1))
        for i, (fill, text) in enumerate(zip(fills, texts, strict=True))
    ]


def _projection(shapes):
    """SWEREF 99 TM metres to SVG units (north up, metres kept square, fitted to the width),
    the drawn height and the metres per unit."""
    min_x, min_y, max_x, max_y = shapely.total_bounds(shapes).tolist()
    inner_w, inner_h = WIDTH - 2 * PADDING, MAX_HEIGHT - 2 * PADDING
    per_unit = max((max_x - min_x) / inner_w, (max_y - min_y) / inner_h, 1e-9)
    drawn_w = (max_x - min_x) / per_unit
    height = (max_y - min_y) / per_unit + 2 * PADDING
    left = PADDING + (inner_w - drawn_w) / 2

    def project(x: float, y: float) -> tuple[float, float]:
        return round(left + (x - min_x) / per_unit, 1), round(PADDING + (max_y - y) / per_unit, 1)

    return project, height, per_unit


def _path(shape, project) -> str:
    polygons = shape.geoms if hasattr(shape, "geoms") else [shape]
    parts = []
    for polygon in polygons:
        if polygon.is_empty or polygon.geom_type != "Polygon":
            continue
        for ring in (polygon.exterior, *polygon.interiors):
            points = [project(x, y) for x, y in ring.coords[:-1]]
            parts.append("M" + "L".join(f"{px},{py}" for px, py in points) + "Z")
    return "".join(parts)
