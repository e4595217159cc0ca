"""Partners' events as a GeoJSON FeatureCollection of points (properties as the CSV columns).

Coordinates are WGS84 [lon, lat] unless the collection's `crs` member names another system:
Swedish municipal data often comes in SWEREF 99 TM (EPSG:3006) or a local SWEREF 99 zone
(EPSG:3007-3018), which are reprojected. UTF-8 with or without a byte-order mark.

Row numbers are the feature's position in `features`, counted from 1.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from django.utils.translation import gettext as _
from pyproj import CRS
from pyproj.exceptions import CRSError

from trygg.events.importers import streams
from trygg.events.importers.common import (
    ImportFileError,
    RowLookups,
    candidate_from_fields,
)
from trygg.events.importers.records import Candidate, Records, RecordStream, RowError
from trygg.places.geo import to_wgs84

WGS84_NAMES = {"EPSG:4326", "OGC:CRS84", "OGC:1.3:CRS84", "CRS84"}
_EPSG = re.compile(r"EPSG:+(?:[\d.]*:)?(\d+)$", re.IGNORECASE)


@dataclass
class FeatureCollection:
    """The collection checked as a whole (its type, its `features` a list, its coordinate
    system); the features read on demand: `open_features()` reads them anew from the file."""

    open_features: Callable[[], Iterator[object]]
    crs: str | None  # None: WGS84; else "EPSG:3006" and the like

    @property
    def features(self) -> list:
        """Every feature at once: for small files and tests."""
        return list(self.open_features())


def read(path: str | Path) -> FeatureCollection:
    """Read through the whole file once, keeping nothing of the features, to check it and find
    its `crs` (which may come after them); the features are read again when imported."""
    name = Path(path).name
    found: dict[str, object] = {}
    text = streams.json_text(path)
    try:
        if text.expect_value() == "{":
            for key in text.object_members():
                if key == "features" and text.peek() == "[":
                    for _feature in text.array_items():
                        pass
                    found[key] = []
                else:
                    found[key] = text.value()
            text.end()
        else:
            found["type"] = None
    finally:
        text.close()
    if found.get("type") != "FeatureCollection":
        raise ImportFileError(_("%(name)s är ingen GeoJSON FeatureCollection") % {"name": name})
    if not isinstance(found.get("features"), list):
        raise ImportFileError(_("%(name)s saknar en lista ”features”") % {"name": name})
    crs = _crs(found.get("crs"), name)

    def open_features() -> Iterator[object]:
        text = streams.json_text(path)
        try:
            text.expect_value()
            for key in text.object_members():
                if key == "features" and text.peek() == "[":
                    yield from text.array_items()
                else:
                    text.value()
        finally:
            text.close()

    return FeatureCollection(open_features=open_features, crs=crs)


def _crs(member: object, name: str) -> str | None:
    """The named coordinate system of the old GeoJSON `crs` member, None for WGS84."""
    if member is None:
        return None
    crs_name = member.get("properties", {}).get("name") if isinstance(member, dict) else None
    if not isinstance(crs_name, str):
        raise ImportFileError(_("%(name)s har en ”crs” utan namn") % {"name": name})
    text = crs_name.strip()
    for prefix in ("urn:ogc:def:crs:", "http://www.opengis.net/def/crs/"):
        if text.lower().startswith(prefix):
            text = text[len(prefix) :].replace("/", ":")
    match = _EPSG.match(text)
    code = f"EPSG:{match.group(1)}" if match else text.upper()
    if code in WGS84_NAMES:
        return None
    try:
        crs = CRS.from_user_input(code)
    except CRSError:
        raise ImportFileError(
            _("%(name)s: okänt koordinatsystem ”%(crs)s”") % {"name": name, "crs": crs_name}
        ) from None
    if not crs.is_projected and not crs.is_geographic:
        raise ImportFileError(
            _("%(name)s: koordinatsystemet ”%(crs)s” kan inte användas")
            % {"name": name, "crs": crs_name}
        )
    return code


def parse(
    collection: FeatureCollection,
    *,
    organisation,
    visibility: str | None = None,
    lookups: RowLookups | None = None,
) -> RecordStream:
    """Each feature as a Candidate or a RowError, read a batch at a time."""
    known = lookups or RowLookups.load(organisation, visibility)

    def batch(start: int, features: list) -> Records:
        points: list[tuple[float, float] | RowError] = [
            _point(row, feature) for row, feature in enumerate(features, start=start + 1)
        ]
        # A batch's points projected at once (one pyproj call) before its features are parsed.
        positions = _to_lat_lon(points, collection.crs)

        def parse_part(a: int, b: int) -> Iterator[Candidate | RowError]:
            for i in range(a, b):
                yield _parse_feature(start + i + 1, features[i], positions[i], known)

        return Records(len(features), parse_part)

    return RecordStream(collection.open_features, batch)


def _parse_feature(row: int, feature, position, lookups: RowLookups) -> Candidate | RowError:
    if isinstance(position, RowError):
        return position
    properties = feature.get("properties")
    if properties is None:
        properties = {}
    if not isinstance(properties, dict):
        return RowError(row, "properties", _("”properties” är inget objekt"))
    return candidate_from_fields(row, properties, lookups, position=position)


def _point(row: int, feature: object) -> tuple[float, float] | RowError:
    """(x, y) in the file's system, or why the feature has no usable point."""
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        return RowError(row, "feature", _("objektet är ingen GeoJSON Feature"))
    geometry = feature.get("geometry")
    if not isinstance(geometry, dict):
        return RowError(row, "geometry", _("geometri saknas"))
    if geometry.get("type") != "Point":
        return RowError(
            row,
            "geometry",
            _("geometrin är %(type)s, bara punkter (Point) kan importeras")
            % {"type": geometry.get("type")},
        )
    coordinates = geometry.get("coordinates")
    if (
        not isinstance(coordinates, list)
        or len(coordinates) not in (2, 3)
        or not all(isinstance(c, int | float) and not isinstance(c, bool) for c in coordinates)
        or not all(math.isfinite(c) for c in coordinates)
    ):
        return RowError(row, "geometry", _("punkten saknar giltiga koordinater"))
    return float(coordinates[0]), float(coordinates[1])


def _to_lat_lon(points: list, crs: str | None) -> list:
    """Each (x, y) in `crs` as WGS84 (lat, lon), all at once; errors pass through."""
    index = [i for i, p in enumerate(points) if not isinstance(p, RowError)]
    if not index:
        return points
    xy = np.array([points[i] for i in index], dtype=float)
    lon, lat = (xy[:, 0], xy[:, 1]) if crs is None else to_wgs84(xy[:, 0], xy[:, 1], crs)
    result = list(points)
    for i, la, lo in zip(index, np.asarray(lat).tolist(), np.asarray(lon).tolist(), strict=True):
        result[i] = (la, lo)
    return result
