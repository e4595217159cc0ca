"""Getis-Ord Gi* hotspots of counts on a grid (Getis & Ord 1992; Ord & Getis 1995).

The z-scores are the analytic ones, equal to esda's `G_Local(y, w, star=True, transform="B")`
`Zs` for binary weights that include each cell itself.

Pseudo p-values come from conditional permutation (Anselin 1995), as in esda: a cell keeps its
own value and its k neighbours are drawn without replacement from the other n - 1 cells. Only
the sum of the draws matters, so one set of k-subsets of all n cells can serve many cells with
k neighbours (a grid has k in {3, 5, 8}): it is summed and sorted once, and each cell's count of
sums beyond its own is a binary search. The few draws that happen to hold the cell itself are
replaced, for that cell only, by fresh draws from the other n - 1, so every cell's null
distribution is exact. esda likewise reuses one set of random indices for every cell; but cells
sharing draws share their Monte Carlo error, so here each random batch of 64 cells gets its own
set, which keeps the map's result as steady from seed to seed as independent draws would.

One deliberate difference from esda: a permuted sum equal to the observed one counts as "at
least as extreme" on both sides. esda counts ties only upwards, so on sparse counts every cell
with an empty neighbourhood gets p = 1/(permutations + 1) and would be called a cold spot.
Without ties (continuous values) the two rules agree.

False discoveries among the cells are controlled with Benjamini & Hochberg (1995) over every
cell given, that is every cell of the study region's grid (decision 0013): the family is fixed
before the events are looked at. `hot_cells` is the one rule the situation page's layer and
`trygg hotspots` both use.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import sparse, stats

from trygg.analysis.multiple import benjamini_hochberg

HOT, COLD, NONE = "hot", "cold", "none"
DEFAULT_PERMUTATIONS = 999
DEFAULT_ALPHA = 0.05
# Sums of a few values differ by rounding far below this share of the largest value; anything
# closer is a tie (the same values summed in another order are the same sum).
TIE_TOLERANCE = 1e-9
# Cells sharing one set of draws share its Monte Carlo error. On the benchmark grid (40,000
# cells, 999 permutations) the number of hot cells varied from seed to seed with a standard
# deviation of 392 when all cells shared one set, 42 with batches of 1,024, 13 with batches of
# 64 and 11 with batches of 16 (near independent draws, four times slower).
CELLS_PER_BATCH = 64
DRAW_BUDGET = 40_000_000  # random values per neighbour count; bounds the time on huge grids
CHUNK = 4_000_000  # random values held at once (8 bytes each)

Seed = int | np.random.Generator | None


@dataclass(frozen=True, eq=False)
class GiStar:
    """Gi* for each cell, in the order of the input values."""

    local_sum: NDArray[np.float64]  # the cell's value plus its neighbours'
    z: NDArray[np.float64]  # nan when the values do not vary or every cell is a neighbour
    p_norm: NDArray[np.float64]  # one-sided, from the normal distribution (as esda)
    p_sim: NDArray[np.float64]  # pseudo p-value, one-sided on the observed side (as esda)
    q: NDArray[np.float64]  # Benjamini-Hochberg adjusted p_sim
    significant: NDArray[np.bool_]  # q <= alpha
    classification: NDArray[np.str_]  # "hot", "cold" or "none"
    permutations: int
    alpha: float


def gi_star(
    y: ArrayLike,
    weights: sparse.spmatrix | sparse.sparray,
    *,
    permutations: int = DEFAULT_PERMUTATIONS,
    alpha: float = DEFAULT_ALPHA,
    seed: Seed = None,
) -> GiStar:
    """Getis-Ord Gi* z-scores, conditional-permutation pseudo p-values and BH-controlled classes.

    `weights` are binary with each cell its own neighbour (diagonal 1), e.g.
    `queen_weights(grid, include_self=True)`. A cell is hot when it is significant on the
    high side and z > 0, cold when significant on the low side and z < 0.
    """
    values = _checked_values(y)
    matrix = _checked_weights(weights, len(values))
    _check_permutations(permutations)
    _check_alpha(alpha)
    local_sum = np.asarray(matrix @ values, dtype=float)
    z = _z_scores(values, matrix, local_sum)
    p_sim, high_side = _permutation_p_values(
        values, local_sum, np.diff(matrix.indptr) - 1, permutations, np.random.default_rng(seed)
    )
    q = benjamini_hochberg(p_sim)
    significant = q <= alpha
    return GiStar(
        local_sum=local_sum,
        z=z,
        p_norm=stats.norm.sf(np.abs(z)),
        p_sim=p_sim,
        q=q,
        significant=significant,
        classification=classify(z, significant, high_side),
        permutations=permutations,
        alpha=alpha,
    )


@dataclass(frozen=True, eq=False)
class HotCells:
    """Gi* of every cell and which of them are hot."""

    gi: GiStar
    hot: NDArray[np.bool_]  # significant on the high side with z > 0, FDR over every cell


def hot_cells(
    y: ArrayLike,
    weights: sparse.spmatrix | sparse.sparray,
    *,
    permutations: int = DEFAULT_PERMUTATIONS,
    alpha: float = DEFAULT_ALPHA,
    seed: Seed = None,
) -> HotCells:
    """Hot cells by Gi* (Getis & Ord 1992) with Benjamini-Hochberg (1995) over every given cell.

    The family is every cell passed in: the grid over a study region chosen before the events
    are looked at (the municipality's districts, an area, a file's extent). Leaving out cells
    by what happened in them, e.g. those with no event nearby, would select the family on the
    very counts being tested: their p-values are then no longer uniform under no clustering,
    and the false discovery rate is no longer controlled (decision 0013). A grid of m cells
    needs p-values near alpha / m to find anything, hence many permutations on large grids.
    """
    gi = gi_star(y, weights, permutations=permutations, alpha=alpha, seed=seed)
    return HotCells(gi=gi, hot=gi.classification == HOT)


def gi_star_z(y: ArrayLike, weights: sparse.spmatrix | sparse.sparray) -> NDArray[np.float64]:
    """Gi* z of Ord & Getis (1995), binary weights with self: (L - k·ȳ) / (s·√(k(n - k)/(n - 1))).

    L is the sum over the cell and its neighbours, k their number (self included) and s the
    population standard deviation of all n values.
    """
    values = _checked_values(y)
    matrix = _checked_weights(weights, len(values))
    return _z_scores(values, matrix, np.asarray(matrix @ values, dtype=float))


def _z_scores(
    values: NDArray[np.float64], matrix: sparse.csr_matrix, local_sum: NDArray[np.float64]
) -> NDArray[np.float64]:
    n = len(values)
    z = np.full(n, np.nan)
    if n < 2 or np.ptp(values) == 0:
        return z  # no variation: nothing to standardise by
    k = np.diff(matrix.indptr).astype(float)
    spread = values.std() * np.sqrt(k * (n - k) / (n - 1))
    defined = spread > 0  # a cell whose neighbourhood is every cell cannot differ from the mean
    z[defined] = (local_sum[defined] - k[defined] * values.mean()) / spread[defined]
    return z


def _permutation_p_values(
    y: NDArray[np.float64],
    local_sum: NDArray[np.float64],
    n_neighbours: NDArray[np.integer],
    permutations: int,
    rng: np.random.Generator,
) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """Conditional-permutation pseudo p-values (Anselin 1995): (extreme + 1) / (permutations + 1).

    `extreme` counts permuted sums at least as extreme as the observed one on its own side;
    returns the p-values and whether each cell lies on the high side.
    """
    neighbours_sum = local_sum - y  # what the null redraws; the cell's own value stays
    tolerance = TIE_TOLERANCE * float(np.abs(y).max(initial=0.0))
    at_least = np.zeros(len(y), dtype=np.int64)
    at_most = np.zeros(len(y), dtype=np.int64)
    for k in np.unique(n_neighbours):
        cells = np.flatnonzero(n_neighbours == k)
        at_least[cells], at_most[cells] = _tail_counts(
            y, neighbours_sum, cells, int(k), permutations, rng, tolerance
        )
    extreme = np.minimum(at_least, at_most)
    return (extreme + 1) / (permutations + 1), at_least <= at_most


def _tail_counts(
    y: NDArray[np.float64],
    neighbours_sum: NDArray[np.float64],
    cells: NDArray[np.int64],
    k: int,
    permutations: int,
    rng: np.random.Generator,
    tolerance: float,
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """For cells with k neighbours: how many permuted neighbour sums are >= and <= the observed."""
    low, high = neighbours_sum[cells] - tolerance, neighbours_sum[cells] + tolerance
    at_least = np.empty(len(cells), dtype=np.int64)
    at_most = np.empty(len(cells), dtype=np.int64)
    batches = _random_batches(len(cells), k, permutations, rng)
    per_chunk = max(1, CHUNK // (permutations * max(k, 1)))  # bounds memory
    for first in range(0, len(batches), per_chunk):
        chunk = batches[first : first + per_chunk]
        members = np.concatenate(chunk)
        at_least[members], at_most[members] = _chunk_tail_counts(
            y, cells, (low, high), chunk, k, permutations, rng
        )
    return at_least, at_most


def _random_batches(
    size: int, k: int, permutations: int, rng: np.random.Generator
) -> list[NDArray[np.int64]]:
    """Cells (positions) in random batches of about CELLS_PER_BATCH, within the draw budget."""
    n_batches = min(math.ceil(size / CELLS_PER_BATCH), DRAW_BUDGET // (permutations * max(k, 1)))
    # Random, not consecutive, so that one batch's luck is not a stripe on the map.
    return np.array_split(rng.permutation(size), max(1, n_batches))


def _chunk_tail_counts(
    y: NDArray[np.float64],
    cells: NDArray[np.int64],
    bounds: tuple[NDArray[np.float64], NDArray[np.float64]],
    batches: list[NDArray[np.int64]],
    k: int,
    permutations: int,
    rng: np.random.Generator,
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Each batch draws its own k-subsets of all n cells; counts for the batches' cells in order.

    A draw that holds a cell itself is replaced, for that cell only, by a fresh draw from the
    other n - 1 cells, so every cell's null distribution is exact.
    """
    low, high = bounds
    draws = _subsets(rng, len(y), k, len(batches) * permutations)
    sums = y[draws].sum(axis=0)
    ordered = np.sort(sums.reshape(len(batches), permutations), axis=1)
    at_least = np.concatenate(
        [permutations - np.searchsorted(ordered[b], low[m]) for b, m in enumerate(batches)]
    )
    at_most = np.concatenate(
        [np.searchsorted(ordered[b], high[m], side="right") for b, m in enumerate(batches)]
    )
    row, position = _draws_holding(draws, cells, batches, permutations, len(y))
    fresh = _sums_without(y, cells[position], k, rng)
    order = np.empty(len(cells), dtype=np.int64)  # a cell's place among the batches' cells
    order[np.concatenate(batches)] = np.arange(len(at_least))
    slot, replaced = order[position], sums[row]
    held_low, held_high = low[position], high[position]
    at_least += _net_change(slot, len(at_least), fresh >= held_low, replaced >= held_low)
    at_most += _net_change(slot, len(at_most), fresh <= held_high, replaced <= held_high)
    return at_least, at_most


def _draws_holding(
    draws: NDArray[np.int64],
    cells: NDArray[np.int64],
    batches: list[NDArray[np.int64]],
    permutations: int,
    n: int,
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """(row of the draw, position in `cells`) for every draw that picked a cell of its batch."""
    batch_of = np.full(n, -1, dtype=np.int64)  # -1: not among this chunk's cells
    position_of = np.full(n, -1, dtype=np.int64)
    for b, members in enumerate(batches):
        batch_of[cells[members]] = b
        position_of[cells[members]] = members
    row_batch = np.arange(draws.shape[1]) // permutations
    columns, rows = np.nonzero(batch_of[draws] == row_batch)
    return rows, position_of[draws[columns, rows]]


def _sums_without(
    y: NDArray[np.float64], anchors: NDArray[np.int64], k: int, rng: np.random.Generator
) -> NDArray[np.float64]:
    """One sum of k values drawn without replacement from the cells other than each anchor."""
    draws = _subsets(rng, len(y) - 1, k, len(anchors))
    # Positions 0..n-2 index the other cells: skip the anchor by shifting those at or past it.
    draws += draws >= anchors
    return y[draws].sum(axis=0)


def _net_change(
    slot: NDArray[np.int64], size: int, fresh: NDArray[np.bool_], replaced: NDArray[np.bool_]
) -> NDArray[np.int64]:
    """Per cell: how many replacement draws count minus how many of the draws they replace did."""
    change = fresh.astype(np.int64) - replaced.astype(np.int64)
    return np.bincount(slot, weights=change, minlength=size).astype(np.int64)


def classify(
    z: NDArray[np.float64], significant: NDArray[np.bool_], high_side: NDArray[np.bool_]
) -> NDArray[np.str_]:
    """Each cell's class, hot, cold or none: the permutation side and the sign of z must agree."""
    # They can disagree when a cell's own value is far from its neighbours': such a cell is
    # neither a cluster of high values nor one of low values.
    hot = significant & high_side & (z > 0)
    cold = significant & ~high_side & (z < 0)
    return np.where(hot, HOT, np.where(cold, COLD, NONE))


def sample_without_replacement(
    rng: np.random.Generator, population: int, k: int, rows: int
) -> NDArray[np.int64]:
    """`rows` uniform random k-subsets of range(population), one per row (Floyd's algorithm)."""
    return _subsets(rng, population, k, rows).T


def _subsets(rng: np.random.Generator, population: int, k: int, rows: int) -> NDArray[np.int64]:
    """Floyd's algorithm, one subset per column: shape (k, rows), each row of it contiguous."""
    if not 0 <= k <= population:
        raise ValueError(f"cannot draw {k} distinct values from {population}")
    chosen = np.empty((k, rows), dtype=np.int64)
    for column, j in enumerate(range(population - k, population)):
        candidate = rng.integers(0, j + 1, size=rows)
        taken = np.zeros(rows, dtype=bool)
        for earlier in chosen[:column]:
            taken |= earlier == candidate
        chosen[column] = np.where(taken, j, candidate)
    return chosen


def _checked_values(y: ArrayLike) -> NDArray[np.float64]:
    values = np.asarray(y, dtype=float)
    if values.ndim != 1 or len(values) == 0:
        raise ValueError(f"the values must be a non-empty 1-D array, not shape {values.shape}")
    if not np.isfinite(values).all():
        raise ValueError("the values must be finite numbers (no nan or inf)")
    return values


def _checked_weights(weights, n: int) -> sparse.csr_matrix:
    if not sparse.issparse(weights):
        raise ValueError("the weights must be a scipy.sparse matrix")
    matrix = sparse.csr_matrix(weights, dtype=float, copy=True)
    matrix.eliminate_zeros()
    matrix.sum_duplicates()
    if matrix.shape != (n, n):
        raise ValueError(f"the weights are {matrix.shape} but there are {n} values")
    if not np.all(matrix.data == 1.0):
        raise ValueError("Gi* here needs binary weights (every weight 1)")
    if not np.all(matrix.diagonal() == 1.0):
        raise ValueError("Gi* needs each cell as its own neighbour: use include_self=True")
    return matrix


def _check_permutations(permutations: int) -> None:
    if not isinstance(permutations, int | np.integer) or permutations < 1:
        raise ValueError(f"permutations must be a positive whole number, not {permutations!r}")


def _check_alpha(alpha: float) -> None:
    if not (isinstance(alpha, int | float) and 0 < alpha < 1):
        raise ValueError(f"alpha must lie between 0 and 1, not {alpha!r}")
