"""Cut the Värmland events out of the shared police feed archive, for the demo municipality.

Run once by hand when the shared archive changes; the demo loader only reads the output, so a
machine with just the repository can load the demo:

    .venv/bin/python -m trygg.demo.extract_police \
        [../shared/data/polisen_events_2022-2026.json.gz] [trygg/demo/data/polisen_varmland.json.gz]

An event belongs to Värmland (county 17) when its municipality is one of the county's 16:
taken from ``location.name`` (up to event 622113, January 2026, usually a municipality) or
from the last part of ``name`` ("22 augusti 17.59, Brand, Karlstad"; after that event
``location.name`` is always a county). Events the police only placed in "Värmlands län"
are kept too: they are part of the county's feed (mostly night summaries, which the importer
skips). Records are copied unchanged, in the archive's order; the output is gzip with a fixed
timestamp so that running the script twice gives the same bytes.

Pure Python on purpose (no Django): it only needs the municipality list shipped in
trygg/places/data.
"""

from __future__ import annotations

import gzip
import json
import sys
from collections import Counter
from pathlib import Path

from trygg.places.reference import county_code_for_name, municipality_features, normalise_place_name

COUNTY = "17"  # Värmland
REPO = Path(__file__).resolve().parents[2]
DEFAULT_SOURCE = REPO.parent / "shared" / "data" / "polisen_events_2022-2026.json.gz"
DEFAULT_TARGET = Path(__file__).resolve().parent / "data" / "polisen_varmland.json.gz"


def county_municipalities(county: str = COUNTY) -> dict[str, str]:
    """Normalised municipality name -> kommunkod, for the municipalities of one county."""
    return {
        normalise_place_name(f["properties"]["kom_namn"]): f["properties"]["id"]
        for f in municipality_features()
        if f["properties"]["lan_code"] == county
    }


def municipality_of(record: dict, municipalities: dict[str, str]) -> str | None:
    """The record's kommunkod in the county, 'county' if only the county is named, or None."""
    location = (record.get("location") or {}).get("name") or ""
    tail = (record.get("name") or "").rsplit(",", 1)[-1]
    for candidate in (location, tail):
        code = municipalities.get(normalise_place_name(candidate))
        if code is not None:
            return code
    return "county" if county_code_for_name(location) == COUNTY else None


def extract(records: list[dict], county: str = COUNTY) -> tuple[list[dict], Counter]:
    """The records of one county and how many came from each municipality."""
    municipalities = county_municipalities(county)
    kept: list[dict] = []
    by_municipality: Counter[str] = Counter()
    for record in records:
        code = municipality_of(record, municipalities)
        if code is not None:
            kept.append(record)
            by_municipality[code] += 1
    return kept, by_municipality


def write(records: list[dict], target: Path) -> None:
    payload = json.dumps(records, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    with open(target, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as handle:
        handle.write(payload)


def main(argv: list[str]) -> int:
    source = Path(argv[0]) if argv else DEFAULT_SOURCE
    target = Path(argv[1]) if len(argv) > 1 else DEFAULT_TARGET
    with gzip.open(source, "rt", encoding="utf-8-sig") as handle:
        records = json.load(handle)
    kept, by_municipality = extract(records)
    write(kept, target)
    print(f"{len(kept)} of {len(records)} events written to {target}")
    for code, count in by_municipality.most_common():
        print(f"  {code}: {count}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
