"""How well a hotspot map from one period foretold where events happened in the next.

Hit rate n/N, the Predictive Accuracy Index PAI = (n/N) / (a/A) (Chainey, Tompson & Uhlig
2008), the Predictive Efficiency Index PEI = PAI / PAI* (Hunt 2016), where PAI* is what the best
selection of the same area could have reached, and the Recapture Rate Index
RRI = (n2/n1) / (N2/N1) (Levine 2008). n counts events in the selected cells, N all events,
a is the selected area and A the whole area. A ratio whose denominator is zero (no events) is
nan: a period without events says nothing about a map.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray


@dataclass(frozen=True)
class MapAccuracy:
    """A hotspot map (selected cells from period 1) judged against period 2."""

    events: int  # N: period 2, all cells
    captured: int  # n: period 2, selected cells
    best_possible: int  # n*: period 2, the same number of cells chosen afterwards
    area: float  # a
    total_area: float  # A
    hit_rate: float
    pai: float
    pei: float
    rri: float


def hit_rate(n: float, N: float) -> float:
    """Share of all events that fell in the selected area, n / N."""
    _check_part("n", n, "N", N)
    return n / N if N else math.nan


def pai(n: float, N: float, a: float, A: float) -> float:
    """Predictive Accuracy Index (Chainey, Tompson & Uhlig 2008): (n / N) / (a / A)."""
    _check_part("n", n, "N", N)
    _check_area(a, A)
    return (n / N) / (a / A) if N else math.nan


def pei(n: float, n_star: float) -> float:
    """Predictive Efficiency Index (Hunt 2016): PAI / PAI*, which is n / n* as N, a, A cancel.

    n* is the most events any selection of the same area could have captured.
    """
    _check_part("n", n, "n*", n_star)
    return n / n_star if n_star else math.nan


def rri(n1: float, N1: float, n2: float, N2: float) -> float:
    """Recapture Rate Index (Levine 2008): (n2 / n1) / (N2 / N1), periods 1 and 2."""
    _check_part("n1", n1, "N1", N1)
    _check_part("n2", n2, "N2", N2)
    return (n2 / n1) / (N2 / N1) if n1 and N2 else math.nan


def judge_hotspot_map(
    period1: ArrayLike, period2: ArrayLike, selected: ArrayLike, cell_area: float
) -> MapAccuracy:
    """Hit rate, PAI, PEI and RRI of the cells `selected` (from period 1) on period 2's counts.

    n* sums the period-2 counts of its k busiest cells, k being the number of selected cells.
    """
    first, second = _checked_counts(period1, "period1"), _checked_counts(period2, "period2")
    chosen = np.asarray(selected)
    if chosen.dtype != bool or chosen.shape != second.shape or first.shape != second.shape:
        raise ValueError("period1, period2 and selected (booleans) must have one value per cell")
    if not chosen.any():
        raise ValueError("no cell is selected")
    if not (math.isfinite(cell_area) and cell_area > 0):
        raise ValueError(f"the cell area must be a positive number, not {cell_area!r}")
    k = int(chosen.sum())
    n, N = int(second[chosen].sum()), int(second.sum())
    n_star = int(np.sort(second)[::-1][:k].sum())
    a, A = k * cell_area, len(second) * cell_area
    return MapAccuracy(
        events=N,
        captured=n,
        best_possible=n_star,
        area=a,
        total_area=A,
        hit_rate=hit_rate(n, N),
        pai=pai(n, N, a, A),
        pei=pei(n, n_star),
        rri=rri(int(first[chosen].sum()), int(first.sum()), n, N),
    )


def _check_part(part_name: str, part: float, whole_name: str, whole: float) -> None:
    if not (math.isfinite(part) and math.isfinite(whole) and 0 <= part <= whole):
        raise ValueError(
            f"{part_name} must lie between 0 and {whole_name}: {part_name}={part}, "
            f"{whole_name}={whole}"
        )


def _check_area(a: float, A: float) -> None:
    if not (math.isfinite(a) and math.isfinite(A) and 0 < a <= A):
        raise ValueError(f"the selected area a must lie in (0, A]: a={a}, A={A}")


def _checked_counts(counts: ArrayLike, name: str) -> NDArray[np.int64]:
    values = np.asarray(counts)
    if values.ndim != 1 or len(values) == 0:
        raise ValueError(f"{name} must be a non-empty 1-D array of counts per cell")
    if not np.issubdtype(values.dtype, np.number) or not np.all(
        np.isfinite(values) & (values >= 0) & (values == np.round(values))
    ):
        raise ValueError(f"{name} must hold whole, non-negative counts")
    return values.astype(np.int64)
