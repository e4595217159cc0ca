"""`trygg hotspots`: any point CSV in, GeoJSON cells in WGS84 out, Swedish errors with status 2."""

from __future__ import annotations

import datetime as dt
import io
import json

import numpy as np
import pytest
import shapely
from django.core.management import CommandError, call_command
from django.db import connections
from django.utils import timezone
from shapely.geometry import shape

from trygg import cli
from trygg.core import periods
from trygg.events.models import Event
from trygg.places.geo import to_sweref, to_wgs84
from trygg.places.models import Area
from trygg.situation import hotspot_layer
from trygg.situation.scope import Scope

KARLSTAD = (59.3793, 13.5036)  # lat, lon: Stora torget


def corner_by_the_square():
    """The south-west corner of the 100 m cell (grids snap to whole 100 m) holding the square."""
    x, y = to_sweref(KARLSTAD[1], KARLSTAD[0])
    return float(np.floor(x / 100) * 100), float(np.floor(y / 100) * 100)


def write_csv(path, header, rows, delimiter=",", encoding="utf-8"):
    lines = [delimiter.join(header)] + [delimiter.join(str(v) for v in row) for row in rows]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def town_points(seed=1, clustered=40, scattered=60, spread=40):
    """lat, lon: a cluster around the square's cell and points spread over about 2 km."""
    rng = np.random.default_rng(seed)
    x0, y0 = corner_by_the_square()
    near, far = (50 - spread, 50 + spread), (-1000, 1000)
    x = np.concatenate([x0 + rng.uniform(*near, clustered), x0 + rng.uniform(*far, scattered)])
    y = np.concatenate([y0 + rng.uniform(*near, clustered), y0 + rng.uniform(*far, scattered)])
    lon, lat = to_wgs84(x, y)
    return lat, lon


def run(*args):
    out = io.StringIO()
    call_command("hotspots", *[str(a) for a in args], stdout=out, stderr=io.StringIO())
    return out.getvalue()


def refused(*args) -> str:
    with pytest.raises(CommandError) as failure:
        run(*args)
    assert failure.value.returncode == 2
    return str(failure.value)


def features(path):
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["type"] == "FeatureCollection"
    return document["features"]


def test_a_lat_lon_csv_becomes_gi_star_cells_in_wgs84_with_z_p_q_and_class(tmp_path):
    # The cluster spans the square's cell and its eight neighbours: conditional permutation
    # keeps a cell's own count, so it is the neighbours' that make a cell hot.
    lat, lon = town_points(spread=150)
    source = write_csv(
        tmp_path / "h.csv", ["id", "lat", "lon"], zip(range(100), lat, lon, strict=True)
    )
    out = tmp_path / "cells.geojson"
    summary = run(source, "--cell", 100, "--seed", 1, "--out", out)
    cells = features(out)
    assert {"count", "score", "z", "p", "q", "class"} == set(cells[0]["properties"])
    # Every cell holding a point is written (a cell with a point has a local sum above 0).
    assert sum(c["properties"]["count"] for c in cells) == 100
    hot = [c for c in cells if c["properties"]["class"] == "hot"]
    x0, y0 = corner_by_the_square()
    cluster = shapely.Point(*to_wgs84(x0 + 50, y0 + 50))
    assert any(shape(c["geometry"]).contains(cluster) for c in hot)
    ring = cells[0]["geometry"]["coordinates"][0]
    assert ring[0] == ring[-1] and shapely.LinearRing(ring).is_ccw  # RFC 7946
    assert all(13.4 < lon < 13.6 and 59.3 < lat < 59.5 for lon, lat in ring)
    assert "100 punkter används, 0 hoppades över" in summary
    assert f"{len(hot)} heta" in summary


def test_a_projected_csv_with_semicolons_decimal_commas_and_windows_1252_is_counted(tmp_path):
    x0, y0 = corner_by_the_square()
    rows = [
        ("Älvgatan", f"{x0 + 12.5:.1f}".replace(".", ","), f"{y0 + 40.25:.2f}".replace(".", ",")),
        ("Älvgatan", f"{x0 + 30:.1f}".replace(".", ","), f"{y0 + 10:.1f}".replace(".", ",")),
        ("Torget", f"{x0 + 450:.1f}".replace(".", ","), f"{y0 - 300:.1f}".replace(".", ",")),
    ]
    source = write_csv(tmp_path / "p.csv", ["Plats", "X", "Y"], rows, ";", "cp1252")
    out = tmp_path / "cells.geojson"
    run(source, "--crs", "3006", "--method", "count", "--out", out)
    cells = features(out)
    assert sorted(c["properties"]["count"] for c in cells) == [1, 2]
    assert all(c["properties"]["score"] == c["properties"]["count"] for c in cells)
    pair = next(c for c in cells if c["properties"]["count"] == 2)
    lon, lat = to_wgs84(x0 + 12.5, y0 + 40.25)
    assert shape(pair["geometry"]).contains(shapely.Point(lon, lat))


def test_a_utf8_bom_file_with_swedish_latitud_longitud_gets_kernel_density_per_km2(tmp_path):
    lat, lon = town_points(clustered=30, scattered=10)
    rows = [(f"{a:.6f}", f"{b:.6f}") for a, b in zip(lat, lon, strict=True)]
    source = write_csv(tmp_path / "k.csv", ["Latitud", "Longitud"], rows, ";", "utf-8-sig")
    out = tmp_path / "kde.geojson"
    summary = run(source, "--method", "kde", "--bandwidth", 200, "--out", out)
    cells = features(out)
    densest = max(cells, key=lambda c: c["properties"]["score"])
    # 30 events within 50 m: close to 30 · 3 / (π · 0.04 km²), about 700 per km².
    assert 400 < densest["properties"]["score"] < 720
    cluster = shapely.Point(*to_wgs84(*(v + 50 for v in corner_by_the_square())))
    assert shape(densest["geometry"]).distance(cluster) < 0.002
    assert "Kärntäthet, bandbredd 200 m" in summary


def test_a_file_without_coordinate_columns_is_refused_in_swedish_and_nothing_is_written(
    tmp_path,
):
    source = write_csv(tmp_path / "fel.csv", ["latitude", "lon_x"], [("59.4", "13.5")])
    out = tmp_path / "cells.geojson"
    message = refused(source, "--out", out)
    assert "fel.csv saknar kolumnen" in message and "latitude, lon_x" in message
    assert not out.exists()


def test_a_named_column_that_does_not_exist_is_named(tmp_path):
    source = write_csv(tmp_path / "a.csv", ["lat", "lon"], [("59.4", "13.5")])
    message = refused(source, "--x-col", "ost", "--y-col", "lat", "--out", tmp_path / "o.json")
    assert message == "a.csv saknar kolumnen ost (rubrikraden har: lat, lon)"


def test_x_and_y_columns_without_a_crs_are_refused(tmp_path):
    source = write_csv(tmp_path / "xy.csv", ["x", "y"], [("413600", "6582300")])
    assert "ange --crs" in refused(source, "--out", tmp_path / "o.json")


def test_a_coordinate_that_is_not_a_number_names_the_file_the_row_and_the_column(tmp_path):
    rows = [("59.38", "13.50"), ("norr om torget", "13.51")]
    source = write_csv(tmp_path / "b.csv", ["lat", "lon"], rows)
    out = tmp_path / "o.json"
    message = refused(source, "--out", out)
    assert message.startswith("b.csv, rad 3:") and "(lat)" in message
    assert not out.exists()


def test_the_time_filter_keeps_the_period_and_reports_the_rows_it_skipped(tmp_path):
    rows = [
        ("59.3793", "13.5036", "2025-03-01 21:30"),
        ("59.3794", "13.5037", "2025-03-31T23:30:00+02:00"),  # the last day, Swedish time
        ("59.3795", "13.5038", "2025-04-01 00:10"),
        ("59.3796", "13.5039", "2025-02-28"),
        ("59.3797", "13.5040", ""),
        ("", "", "2025-03-02"),
    ]
    source = write_csv(tmp_path / "t.csv", ["lat", "lon", "tid"], rows)
    out = tmp_path / "cells.geojson"
    summary = run(
        source,
        "--method",
        "count",
        "--time-col",
        "tid",
        "--from",
        "2025-03-01",
        "--to",
        "2025-03-31",
        "--out",
        out,
    )
    assert sum(c["properties"]["count"] for c in features(out)) == 2
    assert "6 rader, 2 punkter används, 4 hoppades över" in summary
    assert "utanför perioden: 2" in summary
    assert "saknar tid: 1" in summary and "saknar koordinater: 1" in summary


def test_a_time_that_cannot_be_read_names_the_row_and_the_column(tmp_path):
    rows = [("59.38", "13.50", "2025-03-01"), ("59.38", "13.50", "01/03/2025")]
    source = write_csv(tmp_path / "t.csv", ["lat", "lon", "datum"], rows)
    message = refused(
        source, "--time-col", "datum", "--from", "2025-01-01", "--out", tmp_path / "o"
    )
    assert message.startswith("t.csv, rad 3, kolumn datum:")


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (["--from", "2025-01-01"], "--from och --to kräver --time-col"),
        (["--from", "1 mars"], "--from: ”1 mars” är inget datum"),
        (["--from", "2025-02-01", "--to", "2025-01-01"], "--from är senare än --to"),
        (["--cell", "0"], "--cell måste vara ett positivt antal meter"),
        (["--permutations", "0"], "--permutations måste vara minst 1"),
        (["--crs", "999999"], "okänt koordinatsystem 999999"),
        (["--crs", "3435"], "mäter i US survey foot"),
    ],
)
def test_bad_options_are_refused_with_a_reason(tmp_path, options, expected):
    source = write_csv(tmp_path / "a.csv", ["lat", "lon", "tid"], [("59.38", "13.50", "")])
    assert expected in refused(source, *options, "--out", tmp_path / "o.json")


def test_points_outside_sweden_are_skipped_and_none_left_is_an_error(tmp_path):
    # Latitude and longitude swapped: the points land in the Indian Ocean.
    source = write_csv(tmp_path / "s.csv", ["lat", "lon"], [("13.50", "59.38"), ("13.51", "59.38")])
    message = refused(source, "--out", tmp_path / "o.json")
    assert "inga punkter kvar att analysera" in message and "utanför Sverige" in message


def test_a_missing_file_or_output_folder_is_refused(tmp_path):
    assert "saknas.csv finns inte" in refused(tmp_path / "saknas.csv", "--out", tmp_path / "o")
    source = write_csv(tmp_path / "a.csv", ["lat", "lon"], [("59.38", "13.50")])
    assert "finns inte" in refused(source, "--out", tmp_path / "ingen" / "o.geojson")


def test_the_same_seed_writes_the_same_file(tmp_path):
    lat, lon = town_points(seed=4)
    source = write_csv(tmp_path / "h.csv", ["lat", "lon"], zip(lat, lon, strict=True))
    run(source, "--seed", 9, "--out", tmp_path / "a.geojson")
    run(source, "--seed", 9, "--out", tmp_path / "b.geojson")
    assert (tmp_path / "a.geojson").read_bytes() == (tmp_path / "b.geojson").read_bytes()


def test_the_trygg_console_command_runs_hotspots_and_exits_with_status_2(
    tmp_path, db, capsys, monkeypatch
):
    # The command closes all connections when it ends; the test's own must stay open.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    with pytest.raises(SystemExit) as exit_:
        cli.main(["trygg", "hotspots", str(tmp_path / "saknas.csv"), "--out", str(tmp_path / "o")])
    assert exit_.value.code == 2
    assert "saknas.csv finns inte" in capsys.readouterr().err


# --- the command and the situation page decide alike ----------------------------------------


def test_the_command_and_the_page_find_the_same_hot_cells_on_the_same_events(
    tmp_path, coordinator, karlstad, kommunen, make_event
):
    # A 2 km square area whose 100 m grid is the grid the command lays over the same points
    # (two points in its corner cells give the file that extent); the page and the command
    # then test the same 400 cells with the same seed and permutations.
    x0, y0 = corner_by_the_square()
    west, south, east, north = x0 - 1000, y0 - 1000, x0 + 1000, y0 + 1000
    # Half a metre inside, so that rounding in the projection cannot add a row of cells.
    corners_x = np.array([west, east, east, west]) + [0.5, -0.5, -0.5, 0.5]
    corners_y = np.array([south, south, north, north]) + [0.5, 0.5, -0.5, -0.5]
    lon, lat = to_wgs84(corners_x, corners_y)
    ring = [[float(a), float(b)] for a, b in zip(lon, lat, strict=True)]
    area = Area.objects.create(
        municipality=karlstad,
        name="Rutan",
        code="test-rutan",
        geometry={"type": "Polygon", "coordinates": [[*ring, ring[0]]]},
        valid_from=dt.date(2000, 1, 1),
    )
    rng = np.random.default_rng(5)
    # A cluster over the 3 x 3 cells around the square's cell, and points spread over the rest.
    xs = np.concatenate([x0 + rng.uniform(-90, 190, 60), rng.uniform(west + 1, east - 1, 60)])
    ys = np.concatenate([y0 + rng.uniform(-90, 190, 60), rng.uniform(south + 1, north - 1, 60)])
    xs, ys = np.append(xs, [west + 1, east - 1]), np.append(ys, [south + 1, north - 1])
    window = periods.custom(dt.date(2026, 10, 1), dt.date(2026, 10, 28))
    for i, (lon_i, lat_i) in enumerate(zip(*to_wgs84(xs, ys), strict=True)):
        occurred = timezone.make_aware(dt.datetime(2026, 10, 1 + i % 28, 12))
        make_event(kommunen, lat=lat_i, lon=lon_i, area=area, occurred_from=occurred)

    page = hotspot_layer.compute(Scope(user=coordinator, municipality=karlstad, area=area), window)
    stored = Event.objects.filter(area=area).values_list("x", "y")
    source = write_csv(tmp_path / "rutan.csv", ["x", "y"], stored)
    out = tmp_path / "rutan.geojson"
    same = ("--seed", hotspot_layer.SEED, "--permutations", hotspot_layer.PERMUTATIONS)
    run(source, "--crs", 3006, "--cell", hotspot_layer.AREA_CELL_M, *same, "--out", out)

    from_page = {(round(c["x"]), round(c["y"])) for c in page["cells"]}
    from_command = set()
    for feature in features(out):
        if feature["properties"]["class"] == "hot":
            centre = shape(feature["geometry"]).centroid
            x, y = to_sweref(centre.x, centre.y)
            from_command.add((int(np.floor(x / 100) * 100), int(np.floor(y / 100) * 100)))
    assert page["events"] == len(xs)
    assert from_page and from_page == from_command
    assert (x0, y0) in from_page
