"""Suppression of small counts: exact counts never below the threshold, ranges that hold the
truth, and a table whose figures together cannot give a suppressed cell away."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trygg.analysis.suppression import COUNT, FEW, RANGE, Shown, is_suppressed, suppress

cells = st.lists(st.integers(0, 12), min_size=1, max_size=8)
thresholds = st.integers(1, 6)


def test_a_sum_with_suppressed_cells_is_the_range_a_reader_could_work_out():
    assert suppress([5, 4, 0], 3) == Shown(COUNT, 9, None)
    assert suppress([0, 2, 0], 3) == Shown(FEW, None, None)
    assert suppress([1, 1], 3) == Shown(RANGE, 2, 4)  # never 2: that would pin both
    assert suppress([5, 4, 2], 3) == Shown(RANGE, 10, 11)
    assert suppress([], 3) == Shown(COUNT, 0, None)
    assert suppress([4], 5) == Shown(FEW, None, None)


@given(cells, thresholds)
def test_no_exact_count_is_shown_below_the_threshold_except_zero(parts, threshold):
    shown = suppress(parts, threshold)
    if shown.state == COUNT:
        assert shown.low == 0 or shown.low >= threshold
        assert shown.low == sum(parts)


@given(cells, thresholds)
def test_the_figure_holds_the_true_sum(parts, threshold):
    shown = suppress(parts, threshold)
    total = sum(parts)
    if shown.state == FEW:
        assert 0 < total < threshold
    elif shown.state == RANGE:
        assert shown.low <= total <= shown.high
        # With threshold 2 a suppressed cell can only be 1: "fewer than 2" already says so.
        assert (shown.low < shown.high) == (threshold > 2)


@given(cells, thresholds, st.data())
def test_a_figure_is_the_same_whatever_its_suppressed_cells_hold(parts, threshold, data):
    other = [
        data.draw(st.integers(1, threshold - 1)) if is_suppressed(n, threshold) else n
        for n in parts
    ]
    assert suppress(other, threshold) == suppress(parts, threshold)


@given(
    st.lists(st.lists(st.integers(0, 7), min_size=3, max_size=3), min_size=1, max_size=5),
    st.integers(2, 5),
    st.data(),
)
def test_no_suppressed_cell_can_be_recovered_from_a_table_its_totals_and_the_grand_total(
    table, threshold, data
):
    # Everything a reader sees, cells and row, column and grand totals, is the same whatever
    # the suppressed cells hold: no subtraction can tell them apart.
    def published(rows):
        columns = list(zip(*rows, strict=True))
        every = [n for row in rows for n in row]
        return (
            [suppress([n], threshold) for n in every],
            [suppress(row, threshold) for row in rows],
            [suppress(column, threshold) for column in columns],
            suppress(every, threshold),
        )

    redrawn = [
        [
            data.draw(st.integers(1, threshold - 1)) if is_suppressed(n, threshold) else n
            for n in row
        ]
        for row in table
    ]
    assert published(redrawn) == published(table)


@pytest.mark.parametrize("threshold", [0, -1, 2.5, True, "3"])
def test_a_threshold_that_is_not_a_positive_whole_number_is_refused(threshold):
    with pytest.raises(ValueError):
        suppress([1], threshold)


@pytest.mark.parametrize("count", [-1, 1.5, None])
def test_a_count_that_is_not_a_whole_number_is_refused(count):
    with pytest.raises(ValueError):
        suppress([3, count], 3)
