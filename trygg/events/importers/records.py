"""What a source module makes of a file: one `Candidate`, `RowError` or `Skip` per record,
and the file as `Records`, whose parts can be parsed apart (in separate processes, parallel.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass

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
    # from it (only municipality_id, if the record names one).
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
    """A file's records, parsed on demand.

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
