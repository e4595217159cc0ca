"""`trygg hotspots PATH`: hotspot cells of any point CSV, as GeoJSON, for analysts.

    trygg hotspots handelser.csv --out rutor.geojson                    # Gi*, 100 m cells
    trygg hotspots handelser.csv --method kde --bandwidth 300 --out tathet.geojson
    trygg hotspots brott.csv --x-col x --y-col y --crs 3006 --time-col datum \\
        --from 2025-01-01 --to 2025-12-31 --method count --out rutor.geojson

The file is read as `trygg import csv` reads one: UTF-8 with or without BOM, else
Windows-1252; `;`, `,` or tab as the delimiter; decimal commas. Exit status 0 on success; 2 when
nothing was written because the file, a column, a row or an option is invalid (the reason on
stderr). Rows without coordinates, without a time (when filtering on time), outside the period
or (for lat/lon) outside Sweden are skipped and counted in the summary.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import os
import secrets
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from pyproj import CRS
from pyproj.exceptions import CRSError

from trygg.analysis.grid import (
    Grid,
    cell_centres,
    cell_corners,
    count_points,
    grid_over_bounds,
    queen_weights,
)
from trygg.analysis.hotspots import COLD, NONE, hot_cells
from trygg.analysis.kde import quartic_density
from trygg.events.importers.common import (
    STOCKHOLM,
    ImportFileError,
    parse_number,
    parse_occurred_at,
    read_bytes,
)
from trygg.events.importers.csv_rows import DELIMITERS, decode
from trygg.places.geo import in_sweden_box, to_sweref, transformer

INVALID = 2  # exit status: nothing written, as `trygg import`
# Ten times the library's 999: Benjamini-Hochberg over 100,000 cells cannot pass a cell whose
# p-value is stuck at 1/1000 unless thousands are, and permutations cost us little.
PERMUTATIONS = 9999
MAX_CELLS = 4_000_000  # a larger grid needs gigabytes for Gi*'s weights: ask for larger cells
LAT_NAMES = ("lat", "latitud", "latitude", "breddgrad")
LON_NAMES = ("lon", "lng", "long", "longitud", "longitude", "längdgrad")
X_NAMES, Y_NAMES = ("x", "easting"), ("y", "northing")
WGS84, SWEREF99TM = CRS.from_epsg(4326), CRS.from_epsg(3006)

HELP_CELLS = (
    "Utdata: en polygon per ruta i WGS84 (RFC 7946) med egenskaperna count och score: antal "
    "för count, täthet (händelser per km²) för kde, z för gi, som också får p (pseudo-p), q "
    "(FDR) och class (hot/cold/none). Rutnätet täcker punkternas utbredning (för kde utökad med "
    "bandbredden), i SWEREF 99 TM för lat/lon och i filens eget system för projicerade "
    "koordinater (meter). Bara rutor med något att visa skrivs: count: rutor med händelser; "
    "kde: täthet > 0; gi: rutor med händelser i rutan eller grannrutorna, och alla signifikanta."
)


def fail(message: str) -> CommandError:
    return CommandError(message, returncode=INVALID)


@dataclass
class Points:
    """The rows that became points (in `crs`: metres once projected) and why others did not."""

    x: np.ndarray
    y: np.ndarray
    crs: CRS  # of x and y
    rows: int
    skipped: Counter = field(default_factory=Counter)


@dataclass
class Cells:
    """The analysed grid and, per cell written, its properties."""

    grid: Grid
    written: np.ndarray  # positions in grid.cells
    properties: list[dict]
    note: str  # the method's line in the summary


class Command(BaseCommand):
    help = "Hittar heta rutor i en CSV-fil med punkter (Gi*, kärntäthet eller antal per ruta)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="CSV-filen med en punkt (händelse) per rad")
        parser.add_argument("--out", required=True, help="GeoJSON-filen som skrivs. " + HELP_CELLS)
        parser.add_argument(
            "--method",
            choices=["gi", "kde", "count"],
            default="gi",
            help="gi: Getis-Ord Gi* (standard); kde: kärntäthet (kvartisk kärna); count: antal",
        )
        parser.add_argument("--cell", type=float, default=100.0, help="rutans sida i meter")
        parser.add_argument("--x-col", help="kolumnen med x eller longitud")
        parser.add_argument("--y-col", help="kolumnen med y eller latitud")
        parser.add_argument(
            "--crs", help="koordinatsystem, t.ex. 3006 (SWEREF 99 TM); standard 4326 för lat/lon"
        )
        parser.add_argument("--time-col", help="kolumnen med tidpunkt, för --from/--to")
        parser.add_argument("--from", dest="date_from", help="första dag (ÅÅÅÅ-MM-DD)")
        parser.add_argument("--to", dest="date_to", help="sista dag, medräknad (ÅÅÅÅ-MM-DD)")
        parser.add_argument("--bandwidth", type=float, default=250.0, help="kde: bandbredd i meter")
        parser.add_argument(
            "--permutations",
            type=int,
            default=PERMUTATIONS,
            help="gi: permutationer (standard %(default)s: minsta p blir 1/(antal + 1), och FDR "
            "över tiotusentals rutor behöver små p för att hitta något)",
        )
        parser.add_argument("--alpha", type=float, default=0.05, help="gi: FDR-nivå")
        parser.add_argument("--seed", type=int, help="gi: slumpfrö (standard: ett nytt, skrivs ut)")

    def handle(self, *args, **options):
        period = _period(options)
        _check_numbers(options)
        out = Path(options["out"])
        if not out.parent.is_dir():
            raise fail(_("katalogen %(dir)s finns inte") % {"dir": out.parent})
        points = read_points(Path(options["path"]), options, period)
        cells = analyse(points, options)
        try:
            write_atomically(out, feature_collection(cells, points.crs))
        except OSError as exc:
            raise fail(
                _("kan inte skriva %(out)s: %(reason)s") % {"out": out, "reason": exc.strerror}
            ) from None
        self.stdout.write(summary(Path(options["path"]).name, points, cells, out))


# --- reading ----------------------------------------------------------------------------------


def read_points(path: Path, options: dict, period: tuple | None) -> Points:
    """The file's points in metres: parsed, filtered on time, projected."""
    name = path.name
    try:
        text, _encoding = decode(read_bytes(path), name)
    except ImportFileError as exc:
        raise fail(str(exc)) from None
    columns, rows = _table(text, name)
    x_col, y_col, crs = _coordinate_columns(columns, options, name)
    time_col = _time_column(columns, options, name) if period else None
    x, y, skipped = _parse_rows(rows, columns, (x_col, y_col, time_col), period, name)
    return _to_metres(Points(np.array(x), np.array(y), crs, len(rows), skipped))


def _table(text: str, name: str) -> tuple[list[str], list[list[str]]]:
    header = next((line for line in io.StringIO(text) if line.strip()), "")
    if not header:
        raise fail(_("%(name)s är tom") % {"name": name})
    delimiter = max(DELIMITERS, key=header.count)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise fail(
            _("%(name)s är ingen läsbar CSV-fil: %(e)s") % {"name": name, "e": exc}
        ) from None
    while not any(cell.strip() for cell in rows[0]):
        rows.pop(0)  # blank lines above the header
    return [cell.strip().casefold() for cell in rows[0]], rows[1:]


def _coordinate_columns(columns: list[str], options: dict, name: str) -> tuple[str, str, CRS]:
    """(x column, y column, their CRS): as given, else found by name; lat/lon default to WGS84."""
    given = _crs(options["crs"]) if options["crs"] else None
    x_col, y_col = (options["x_col"] or "").casefold(), (options["y_col"] or "").casefold()
    if bool(x_col) != bool(y_col):
        raise fail(_("ange både --x-col och --y-col"))
    if not x_col:
        x_col, y_col = _columns_by_name(columns, given)
    for column in (x_col, y_col):
        if column not in columns:
            raise fail(
                _("%(name)s saknar kolumnen %(col)s (rubrikraden har: %(cols)s)")
                % {"name": name, "col": column or "lat/lon eller x/y", "cols": _listed(columns)}
            )
    if given is None and not (x_col in LON_NAMES and y_col in LAT_NAMES):
        raise fail(_("ange --crs för kolumnerna %(x)s och %(y)s") % {"x": x_col, "y": y_col})
    return x_col, y_col, given or WGS84


def _columns_by_name(columns: list[str], crs: CRS | None) -> tuple[str, str]:
    """lat/lon before x/y, unless a projected --crs says the file holds x/y."""
    pairs = [(LON_NAMES, LAT_NAMES), (X_NAMES, Y_NAMES)]
    if crs is not None and crs.is_projected:
        pairs.reverse()
    for x_names, y_names in pairs:
        x_col, y_col = _first(columns, x_names), _first(columns, y_names)
        if x_col and y_col:
            return x_col, y_col
    return "", ""


def _time_column(columns: list[str], options: dict, name: str) -> str:
    column = (options["time_col"] or "").casefold()
    if not column:
        raise fail(_("--from och --to kräver --time-col"))
    if column not in columns:
        raise fail(_("%(name)s saknar kolumnen %(col)s") % {"name": name, "col": column})
    return column


def _parse_rows(
    rows: list[list[str]],
    columns: list[str],
    wanted: tuple[str, str, str | None],
    period: tuple | None,
    name: str,
) -> tuple[list[float], list[float], Counter]:
    """x, y lists of the rows kept, and a count of skipped rows by reason."""
    x_i, y_i = columns.index(wanted[0]), columns.index(wanted[1])
    t_i = columns.index(wanted[2]) if wanted[2] else len(columns)
    xs: list[float] = []
    ys: list[float] = []
    skipped: Counter = Counter()
    for number, cells in enumerate(rows, start=2):  # the spreadsheet's row numbers
        if not "".join(cells).strip():
            skipped[_("tom rad")] += 1
            continue
        raw_x, raw_y = _cell(cells, x_i), _cell(cells, y_i)
        if not (raw_x and raw_y):
            skipped[_("saknar koordinater")] += 1
            continue
        if period and (
            reason := _outside_period(_cell(cells, t_i), period, name, number, str(wanted[2]))
        ):
            skipped[reason] += 1
            continue
        xs.append(_number(raw_x, name, number, wanted[0]))
        ys.append(_number(raw_y, name, number, wanted[1]))
    return xs, ys, skipped


def _cell(cells: list[str], index: int) -> str:
    return cells[index].strip() if index < len(cells) else ""


def _number(text: str, name: str, row: int, column: str) -> float:
    try:
        return parse_number(text, column)
    except ValueError as exc:
        raise fail(
            _("%(name)s, rad %(row)s: %(e)s") % {"name": name, "row": row, "e": exc}
        ) from None


def _outside_period(text: str, period: tuple, name: str, row: int, column: str) -> str | None:
    if not text.strip():
        return _("saknar tid")
    try:
        day = parse_occurred_at(text).astimezone(STOCKHOLM).date()
    except ValueError as exc:
        raise fail(
            _("%(name)s, rad %(row)s, kolumn %(col)s: %(e)s")
            % {"name": name, "row": row, "col": column, "e": exc}
        ) from None
    first, last = period
    inside = (first is None or day >= first) and (last is None or day <= last)
    return None if inside else _("utanför perioden")


def _to_metres(points: Points) -> Points:
    """Projected metres kept as they are; lat/lon to SWEREF 99 TM, skipping those outside Sweden."""
    if points.crs.is_projected:
        return points
    lon, lat = transformer(points.crs.to_string(), "EPSG:4326").transform(points.x, points.y)
    inside = in_sweden_box(lon, lat)
    if (~inside).any():
        points.skipped[_("utanför Sverige (lat och lon förväxlade?)")] += int((~inside).sum())
    x, y = to_sweref(np.asarray(lon)[inside], np.asarray(lat)[inside])
    return Points(np.asarray(x), np.asarray(y), SWEREF99TM, points.rows, points.skipped)


def _crs(text: str) -> CRS:
    try:
        crs = CRS.from_user_input(f"EPSG:{text}" if text.strip().isdigit() else text)
    except CRSError:
        raise fail(_("okänt koordinatsystem %(crs)s (ange t.ex. 3006)") % {"crs": text}) from None
    unit = crs.axis_info[0].unit_name if crs.axis_info else ""
    if crs.is_projected and unit != "metre":
        raise fail(
            _("%(crs)s mäter i %(unit)s; ange ett system i meter eller i grader")
            % {"crs": crs.name, "unit": unit}
        )
    return crs


def _first(columns: list[str], names: tuple[str, ...]) -> str:
    return next((name for name in names if name in columns), "")


def _listed(columns: list[str]) -> str:
    return ", ".join(column for column in columns if column) or _("inga")


def _period(options: dict) -> tuple[dt.date | None, dt.date | None] | None:
    days = []
    for option, text in (("--from", options["date_from"]), ("--to", options["date_to"])):
        try:
            days.append(dt.date.fromisoformat(text) if text else None)
        except ValueError:
            raise fail(
                _("%(opt)s: ”%(v)s” är inget datum (ÅÅÅÅ-MM-DD)") % {"opt": option, "v": text}
            ) from None
    if days[0] and days[1] and days[0] > days[1]:
        raise fail(_("--from är senare än --to"))
    return (days[0], days[1]) if any(days) else None


def _check_numbers(options: dict) -> None:
    for option, value in (("--cell", options["cell"]), ("--bandwidth", options["bandwidth"])):
        if not (math.isfinite(value) and value > 0):
            raise fail(_("%(opt)s måste vara ett positivt antal meter") % {"opt": option})
    if options["permutations"] < 1:
        raise fail(_("--permutations måste vara minst 1"))
    if not 0 < options["alpha"] < 1:
        raise fail(_("--alpha måste ligga mellan 0 och 1"))


# --- analysing --------------------------------------------------------------------------------


def analyse(points: Points, options: dict) -> Cells:
    """The grid over the points and each written cell's properties, by method."""
    if len(points.x) == 0:
        raise fail(_("inga punkter kvar att analysera (%(why)s)") % {"why": _reasons(points)})
    margin = options["bandwidth"] if options["method"] == "kde" else 0.0
    grid = _grid(points, options["cell"], margin)
    counts = count_points(grid, points.x, points.y)
    if options["method"] == "count":
        written = np.flatnonzero(counts)
        properties = [{"count": int(counts[i]), "score": int(counts[i])} for i in written]
        return Cells(grid, written, properties, _("Antal händelser per ruta"))
    if options["method"] == "kde":
        return _kde(grid, counts, points, options["bandwidth"])
    return _gi(grid, counts, options)


def _grid(points: Points, cell: float, margin: float) -> Grid:
    xmin, xmax = points.x.min() - margin, points.x.max() + margin
    ymin, ymax = points.y.min() - margin, points.y.max() + margin
    n_cells = (math.floor((xmax - xmin) / cell) + 2) * (math.floor((ymax - ymin) / cell) + 2)
    if n_cells > MAX_CELLS:
        raise fail(
            _("rutnätet skulle få omkring %(n)s rutor (högst %(max)s): välj större --cell")
            % {"n": f"{n_cells:,}", "max": f"{MAX_CELLS:,}"}
        )
    return grid_over_bounds(xmin, ymin, xmax, ymax, cell)


def _kde(grid: Grid, counts: np.ndarray, points: Points, bandwidth: float) -> Cells:
    cx, cy = cell_centres(grid)
    density = quartic_density(points.x, points.y, cx, cy, bandwidth=bandwidth, per_km2=True)
    written = np.flatnonzero(density > 0)
    properties = [{"count": int(counts[i]), "score": round(float(density[i]), 4)} for i in written]
    return Cells(grid, written, properties, _("Kärntäthet, bandbredd %(h)g m") % {"h": bandwidth})


def _gi(grid: Grid, counts: np.ndarray, options: dict) -> Cells:
    seed = options["seed"] if options["seed"] is not None else secrets.randbelow(2**32)
    # The same rule as the situation page's layer: FDR over every cell of the grid (0013).
    found = hot_cells(
        counts,
        queen_weights(grid, include_self=True),
        permutations=options["permutations"],
        alpha=options["alpha"],
        seed=seed,
    )
    result = found.gi
    # Cells with nothing in or around them all share one z and are never hot: leaving them out
    # keeps the file small. A significant one (a cold spot amid dense events) is kept.
    written = np.flatnonzero((result.local_sum > 0) | (result.classification != NONE))
    properties = [
        {
            "count": int(counts[i]),
            "score": _finite(result.z[i]),
            "z": _finite(result.z[i]),
            "p": round(float(result.p_sim[i]), 6),
            "q": round(float(result.q[i]), 6),
            "class": str(result.classification[i]),
        }
        for i in written
    ]
    note = _(
        "Gi* med %(p)s permutationer (frö %(seed)s), FDR %(a)g: %(hot)s heta, %(cold)s kalla rutor"
    ) % {
        "p": options["permutations"],
        "seed": seed,
        "a": options["alpha"],
        "hot": int(found.hot.sum()),
        "cold": int((result.classification == COLD).sum()),
    }
    if not result.significant.any() and options["permutations"] + 1 < grid.size / options["alpha"]:
        note += _(
            " (med %(n)s rutor kan fler permutationer eller större rutor behövas för att FDR "
            "ska kunna hitta något)"
        ) % {"n": grid.size}
    return Cells(grid, written, properties, note)


def _finite(value: float) -> float | None:
    return round(float(value), 4) if math.isfinite(value) else None  # JSON has no nan


# --- writing ----------------------------------------------------------------------------------


def feature_collection(cells: Cells, crs: CRS) -> dict:
    """One WGS84 polygon per written cell, rings counter-clockwise (RFC 7946)."""
    grid = cells.grid
    x0, y0 = (corner[cells.written] for corner in cell_corners(grid))
    ring_x = np.stack([x0, x0 + grid.cell, x0 + grid.cell, x0, x0], axis=1)
    ring_y = np.stack([y0, y0, y0 + grid.cell, y0 + grid.cell, y0], axis=1)
    lon, lat = transformer(crs.to_string(), "EPSG:4326").transform(ring_x, ring_y)
    lon, lat = np.round(lon, 7), np.round(lat, 7)
    features = [
        {
            "type": "Feature",
            "geometry": {
                "type": "Polygon",
                "coordinates": [np.column_stack([lon[k], lat[k]]).tolist()],
            },
            "properties": properties,
        }
        for k, properties in enumerate(cells.properties)
    ]
    return {"type": "FeatureCollection", "features": features}


def write_atomically(path: Path, document: dict) -> None:
    """Write to a temporary file beside `path`, then rename: a failure leaves no half file."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        # dumps, not dump: dump streams through the pure-Python encoder, five times slower.
        text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
        with open(temporary, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def summary(name: str, points: Points, cells: Cells, out: Path) -> str:
    used = len(points.x)
    lines = [
        _("%(name)s: %(rows)s rader, %(used)s punkter används, %(skipped)s hoppades över%(why)s.")
        % {
            "name": name,
            "rows": points.rows,
            "used": used,
            "skipped": sum(points.skipped.values()),
            "why": f" ({_reasons(points)})" if points.skipped else "",
        },
        _("Rutnät: %(n)s rutor à %(cell)g m. %(note)s.")
        % {"n": cells.grid.size, "cell": cells.grid.cell, "note": cells.note},
        _("Skrev %(n)s rutor till %(out)s.") % {"n": len(cells.written), "out": out},
    ]
    return "\n".join(lines)


def _reasons(points: Points) -> str:
    reasons = [f"{reason}: {n}" for reason, n in points.skipped.most_common()]
    return ", ".join(reasons) or _("filen har inga rader")
