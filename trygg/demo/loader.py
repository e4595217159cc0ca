"""Writing the demo municipality Karlstad into the database, step by step and idempotently.

Everything it reads ships in trygg/demo/data (see SOURCES.md there), so a machine with only the
repository can load it. Each step can be run again: rows are matched by a stable key (a code,
a username, an external id) and updated, and events are deduplicated by their external id.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import shapely
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone
from shapely.geometry import shape

from trygg.demo import generator, world
from trygg.events.importers.base import Candidate, ImportContext, ImportReport, run_import
from trygg.events.models import Category
from trygg.organisations.models import Membership, Organisation
from trygg.places.geo import geometry_to_wgs84, to_sweref, to_wgs84
from trygg.places.index import forget_cached_boundaries, locate
from trygg.places.models import Area, Municipality, Place

DATA = Path(__file__).resolve().parent / "data"
DISTRICTS_FILE = DATA / "karlstad_districts.geojson"
PLAYGROUNDS_FILE = DATA / "karlstad_playgrounds.geojson"
REGSO_FILE = DATA / "karlstad_regso.geojson"
POLICE_FILE = DATA / "polisen_varmland.json.gz"
DISTRICTS_VALID_FROM = dt.date(2020, 1, 1)
# SCB's RegSO areas of 2025 (the file's `referensdatum`); the surveys of 2022 and 2024 use them
# as their sub-areas, as a municipality reporting old surveys on today's areas would.
REGSO_VALID_FROM = dt.date(2025, 1, 1)
VARMLAND = "17"
# Six decimals of a degree are about 10 cm: more is noise in the stored GeoJSON.
COORDINATE_DECIMALS = 6


@dataclass
class Counts:
    """What a step did: rows created and updated (or events created and already present)."""

    created: int = 0
    updated: int = 0
    notes: list[str] = field(default_factory=list)

    def add(self, created: bool) -> None:
        if created:
            self.created += 1
        else:
            self.updated += 1


def upsert(queryset, key: str, rows: dict[str, dict]) -> Counts:
    """update_or_create for many rows at once: `rows` maps each row's `key` value to its
    fields. New rows are created and stored rows whose fields differ are updated, in bulk
    (a few queries instead of two per row)."""
    model = queryset.model
    existing = {getattr(obj, key): obj for obj in queryset.filter(**{f"{key}__in": list(rows)})}
    new, changed, names = [], [], set()
    for value, fields in rows.items():
        obj = existing.get(value)
        if obj is None:
            new.append(model(**{key: value}, **fields))
            continue
        differs = [name for name, v in fields.items() if getattr(obj, name) != v]
        for name in differs:
            setattr(obj, name, fields[name])
        if differs:
            changed.append(obj)
            names.update(differs)
    model.objects.bulk_create(new)
    if changed:
        model.objects.bulk_update(changed, sorted(names))
    return Counts(created=len(new), updated=len(changed))


def read_geojson(path: Path) -> dict:
    # Karlstad's open data comes as UTF-8 with a byte-order mark.
    with open(path, encoding="utf-8-sig") as handle:
        return json.load(handle)


def karlstad() -> Municipality:
    return Municipality.objects.get(code=world.KARLSTAD)


# --- areas -------------------------------------------------------------------------------


def crs_of(collection: dict) -> str:
    """'urn:ogc:def:crs:EPSG::3006' (the `crs` member) -> 'EPSG:3006'; WGS84 when absent."""
    name = ((collection.get("crs") or {}).get("properties") or {}).get("name", "")
    code = name.rsplit(":", 1)[-1] if "EPSG" in name.upper() else "4326"
    return f"EPSG:{code}"


def _rounded(geometry: dict) -> dict:
    geom = shapely.set_precision(shape(geometry), 10**-COORDINATE_DECIMALS)
    return json.loads(shapely.to_geojson(geom))


def load_districts(municipality: Municipality) -> Counts:
    """The 66 stadsdelar as current district areas, reprojected from SWEREF 99 TM to WGS84."""
    collection = read_geojson(DISTRICTS_FILE)
    crs = crs_of(collection)
    rows = {}
    for feature in collection["features"]:
        props = feature["properties"]
        geometry = feature["geometry"]
        if crs != "EPSG:4326":
            geometry = geometry_to_wgs84(geometry, crs)
        rows[props["guid"]] = {
            "municipality_id": municipality.pk,
            "kind": Area.Kind.DISTRICT,
            "name": world.district_name(props["namn"]),
            "geometry": _rounded(geometry),
            "valid_from": DISTRICTS_VALID_FROM,
        }
    current = Area.objects.current().filter(municipality=municipality, kind=Area.Kind.DISTRICT)
    counts = upsert(current, "code", rows)
    forget_cached_boundaries()
    return counts


def load_regso(municipality: Municipality) -> Counts:
    """Statistics Sweden's 31 RegSO areas as current sub-areas (code = regsokod): the survey's
    sub-areas (delområden). They overlap the districts rather than nest in them, so they have
    no parent; the area index keeps assigning events to the districts, which are loaded first
    (the lowest id wins where areas overlap), and only positions outside every district (the
    villages) fall in a RegSO area. Skipped with a note when the file is not there."""
    if not REGSO_FILE.exists():
        return Counts(notes=[f"{REGSO_FILE.name} saknas: inga delområden (RegSO)"])
    collection = read_geojson(REGSO_FILE)
    crs = crs_of(collection)
    rows = {}
    for feature in collection["features"]:
        props = feature["properties"]
        if props.get("kommunkod", municipality.code) != municipality.code:
            continue
        geometry = feature["geometry"]
        if crs != "EPSG:4326":
            geometry = geometry_to_wgs84(geometry, crs)
        rows[props["regsokod"]] = {
            "municipality_id": municipality.pk,
            "kind": Area.Kind.SUB_AREA,
            "name": " ".join(props["regsonamn"].split()),
            "geometry": _rounded(geometry),
            "valid_from": REGSO_VALID_FROM,
        }
    current = Area.objects.current().filter(municipality=municipality, kind=Area.Kind.SUB_AREA)
    counts = upsert(current, "code", rows)
    forget_cached_boundaries()
    return counts


def district_ids(municipality: Municipality) -> set[int]:
    return set(
        Area.objects.current()
        .filter(municipality=municipality, kind=Area.Kind.DISTRICT)
        .values_list("pk", flat=True)
    )


# --- organisations and people --------------------------------------------------------------


def load_organisations() -> dict[str, Organisation]:
    municipalities = {m.code: m for m in Municipality.objects.filter(code__in=["1780", "1883"])}
    result = {}
    for spec in world.ORGANISATIONS:
        organisation, _ = Organisation.objects.update_or_create(
            code=spec.code,
            defaults={
                "name": spec.name,
                "kind": spec.kind,
                "municipality": municipalities[spec.municipality],
            },
        )
        result[spec.code] = organisation
    return result


def load_personas(organisations: dict[str, Organisation]) -> Counts:
    """One user per persona. The demo password is set when the user is created, not after."""
    counts = Counts()
    User = get_user_model()
    # One hash for all: the password is the same, public one, and each hash costs ~0.4 s.
    hashed = None
    for persona in world.PERSONAS:
        superuser = persona.organisation is None
        user, created = User.objects.get_or_create(
            username=persona.username,
            defaults={"is_staff": superuser, "is_superuser": superuser},
        )
        if created:
            hashed = hashed or make_password(world.DEMO_PASSWORD)
            user.password = hashed
            user.save(update_fields=["password"])
        counts.add(created)
        if persona.organisation is not None:
            Membership.objects.update_or_create(
                user=user,
                organisation=organisations[persona.organisation],
                defaults={"role": persona.role},
            )
    return counts


# --- places ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlaceRow:
    external_id: str
    name: str
    kind: str
    lat: float
    lon: float
    manager: str | None


def place_rows() -> list[PlaceRow]:
    """The named places, then the playgrounds (6-decimal properties: the geometry is rounded)."""
    rows = [
        PlaceRow(p.external_id, p.name, p.kind, p.lat, p.lon, p.manager) for p in world.NAMED_PLACES
    ]
    for feature in read_geojson(PLAYGROUNDS_FILE)["features"]:
        props = feature["properties"]
        rows.append(
            PlaceRow(
                f"lekplats:{props['guid']}",
                " ".join(props["name"].split()),
                Place.Kind.PLAYGROUND,
                float(props["latitude"]),
                float(props["longitude"]),
                world.TEKNIK,
            )
        )
    return rows


def load_places(municipality: Municipality, organisations: dict[str, Organisation]) -> Counts:
    """Named places and playgrounds, each with the district it lies in (None outside them)."""
    rows = place_rows()
    located = locate([r.lon for r in rows], [r.lat for r in rows])
    # A place's area is its district; the villages' RegSO areas are the survey's, not a district.
    districts = district_ids(municipality)
    outside, fields = [], {}
    for i, row in enumerate(rows):
        if int(located.municipality_id[i]) != municipality.pk:
            outside.append(row.name)
            continue
        area = int(located.area_id[i]) if int(located.area_id[i]) in districts else -1
        manager = organisations.get(row.manager) if row.manager else None
        fields[row.external_id] = {
            "municipality_id": municipality.pk,
            "name": row.name,
            "kind": row.kind,
            "lat": row.lat,
            "lon": row.lon,
            "x": float(located.x[i]),
            "y": float(located.y[i]),
            "area_id": area if area >= 0 else None,
            "manager_id": manager.pk if manager else None,
        }
    counts = upsert(Place.objects.filter(municipality=municipality), "external_id", fields)
    if outside:
        counts.notes.append(f"utanför Karlstads kommungräns, inte inlästa: {', '.join(outside)}")
    return counts


# --- police events -----------------------------------------------------------------------


def load_police(organisation: Organisation, now: dt.datetime | None = None) -> ImportReport | None:
    """The Värmland extract of the police feed, through the police importer (None if missing)."""
    try:
        from trygg.events.importers import polisen
    except ImportError:
        return None
    ctx = ImportContext(
        source="police",
        importer="polisen",
        file_name=POLICE_FILE.name,
        organisation=organisation,
        skip_invalid=True,  # one odd record must not keep the demo from starting
        now=now or timezone.now(),
    )
    return run_import(polisen.parse(polisen.read(POLICE_FILE), county_code=VARMLAND), ctx)


# --- generated partner reports -------------------------------------------------------------


@dataclass(frozen=True)
class SiteInfo:
    """A generator site with where its events fall back to and the place they belong to."""

    site: generator.Site
    lat: float
    lon: float
    place_id: int | None


def sites(municipality: Municipality) -> list[SiteInfo]:
    """Generator sites in a fixed order: named places, playgrounds, then districts.

    Only places inside a district take part, so every generated event gets an area.
    """
    profiles = {p.external_id: p for p in world.NAMED_PLACES}
    places = Place.objects.filter(municipality=municipality, area__kind=Area.Kind.DISTRICT)
    by_id = {p.external_id: p for p in places.select_related("manager")}
    result = []
    for spec in world.NAMED_PLACES:
        place = by_id.get(spec.external_id)
        if place is not None:
            result.append(_place_site(place, spec.profile, spec.weight, spec.jitter_m))
    for external_id in sorted(k for k in by_id if k not in profiles):
        if external_id.startswith("lekplats:"):
            result.append(_place_site(by_id[external_id], "playground", 1.0, 20.0))
    result.extend(_district_sites(municipality))
    return result


def _place_site(place: Place, profile: str, weight: float, jitter_m: float) -> SiteInfo:
    site = generator.Site(
        key=place.external_id,
        profile=profile,
        kind=place.kind,
        x=place.x,
        y=place.y,
        manager=place.manager.code if place.manager else None,
        weight=weight,
        jitter_m=jitter_m,
    )
    return SiteInfo(site, place.lat, place.lon, place.pk)


def _district_sites(municipality: Municipality) -> list[SiteInfo]:
    result = []
    districts = Area.objects.current().filter(municipality=municipality, kind=Area.Kind.DISTRICT)
    for area in districts.order_by("code"):
        point = shape(area.geometry).representative_point()
        x, y = to_sweref(point.x, point.y)
        projected_area = shapely.area(
            shapely.transform(shape(area.geometry), lambda xy: np.column_stack(to_sweref(*xy.T)))
        )
        site = generator.Site(
            key=f"district:{area.code}",
            profile="district",
            kind="district",
            x=float(x),
            y=float(y),
            manager=world.TEKNIK,
            weight=world.BUSY_DISTRICTS.get(area.name.upper(), 1.0),
            # Spread over the district: a quarter of its width, at most 300 m.
            jitter_m=float(min(300.0, np.sqrt(projected_area) / 4)),
        )
        result.append(SiteInfo(site, point.y, point.x, None))
    return result


def generated_candidates(
    infos: list[SiteInfo], events: list[generator.GeneratedEvent], municipality: Municipality
) -> dict[str, list[Candidate]]:
    """Candidates per reporting organisation code. A position jittered out of the districts
    (into the river, over the municipal boundary) falls back to its site's own position."""
    if not events:
        return {}
    lon, lat = to_wgs84(np.array([e.x for e in events]), np.array([e.y for e in events]))
    located = locate(lon, lat)
    districts = np.fromiter(district_ids(municipality), dtype=np.int64)
    inside = (located.municipality_id == municipality.pk) & np.isin(located.area_id, districts)
    by_key = {info.site.key: info for info in infos}
    categories = dict(Category.objects.values_list("code", "pk"))
    grouped: dict[str, list[Candidate]] = defaultdict(list)
    for i, event in enumerate(events):
        info = by_key[event.site]
        position = (float(lat[i]), float(lon[i])) if inside[i] else (info.lat, info.lon)
        grouped[event.organisation].append(
            Candidate(
                row=i + 1,
                external_id=event.external_id,
                category_id=categories[event.category],
                occurred_from=event.occurred_from,
                lat=position[0],
                lon=position[1],
                description=event.description,
                visibility=event.visibility,
                place_id=info.place_id,
                municipality_id=municipality.pk,
            )
        )
    return grouped


def load_generated(
    municipality: Municipality,
    organisations: dict[str, Organisation],
    *,
    seed: int,
    start: dt.date,
    end: dt.date,
    now: dt.datetime,
) -> Counts:
    """Generate the partner reports and import them, one import run per reporting organisation."""
    infos = sites(municipality)
    events = generator.generate([i.site for i in infos], start, end, seed, now=now)
    counts = Counts()
    for code, candidates in sorted(generated_candidates(infos, events, municipality).items()):
        ctx = ImportContext(
            source=generator.SOURCE,
            importer="demo",
            file_name=f"demo seed {seed}, {start}–{end - dt.timedelta(days=1)}",
            organisation=organisations[code],
            now=now,
        )
        report = run_import(candidates, ctx)
        counts.created += report.created
        counts.updated += report.already_present
        if report.created:
            counts.notes.append(f"{organisations[code].name}: {report.created} nya")
    return counts
