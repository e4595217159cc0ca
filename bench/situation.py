"""Situation picture benchmark: the page for one week and the whole municipality, and a map
view change, against a database with 1,000,000 events over five years in Karlstad, on SQLite
and PostgreSQL, each beside its baseline measured in the same run.

    .venv/bin/python bench/situation.py                          # 1M events, both databases
    .venv/bin/python bench/situation.py --events 200000 --databases sqlite

Budgets (DESIGN §8 and issue 3): situation page < 150 ms server time (baseline: the same
figures computed straight from the event table with the ORM); a map view change < 300 ms
(baseline: sending every point of the period). Times are medians of repeated requests after
one warm-up request, measured in-process through Django's test client (server time, no
network).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import tempfile
import time
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

SEED = 2026
END = dt.datetime(2026, 11, 22, tzinfo=dt.UTC)
WEEK = "2026-W46"
REPEATS = 7
CATEGORIES = [
    "skadegorelse.klotter",
    "skadegorelse.glaskross",
    "skadegorelse.brand",
    "ordning.brak",
    "otrygg_plats.belysning",
    "samling.trapphus",
    "ordning.drog",
    "ordning.inbrott",
]
# A few hotspots (station, school yards) over a uniform background of the urban area.
HOTSPOTS = [(59.3780, 13.4990), (59.3960, 13.5450), (59.3820, 13.5770), (59.4010, 13.4700)]


# --- the child: one database -----------------------------------------------------------------


def child(args) -> None:
    os.environ["TRYGG_DEBUG"] = "1"  # the test client's host; nothing here depends on it
    # The budget is for computing the picture: the page's one-minute cache would answer
    # every repeat from memory.
    os.environ["TRYGG_PICTURE_CACHE_SECONDS"] = "0"
    setup_django(args.database_url)
    organisation, user = _world()
    started = time.perf_counter()
    _load(organisation, args.events)
    load_seconds = time.perf_counter() - started
    results = {"events": args.events, "load_seconds": load_seconds}
    results |= _measure_page(user)
    results |= _measure_map(user)
    print_result(results)


def _world():
    from django.contrib.auth import get_user_model

    from trygg.organisations.models import Membership

    organisation = karlstad_organisation("bench-kommun", "Bänk kommun", "municipality")
    user = get_user_model().objects.create_user("bench-samordnare")
    Membership.objects.create(user=user, organisation=organisation, role="coordinator")
    return organisation, user


def _load(organisation, n: int) -> None:
    """1M events through the import pipeline (which also fills the daily rollup)."""
    from trygg.events.importers.base import Candidate, ImportContext, run_import
    from trygg.events.models import Category

    rng = np.random.default_rng(SEED)
    ids = dict(Category.objects.filter(code__in=CATEGORIES).values_list("code", "pk"))
    category = np.array([ids[c] for c in CATEGORIES])[rng.integers(0, len(CATEGORIES), n)]
    seconds = np.sort(rng.integers(0, 5 * 365 * 86400, n))
    near = rng.random(n) < 0.3
    spot = np.array(HOTSPOTS)[rng.integers(0, len(HOTSPOTS), n)]
    lat = np.where(near, spot[:, 0] + rng.normal(0, 0.0015, n), rng.uniform(59.35, 59.42, n))
    lon = np.where(near, spot[:, 1] + rng.normal(0, 0.003, n), rng.uniform(13.42, 13.60, n))
    visibility = np.array(["partners", "public", "organisation"])[
        rng.choice(3, n, p=[0.7, 0.25, 0.05])
    ]
    start = END - dt.timedelta(days=5 * 365)
    candidates = (
        Candidate(
            row=i,
            external_id=f"sit-{i}",
            category_id=int(category[i]),
            occurred_from=start + dt.timedelta(seconds=int(seconds[i])),
            lat=float(lat[i]),
            lon=float(lon[i]),
            visibility=str(visibility[i]),
        )
        for i in range(n)
    )
    ctx = ImportContext(
        source="partner",
        importer="bench",
        file_name="bench",
        organisation=organisation,
        now=END + dt.timedelta(days=1),
    )
    run_import(candidates, ctx)


def _timed(call) -> dict:
    call()  # warm-up: imports, caches, the database's own caches
    times = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return {"median_ms": statistics.median(times), "min_ms": min(times)}


def _measure_page(user) -> dict:
    from django.test import Client

    from trygg.core import periods
    from trygg.places.models import Municipality

    client = Client()
    client.force_login(user)
    url = f"/lagesbild/?typ=week&vecka={WEEK}"

    from trygg.situation import picture
    from trygg.situation.scope import Scope

    def page():
        picture._expectation.cache_clear()  # fit the seasonal band every time
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        return response

    municipality = Municipality.objects.get(code="1780")
    period = periods.parse("week", WEEK)
    # The page's own figures, to check that the baseline computes the same thing.
    total = picture.build(Scope(user=user, municipality=municipality), period)["table"]["total"]
    baseline_total = naive_picture(user, municipality, period)["table"]
    assert baseline_total == {k: total[k] for k in baseline_total}, (baseline_total, total)
    return {
        "page": _timed(page),
        "page_baseline": _timed(lambda: naive_picture(user, municipality, period)),
        "week_total": total["current"],
    }


def naive_picture(user, municipality, period) -> dict:
    """The straightforward ORM version of the page's figures, straight from the events."""
    from django.db.models import Count
    from django.db.models.functions import ExtractHour, ExtractIsoWeekDay, TruncMonth, TruncWeek

    from trygg.core.periods import midnight
    from trygg.events.models import Event

    events = (
        Event.objects.visible_to(user)
        .filter(municipality=municipality)
        .exclude(status__in=["rejected", "duplicate"])
    )
    comparisons = {
        "current": period,
        "previous": period.previous(),
        "year_earlier": period.year_earlier(),
        "ytd": period.year_to_date(),
        "ytd_last": period.year_earlier().year_to_date(),
    }
    table = {}
    for name, p in comparisons.items():
        rows = (
            events.filter(occurred_from__gte=midnight(p.start), occurred_from__lt=midnight(p.end))
            .values("category")
            .annotate(n=Count("pk"))
        )
        table[name] = sum(row["n"] for row in rows)
    five_years = events.filter(occurred_from__gte=midnight(period.end - dt.timedelta(weeks=260)))
    list(five_years.annotate(w=TruncWeek("occurred_from")).values("w").annotate(n=Count("pk")))
    list(five_years.annotate(m=TruncMonth("occurred_from")).values("m").annotate(n=Count("pk")))
    in_period = events.filter(
        occurred_from__gte=midnight(period.start), occurred_from__lt=midnight(period.end)
    )
    list(
        in_period.annotate(d=ExtractIsoWeekDay("occurred_from"), h=ExtractHour("occurred_from"))
        .values("d", "h")
        .annotate(n=Count("pk"))
    )
    recent = events.filter(occurred_from__gte=midnight(period.start - dt.timedelta(weeks=4)))
    list(recent.values("area").annotate(n=Count("pk")).order_by("-n")[:10])
    list(recent.values("place").annotate(n=Count("pk")).order_by("-n")[:10])
    return {"table": table}


def _measure_map(user) -> dict:
    from django.test import Client

    from trygg.events.models import Event

    client = Client()
    client.force_login(user)
    query = "fran=2026-01-01&till=2026-11-22"
    views = [  # municipality, town and district zooms
        ("12.9,59.2,14.1,59.7", 10),
        ("13.38,59.34,13.66,59.44", 12),
        ("13.48,59.37,13.53,59.39", 14),
    ]
    cycle = iter(range(10**9))

    def view_change():
        bbox, zoom = views[next(cycle) % len(views)]
        response = client.get(f"/handelser/karta/data.json?{query}&bbox={bbox}&zoom={zoom}")
        assert response.status_code == 200

    def all_points():
        rows = (
            Event.objects.visible_to(user)
            .filter(
                occurred_from__gte=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
                occurred_from__lt=dt.datetime(2026, 11, 23, tzinfo=dt.UTC),
            )
            .values_list("pk", "lat", "lon", "category_id", "occurred_from")
        )
        return json.dumps([[pk, lat, lon, c, t.isoformat()] for pk, lat, lon, c, t in rows])

    return {"map": _timed(view_change), "map_baseline": _timed(all_points)}


# --- the parent: databases and the table -----------------------------------------------------


def report(label: str, r: dict) -> str:
    lines = [
        f"{label}: {r['events']:,} events over five years (loaded in {r['load_seconds']:.0f} s)"
    ]
    for key, title, budget in (
        ("page", "situation page, one week", 150),
        ("map", "map view change", 300),
    ):
        ours, base = r[key]["median_ms"], r[f"{key}_baseline"]["median_ms"]
        lines.append(
            f"  {title:<26} {ours:8.1f} ms (budget {budget} ms)   baseline {base:9.1f} ms   "
            f"{base / ours:6.1f}× faster"
        )
    lines.append(f"  (events in the week: {r['week_total']:,}; medians of {REPEATS} requests)")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    OUT.mkdir(parents=True, exist_ok=True)
    texts = []
    for name in args.databases.split(","):
        if name == "sqlite":
            with tempfile.TemporaryDirectory() as folder:
                result = run_child(
                    __file__,
                    [
                        "--database-url",
                        f"sqlite:///{folder}/bench.sqlite3",
                        "--events",
                        str(args.events),
                    ],
                )
        else:
            url = postgres_url()
            if url is None:
                print("PostgreSQL: no server found, skipped")
                continue
            result = run_child(
                __file__,
                [
                    "--database-url",
                    fresh_postgres(url, "trygg_bench_situation"),
                    "--events",
                    str(args.events),
                ],
            )
        texts.append(report("SQLite" if name == "sqlite" else "PostgreSQL", result))
        print(texts[-1], flush=True)
    (OUT / "situation.txt").write_text("\n\n".join(texts) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
