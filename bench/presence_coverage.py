"""Coverage analysis benchmark (issue 15, Budgets): "are we out where the problems are?" for a
year in Karlstad with 1,000,000 events over five years (bench/situation.py's loader) and a
year of shifts, on SQLite and PostgreSQL, beside the straightforward version measured in the
same run.

    .venv/bin/python bench/presence_coverage.py                       # 1M events, both databases
    .venv/bin/python bench/presence_coverage.py --events 200000 --databases sqlite

Budget: the coverage analysis for a year of shifts and 1M events < 500 ms server time. The
shifts: six groups out two to four evenings a week in the districts for the year before
22 November 2026 (Friday and Saturday nights over midnight), about 1,000 shifts. Measured: the
API request for that year (the analysis and its JSON) and the page (the analysis, the map's
outlines, the chart and the tables).

The analysis has the database write each event of the year as one number (its area and hour
of the period) and join them into one text that numpy reads at once (docs/decisions/0027):
a Python row per event was most of the SQLite request. The straightforward version reads the
same rows through the ORM as datetimes and model objects and bins them in Python loops, hour
by hour; its cells are checked equal to the analysis' before anything is timed. Times are
medians of repeated requests after one warm-up, in-process through Django's test client
(server time, no network). Last run, 1M events, on a shared and loaded machine: SQLite API
request 313 ms, page 264 ms; PostgreSQL API request 165 ms, page 302 ms (the straightforward
version 1.5–2 s).
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import (  # noqa: E402
    events_bench_arguments,
    karlstad_organisation,
    print_result,
    run_on_each_database,
    setup_django,
)
from bench.situation import _load as load_events  # noqa: E402  (the same million events)

SEED = 2026
REPEATS = 7
FIRST_DAY, LAST_DAY = dt.date(2025, 11, 22), dt.date(2026, 11, 21)
BUDGET_MS = 500
# (group, ISO weekdays, start, end, people): evenings, and the weekend nights over midnight.
GROUPS = [
    ("Ungdomar för trygghet", [5, 6], dt.time(19), dt.time(0), 6),
    ("Vuxna för trygghet", [5, 6], dt.time(21), dt.time(2), 4),
    ("Nattvandrarna", [5], dt.time(22), dt.time(3), 5),
    ("Kommunväktarna", [1, 2, 3, 4], dt.time(18), dt.time(23), 2),
    ("Fältgruppen", [3, 4], dt.time(17), dt.time(22), 3),
    ("Polisens fotpatrull", [5, 6], dt.time(20), dt.time(1, 30), 2),
]


# --- the child: one database -----------------------------------------------------------------


def child(args) -> None:
    os.environ["TRYGG_DEBUG"] = "1"  # the test client's host; nothing here depends on it
    setup_django(args.database_url)
    organisation, user = _world()
    started = time.perf_counter()
    load_events(organisation, args.events)
    load_seconds = time.perf_counter() - started
    shifts = _shifts(organisation, user)
    _analyze()
    results = {"events": args.events, "load_seconds": load_seconds, "shifts": shifts}
    results |= _measure(user, organisation.municipality)
    print_result(results)


def _analyze() -> None:
    """Fresh statistics, as autovacuum would have them on a server in use."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def _world():
    from django.contrib.auth import get_user_model

    from trygg.organisations.models import Membership

    organisation = karlstad_organisation("bench-kommun", "Bänk kommun", "municipality")
    user = get_user_model().objects.create_user("bench-samordnare")
    Membership.objects.create(user=user, organisation=organisation, role="coordinator")
    return organisation, user


def _shifts(organisation, user) -> int:
    """A year of weekly series, each group in one district a quarter (through the action)."""
    from time_machine import travel

    from trygg.places.models import Area
    from trygg.presence.actions.groups import GroupInput, create_group
    from trygg.presence.actions.series import SeriesInput, plan_series
    from trygg.presence.models import Shift

    rng = np.random.default_rng(SEED)
    districts = list(
        Area.objects.current()
        .filter(municipality=organisation.municipality, kind=Area.Kind.DISTRICT)
        .order_by("pk")
    )
    # Planned in advance: the series lie in the future of the moment they were planned.
    with travel(dt.datetime(2025, 11, 1, 12, tzinfo=dt.UTC), tick=False):
        for name, weekdays, start, end, people in GROUPS:
            group = create_group(
                organisation.municipality,
                organisation,
                GroupInput(kind="other", name=name, active=True),
                acting_user=user,
            )
            for quarter in range(4):
                area = districts[int(rng.integers(len(districts)))]
                data = SeriesInput(
                    area=area,
                    start_time=start,
                    end_time=end,
                    first_day=FIRST_DAY + dt.timedelta(weeks=13 * quarter),
                    weeks=13,
                    people=people,
                    weekdays=weekdays,
                )
                plan_series(organisation.municipality, group, data, acting_user=user)
    return Shift.objects.count()


def _timed(call) -> dict:
    call()  # warm-up: imports, the database's own caches
    times = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return {"median_ms": statistics.median(times), "min_ms": min(times)}


def _measure(user, municipality) -> dict:
    from django.test import Client

    from trygg.presence.coverage_data import build

    client = Client()
    client.force_login(user)
    api = f"/api/v1/presence/coverage?kommun={municipality.code}&from={FIRST_DAY}&to={LAST_DAY}"
    page = f"/narvaro/tackning/?kommun={municipality.pk}&fran={FIRST_DAY}&till={LAST_DAY}"

    def get(url):
        response = client.get(url)
        assert response.status_code == 200, (response.status_code, response.content[:300])
        return response

    report = build(user, municipality, FIRST_DAY, LAST_DAY)
    mine = {
        "events": report.cells.events.tolist(),
        "covered": report.cells.covered.tolist(),
        "people_hours": np.round(report.cells.people_hours, 6).tolist(),
        "shift_hours": np.round(report.cells.shift_hours, 6).tolist(),
    }
    baseline = naive_cells(user, municipality, report.areas)
    assert baseline == mine, "the straightforward version counts differently"
    return {
        "api": _timed(lambda: get(api)),
        "page": _timed(lambda: get(page)),
        "analysis": _timed(lambda: build(user, municipality, FIRST_DAY, LAST_DAY)),
        "baseline": _timed(lambda: naive_cells(user, municipality, report.areas)),
        "events_in_period": int(report.cells.events.sum()),
        "evening_events": report.evening_events,
        "share": report.share,
    }


def naive_cells(user, municipality, areas) -> dict:
    """The straightforward version: model objects and datetimes, binned hour by hour in
    Python, each event's hour looked up in a set of the hours a shift was out."""
    from django.utils import timezone

    from trygg.events.daily_counts import counted
    from trygg.events.models import Event
    from trygg.presence.evenings import day_bounds
    from trygg.presence.models import Shift

    tz = timezone.get_default_timezone()
    start, end = day_bounds(FIRST_DAY, LAST_DAY, tz)
    row = {pk: i for i, area in enumerate(areas) for pk in area.area_ids}
    shape = (len(areas), 7, 24)
    people, hours = np.zeros(shape), np.zeros(shape)
    out: set[tuple[int, dt.datetime]] = set()
    shifts = Shift.objects.filter(municipality=municipality).exclude(state="cancelled")
    for shift in shifts.filter(starts_at__lt=end, ends_at__gt=start):
        moment = max(shift.starts_at, start).astimezone(dt.UTC)
        stop = min(shift.ends_at, end).astimezone(dt.UTC)
        while moment < stop:
            hour_start = moment.replace(minute=0, second=0, microsecond=0)
            piece_end = min(stop, hour_start + dt.timedelta(hours=1))
            d, h = _cell(hour_start, tz)
            length = (piece_end - moment).total_seconds() / 3600
            hours[row[shift.area_id], d, h] += length
            people[row[shift.area_id], d, h] += length * shift.people
            out.add((row[shift.area_id], hour_start))
            moment = piece_end
    events, covered = np.zeros(shape, dtype=int), np.zeros(shape, dtype=int)
    visible = counted(Event.objects.visible_to(user)).filter(
        municipality=municipality, occurred_from__gte=start, occurred_from__lt=end
    )
    for area_id, moment in visible.values_list("area_id", "occurred_from"):
        if area_id is None or area_id not in row:
            continue
        hour_start = moment.astimezone(dt.UTC).replace(minute=0, second=0, microsecond=0)
        d, h = _cell(hour_start, tz)
        events[row[area_id], d, h] += 1
        covered[row[area_id], d, h] += (row[area_id], hour_start) in out
    return {
        "events": events.tolist(),
        "covered": covered.tolist(),
        "people_hours": np.round(people, 6).tolist(),
        "shift_hours": np.round(hours, 6).tolist(),
    }


def _cell(moment: dt.datetime, tz) -> tuple[int, int]:
    local = moment.astimezone(tz)
    day = local.date() - dt.timedelta(days=int(local.hour < 2))
    return day.weekday(), local.hour


# --- the parent: databases and the table -----------------------------------------------------


def report(label: str, r: dict) -> str:
    lines = [
        f"{label}: {r['events']:,} events over five years (loaded in {r['load_seconds']:.0f} s), "
        f"{r['shifts']:,} shifts; a year: {r['events_in_period']:,} events, "
        f"{r['evening_events']:,} in the evening, {100 * (r['share'] or 0):.1f} % with someone out"
    ]
    base = r["baseline"]["median_ms"]
    for key, title in (
        ("api", "API request"),
        ("page", "page"),
        ("analysis", "analysis alone"),
    ):
        ms = r[key]["median_ms"]
        lines.append(
            f"  {title:15s} {ms:8.1f} ms (budget {BUDGET_MS} ms)   "
            f"baseline {base:8.1f} ms   {base / ms:5.1f}× faster"
        )
    lines.append(f"  (medians of {REPEATS} after a warm-up; the baseline computes the cells only)")
    return "\n".join(lines)


def main() -> None:
    args = events_bench_arguments(__doc__)
    if args.child:
        child(args)
        return
    run_on_each_database(__file__, args, "presence_coverage", report)


if __name__ == "__main__":
    main()
