"""Partners' events as GeoJSON points, in WGS84 or SWEREF 99 TM, through `trygg import geojson`."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from trygg.conftest import KARLSTAD_CENTRE
from trygg.events.importers import geojson
from trygg.events.importers.base import RowError
from trygg.events.importers.common import ImportFileError
from trygg.events.models import Event, ImportRun
from trygg.events.tests.factories import refused_import, run_import
from trygg.places.geo import to_sweref

LAT, LON = KARLSTAD_CENTRE
SWEREF_CRS = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3006"}}


def feature(coordinates=(LON, LAT), geometry_type="Point", **properties) -> dict:
    values = {
        "external_id": "f1",
        "occurred_at": "2026-03-01 21:30",
        "category": "Klotter",
        "description": "Klotter på busskuren",
    }
    values.update(properties)
    return {
        "type": "Feature",
        "geometry": {"type": geometry_type, "coordinates": list(coordinates)},
        "properties": values,
    }


def write(tmp_path, *features, crs=None, bom=False, name="fynd.geojson"):
    document = {"type": "FeatureCollection", "features": list(features)}
    if crs is not None:
        document["crs"] = crs
    path = tmp_path / name
    path.write_bytes(
        json.dumps(document, ensure_ascii=False).encode("utf-8-sig" if bom else "utf-8")
    )
    return path


def import_geojson(path, *options, organisation="karlstad-kommunledning"):
    return run_import("geojson", path, "--organisation", organisation, *options)[0]


def refused(path) -> str:
    reason, err = refused_import("geojson", path, "--organisation", "karlstad-kommunledning")
    assert not Event.objects.exists() and not ImportRun.objects.exists()
    return err + reason


def test_wgs84_points_are_imported_with_their_properties(tmp_path, kommunen, centrum):
    out = import_geojson(write(tmp_path, feature(), feature(external_id=7, visibility="offentlig")))
    events = {e.external_id: e for e in Event.objects.all()}
    first = events["f1"]
    assert (first.lat, first.lon) == (LAT, LON)
    assert first.area == centrum
    assert first.category.code == "skadegorelse.klotter"
    assert first.occurred_from == dt.datetime(2026, 3, 1, 20, 30, tzinfo=dt.UTC)
    assert first.description == "Klotter på busskuren"
    assert events["7"].visibility == "public"  # a numeric id is text
    assert "2 poster lästa: 2 nya" in out


def test_sweref_99_tm_points_named_in_the_crs_member_are_reprojected(tmp_path, kommunen, centrum):
    x, y = to_sweref(LON, LAT)
    import_geojson(write(tmp_path, feature(coordinates=(x, y)), crs=SWEREF_CRS))
    event = Event.objects.get()
    assert event.lat == pytest.approx(LAT, abs=1e-7)
    assert event.lon == pytest.approx(LON, abs=1e-7)
    assert (event.x, event.y) == (pytest.approx(x, abs=0.01), pytest.approx(y, abs=0.01))
    assert event.area == centrum


@pytest.mark.parametrize(
    "name",
    ["EPSG:3006", "urn:ogc:def:crs:EPSG:6.6:3006", "http://www.opengis.net/def/crs/EPSG/0/3006"],
)
def test_the_crs_may_be_named_in_any_of_its_usual_spellings(name):
    assert geojson._crs({"type": "name", "properties": {"name": name}}, "f") == "EPSG:3006"


def test_wgs84_named_in_the_crs_member_needs_no_reprojection():
    crs84 = {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}
    assert geojson._crs(crs84, "f") is None


def test_a_file_with_a_byte_order_mark_is_read(tmp_path, kommunen):
    import_geojson(write(tmp_path, feature(description="Ödsligt och mörkt vid ån"), bom=True))
    assert Event.objects.get().description == "Ödsligt och mörkt vid ån"


def test_a_feature_that_is_not_a_point_is_a_row_error(tmp_path, kommunen):
    square = [[[LON, LAT], [LON + 0.01, LAT], [LON + 0.01, LAT + 0.01], [LON, LAT]]]
    message = refused(
        write(tmp_path, feature(), feature(coordinates=square, geometry_type="Polygon"))
    )
    assert "rad 2, geometry: geometrin är Polygon, bara punkter (Point) kan importeras" in message


def test_points_outside_sweden_and_unknown_categories_are_row_errors(tmp_path, kommunen):
    message = refused(
        write(tmp_path, feature(coordinates=(10.75, 59.91)), feature(external_id="b", category="x"))
    )
    assert "rad 1, lat/lon: positionen ligger utanför Sverige" in message
    assert "rad 2, category: okänd kategori ”x”" in message


def test_a_file_that_is_not_a_feature_collection_is_refused(tmp_path, kommunen):
    path = tmp_path / "punkt.geojson"
    path.write_text(json.dumps(feature()), encoding="utf-8")
    assert "ingen GeoJSON FeatureCollection" in refused(path)


def test_an_unknown_coordinate_system_is_refused(tmp_path, kommunen):
    crs = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::999999"}}
    assert "okänt koordinatsystem" in refused(write(tmp_path, feature(), crs=crs))


def test_bad_features_give_one_error_each_and_never_crash(kommunen):
    collection = geojson.FeatureCollection(
        open_features=lambda: iter(bad),
        crs=None,
    )
    bad = [
        None,
        {"type": "Feature"},
        feature(coordinates=("a", 1)),
        feature(coordinates=(1, 2, 3, 4)),
        {**feature(), "properties": [1]},
    ]
    results = list(geojson.parse(collection, organisation=kommunen))
    assert all(isinstance(r, RowError) for r in results)
    assert [(r.row, r.field) for r in results] == [
        (1, "feature"),
        (2, "geometry"),
        (3, "geometry"),
        (4, "geometry"),
        (5, "properties"),
    ]


def test_a_file_that_is_not_json_is_refused(tmp_path):
    path = tmp_path / "fynd.geojson"
    path.write_text("external_id;occurred_at\n", encoding="utf-8")
    with pytest.raises(ImportFileError, match="fynd.geojson är inte giltig JSON"):
        geojson.read(path)
