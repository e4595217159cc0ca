"""Many tests read together: false discoveries controlled over a family of p-values.

One function for every table or map that marks some of its rows or cells as "larger than
chance": the CompStat table's change markers (`counts.control_fdr`) and the hotspot cells
(`hotspots.hot_cells`).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray


def benjamini_hochberg(p: ArrayLike) -> NDArray[np.float64]:
    """Benjamini & Hochberg (1995) adjusted p-values: the smallest FDR at which each is rejected.

    Equal to statsmodels' `multipletests(p, method="fdr_bh")[1]`; an empty family gives an
    empty array.
    """
    values = np.asarray(p, dtype=float)
    if values.ndim != 1 or not np.all((values >= 0) & (values <= 1)):
        raise ValueError("p-values must be a 1-D array of numbers between 0 and 1")
    m = len(values)
    order = np.argsort(values, kind="stable")
    scaled = values[order] * m / np.arange(1, m + 1)
    # q of the i-th smallest is the smallest scaled value from i upwards.
    q_sorted = np.minimum.accumulate(scaled[::-1])[::-1]
    q = np.empty(m)
    q[order] = np.minimum(q_sorted, 1.0)
    return q
