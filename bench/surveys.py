"""Survey benchmark (issue 13, Budgets): a police region's safety survey — 75,000 respondents
over the 58 municipalities of Region Syd (Skåne, Blekinge, Kronoberg, Kalmar) and 10–30
synthetic sub-areas in each — imported and estimated, on SQLite and PostgreSQL, beside a plain
per-cell Python loop measured in the same run.

    .venv/bin/python bench/surveys.py                          # both databases, 3 repeats
    .venv/bin/python bench/surveys.py --databases sqlite --respondents 20000

Budgets: (a) import ≤ 10 s — all 58 response files through `import_responses` (the population
tables through `import_population` are timed apart); (b) every estimate with its interval ≤ 10 s
— `estimate_survey` for all 58 surveys. The baseline computes the same weighted means and
Taylor variances (decision 0019's formulas) one figure at a time over the respondents in plain
Python; it is checked against `estimate_survey` to 1e-9 on one survey before it is timed.

One survey per municipality, as the model has it. The files are drawn with the demo's survey
generator (seeded); the sub-areas are boxes in the municipality's bounding box, since nothing
here looks positions up. Each run is a child process on a fresh database: SQLite in a temporary
folder, PostgreSQL as `trygg_bench` (dropped and created) on the server DATABASE_URL or
127.0.0.1:5432 points at. Repeats of the import delete the response files first.
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import fresh_postgres, print_result, run_child, setup_django  # noqa: E402
from scripts.run_tests import postgres_url  # noqa: E402  (the same server the tests use)

SEED = 2026
REGION_SYD = ("12", "10", "07", "08")  # Skåne, Blekinge, Kronoberg, Kalmar: 58 municipalities
RESPONSE_RATE = 0.55  # the generator's, roughly: sets the sample for the wanted respondents
BUDGET_S = 10.0


# --- the child: one database ---------------------------------------------------------------


def child(args) -> None:
    setup_django(args.database_url)
    surveys, files = _region(args.respondents)
    results: dict[str, object] = {"population": _timed_population(surveys, files)}
    results["import"] = _timed_imports(surveys, files, args.repeats)
    results["respondents"] = sum(f["respondents"] for f in files.values())
    results["sub_areas"] = sum(len(f["sample"]) for f in files.values())
    results["surveys"] = len(surveys)
    results["estimates"] = _timed(lambda: _estimate_all(surveys), args.repeats)
    results["checked"] = _check_baseline(surveys[0])
    results["baseline"] = _timed(lambda: _baseline_all(surveys), args.repeats)
    print_result(results)


def _region(respondents: int):
    """The region's municipalities with synthetic sub-areas, one survey each, and its files."""
    import datetime as dt

    from django.contrib.auth import get_user_model
    from shapely.geometry import box, mapping, shape

    from trygg.demo import surveys as demo
    from trygg.places.models import Area, Municipality
    from trygg.surveys.actions.surveys import create_survey
    from trygg.surveys.models import Questionnaire
    from trygg.surveys.questionnaire_seed import QUESTIONNAIRE

    rng = np.random.default_rng(SEED)
    user = get_user_model().objects.create_superuser("bench", password=None)
    questionnaire = Questionnaire.objects.get(code=QUESTIONNAIRE["code"], version=2024)
    items = list(questionnaire.items.all())
    municipalities = list(Municipality.objects.filter(county_code__in=REGION_SYD).order_by("code"))
    counts = {m.code: int(rng.integers(10, 31)) for m in municipalities}
    per_area = respondents / sum(counts.values()) / RESPONSE_RATE
    surveys, files = [], {}
    for municipality in municipalities:
        lon0, lat0, lon1, lat1 = shape(municipality.geometry).bounds
        n = counts[municipality.code]
        width = (lon1 - lon0) / n
        areas = Area.objects.bulk_create(
            Area(
                municipality=municipality,
                kind=Area.Kind.SUB_AREA,
                code=f"{municipality.code}R{k + 1:03d}",
                name=f"{municipality.name} delområde {k + 1}",
                geometry=mapping(box(lon0 + k * width, lat0, lon0 + (k + 1) * width, lat1)),
                valid_from=dt.date(2025, 1, 1),
            )
            for k in range(n)
        )
        sub = [demo.SubArea(a.code, a.name, float(rng.random())) for a in areas]
        people = {a.code: demo.population(a, SEED, 2024) for a in sub}
        draw = np.random.default_rng([SEED, int(municipality.code)])
        answered = []
        sizes = {a.code: max(demo.MIN_PER_CELL * 8, round(per_area)) for a in sub}
        for area in sub:
            answered += demo.respondents(area, people[area.code], sizes[area.code], 2024, draw)
        survey = create_survey(
            municipality=municipality,
            questionnaire=questionnaire,
            year=2024,
            name="Trygghetsmätning",
            acting_user=user,
            this_year=2024,
        )
        surveys.append(survey)
        files[survey.pk] = {
            "population": demo.population_csv(sub, people, 2024),
            "responses": demo.responses_csv(answered, items, 2024, draw),
            "sample": {a.pk: sizes[a.code] for a in areas},
            "respondents": len(answered),
            "user": user,
        }
    return surveys, files


def _timed_population(surveys, files) -> dict:
    from trygg.surveys.actions.frame import import_population, set_sample_sizes

    started = time.perf_counter()
    cells = 0
    for survey in surveys:
        f = files[survey.pk]
        cells += import_population(survey, f["population"], "befolkning.csv", acting_user=f["user"])
        set_sample_sizes(survey, f["sample"], acting_user=f["user"])
    rows = sum(f["population"].count(b"\n") - 1 for f in files.values())
    return {"seconds": time.perf_counter() - started, "rows": rows, "cells": cells}


def _timed_imports(surveys, files, repeats: int) -> dict:
    from trygg.surveys.actions.responses import import_responses
    from trygg.surveys.models import ResponseFile

    times = []
    for _ in range(repeats):
        ResponseFile.objects.filter(survey__in=surveys).delete()
        started = time.perf_counter()
        for survey in surveys:
            f = files[survey.pk]
            imported = import_responses(survey, f["responses"], "svar.csv", acting_user=f["user"])
            assert imported.new
        times.append(time.perf_counter() - started)
    return {"median": statistics.median(times), "times": times}


def _timed(run, repeats: int) -> dict:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return {"median": statistics.median(times), "times": times}


def _estimate_all(surveys) -> None:
    from trygg.surveys.estimates import estimate_survey

    for survey in surveys:
        estimate_survey(survey)


# --- the baseline: one figure at a time, in plain Python -------------------------------------


def _baseline_all(surveys) -> None:
    for survey in surveys:
        baseline_survey(survey)


def baseline_survey(survey) -> dict:
    """{(frame area id or None, item code, "index"|"share"): (value, se, n)} by looping over
    the respondents for every figure: the ratio, its linearised scores, their residuals on the
    post-strata and the stratified sum of squares (trygg/analysis/survey.py, docstring)."""
    from trygg.surveys.models import FrameArea, Population, Respondent

    items = list(survey.questionnaire.items.all())
    areas = [fa.pk for fa in FrameArea.objects.filter(survey=survey)]
    people = {
        (p.frame_area_id, p.sex, p.age_group): p.people
        for p in Population.objects.filter(frame_area__survey=survey)
    }
    rows = list(
        Respondent.objects.filter(survey=survey).values_list(
            "frame_area_id", "sex", "age_group", "answers"
        )
    )
    sampled: dict[tuple, int] = {}
    for area, sex, group, _answers in rows:
        sampled[(area, sex, group)] = sampled.get((area, sex, group), 0) + 1
    respondents = [
        (area, (area, sex, group), people[(area, sex, group)] / sampled[(area, sex, group)], ans)
        for area, sex, group, ans in rows
    ]
    pools: dict = {None: list(range(len(respondents)))}
    for i, (area, _c, _w, _a) in enumerate(respondents):
        pools.setdefault(area, []).append(i)
    result = {}
    for item in items:
        for what in ("index", "share"):
            if what == "index" and not item.has_index:
                continue
            worth = {o["code"]: o.get(what) for o in item.options}
            values = [_value(worth, ans.get(item.code)) for _a, _c, _w, ans in respondents]
            for target in [None, *areas]:
                result[(target, item.code, what)] = _figure(
                    respondents, values, pools.get(target, [])
                )
    return result


def _value(worth: dict, code) -> float | None:
    counted = worth.get(code) if code is not None else None
    return None if counted is None else float(counted)


def _figure(respondents, values, pool: list[int]) -> tuple[float, float, int] | None:
    """One figure over the respondents in `pool` (all, or one sub-area's)."""
    members = [i for i in pool if values[i] is not None]
    if len(members) < 2:
        return None
    total = sum(respondents[i][2] for i in members)
    mean = sum(respondents[i][2] * values[i] for i in members) / total
    # Linearised scores; post-stratum means over every respondent of the cell.
    score = {i: (values[i] - mean) / total for i in members}
    cell_sum: dict = {}
    cell_weight: dict = {}
    for i in pool:
        _area, cell, weight, _a = respondents[i]
        cell_sum[cell] = cell_sum.get(cell, 0.0) + weight * score.get(i, 0.0)
        cell_weight[cell] = cell_weight.get(cell, 0.0) + weight
    by_stratum: dict = {}
    for i in pool:
        area, cell, weight, _a = respondents[i]
        z = weight * (score.get(i, 0.0) - cell_sum[cell] / cell_weight[cell])
        by_stratum.setdefault(area, []).append(z)
    variance = 0.0
    for zs in by_stratum.values():
        if len(zs) < 2:
            return None
        centre = sum(zs) / len(zs)
        variance += len(zs) / (len(zs) - 1) * sum((z - centre) ** 2 for z in zs)
    return mean, math.sqrt(variance), len(members)


def _check_baseline(survey) -> dict:
    """The baseline's figures against `estimate_survey`'s on one survey, to 1e-9."""
    from trygg.surveys.estimates import WHOLE, estimate_survey

    ours = estimate_survey(survey, min_n=2)
    theirs = baseline_survey(survey)
    compared, worst = 0, 0.0
    for (target, code, what), figure in theirs.items():
        key = WHOLE if target is None else target
        item_figures = ours.figures[key][code]
        estimate = item_figures.index if what == "index" else item_figures.share
        if figure is None or estimate is None or estimate.value is None:
            continue
        value, se, n = figure
        assert n == estimate.n, (target, code, what)
        worst = max(worst, abs(value - estimate.value), abs(se - (estimate.se or 0.0)))
        compared += 1
    assert compared > 0 and worst < 1e-9, worst
    return {"figures": compared, "largest_difference": worst}


# --- the parent ------------------------------------------------------------------------------


def report(label: str, results: dict) -> None:
    a, b, base = results["import"], results["estimates"], results["baseline"]
    print(
        f"\n{label}: {results['surveys']} surveys, {results['sub_areas']:,} sub-areas, "
        f"{results['respondents']:,} respondents"
    )
    population = results["population"]
    print(
        f"  population tables + sample sizes: {population['rows']:,} SCB rows → "
        f"{population['cells']:,} cells in {population['seconds']:.1f} s (timed apart)"
    )
    verdict = "within" if a["median"] <= BUDGET_S else "OVER"
    print(f"  (a) import, 58 response files:  {a['median']:6.2f} s  {verdict} the 10 s budget")
    verdict = "within" if b["median"] <= BUDGET_S else "OVER"
    print(f"  (b) every estimate, 58 surveys: {b['median']:6.2f} s  {verdict} the 10 s budget")
    print(
        f"      baseline, per-figure loop:  {base['median']:6.2f} s  "
        f"(estimates {base['median'] / b['median']:.1f}× faster)"
    )
    check = results["checked"]
    print(
        f"      baseline checked on one survey: {check['figures']:,} figures, largest "
        f"difference {check['largest_difference']:.1e}"
    )
    for name, row in (("import", a), ("estimates", b), ("baseline", base)):
        print(f"      {name} runs: " + ", ".join(f"{t:.2f}" for t in row["times"]) + " s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--respondents", type=int, default=75_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    print(f"Survey benchmark: about {args.respondents:,} respondents, {args.repeats} repeats")
    arguments = ["--respondents", str(args.respondents), "--repeats", str(args.repeats)]
    wanted = args.databases.split(",")
    if "sqlite" in wanted:
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite:///{folder}/bench.sqlite3"
            report("SQLite", run_child(__file__, ["--database-url", url, *arguments]))
    if "postgres" in wanted:
        pg_url = postgres_url()
        if pg_url is None:
            print("\nPostgreSQL: no server found (set DATABASE_URL); skipped.")
        else:
            url = fresh_postgres(pg_url, "trygg_bench_surveys")
            report("PostgreSQL", run_child(__file__, ["--database-url", url, *arguments]))


if __name__ == "__main__":
    main()
