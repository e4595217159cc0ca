"""National scale on one PostgreSQL (issue 16, point 5): 10,000,000 events over Sweden's 290
municipalities and five years, then the pages a national installation serves most, each beside
the straightforward version measured in the same run.

    .venv/bin/python bench/national.py                        # 10M events, a fresh database
    .venv/bin/python bench/national.py --events 1000000       # a smaller run
    .venv/bin/python bench/national.py --reuse                # measure the database built before

Density is realistic, not uniform: each municipality's share of the events is its share of the
real police feed (`shared/data/polisen_events_2022-2026.json.gz`, by the municipality the
record names, plus one so that none is empty), so Stockholm, Göteborg and Malmö are far busier
than Bjurholm. Positions are drawn inside each municipality's outline (a pool of points
tested against the polygon, then jittered by about 50 m), a third around three hotspots per
municipality; a tenth of the events are public, as a partner's share is. Each municipality's
events are imported as its own municipality organisation's file through the import pipeline,
which also fills the daily rollup, as a real installation's would be.

Budgets (issue 16): the situation page for one municipality < 150 ms server time, the national
public overview < 500 ms, a map view change < 300 ms. The municipality measured is Karlstad
(about one per cent of the events, with its 66 districts). Baselines: the situation page's
and the map's from `bench/situation.py` (the same figures straight from the event table, every
point of the period); for the national overview the same two periods' counts per municipality
and category straight from the event table. Times are medians of repeated requests after one
warm-up, in-process through Django's test client, with every cache cleared before each request.
The database is kept (`trygg_bench_national`) for `bench/http_load.py --national`, which runs
the 100 concurrent clients across municipalities against it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import OUT, fresh_postgres, print_result, run_child, setup_django  # noqa: E402
from bench.situation import CATEGORIES  # noqa: E402  (the same eight categories)
from scripts.run_tests import postgres_url  # noqa: E402  (the same server the tests use)

SEED = 2026
DATABASE = "trygg_bench_national"
END = dt.datetime(2026, 11, 22, tzinfo=dt.UTC)
YEARS = 5
REPEATS = 7
POOL = 4000  # candidate points per municipality, tested against its outline
PUBLIC_SHARE = 0.10
POLICE_FEED = ROOT.parent / "shared" / "data" / "polisen_events_2022-2026.json.gz"


# --- the child: build --------------------------------------------------------------------------


def child(args) -> None:
    os.environ["TRYGG_DEBUG"] = "1"  # the test client's host; nothing here depends on it
    os.environ["TRYGG_PICTURE_CACHE_SECONDS"] = "0"
    setup_django(args.database_url)
    results: dict = {"events": args.events}
    user = _karlstad_user()  # before the import: Karlstad's events get their districts
    if not args.reuse:
        started = time.perf_counter()
        results["loaded"] = _load_all(args.events)
        results["load_seconds"] = time.perf_counter() - started
        _analyze()
    results |= _measure_situation(user)
    results |= _measure_national()
    print_result(results)


def municipality_weights(municipalities) -> dict[str, float]:
    """Each municipality's share of the police feed's records that name it (plus one)."""
    from trygg.places.reference import normalise_place_name

    by_name = {normalise_place_name(m.name): m.code for m in municipalities}
    counts: Counter[str] = Counter({m.code: 1 for m in municipalities})
    with gzip.open(POLICE_FEED, "rt", encoding="utf-8") as feed:
        records = json.load(feed)
    for record in records:
        name = normalise_place_name((record.get("location") or {}).get("name", ""))
        if name not in by_name:  # after 2026-01 the municipality is the last part of `name`
            name = normalise_place_name(str(record.get("name", "")).rsplit(",", 1)[-1])
        if name in by_name:
            counts[by_name[name]] += 1
    total = sum(counts.values())
    return {code: n / total for code, n in counts.items()}


def point_pool(geometry: dict, rng: np.random.Generator) -> np.ndarray:
    """Up to POOL (lon, lat) points inside the outline, by rejection in its bounding box."""
    import shapely
    from shapely.geometry import shape

    outline = shape(geometry)
    west, south, east, north = outline.bounds
    lon = rng.uniform(west, east, POOL * 3)
    lat = rng.uniform(south, north, POOL * 3)
    inside = shapely.contains_xy(outline, lon, lat)
    return np.column_stack([lon[inside], lat[inside]])[:POOL]


def _load_all(total: int) -> int:
    from trygg.places.models import Municipality

    rng = np.random.default_rng(SEED)
    municipalities = list(Municipality.objects.exclude(geometry=None).order_by("code"))
    weights = municipality_weights(municipalities)
    loaded = 0
    for municipality in municipalities:
        n = max(1, round(total * weights[municipality.code]))
        loaded += _load_municipality(municipality, n, rng)
    return loaded


def _organisation(municipality):
    from trygg.organisations.models import Organisation

    organisation, _ = Organisation.objects.get_or_create(
        code=f"kommun-{municipality.code}",
        defaults={
            "name": f"{municipality.name} kommun",
            "kind": "municipality",
            "municipality": municipality,
        },
    )
    return organisation


def _load_municipality(municipality, n: int, rng: np.random.Generator) -> int:
    from trygg.events.importers.base import Candidate, ImportContext, run_import
    from trygg.events.models import Category

    pool = point_pool(municipality.geometry, rng)
    if len(pool) == 0:
        return 0
    ids = dict(Category.objects.filter(code__in=CATEGORIES).values_list("code", "pk"))
    category = np.array([ids[c] for c in CATEGORIES])[rng.integers(0, len(CATEGORIES), n)]
    seconds = np.sort(rng.integers(0, YEARS * 365 * 86400, n))
    spots = pool[rng.integers(0, len(pool), 3)]
    near = rng.random(n) < 0.3
    base = np.where(
        near[:, None], spots[rng.integers(0, 3, n)], pool[rng.integers(0, len(pool), n)]
    )
    lon = base[:, 0] + rng.normal(0, 0.0008, n)
    lat = base[:, 1] + rng.normal(0, 0.0004, n)
    public = rng.random(n) < PUBLIC_SHARE
    start = END - dt.timedelta(days=YEARS * 365)
    code = municipality.code
    candidates = (
        Candidate(
            row=i,
            external_id=f"nat-{code}-{i}",
            category_id=int(category[i]),
            occurred_from=start + dt.timedelta(seconds=int(seconds[i])),
            lat=float(lat[i]),
            lon=float(lon[i]),
            visibility="public" if public[i] else "partners",
        )
        for i in range(n)
    )
    ctx = ImportContext(
        source="partner",
        importer="bench",
        file_name=f"national-{code}",
        organisation=_organisation(municipality),
        now=END + dt.timedelta(days=1),
        # A jittered point on a coast or a border may fall in the sea: skipped, and counted.
        skip_invalid=True,
    )
    report = run_import(candidates, ctx)
    return report.created


def _analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def _karlstad_user():
    from django.contrib.auth import get_user_model

    from trygg.demo.loader import load_districts
    from trygg.organisations.models import Membership
    from trygg.places.models import Municipality

    municipality = Municipality.objects.get(code="1780")
    load_districts(municipality)
    user, created = get_user_model().objects.get_or_create(username="bench-karlstad")
    if created:
        Membership.objects.create(
            user=user, organisation=_organisation(municipality), role="coordinator"
        )
    return user


# --- the child: measure ------------------------------------------------------------------------


def _timed(call) -> dict:
    from django.core.cache import cache

    cache.clear()
    call()  # warm-up
    times = []
    for _ in range(REPEATS):
        cache.clear()
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return {"median_ms": statistics.median(times), "min_ms": min(times)}


def _measure_situation(user) -> dict:
    """The situation page and the map, as `bench/situation.py` measures them for Karlstad."""
    from bench import situation

    situation._timed = _timed  # the same requests, with the caches cleared before each
    return situation._measure_page(user) | situation._measure_map(user)


def _measure_national() -> dict:
    from django.test import Client
    from django.utils import timezone

    from trygg.places.models import Municipality
    from trygg.situation.national import CURRENT, Span, count_cube
    from trygg.situation.public import top_categories

    client = Client()
    span = Span.of(timezone.localdate().year, timezone.localdate())
    _tops, top_of = top_categories()
    ids = list(Municipality.objects.values_list("pk", flat=True))
    cube = count_cube(span, top_of, ids)
    ours = sum(n for (_m, _c, period), n in cube.items() if period == CURRENT)
    theirs = sum(naive_national(span).values())
    assert ours == theirs, (ours, theirs)  # the rollup's figures are the events' figures

    def page():
        response = client.get("/oppen/sverige/")
        assert response.status_code == 200, response.status_code

    return {
        "national": _timed(page),
        "national_baseline": _timed(lambda: naive_national(span)),
        "national_total": ours,
    }


def naive_national(span) -> dict:
    """The straightforward version: both periods' public counted incidents per municipality
    and category, straight from the event table."""
    from django.db.models import Count

    from trygg.core.periods import midnight
    from trygg.events.daily_counts import counted
    from trygg.events.models import Event
    from trygg.situation.public import NOT_INCIDENT_CATEGORIES

    events = counted(Event.objects.public()).exclude(category__code__in=NOT_INCIDENT_CATEGORIES)
    current: dict = {}
    for first, last, into in (
        (span.first, span.last, current),
        (span.earlier_first, span.earlier_last, {}),
    ):
        rows = (
            events.filter(
                occurred_from__gte=midnight(first),
                occurred_from__lt=midnight(last + dt.timedelta(days=1)),
            )
            .values_list("municipality_id", "category_id")
            .annotate(n=Count("pk"))
            .order_by()
        )
        into.update({(m, c): n for m, c, n in rows})
    return current


# --- the parent --------------------------------------------------------------------------------


def report(r: dict) -> str:
    lines = [f"PostgreSQL, national: {r['events']:,} events asked over 290 municipalities"]
    if "load_seconds" in r:
        rate = r["loaded"] / r["load_seconds"]
        lines.append(
            f"  loaded {r['loaded']:,} in {r['load_seconds']:.0f} s ({rate:,.0f} events/s)"
        )
    for key, title, budget in (
        ("page", "situation page, Karlstad", 150),
        ("national", "national public overview", 500),
        ("map", "map view change, Karlstad", 300),
    ):
        ours, base = r[key]["median_ms"], r[f"{key}_baseline"]["median_ms"]
        lines.append(
            f"  {title:<28} {ours:8.1f} ms (budget {budget} ms, fastest {r[key]['min_ms']:.1f})"
            f"   baseline {base:9.1f} ms   {base / ours:6.1f}× faster"
        )
    lines.append(
        f"  (Karlstad's week: {r['week_total']:,} events; public incidents this year in "
        f"Sweden: {r['national_total']:,}; medians of {REPEATS} requests)"
    )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument("--reuse", action="store_true", help="measure the database built before")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    url = postgres_url()
    if url is None:
        sys.exit("PostgreSQL: no server found (DATABASE_URL or 127.0.0.1:5432)")
    database = (
        url.rsplit("/", 1)[0] + f"/{DATABASE}" if args.reuse else fresh_postgres(url, DATABASE)
    )
    arguments = ["--database-url", database, "--events", str(args.events)]
    result = run_child(__file__, arguments + (["--reuse"] if args.reuse else []))
    text = report(result)
    print(text)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "national.txt").write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
