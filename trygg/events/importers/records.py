"""What a source module makes of a file: one `Candidate`, `RowError` or `Skip` per record;
the file as a `RecordStream`, read a batch at a time (decision 0034), and each batch as
`Records`, whose parts can be parsed apart (in separate processes, parallel.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any

from django.utils.translation import gettext as _

from trygg.events.models import Visibility


@dataclass(slots=True)
class Candidate:
    """One record, parsed and checked on its own, ready for the checks that need all rows.

    Slots: a million of these exist at once in a large import; without a __dict__ each is
    smaller and quicker to make."""

    row: int
    external_id: str
    category_id: int
    occurred_from: dt.datetime
    lat: float
    lon: float
    description: str = ""
    occurred_to: dt.datetime | None = None
    visibility: str = Visibility.PARTNERS
    place_id: int | None = None
    precision_m: int = 25
    municipality_id: int | None = None  # known from the record (police: from its name)
    # The position is a county's centroid (police feed): it must lie in Sweden, but the
    # municipality it happens to fall in is not where the event was, so none is assigned
    # from it: municipality_id is then the county's own row (Gotland's: the municipality).
    county_level: bool = False
    external_type: str = ""
    source_url: str = ""


@dataclass(frozen=True)
class RowError:
    row: int
    field: str
    message: str

    def __str__(self) -> str:
        return _("rad %(row)s, %(field)s: %(message)s") % {
            "row": self.row,
            "field": self.field,
            "message": self.message,
        }


@dataclass(frozen=True)
class Skip:
    """A record deliberately not imported, with the reason (counted in the report)."""

    row: int
    reason: str


Parsed = Candidate | RowError | Skip


class Records:
    """A batch of a file's records (or a small file's all), parsed on demand.

    Iterating parses them all, in order. `part(start, stop)` parses the records at those
    positions (0-based, row numbers stay the file's), so a large file can be parsed by several
    processes at once. `prepare_to_split` loads, in the parent process, whatever parsing would
    otherwise fetch from the database on first use: a forked process must not query.
    """

    def __init__(
        self,
        count: int,
        parse_part: Callable[[int, int], Iterator[Parsed]],
        prepare_to_split: Callable[[], None] | None = None,
    ):
        self.count = count
        self._parse_part = parse_part
        self._prepare_to_split = prepare_to_split

    def __len__(self) -> int:
        return self.count

    def __iter__(self) -> Iterator[Parsed]:
        return self._parse_part(0, self.count)

    def part(self, start: int, stop: int) -> Iterator[Parsed]:
        return self._parse_part(start, stop)

    def prepare_to_split(self) -> None:
        if self._prepare_to_split is not None:
            self._prepare_to_split()

    def batches(self, size: int) -> Iterator[Records]:
        """These records as consecutive batches of at most `size`, each parsed on demand."""
        for start in range(0, self.count, size):
            stop = min(self.count, start + size)

            def parse_part(a: int, b: int, start: int = start) -> Iterator[Parsed]:
                return self._parse_part(start + a, start + b)

            yield Records(stop - start, parse_part, self._prepare_to_split)


class RecordStream:
    """A file's records read a batch at a time: no more than one batch of raw records (the
    dicts of a JSON array, the cells of CSV rows) is held at once, however large the file.

    `open_items()` reads the file anew from its start and yields its raw records in order;
    `make_batch(start, items)` turns the raw records from position `start` (0-based) on into
    `Records`, parsed on demand with the file's own row numbers. Iterating parses them all.
    """

    def __init__(
        self,
        open_items: Callable[[], Iterator[Any]],
        make_batch: Callable[[int, list[Any]], Records],
    ):
        self._open_items = open_items
        self._make_batch = make_batch

    def batches(self, size: int) -> Iterator[Records]:
        items = self._open_items()
        start = 0
        while chunk := list(islice(items, size)):
            yield self._make_batch(start, chunk)
            start += len(chunk)
            del chunk  # not held while the next one is read

    def __iter__(self) -> Iterator[Parsed]:
        for batch in self.batches(10_000):
            yield from batch


def batches(parsed: Iterable[Parsed], size: int) -> Iterator[Iterable[Parsed]]:
    """Any source of parsed records as consecutive batches of at most `size`: a stream's or a
    `Records`' own (parsed on demand, possibly in parts), else plain lists."""
    if isinstance(parsed, RecordStream | Records):
        yield from parsed.batches(size)
        return
    items = iter(parsed)
    while chunk := list(islice(items, size)):
        yield chunk
