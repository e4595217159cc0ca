"""Gi* checked against esda on the same grid and weights, and against the exact permutation null."""

from __future__ import annotations

import itertools
import warnings

import esda
import numpy as np
import pytest
import shapely
from hypothesis import given
from hypothesis import strategies as st
from libpysal.weights import DistanceBand, W
from scipy import sparse
from statsmodels.stats.multitest import multipletests

from trygg.analysis.grid import grid_over_bounds, grid_over_polygon, queen_weights
from trygg.analysis.hotspots import (
    COLD,
    HOT,
    NONE,
    classify,
    gi_star,
    gi_star_z,
    hot_cells,
    sample_without_replacement,
)


def esda_gi_star(y, grid, permutations=999, seed=7):
    """esda's Gi* on our queen weights: binary, and esda adds the diagonal itself (star=True)."""
    with warnings.catch_warnings():
        # esda warns about islands and about its coming change of the default alternative.
        warnings.simplefilter("ignore")
        w = W.from_sparse(queen_weights(grid))
        return esda.G_Local(
            y, w, star=True, transform="B", permutations=permutations, seed=seed, n_jobs=1
        )


def clustered_counts(grid, seed=1):
    """Poisson counts around a few centres, as events in a town cluster."""
    rng = np.random.default_rng(seed)
    row, col = np.divmod(grid.cells, grid.n_cols)
    rate = np.full(grid.size, 0.3)
    for r, c in rng.uniform(0, [grid.n_rows, grid.n_cols], size=(3, 2)):
        rate += 4.0 * np.exp(-((row - r) ** 2 + (col - c) ** 2) / 8.0)
    return rng.poisson(rate).astype(float)


def planted_hotspot(side=20, seed=3):
    """Continuous values (no ties) with a 4 x 4 block raised far above the rest."""
    grid = grid_over_bounds(0, 0, side * 100 - 1, side * 100 - 1)
    y = np.random.default_rng(seed).lognormal(0.0, 0.5, grid.size)
    row, col = np.divmod(grid.cells, grid.n_cols)
    block = (row >= 8) & (row < 12) & (col >= 8) & (col < 12)
    y[block] += 20.0
    return grid, y, block


def test_gi_star_z_scores_match_esda_on_the_same_grid_and_weights():
    grid = grid_over_bounds(0, 0, 2999, 2999)  # 30 x 30 cells
    y = clustered_counts(grid)
    ours = gi_star(y, queen_weights(grid, include_self=True), permutations=99, seed=1)
    reference = esda_gi_star(y, grid, permutations=99)
    assert np.max(np.abs(ours.z - reference.Zs)) < 1e-6
    assert np.allclose(ours.p_norm, reference.p_norm)


def test_gi_star_z_scores_match_esda_on_a_masked_grid():
    disc = shapely.Point(1000, 1000).buffer(900)
    grid = grid_over_polygon(disc, cell=100)
    y = clustered_counts(grid, seed=5)
    ours = gi_star_z(y, queen_weights(grid, include_self=True))
    assert np.max(np.abs(ours - esda_gi_star(y, grid, permutations=9).Zs)) < 1e-6


def test_gi_star_z_scores_match_the_esda_documentation_example():
    # esda's own Gi* example (binary DistanceBand weights, star=True), docstring of G_Local.
    points = [(10, 10), (20, 10), (40, 10), (15, 20), (30, 20), (30, 30)]
    weights = DistanceBand(points, threshold=15, silence_warnings=True).sparse
    y = np.array([2, 3, 3.2, 5, 8, 7])
    z = gi_star_z(y, weights + sparse.identity(6))
    expected = [-1.39727626, -0.28917762, 0.65064964, -0.28917762, 1.23452088, 2.02424331]
    assert np.allclose(z, expected, atol=1e-8)


def test_permutation_p_values_agree_with_esda_within_monte_carlo_error():
    grid, y, _ = planted_hotspot()
    ours = gi_star(y, queen_weights(grid, include_self=True), seed=11)
    reference = esda_gi_star(y, grid)
    difference = np.abs(ours.p_sim - reference.p_sim)
    # Two independent runs of 999 permutations: the standard error of a difference is at most
    # sqrt(2 * 0.25 / 999) = 0.022.
    assert difference.max() < 0.1
    assert difference.mean() < 0.03


def test_a_planted_hotspot_is_called_hot_by_us_and_by_esda_alike():
    grid, y, block = planted_hotspot()
    ours = gi_star(y, queen_weights(grid, include_self=True), seed=12)
    reference = esda_gi_star(y, grid)
    threshold = esda.fdr(reference.p_sim, 0.05)
    esda_hot = (reference.p_sim <= threshold) & (reference.Zs > 0)
    our_hot = ours.classification == HOT
    # The block is hot in both, and no cell out of its reach is hot in either.
    assert our_hot[block].all() and esda_hot[block].all()
    touching = queen_weights(grid, include_self=True) @ block.astype(float) > 0
    assert not (our_hot & ~touching).any() and not (esda_hot & ~touching).any()
    # A ring cell touching one or two block cells is borderline (the block's values turn up
    # in permuted neighbourhoods too): Monte Carlo error may tip one or two of them.
    assert (our_hot != esda_hot).sum() <= 2


def test_pseudo_p_values_converge_to_the_exact_conditional_permutation_null():
    grid = grid_over_bounds(0, 0, 399, 399)  # 16 cells: every neighbour set can be enumerated
    y = np.array([0, 3, 1, 0, 5, 2, 0, 1, 1, 0, 4, 2, 7, 0, 1, 3], dtype=float)
    weights = queen_weights(grid, include_self=True)
    result = gi_star(y, weights, permutations=40_000, seed=5)
    for i in range(grid.size):
        others = np.delete(y, i)
        k = weights[i].nnz - 1
        sums = np.array([others[list(c)].sum() for c in itertools.combinations(range(15), k)])
        observed = result.local_sum[i] - y[i]
        exact = min((sums >= observed).mean(), (sums <= observed).mean())
        # Four standard errors of a proportion estimated from 40,000 draws.
        assert result.p_sim[i] == pytest.approx(exact, abs=4 * np.sqrt(0.25 / 40_000) + 1e-4)


def test_an_empty_neighbourhood_among_sparse_counts_is_not_a_cold_spot():
    grid = grid_over_bounds(0, 0, 1999, 1999)
    y = np.random.default_rng(2).poisson(0.2, grid.size).astype(float)
    ours = gi_star(y, queen_weights(grid, include_self=True), seed=1)
    empty = ours.local_sum == 0
    assert empty.sum() > 50
    # Four in five cells are empty, so an empty neighbourhood of eight turns up in about one
    # permutation in five: common, not extreme.
    assert (ours.p_sim[empty] > 0.1).all()
    assert not (ours.classification == COLD).any()
    # esda counts ties only upwards and gives these cells its smallest p-value.
    assert np.allclose(esda_gi_star(y, grid).p_sim[empty], 0.001)


def test_seeded_runs_are_reproducible():
    grid = grid_over_bounds(0, 0, 1499, 1499)
    y, weights = clustered_counts(grid), queen_weights(grid, include_self=True)
    first = gi_star(y, weights, seed=42)
    assert np.array_equal(first.p_sim, gi_star(y, weights, seed=42).p_sim)
    assert np.array_equal(first.p_sim, gi_star(y, weights, seed=np.random.default_rng(42)).p_sim)
    assert not np.array_equal(first.p_sim, gi_star(y, weights, seed=43).p_sim)


def test_the_number_of_hot_cells_is_steady_from_seed_to_seed():
    # Cells that shared one set of draws would share its luck: with one set for all cells the
    # hot count here ranged from 297 to 349 over these seeds; with a set per batch, 328 to 345.
    grid = grid_over_bounds(0, 0, 9999, 9999)  # 100 x 100 cells
    rng = np.random.default_rng(1)
    row, col = np.divmod(grid.cells, grid.n_cols)
    rate = np.full(grid.size, 0.05)
    for _ in range(15):
        r, c, width = rng.uniform(0, 100), rng.uniform(0, 100), rng.uniform(1, 4)
        rate += rng.uniform(0.5, 4) * np.exp(-((row - r) ** 2 + (col - c) ** 2) / (2 * width**2))
    y, weights = rng.poisson(rate).astype(float), queen_weights(grid, include_self=True)
    hot = [
        (gi_star(y, weights, permutations=9999, seed=seed).classification == HOT).sum()
        for seed in range(5)
    ]
    assert (max(hot) - min(hot)) / np.mean(hot) < 0.1


def test_all_zero_counts_give_no_z_and_nothing_significant():
    grid = grid_over_bounds(0, 0, 999, 999)
    result = gi_star(np.zeros(grid.size), queen_weights(grid, include_self=True), seed=1)
    assert np.isnan(result.z).all()
    assert (result.p_sim == 1).all()
    assert not result.significant.any()
    assert (result.classification == NONE).all()


def test_a_single_cell_and_a_two_by_two_grid_do_not_crash():
    one = grid_over_bounds(0, 0, 50, 50)
    single = gi_star([3.0], queen_weights(one, include_self=True), seed=1)
    assert np.isnan(single.z).all() and (single.p_sim == 1).all()
    # In a 2 x 2 grid every cell neighbours every other: Gi* cannot tell the cells apart.
    four = grid_over_bounds(0, 0, 199, 199)
    small = gi_star([0.0, 1.0, 5.0, 2.0], queen_weights(four, include_self=True), seed=1)
    assert np.isnan(small.z).all() and (small.p_sim == 1).all()


def test_an_island_cell_keeps_its_own_value_and_is_never_significant():
    islands = shapely.MultiPolygon(
        [shapely.box(0, 0, 500, 500), shapely.box(1000, 1000, 1100, 1100)]
    )
    grid = grid_over_polygon(islands, cell=100)
    y = np.zeros(grid.size)
    y[-1] = 50.0  # the lone cell, far above the rest
    result = gi_star(y, queen_weights(grid, include_self=True), seed=1)
    assert result.p_sim[-1] == 1.0
    assert result.classification[-1] == NONE


def test_a_cell_is_hot_or_cold_only_when_its_side_and_its_z_agree():
    z = np.array([2.0, 2.0, -2.0, -2.0, 3.0])
    significant = np.array([True, True, True, True, False])
    high_side = np.array([True, False, False, True, True])
    assert classify(z, significant, high_side).tolist() == [HOT, NONE, COLD, NONE, NONE]


@given(st.integers(0, 12), st.integers(0, 12), st.integers(1, 300))
def test_sampling_without_replacement_gives_distinct_values_in_range(population, k, rows):
    if k > population:
        with pytest.raises(ValueError):
            sample_without_replacement(np.random.default_rng(0), population, k, rows)
        return
    draws = sample_without_replacement(np.random.default_rng(0), population, k, rows)
    assert draws.shape == (rows, k)
    assert ((draws >= 0) & (draws < population)).all()
    assert all(len(set(row)) == k for row in draws.tolist())


def test_sampling_without_replacement_makes_every_subset_equally_likely():
    draws = sample_without_replacement(np.random.default_rng(1), 6, 3, 60_000)
    subsets, counts = np.unique(np.sort(draws, axis=1), axis=0, return_counts=True)
    assert len(subsets) == 20  # C(6, 3)
    # 3,000 expected each; five standard deviations is about 270.
    assert np.abs(counts - 3000).max() < 270


@pytest.mark.parametrize(
    ("values", "weights", "message"),
    [
        ([1.0, np.nan, 2.0, 0.0], None, "finite"),
        ([], None, "non-empty"),
        ([1.0, 2.0, 3.0], None, "4 values|3 values"),
        ([1.0, 2.0, 0.0, 1.0], "no self", "own neighbour"),
        ([1.0, 2.0, 0.0, 1.0], "weighted", "binary"),
        ([1.0, 2.0, 0.0, 1.0], "dense", "scipy.sparse"),
    ],
)
def test_bad_values_or_weights_are_refused(values, weights, message):
    grid = grid_over_bounds(0, 0, 199, 199)
    matrix = {
        None: queen_weights(grid, include_self=True),
        "no self": queen_weights(grid),
        "weighted": queen_weights(grid, include_self=True) * 0.5,
        "dense": queen_weights(grid, include_self=True).toarray(),
    }[weights]
    with pytest.raises(ValueError, match=message):
        gi_star(values, matrix)


@pytest.mark.parametrize(("option", "value"), [("permutations", 0), ("alpha", 1.0)])
def test_bad_permutations_or_alpha_are_refused(option, value):
    grid = grid_over_bounds(0, 0, 199, 199)
    with pytest.raises(ValueError, match=option):
        gi_star([1.0, 2.0, 0.0, 1.0], queen_weights(grid, include_self=True), **{option: value})


def test_hot_cells_control_the_false_discovery_rate_over_every_cell_empty_ones_included():
    grid = grid_over_bounds(0, 0, 2999, 2999)  # 30 x 30 cells, most of them empty
    rng = np.random.default_rng(8)
    y = np.zeros(grid.size)
    block = [r * 30 + c for r in range(12, 16) for c in range(12, 16)]
    y[block] = rng.poisson(6, len(block))
    y[rng.choice(grid.size, 40, replace=False)] += 1
    found = hot_cells(y, queen_weights(grid, include_self=True), permutations=1999, seed=3)
    assert (found.gi.local_sum == 0).sum() > grid.size / 3
    q = multipletests(found.gi.p_sim, method="fdr_bh")[1]
    assert np.allclose(found.gi.q, q)
    assert np.array_equal(
        found.hot, (q <= 0.05) & (found.gi.z > 0) & (found.gi.classification == HOT)
    )
    assert found.hot[block].sum() >= 8
