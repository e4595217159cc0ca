"""Evidence page benchmark (issue 14, Budgets): the page of a candidate problem over 1,000,000
events in Karlstad over five years and the demo's two safety surveys (2022 and 2024, the 31
RegSO sub-areas, about 1,600 respondents each), on SQLite and PostgreSQL, beside the
straightforward version measured in the same run.

    .venv/bin/python bench/promises_evidence.py                       # 1M events, both databases
    .venv/bin/python bench/promises_evidence.py --events 200000 --databases sqlite

Budget: the page for a problem area < 300 ms server time. Two problems are measured: one in
the district with the most events (the problem's areas: the events of both periods are read
once through the (area, occurred_from) index, each with its month) and one for the whole
municipality (the months from the daily rollup; only the period's places and positions are
read, from the (category, municipality, occurred_from, ...) index, which holds every column
the query needs). Each with two of the eight categories, for the twelve months November 2025 –
October 2026 against the twelve before. On PostgreSQL the event rows come back packed as
doubles in one value, so no Python object is made per number.

Every request computes everything: the cache (the hotspot cells and the region's outline,
kept ten minutes in use) is cleared before each one. The straightforward version computes the
same figures with plain ORM queries, one per figure (each category's count in each month and
period, straight from the events even for the whole municipality), the places, the hotspots
and the same registered sections (survey, dialogues); its numbers are checked against the
page's before it is timed. Times are medians of repeated requests after one warm-up, measured
in-process through Django's test client (server time, no network); the fastest of them is
printed too, for machines that other work shares.
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
FIRST_DAY, LAST_DAY = dt.date(2025, 11, 1), dt.date(2026, 10, 31)
PROBLEM_CATEGORIES = ["ordning.drog", "ordning.brak"]
BUDGET_MS = 300


# --- the child: one database -----------------------------------------------------------------


def child(args) -> None:
    os.environ["TRYGG_DEBUG"] = "1"  # the test client's host; nothing here depends on it
    setup_django(args.database_url)
    organisation, user, agreement = _world()
    started = time.perf_counter()
    load_events(organisation, args.events)
    load_seconds = time.perf_counter() - started
    started = time.perf_counter()
    respondents = _surveys(organisation.municipality)
    _dialogues(organisation, user)
    survey_seconds = time.perf_counter() - started
    _analyze()
    results = {
        "events": args.events,
        "load_seconds": load_seconds,
        "survey_seconds": survey_seconds,
        "respondents": respondents,
    }
    for key, problem in _problems(agreement, user).items():
        results[key] = _measure(user, problem)
    print_result(results)


def _analyze() -> None:
    """Fresh statistics and visibility map, as autovacuum would have them on a server in use
    (it vacuums a table after many inserts, not only analyzes it): without statistics the
    planner takes the million new rows for a handful, and without the visibility map every
    read from an index also visits the table's pages to see whether its rows are visible."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def _world():
    from django.contrib.auth import get_user_model

    from trygg.organisations.models import Membership, Organisation
    from trygg.promises.actions.agreements import PartyInput, create_agreement
    from trygg.promises.models import PartyRole

    organisation = karlstad_organisation("bench-kommun", "Bänk kommun", "municipality")
    police, _ = Organisation.objects.get_or_create(
        code="bench-polis",
        defaults={
            "name": "Bänk lokalpolisområde",
            "kind": "police",
            "municipality": organisation.municipality,
        },
    )
    user = get_user_model().objects.create_user("bench-samordnare")
    Membership.objects.create(user=user, organisation=organisation, role="coordinator")
    agreement = create_agreement(
        organisation.municipality,
        title="Samverkansöverenskommelse",
        start=dt.date(2023, 7, 1),
        end=dt.date(2027, 6, 30),
        parties=[
            PartyInput(
                organisation, PartyRole.MUNICIPALITY, "Kommunstyrelsen", dt.date(2023, 5, 1)
            ),
            PartyInput(police, PartyRole.POLICE, "Lokalpolisområdet", dt.date(2023, 5, 1)),
        ],
        acting_user=user,
    )
    return organisation, user, agreement


def _surveys(municipality) -> int:
    """The demo's surveys of 2022 and 2024 over the RegSO sub-areas, through the actions."""
    from django.contrib.auth import get_user_model

    from trygg.demo import surveys as demo
    from trygg.demo.loader import load_regso
    from trygg.places.models import Area
    from trygg.surveys.actions.frame import import_population, set_sample_sizes
    from trygg.surveys.actions.responses import import_responses
    from trygg.surveys.actions.surveys import create_survey
    from trygg.surveys.models import Questionnaire
    from trygg.surveys.questionnaire_seed import QUESTIONNAIRE

    load_regso(municipality)
    analyst = get_user_model().objects.create_superuser("bench-analytiker", password=None)
    regso = list(
        Area.objects.current()
        .filter(municipality=municipality, kind=Area.Kind.SUB_AREA)
        .order_by("code")
    )
    rng = np.random.default_rng(SEED)
    sub = [demo.SubArea(a.code, a.name, float(rng.random())) for a in regso]
    ids = {a.code: a.pk for a in regso}
    respondents = 0
    for year in demo.YEARS:
        questionnaire = Questionnaire.objects.get(code=QUESTIONNAIRE["code"], version=year)
        drawn = demo.plan(sub, list(questionnaire.items.all()), seed=SEED, year=year)
        survey = create_survey(
            municipality=municipality,
            questionnaire=questionnaire,
            year=year,
            name=demo.NAME,
            acting_user=analyst,
            this_year=2026,
        )
        import_population(survey, drawn.population, "befolkning.csv", acting_user=analyst)
        set_sample_sizes(
            survey, {ids[code]: n for code, n in drawn.sample.items()}, acting_user=analyst
        )
        import_responses(survey, drawn.responses, "svar.csv", acting_user=analyst)
        respondents += drawn.respondents
    return respondents


def _dialogues(organisation, user) -> None:
    """Two dozen citizen dialogues over the year in random districts, each with a few themes."""
    from trygg.citizens.actions.dialogues import MentionRow, record_dialogue, set_mentions
    from trygg.citizens.models import Theme
    from trygg.places.models import Area

    rng = np.random.default_rng(SEED)
    districts = list(
        Area.objects.current().filter(
            municipality=organisation.municipality, kind=Area.Kind.DISTRICT
        )
    )
    themes = list(Theme)
    for k in range(24):
        area = districts[int(rng.integers(len(districts)))]
        dialogue = record_dialogue(
            organisation.municipality,
            acting_user=user,
            organisations=[organisation],
            held_on=FIRST_DAY + dt.timedelta(days=15 * k),
            place_name="Mobila polisstationen",
            area=area,
        )
        chosen = rng.choice(len(themes), size=3, replace=False)
        rows = [MentionRow(themes[int(t)], area, int(rng.integers(1, 9))) for t in chosen]
        set_mentions(dialogue, rows, acting_user=user)


def _problems(agreement, user) -> dict:
    """A problem in the district with the most events, and one for the whole municipality."""
    from django.db.models import Count

    from trygg.events.models import Category, Event
    from trygg.places.models import Area
    from trygg.promises.actions.problems import add_problem

    categories = list(Category.objects.filter(code__in=PROBLEM_CATEGORIES))
    busiest = (
        Event.objects.filter(area__kind=Area.Kind.DISTRICT)
        .values("area")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    district = Area.objects.get(pk=busiest["area"])
    return {
        "area": add_problem(
            agreement,
            title=f"Droger och bråk i {district.name}",
            categories=categories,
            areas=[district],
            acting_user=user,
        ),
        "municipality": add_problem(
            agreement, title="Droger och bråk", categories=categories, acting_user=user
        ),
    }


def _timed(call, *, cold: bool = True) -> dict:
    """Median and fastest of REPEATS calls after a warm-up; `cold` clears the cache first
    each time, so what the page keeps (survey figures, hotspot cells, outline) is computed."""
    from django.core.cache import cache

    cache.clear()
    call()  # warm-up: imports, the database's own caches
    times = []
    for _ in range(REPEATS):
        if cold:
            cache.clear()
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return {"median_ms": statistics.median(times), "min_ms": min(times)}


def _measure(user, problem) -> dict:
    from django.test import Client

    client = Client()
    client.force_login(user)
    url = f"{problem.get_absolute_url()}?fran={FIRST_DAY}&till={LAST_DAY}"

    def page():
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        return response

    from trygg.promises import evidence

    page()
    # What the page shows, computed as its view does (the test client keeps no context here).
    chosen = evidence.EvidencePeriod.of(FIRST_DAY, LAST_DAY)
    shown = evidence.build(problem, chosen)
    sections = [item.section.key for item in evidence.sections(problem, chosen)]
    assert "survey" in sections, sections
    baseline = naive_evidence(problem)
    mine = {
        "rows": [(r["current"], r["previous"]) for r in shown["table"]["rows"]],
        "months": [m["by_category"] for m in shown["months"]],
        "places": [(p["name"], p["current"]) for p in shown["places"]],
        "hot": len(shown["hotspots"]["cells"]),
    }
    assert baseline == mine, (baseline, mine)
    return {
        "page": _timed(page),
        "page_warm": _timed(page, cold=False),
        "page_baseline": _timed(lambda: naive_evidence(problem)),
        "events_in_period": shown["table"]["total"]["current"],
        "hot_cells": mine["hot"],
        "sections": sections,
    }


def naive_evidence(problem) -> dict:
    """The straightforward version: every figure its own ORM query over the events."""
    from django.db.models import Count

    from trygg.core.periods import midnight
    from trygg.events.models import Event
    from trygg.places.models import Place
    from trygg.promises import evidence
    from trygg.situation import evidence_sections, hotspot_layer

    chosen = evidence.EvidencePeriod.of(FIRST_DAY, LAST_DAY)
    municipality = problem.agreement.municipality
    areas = list(problem.areas.all())
    categories = list(problem.categories.all())
    events = (
        Event.objects.filter(municipality=municipality, visibility__in=["public", "partners"])
        .exclude(status__in=["rejected", "duplicate"])
        .order_by()
    )
    if areas:
        events = events.filter(area_id__in=[pk for a in areas for pk in a.descendant_ids()])

    def count(category, start, end) -> int:
        return events.filter(
            category_id__in=category.descendant_ids(),
            occurred_from__gte=midnight(start),
            occurred_from__lt=midnight(end),
        ).count()

    rows = [
        (
            count(c, chosen.period.start, chosen.period.end),
            count(c, chosen.comparison.start, chosen.comparison.end),
        )
        for c in categories
    ]
    months = [
        [count(c, part.start, part.end) for c in categories] for part in evidence.buckets(chosen)
    ]
    ids = [pk for c in categories for pk in c.descendant_ids()]
    in_period = events.filter(
        category_id__in=ids,
        occurred_from__gte=midnight(chosen.period.start),
        occurred_from__lt=midnight(chosen.period.end),
    )
    top = list(
        in_period.filter(place__isnull=False)
        .values("place")
        .annotate(n=Count("pk"))
        .order_by("-n")[: evidence.TOP_PLACES]
    )
    names = dict(Place.objects.filter(pk__in=[r["place"] for r in top]).values_list("pk", "name"))
    points = np.array(
        list(in_period.filter(precision_m__lte=250).values_list("x", "y")), dtype=float
    ).reshape(-1, 2)
    subject = evidence.Subject.of(problem)
    region = evidence._region(subject)
    cell = hotspot_layer.AREA_CELL_M if areas else hotspot_layer.MUNICIPALITY_CELL_M
    hot = hotspot_layer.cells(region, cell, chosen.period, points)
    hotspot_layer.rings_of(region)
    evidence_sections.compute_all(municipality, areas, categories, FIRST_DAY, LAST_DAY)
    return {
        "rows": rows,
        "months": months,
        "places": sorted(((names[r["place"]], r["n"]) for r in top), key=lambda p: (-p[1], p[0])),
        "hot": len(hot["cells"]),
    }


# --- the parent: databases and the table -----------------------------------------------------


def report(label: str, r: dict) -> str:
    lines = [
        f"{label}: {r['events']:,} events over five years (loaded in {r['load_seconds']:.0f} s), "
        f"two surveys with {r['respondents']:,} respondents (loaded in {r['survey_seconds']:.0f} s)"
    ]
    for key, title in (("area", "problem in a district"), ("municipality", "whole municipality")):
        m = r[key]
        cold, warm = m["page"]["median_ms"], m["page_warm"]["median_ms"]
        base = m["page_baseline"]["median_ms"]
        lines.append(
            f"  evidence page, {title}: {m['events_in_period']:,} events in the period, "
            f"{m['hot_cells']} hotspot cells, sections {', '.join(m['sections'])}"
        )
        lines.append(
            f"    computed afresh {cold:8.1f} ms   kept figures {warm:8.1f} ms "
            f"(budget {BUDGET_MS} ms)   baseline {base:8.1f} ms   "
            f"{base / cold:4.1f}× / {base / warm:4.1f}× faster"
        )
        # On a shared machine the median carries other people's load; the fastest is the
        # closest to the request alone.
        lines.append(
            f"    fastest: computed afresh {m['page']['min_ms']:8.1f} ms   "
            f"kept figures {m['page_warm']['min_ms']:8.1f} ms   "
            f"baseline {m['page_baseline']['min_ms']:8.1f} ms"
        )
    lines.append(
        f"  (medians of {REPEATS} requests; 'computed afresh' clears the cache before each, "
        "'kept figures' reuses the survey's figures and the hotspot cells kept under their data)"
    )
    return "\n".join(lines)


def main() -> None:
    args = events_bench_arguments(__doc__)
    if args.child:
        child(args)
        return
    run_on_each_database(__file__, args, "promises_evidence", report)


if __name__ == "__main__":
    main()
