"""Small counts in public outputs: shown exactly, as "fewer than N", or as a range of sums.

A public figure is a sum of cells of one table of counts (for the public summary: district ×
top-level category × month). A cell with 0 < n < threshold is shown as "fewer than threshold";
zeros are shown (a zero says nothing about anyone).

A total shown exactly would give such a cell away: with one suppressed cell in a row, the cell
is the row total minus the others; two suppressed cells that add up to 2 are both 1; and
tables that share cells are linked, so checking each table on its own is not enough. Rounding
totals is not safe either: beside exact cells, a rounded total can still pin a cell near a
rounding boundary.

So every figure is computed from the cells it adds up, never from other figures, by one rule
(`suppress`): if none of them is suppressed it is shown exactly; if it is exactly one
suppressed cell it is "fewer than threshold" too; otherwise it is the range a reader could work
out from the shown cells anyway: the shown cells plus 1 … threshold - 1 for each suppressed one.
Every published number is then a function of the shown cells and of which cells are
suppressed, so all figures together say no more about a suppressed cell than that it lies in
1 … threshold - 1 (the rule of primary suppression with ranges instead of secondary
suppression; Hundepool et al., Statistical Disclosure Control, 2012, ch. 5).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from numbers import Integral

COUNT, FEW, RANGE = "count", "few", "range"


@dataclass(frozen=True)
class Shown:
    """One figure as it may be published: an exact count, "fewer than the threshold", a range."""

    state: str  # COUNT, FEW or RANGE
    low: int | None  # the count, or the range's lower end; None for FEW
    high: int | None  # the range's upper end; None unless RANGE


def suppress(parts: Iterable[int], threshold: int) -> Shown:
    """The published form of a sum of table cells (`parts`), by the rule in the module docstring."""
    _check_threshold(threshold)
    cells = [_checked_count(n) for n in parts]
    cells = [n for n in cells if n]
    small = [n for n in cells if n < threshold]
    if not small:
        return Shown(COUNT, sum(cells), None)
    if len(cells) == 1:
        return Shown(FEW, None, None)
    exact = sum(cells) - sum(small)
    return Shown(RANGE, exact + len(small), exact + len(small) * (threshold - 1))


def is_suppressed(n: int, threshold: int) -> bool:
    """Whether one cell is too small to publish: 0 < n < threshold."""
    _check_threshold(threshold)
    return 0 < _checked_count(n) < threshold


def _check_threshold(threshold: int) -> None:
    if isinstance(threshold, bool) or not isinstance(threshold, Integral) or threshold < 1:
        raise ValueError(f"the threshold must be a whole number of at least 1, not {threshold!r}")


def _checked_count(n: int) -> int:
    if isinstance(n, bool) or not isinstance(n, Integral) or n < 0:
        raise ValueError(f"a count must be a whole number of at least 0, not {n!r}")
    return int(n)
