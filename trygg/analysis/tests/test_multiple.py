"""Benjamini-Hochberg checked against statsmodels and esda on the same p-values."""

from __future__ import annotations

import esda
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from statsmodels.stats.multitest import multipletests

from trygg.analysis.multiple import benjamini_hochberg


def test_q_values_match_statsmodels_and_the_cells_esda_fdr_keeps():
    p = np.random.default_rng(4).uniform(0, 1, 500) ** 3
    q = benjamini_hochberg(p)
    assert np.allclose(q, multipletests(p, method="fdr_bh")[1])
    for alpha in (0.01, 0.05, 0.1):
        assert ((q <= alpha) == (p <= esda.fdr(p, alpha))).all()


@given(st.lists(st.sampled_from([0.0, 0.001, 0.01, 0.02, 0.04, 0.3, 1.0]), max_size=40))
def test_q_values_match_statsmodels_with_ties_and_the_same_rows_rejected(p):
    # Discrete tests (counts, permutations) give many equal p-values.
    values = np.array(p, dtype=float)
    q = benjamini_hochberg(values)
    if not len(values):
        assert q.shape == (0,)
        return
    rejected, expected, _sidak, _bonferroni = multipletests(values, alpha=0.05, method="fdr_bh")
    assert np.allclose(q, expected, rtol=0, atol=1e-12)
    assert ((q <= 0.05) == rejected).all()


@given(st.lists(st.floats(0, 1), min_size=1, max_size=60))
def test_q_values_are_at_least_the_p_values_and_keep_their_order(p):
    values = np.array(p)
    q = benjamini_hochberg(values)
    assert (q >= values - 1e-12).all() and (q <= 1).all()
    order = np.argsort(values, kind="stable")
    assert (np.diff(q[order]) >= -1e-12).all()


@pytest.mark.parametrize("bad", [[0.5, 1.5], [-0.1], [[0.1, 0.2]], [float("nan")]])
def test_p_values_outside_zero_to_one_or_not_a_list_are_refused(bad):
    with pytest.raises(ValueError):
        benjamini_hochberg(bad)
