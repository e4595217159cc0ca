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
