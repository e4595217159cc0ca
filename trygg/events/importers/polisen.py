"""The police's public events feed (the shape of polisen.se /api/events), with its quirks.

Each record: id, datetime ("2026-08-22 9:48:12 +02:00": hour not always zero-padded, offset
+01:00 or +02:00), name ("22 augusti 17.59, Brand, Kävlinge"), summary, url (relative), type,
location {name, gps "lat,lon"}. See shared/data/SOURCES.md beside the repository.

Decisions (also in docs/import-format.md):

* When: the time in `name` ("22 augusti 17.59", Swedish time) is when it happened; `datetime`
  is when the police published it (median 40 minutes later, 6.7 hours at the 95th percentile),
  so a night's incidents would otherwise drift into the morning. The year comes from
  `datetime`. Without a time in `name`, or one after publication, `datetime` is used.
* Where: the municipality is the last part of `name` when that is a municipality (the only
  place it is given after 2026-01-20), else `location.name` when that is one. Positions are
  centroids, not scenes: a municipality's gives precision 5 km, a county's 50 km, and neither
  gets a district. When `location` is a county but `name` names the municipality, the event
  is placed at a point inside that municipality instead of the county's centroid.
* County-level records ("Värmlands län" and no municipality in `name`) are imported onto the
  county's own row (`Municipality.county_level`, code "00" + county code; decision 0037), not
  onto a municipality (`Candidate.county_level`): the county centroid lies in some
  municipality, but the event did not necessarily happen there. A county with a single
  municipality (Gotland) gives that municipality.
* Summaries of a night or a day are skipped: they list many incidents at once.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from trygg.core.periods import MONTHS_SV
from trygg.events.category_seed import (
    POLICE_SUMMARY_TYPES,
    SUMMARY_CATEGORY,
    police_category_code,
)
from trygg.events.importers import streams
from trygg.events.importers.common import STOCKHOLM, ImportFileError
from trygg.events.importers.records import Candidate, Records, RecordStream, RowError, Skip
from trygg.events.models import Category, PoliceEventType, Visibility
from trygg.places.models import Municipality
from trygg.places.reference import county_code_for_name, normalise_place_name

MUNICIPALITY_PRECISION_M = 5000
COUNTY_PRECISION_M = 50000
POLICE_WEBSITE = "https://polisen.se"
SOURCE_URL_MAX = 300  # Event.source_url
EXTERNAL_TYPE_MAX = 120  # Event.external_type

SUMMARY_REASON = "sammanfattning av natt/dag, inte en enskild händelse"

_FEED_DATETIME = re.compile(
    r"\s*(\d{4}-\d{2}-\d{2})[ T](\d{1,2})(:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*(Z|[+-]\d{2}:?\d{2})?\s*$"
)
_NAME_TIME = re.compile(r"\s*(\d{1,2}) (\w+) (\d{1,2})[.:](\d{2})\b")
_MONTHS = {name: number for number, name in enumerate(MONTHS_SV, start=1)}
_HALF_YEAR = dt.timedelta(days=183)
_SWEDISH_OFFSETS = (dt.timedelta(hours=1), dt.timedelta(hours=2))


def outside_county_reason(county_code: str) -> str:
    return f"utanför valt län ({county_code})"


class PoliceFeed:
    """The feed in a `.json` or `.json.gz` file, read a record at a time: iterating opens the
    file anew and yields each element of its top-level list."""

    def __init__(self, path: str | Path):
        self.path = Path(path)

    def __iter__(self) -> Iterator[object]:
        text = streams.json_text(self.path)
        try:
            if text.expect_value() != "[":
                raise ImportFileError(
                    _("%(name)s är ingen lista med händelser (som polisens /api/events)")
                    % {"name": self.path.name}
                )
            yield from text.array_items()
            text.end()
        finally:
            text.close()


def read(path: str | Path) -> PoliceFeed:
    """The feed from `.json` or `.json.gz`; what makes the whole file unreadable (missing,
    not JSON, not a list) is found here, before any record is read."""
    feed = PoliceFeed(path)
    next(iter(feed), None)  # opens the file and reads up to its first record
    return feed


def parse_feed_datetime(value: object) -> dt.datetime:
    """'2026-08-22 9:48:12 +02:00' (unpadded hour, either offset) -> an aware datetime."""
    if isinstance(value, str):
        # The feed's own shape, the fast way: 85,000 records per import.
        parts = value.split(" ")
        if len(parts) == 3 and len(parts[1]) in (7, 8):
            try:
                return dt.datetime.fromisoformat(f"{parts[0]}T{parts[1]:0>8}{parts[2]}")
            except ValueError:
                pass
    match = _FEED_DATETIME.match(value) if isinstance(value, str) else None
    if match is None:
        raise ValueError(value)
    date, hour, rest, offset = match.groups()
    moment = dt.datetime.fromisoformat(f"{date}T{int(hour):02d}{rest}{offset or ''}")
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=STOCKHOLM)


def incident_time(name: str, published: dt.datetime) -> dt.datetime:
    """The time in the record's name ('22 augusti 17.59', Swedish time), else `published`; UTC."""
    match = _NAME_TIME.match(name)
    month = _MONTHS.get(match.group(2).lower()) if match else None
    if match is None or month is None:
        return published.astimezone(dt.UTC)
    # Local wall clocks compare without time zones; the feed's offsets already are Swedish time.
    if published.utcoffset() in _SWEDISH_OFFSETS:
        published_local = published.replace(tzinfo=None)
    else:
        published_local = published.astimezone(STOCKHOLM).replace(tzinfo=None)
    year = published_local.year
    try:
        moment = dt.datetime(
            year, month, int(match.group(1)), int(match.group(3)), int(match.group(4))
        )
        # "31 december 23.50" published on 1 January belongs to the year before.
        if moment - published_local > _HALF_YEAR:
            moment = moment.replace(year=year - 1)
        elif published_local - moment > _HALF_YEAR:
            moment = moment.replace(year=year + 1)
    except ValueError:  # "30 februari", "24.00": trust the publication time
        return published.astimezone(dt.UTC)
    # Nothing is published before it happens: a later time in the name is a typo.
    if moment > published_local:
        return published.astimezone(dt.UTC)
    return moment.replace(tzinfo=STOCKHOLM).astimezone(dt.UTC)


@dataclass(frozen=True)
class Where:
    municipality_id: int  # a county-level record's: its county's row (or Gotland's)
    county_code: str
    precision_m: int
    use_gps: bool  # False: the gps is a county's centroid, use a point in the municipality
    county_level: bool = False


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


class PoliceLookups:
    """Types, categories, municipalities and counties, loaded once per import."""

    def __init__(self) -> None:
        self.category_ids = dict(Category.objects.values_list("code", "pk"))
        self._types: dict[str, tuple[int, bool]] = {}
        self._by_type: dict[str, tuple[int, bool, str]] = {}
        for name, category_id, is_summary in PoliceEventType.objects.values_list(
            "name", "category_id", "is_summary"
        ):
            hit = (category_id, is_summary or name in POLICE_SUMMARY_TYPES)
            self._types[name] = hit
            self._types.setdefault(_key(name), hit)
        self.municipalities: dict[str, tuple[int, str]] = {}
        per_county: dict[str, list[int]] = {}
        for pk, name, county in Municipality.objects.values_list("pk", "name", "county_code"):
            self.municipalities[normalise_place_name(name)] = (pk, county)
            per_county.setdefault(county, []).append(pk)
        # Gotland: a county that is one municipality.
        self._single = {county: ids[0] for county, ids in per_county.items() if len(ids) == 1}
        # Every other county's county-level records go on its own row.
        self._county_rows = dict(
            Municipality.with_counties.filter(county_level=True).values_list("county_code", "pk")
        )
        self._where: dict[tuple[str, str], Where | None] = {}
        self._points: dict[int, tuple[float, float]] | None = None

    def category(self, police_type: str) -> tuple[int, bool, str]:
        """(category id, is a summary, type as stored) for a feed type; new types fall back to
        the seed rules."""
        hit = self._by_type.get(police_type)
        if hit is None:
            found = self._types.get(police_type) or self._types.get(_key(police_type))
            if found is None:
                code = police_category_code(police_type)
                found = (self.category_ids[code], code == SUMMARY_CATEGORY)
            hit = (*found, " ".join(police_type.split())[:EXTERNAL_TYPE_MAX])
            self._by_type[police_type] = hit
        return hit

    def where(self, name: str, location_name: str) -> Where | None:
        last = name.rsplit(",", 1)[1] if "," in name else ""
        key = (last, location_name)
        if key not in self._where:
            self._where[key] = self._resolve(last, location_name)
        return self._where[key]

    def _resolve(self, last: str, location_name: str) -> Where | None:
        at_location = self.municipalities.get(normalise_place_name(location_name))
        found = self.municipalities.get(normalise_place_name(last)) or at_location
        if found is not None:
            pk, county = found
            use_gps = at_location is not None and at_location[0] == pk
            return Where(pk, county, MUNICIPALITY_PRECISION_M, use_gps)
        county_code = county_code_for_name(location_name) or county_code_for_name(last)
        if county_code is None:
            return None
        key = self._single.get(county_code) or self._county_rows.get(county_code)
        if key is None:
            return None
        return Where(key, county_code, COUNTY_PRECISION_M, True, True)

    def point_in(self, municipality_id: int) -> tuple[float, float]:
        """(lat, lon) of a point inside the municipality, for records placed at a county."""
        if self._points is None:
            self.load_points()
        assert self._points is not None  # noqa: S101 -- load_points() has just set it
        return self._points[municipality_id]

    def load_points(self) -> None:
        from shapely.geometry import shape

        self._points = {}
        for pk, geometry in Municipality.objects.filter(geometry__isnull=False).values_list(
            "pk", "geometry"
        ):
            point = shape(geometry).representative_point()
            self._points[pk] = (point.y, point.x)


def parse(
    records: Iterable[object],
    *,
    county_code: str | None = None,
    lookups: PoliceLookups | None = None,
) -> RecordStream:
    """Each record as a Candidate, a RowError (row = 1-based position in the list) or a Skip,
    read from `records` (a `PoliceFeed`, or a list) a batch at a time."""
    known = lookups or PoliceLookups()
    feed = records if isinstance(records, PoliceFeed | list) else list(records)

    def batch(start: int, items: list) -> Records:
        def parse_part(a: int, b: int) -> Iterator[Candidate | RowError | Skip]:
            for row, record in enumerate(items[a:b], start=start + a + 1):
                yield _parse_record(row, record, known, county_code)

        # Points inside municipalities are loaded on first use, from the database: before a split.
        return Records(len(items), parse_part, known.load_points)

    return RecordStream(lambda: iter(feed), batch)


def _parse_record(row, record, lookups: PoliceLookups, county_code) -> Candidate | RowError | Skip:
    if not isinstance(record, dict):
        return RowError(row, "post", _("posten är inget JSON-objekt"))
    police_type = record.get("type")
    if not isinstance(police_type, str) or not police_type.strip():
        return RowError(row, "type", _("händelsetyp saknas"))
    category_id, is_summary, external_type = lookups.category(police_type)
    if is_summary:
        return Skip(row, SUMMARY_REASON)
    external_id = record.get("id")
    external_id = "" if external_id is None or isinstance(external_id, bool) else str(external_id)
    external_id = external_id.strip()
    if not external_id:
        return RowError(row, "id", _("id saknas"))
    location = record.get("location")
    if not isinstance(location, dict):
        return RowError(row, "location", _("location saknas"))
    raw_name, raw_location_name = record.get("name"), location.get("name")
    name = raw_name if isinstance(raw_name, str) else ""
    location_name = raw_location_name if isinstance(raw_location_name, str) else ""
    where = lookups.where(name, location_name)
    if where is None:
        return RowError(
            row,
            "location.name",
            _("”%(name)s” är ingen kommun eller inget län") % {"name": location_name},
        )
    if county_code is not None and where.county_code != county_code:
        return Skip(row, outside_county_reason(county_code))
    try:
        lat, lon = _gps(location.get("gps"))
    except ValueError:
        return RowError(row, "location.gps", _("saknar giltig position (”lat,lon”)"))
    try:
        published = parse_feed_datetime(record.get("datetime"))
    except ValueError:
        return RowError(
            row, "datetime", _("”%(value)s” är ingen tidpunkt") % {"value": record.get("datetime")}
        )
    if not where.use_gps:  # a municipality named, the gps a county's centroid
        lat, lon = lookups.point_in(where.municipality_id)
    return Candidate(
        row=row,
        external_id=external_id,
        category_id=category_id,
        occurred_from=incident_time(name, published),
        lat=lat,
        lon=lon,
        description=_summary(record.get("summary")),
        visibility=Visibility.PUBLIC,
        precision_m=where.precision_m,
        municipality_id=where.municipality_id,
        county_level=where.county_level,
        external_type=external_type,
        source_url=_source_url(record.get("url")),
    )


def _summary(value: object) -> str:
    if not isinstance(value, str):
        return ""
    return value.replace("\x00", "") if "\x00" in value else value  # PostgreSQL refuses NUL


def _gps(value: object) -> tuple[float, float]:
    if not isinstance(value, str) or value.count(",") != 1:
        raise ValueError(value)
    lat_text, lon_text = value.split(",")
    lat, lon = float(lat_text), float(lon_text)
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValueError(value)
    return lat, lon


def _source_url(url: object) -> str:
    if not isinstance(url, str) or not url.strip():
        return ""
    url = url.strip()
    full = (
        url if url.startswith(("http://", "https://")) else POLICE_WEBSITE + "/" + url.lstrip("/")
    )
    return full if len(full) <= SOURCE_URL_MAX else ""
