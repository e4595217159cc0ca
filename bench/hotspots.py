"""Gi* benchmark: our `gi_star` against esda's `G_Local(star=True)` on the same 40,000 cells.

    .venv/bin/python bench/hotspots.py                    # 200 x 200 cells, 999 permutations
    .venv/bin/python bench/hotspots.py --side 100 --repeats 3 --esda-jobs 1

Budget (DESIGN §8): faster than esda on the same input, with the same z-scores. The counts are
clustered Poisson counts on a grid of 100 m cells (seeded); both sides get the same binary queen
weights, built outside the timing, and esda's numba code is compiled on a small input first (in
its worker processes too) so its timings hold no JIT. esda keeps no simulations (its faster
path). Our time includes the Benjamini-Hochberg step and the classification, esda's does not.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from trygg.analysis.grid import Grid, grid_over_bounds, queen_weights  # noqa: E402
from trygg.analysis.hotspots import HOT, gi_star  # noqa: E402

OUT = ROOT / "bench" / "out"
SEED = 2026
CELL = 100.0


def clustered_counts(grid: Grid, seed: int) -> np.ndarray:
    """Poisson counts: a low background and a few dozen hotspots of different size and height."""
    rng = np.random.default_rng(seed)
    row, col = np.divmod(grid.cells, grid.n_cols)
    rate = np.full(grid.size, 0.05)
    for _ in range(40):
        r, c = rng.uniform(0, grid.n_rows), rng.uniform(0, grid.n_cols)
        radius, height = rng.uniform(1.0, 6.0), rng.uniform(0.5, 6.0)
        rate += height * np.exp(-((row - r) ** 2 + (col - c) ** 2) / (2 * radius**2))
    return rng.poisson(rate).astype(float)


def esda_gi_star(y, w, permutations: int, jobs: int, seed: int):
    import esda

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the coming change of esda's default alternative
        return esda.G_Local(
            y,
            w,
            star=True,
            transform="B",
            permutations=permutations,
            keep_simulations=False,
            n_jobs=jobs,
            seed=seed,
        )


def warm_esda(jobs: int) -> float:
    """Compile esda's numba code outside the timings (a small grid, the same code paths)."""
    from libpysal.weights import W

    small = grid_over_bounds(0, 0, 20 * CELL - 1, 20 * CELL - 1, CELL)
    started = time.perf_counter()
    esda_gi_star(clustered_counts(small, 1), W.from_sparse(queen_weights(small)), 99, jobs, 1)
    return time.perf_counter() - started


def timed(function, repeats: int) -> tuple[list[float], Any]:
    seconds, result = [], None
    for _ in range(repeats):
        started = time.perf_counter()
        result = function()
        seconds.append(time.perf_counter() - started)
    return seconds, result


def run(side: int, permutations: int, repeats: int, jobs: int) -> list[str]:
    from libpysal.weights import W

    grid = grid_over_bounds(0, 0, side * CELL - 1, side * CELL - 1, CELL)
    y = clustered_counts(grid, SEED)
    ours_weights = queen_weights(grid, include_self=True)
    esda_weights = W.from_sparse(queen_weights(grid))  # esda adds the diagonal for star=True
    compile_seconds = warm_esda(jobs)
    ours_times, ours = timed(
        lambda: gi_star(y, ours_weights, permutations=permutations, seed=1), repeats
    )
    esda_times, reference = timed(
        lambda: esda_gi_star(y, esda_weights, permutations, jobs, 1), repeats
    )
    ours_median, esda_median = statistics.median(ours_times), statistics.median(esda_times)
    return [
        f"Gi* on {grid.size:,} cells ({side} x {side}, {CELL:g} m), {permutations} permutations, "
        f"{int(y.sum()):,} events, {int((y == 0).sum()):,} empty cells; {repeats} repeats",
        f"  ours  gi_star            median {ours_median:8.3f} s   runs {_listed(ours_times)}",
        f"  esda  G_Local(star=True) median {esda_median:8.3f} s   runs {_listed(esda_times)}"
        f"   (n_jobs={jobs}; numba warm-up {compile_seconds:.1f} s, not timed)",
        f"  ratio esda / ours: {esda_median / ours_median:,.0f}x",
        f"  max |z ours - z esda|: {np.nanmax(np.abs(ours.z - reference.Zs)):.2e}",
        *_agreement(y, ours, reference),
    ]


def _agreement(y: np.ndarray, ours, reference) -> list[str]:
    import esda

    esda_hot = (reference.p_sim <= esda.fdr(reference.p_sim, 0.05)) & (reference.Zs > 0)
    our_hot = ours.classification == HOT
    high = ours.z > 0  # on the high side both rules count ties alike
    p_difference = np.abs(ours.p_sim - reference.p_sim)[high].mean()
    empty = ours.local_sum == 0
    return [
        f"  mean |p ours - p esda| where z > 0: {p_difference:.4f}",
        f"  hot cells after FDR 5 %: ours {our_hot.sum():,}, esda {esda_hot.sum():,}, "
        f"both {(our_hot & esda_hot).sum():,}",
        f"  cells with nothing in or around them: {empty.sum():,}; esda gives "
        f"{(reference.p_sim[empty] <= 0.001 + 1e-9).sum():,} of them p = 0.001 (ties counted "
        f"upwards only), ours {(ours.p_sim[empty] <= 0.001 + 1e-9).sum():,}",
    ]


def _listed(seconds: list[float]) -> str:
    return ", ".join(f"{s:.3f}" for s in seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--side", type=int, default=200, help="cells per side (200: 40,000)")
    parser.add_argument("--permutations", type=int, default=999)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--esda-jobs", type=int, default=-1, help="esda's n_jobs (-1: all cores)")
    args = parser.parse_args()
    lines = run(args.side, args.permutations, args.repeats, args.esda_jobs)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "hotspots.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
