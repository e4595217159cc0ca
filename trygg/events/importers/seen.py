"""The ids an import has taken so far, for finding a repeat later in the file without holding
the ids themselves: a 64-bit hash and the file's row of each, 12 bytes a record, in sorted
numpy arrays (decision 0034).

A hash found may belong to another id (for ten million ids about one chance in 400,000 that any
two share one); the importer confirms a repeat in the database while it is writing."""

from __future__ import annotations

import numpy as np

# Arrays are merged up to this many entries; beyond it each stays apart (a lookup searches
# each), so a merge never copies more than this many at once.
LEVEL_MAX = 1 << 20


class SeenIds:
    def __init__(self) -> None:
        self._levels: list[tuple[np.ndarray, np.ndarray]] = []  # (sorted hashes, their rows)

    def __len__(self) -> int:
        return sum(len(keys) for keys, _rows in self._levels)

    def rows_of(self, hashes: np.ndarray) -> np.ndarray:
        """The row first seen with each hash, or -1."""
        found = np.full(len(hashes), -1, dtype=np.int64)
        for keys, rows in self._levels:
            at = np.minimum(np.searchsorted(keys, hashes), len(keys) - 1)
            hit = (keys[at] == hashes) & (found < 0)
            found[hit] = rows[at[hit]]
        return found

    def add(self, hashes: np.ndarray, rows: np.ndarray) -> None:
        if not len(hashes):
            return
        order = np.argsort(hashes, kind="stable")
        self._levels.append((hashes[order], rows[order].astype(np.int32)))
        levels = self._levels
        while (
            len(levels) > 1
            and len(levels[-2][0]) <= 2 * len(levels[-1][0])
            and len(levels[-2][0]) + len(levels[-1][0]) <= LEVEL_MAX
        ):
            (keys_a, rows_a), (keys_b, rows_b) = levels[-2], levels[-1]
            keys = np.concatenate([keys_a, keys_b])
            order = np.argsort(keys, kind="stable")  # a's entries before b's for equal hashes
            levels[-2:] = [(keys[order], np.concatenate([rows_a, rows_b])[order])]
