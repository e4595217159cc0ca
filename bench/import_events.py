"""Import benchmark: 1,000,000 events in the police feed format and as CSV, on SQLite and
PostgreSQL, through the bulk pipeline, beside a straightforward one-save()-per-row baseline
measured on a sample in the same run.

    .venv/bin/python bench/import_events.py                      # 1M events, both databases
    .venv/bin/python bench/import_events.py --events 100000 --databases sqlite

Budget (DESIGN §8): ≥ 20,000 events/s including scrubbing, projection and area assignment.
Each database run happens in a child process with a fresh database: SQLite in a temporary
folder, PostgreSQL as the database `trygg_bench` (dropped and created) on the server that
DATABASE_URL or 127.0.0.1:5432 points at.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import gzip
import json
import sys
import tempfile
import time
from itertools import islice
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import (  # noqa: E402
    OUT,
    fresh_postgres,
    karlstad_organisation,
    print_result,
    run_child,
    setup_django,
)
from scripts.run_tests import postgres_url  # noqa: E402  (the same server the tests use)
from trygg.core.periods import MONTHS_SV  # noqa: E402  (pure: needs no settings)

SEED = 2026

# Police feed: Värmland's municipalities at their centroids, a spread of the feed's types.
POLICE_PLACES = {
    "Karlstad": (59.402, 13.511),
    "Kristinehamn": (59.310, 14.108),
    "Arvika": (59.655, 12.591),
    "Säffle": (59.133, 12.930),
    "Hammarö": (59.330, 13.520),
    "Kil": (59.503, 13.320),
}
POLICE_TYPES = [
    "Skadegörelse",
    "Brand",
    "Misshandel",
    "Stöld",
    "Trafikolycka",
    "Bråk",
    "Narkotikabrott",
    "Inbrott",
    "Rån",
    "Ofredande/förargelse",
]
# Codes and Swedish names, as partners write them.
CSV_CATEGORIES = [
    "skadegorelse.klotter",
    "skadegorelse.glaskross",
    "Brand / anlagd brand",
    "ordning.brak",
    "otrygg_plats.belysning",
    "Nedskräpning",
    "samling.trapphus",
]
# Some descriptions carry what the scrubber must remove, so its cost is measured too.
DESCRIPTIONS = [
    "Klotter på fasaden mot parkeringen, ca 2 m².",
    "Krossad ruta i trapphus B, glas på marken.",
    "Boende ringde från 070-123 45 67 om bråk vid entrén kl. 22.30.",
    "Anmälare 19850412-1230 såg ungdomar elda i papperskorg.",
    "Mopeder kör på gångvägen mellan skolan och centrum, varje kväll.",
    "Belysningen trasig längs gång- och cykelvägen, mörkt efter 17.",
    "Bil ABC 123 brann på parkeringen, räddningstjänsten på plats.",
    "Nedskräpning vid återvinningsstationen, mejla info@example.se.",
]


def timestamps(rng, n: int) -> list[dt.datetime]:
    start = dt.datetime(2021, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    seconds = np.sort(rng.integers(0, 5 * 365 * 86400, n))
    return [start + dt.timedelta(seconds=int(s)) for s in seconds]


BLOCK = 200_000  # records generated at a time


def write_police_feed(path: Path, n: int) -> None:
    """n records in the police feed's shape, written a block at a time (10M records would not
    fit in memory as a list), each record's text made directly (json.dumps and datetime per
    record would take most of an hour for 10M)."""
    rng = np.random.default_rng(SEED)
    names = list(POLICE_PLACES)
    gps = {town: f"{lat},{lon}" for town, (lat, lon) in POLICE_PLACES.items()}
    summaries = [json.dumps(text, ensure_ascii=False) for text in DESCRIPTIONS]
    # Local time (+01:00) from the start of 2021, sorted, as in the feed.
    seconds = np.sort(rng.integers(0, 5 * 365 * 86400, n))
    start = np.datetime64("2021-01-01T00:00:00")
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=3) as handle:
        handle.write("[")
        for block in range(0, n, BLOCK):
            size = min(BLOCK, n - block)
            place = rng.integers(0, len(names), size).tolist()
            kind = rng.integers(0, len(POLICE_TYPES), size).tolist()
            text = rng.integers(0, len(DESCRIPTIONS), size).tolist()
            stamps = np.datetime_as_string(
                start + seconds[block : block + size].astype("timedelta64[s]"), unit="s"
            ).tolist()
            parts = []
            for j, stamp in enumerate(stamps):
                i = block + j
                town, police_type = names[place[j]], POLICE_TYPES[kind[j]]
                hour, minute = stamp[11:13], stamp[14:16]
                month = MONTHS_SV[int(stamp[5:7]) - 1]
                parts.append(
                    # The feed's quirk: the hour in `datetime` is not zero-padded.
                    f'{{"id": {10_000_000 + i}, '
                    f'"datetime": "{stamp[:10]} {int(hour)}:{minute}:{stamp[17:19]} +01:00", '
                    f'"name": "{int(stamp[8:10])} {month} {hour}.{minute}, {police_type}, {town}", '
                    f'"summary": {summaries[text[j]]}, '
                    f'"url": "/aktuellt/handelser/bench/{i}/", "type": "{police_type}", '
                    f'"location": {{"name": "{town}", "gps": "{gps[town]}"}}}}'
                )
            handle.write((", " if block else "") + ", ".join(parts))
        handle.write("]")


def write_csv(path: Path, n: int) -> None:
    """Partner reports at random points in and around Karlstad's urban districts."""
    rng = np.random.default_rng(SEED + 1)
    lat = rng.uniform(59.34, 59.43, n)
    lon = rng.uniform(13.40, 13.62, n)
    category = rng.integers(0, len(CSV_CATEGORIES), n)
    text = rng.integers(0, len(DESCRIPTIONS), n)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["external_id", "occurred_at", "category", "lat", "lon", "description"])
        for i, when in enumerate(timestamps(rng, n)):
            writer.writerow(
                [
                    f"bench-{i}",
                    when.isoformat(timespec="minutes"),
                    CSV_CATEGORIES[category[i]],
                    f"{lat[i]:.6f}",
                    f"{lon[i]:.6f}",
                    DESCRIPTIONS[text[i]],
                ]
            )


# --- the child: one database ---------------------------------------------------------------


def child(args) -> None:
    setup_django(args.database_url)
    organisation = _world()
    results = {
        "police_bulk": _bulk_police(Path(args.police), organisation),
        "csv_bulk": _bulk_csv(Path(args.csv), organisation),
        "baseline": _baseline(Path(args.csv), organisation, args.sample),
    }
    print_result(results)


def _world():
    return karlstad_organisation("bench-kbab", "Bänk AB", "municipal_company")


def _timed_import(parse, organisation, source: str, importer: str, name: str) -> dict:
    from trygg.events.importers.base import ImportContext, run_import

    started = time.perf_counter()
    ctx = ImportContext(source=source, importer=importer, file_name=name, organisation=organisation)
    report = run_import(parse(), ctx)
    seconds = time.perf_counter() - started
    return {
        "records": report.records,
        "created": report.created,
        "seconds": seconds,
        "skipped": sum(report.skipped.values()),
    }


def _bulk_police(path: Path, organisation) -> dict:
    from trygg.events.importers import polisen

    return _timed_import(
        lambda: polisen.parse(polisen.read(path)), organisation, "police", "polisen", path.name
    )


def _bulk_csv(path: Path, organisation) -> dict:
    from trygg.events.importers import csv_rows

    return _timed_import(
        lambda: csv_rows.parse(csv_rows.read(path), organisation=organisation),
        organisation,
        "partner",
        "csv",
        path.name,
    )


def _baseline(path: Path, organisation, sample: int) -> dict:
    """The straightforward way: for each row, scrub, project, find the area, save()."""
    from trygg.core.privacy import scrub
    from trygg.events.importers import csv_rows
    from trygg.events.importers.base import Candidate
    from trygg.events.models import Event
    from trygg.places.index import locate_one

    parsed = csv_rows.parse(csv_rows.read(path), organisation=organisation)
    candidates = [c for c in islice(parsed, sample) if isinstance(c, Candidate)]
    started = time.perf_counter()
    created = 0
    for cand in candidates:
        x, y, municipality_id, area_id = locate_one(cand.lon, cand.lat)
        if municipality_id is None:
            continue  # outside every municipality: the importer refuses it too
        scrubbed = scrub(cand.description)
        Event(
            category_id=cand.category_id,
            occurred_from=cand.occurred_from,
            lat=cand.lat,
            lon=cand.lon,
            x=x,
            y=y,
            municipality_id=municipality_id,
            area_id=area_id,
            organisation=organisation,
            source="shift",
            external_id=cand.external_id,
            description=scrubbed.text,
            was_scrubbed=scrubbed.was_scrubbed,
        ).save()
        created += 1
    seconds = time.perf_counter() - started
    return {"records": len(candidates), "created": created, "seconds": seconds}


# --- the parent: files, databases, the table -------------------------------------------------


def _child_arguments(database_url: str, police: Path, csv_path: Path, sample: int) -> list[str]:
    return [
        "--database-url",
        database_url,
        "--police",
        str(police),
        "--csv",
        str(csv_path),
        "--sample",
        str(sample),
    ]


def report(label: str, results: dict) -> None:
    base = results["baseline"]
    base_rate = base["records"] / base["seconds"]
    print(f"\n{label}")
    print(f"  {'path':<34} {'records':>10} {'seconds':>9} {'events/s':>10} {'× baseline':>11}")
    for key, title in [("police_bulk", "bulk, police feed (.json.gz)"), ("csv_bulk", "bulk, CSV")]:
        row = results[key]
        rate = row["records"] / row["seconds"]
        print(
            f"  {title:<34} {row['records']:>10,} {row['seconds']:>9.1f} {rate:>10,.0f} "
            f"{rate / base_rate:>10.1f}×"
        )
    print(
        f"  {'baseline: save() per row (sample)':<34} {base['records']:>10,} "
        f"{base['seconds']:>9.1f} {base_rate:>10,.0f} {1:>10.1f}×"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=5000, help="rows for the baseline")
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    parser.add_argument("--police", help=argparse.SUPPRESS)
    parser.add_argument("--csv", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    OUT.mkdir(parents=True, exist_ok=True)
    police, csv_path = OUT / f"police_{args.events}.json.gz", OUT / f"partner_{args.events}.csv"
    if not police.exists():
        write_police_feed(police, args.events)
    if not csv_path.exists():
        write_csv(csv_path, args.events)
    print(f"Import benchmark: {args.events:,} events per format; baseline on {args.sample:,} rows")
    wanted = args.databases.split(",")
    if "sqlite" in wanted:
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite:///{folder}/bench.sqlite3"
            report(
                "SQLite", run_child(__file__, _child_arguments(url, police, csv_path, args.sample))
            )
    if "postgres" in wanted:
        pg_url = postgres_url()
        if pg_url is None:
            print("\nPostgreSQL: no server found (set DATABASE_URL); skipped.")
        else:
            report(
                "PostgreSQL",
                run_child(
                    __file__,
                    _child_arguments(
                        fresh_postgres(pg_url, "trygg_bench"), police, csv_path, args.sample
                    ),
                ),
            )


if __name__ == "__main__":
    main()
