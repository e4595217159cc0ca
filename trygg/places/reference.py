"""National reference data shipped with Trygg: the 290 municipalities and 21 counties.

Source: okfse/sweden-geojson (simplified boundaries, "feel free to reuse"), see
trygg/places/data/SOURCES.md. Loaded by a data migration so every database has them.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


def read_geojson(path: Path) -> dict:
    # Open data from Swedish municipalities often comes as UTF-8 with a byte-order mark.
    with open(path, encoding="utf-8-sig") as handle:
        return json.load(handle)


def municipality_features() -> list[dict]:
    return read_geojson(DATA / "sweden_municipalities.geojson")["features"]


@lru_cache(maxsize=1)
def county_names() -> dict[str, str]:
    """County code ('17') -> name ('Värmland')."""
    features = read_geojson(DATA / "sweden_counties.geojson")["features"]
    return {f"{f['properties']['l_id']:02d}": f["properties"]["name"] for f in features}


def normalise_place_name(name: str) -> str:
    """'Upplands väsby' and 'Upplands Väsby' are the same municipality in the police feed."""
    return " ".join(name.replace("-", " - ").split()).casefold()


def county_code_for_name(name: str) -> str | None:
    """'Värmlands län' / 'Stockholms län' / 'Skåne län' -> county code, or None."""
    key = normalise_place_name(name)
    if not key.endswith(" län"):
        return None
    key = key[: -len(" län")]
    by_name = {normalise_place_name(n): code for code, n in county_names().items()}
    return by_name.get(key) or (by_name.get(key[:-1]) if key.endswith("s") else None)


# County names whose genitive takes no -s: "Uppsala län", "Skåne län" (but "Dalarnas län").
_GENITIVE_WITHOUT_S = frozenset({"Uppsala", "Kalmar", "Örebro", "Blekinge", "Skåne"})


def county_level_code(county_code: str) -> str:
    """The code of a county's own row in the municipality table: '0017' for Värmland ('17').
    No kommunkod starts with 00 (a kommunkod begins with its county's code, 01–25)."""
    return f"00{county_code}"


def county_level_name(county_code: str) -> str:
    """'Värmlands län (länsnivå)': the name of a county's own row."""
    name = county_names()[county_code]
    genitive = name if name in _GENITIVE_WITHOUT_S else f"{name}s"
    return f"{genitive} län (länsnivå)"


def load_county_rows(Municipality) -> int:
    """Create or update each county's own row (`Municipality.county_level`): the key of the
    police's county-level events. Idempotent; the model is passed in (works in migrations too),
    and its base manager sees the county rows that `Municipality.objects` leaves out."""
    for county_code in sorted(county_names()):
        Municipality._base_manager.update_or_create(
            code=county_level_code(county_code),
            defaults={
                "name": county_level_name(county_code),
                "county_code": county_code,
                "geometry": None,
                "county_level": True,
            },
        )
    return len(county_names())


def load_municipalities(Municipality) -> int:
    """Create or update the municipalities (the model is passed in: works in migrations too)."""
    count = 0
    for feature in municipality_features():
        props = feature["properties"]
        Municipality.objects.update_or_create(
            code=props["id"],
            defaults={
                "name": props["kom_namn"],
                "county_code": props["lan_code"],
                "geometry": feature["geometry"],
            },
        )
        count += 1
    return count
