"""What measures carry out in the apps above measures, such as a commitment in a
medborgarlöfte ("Polisen kommer att: genomföra krogkontroller"). The spine runs one way
(decision 0014), so measures cannot ask promises: promises registers a source here from its
AppConfig.ready, and the åtgärdsplan and the measure's page read every source through
`for_measures`."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class CarriedOut:
    """One thing a measure carries out, in words ready for a page."""

    text: str  # the commitment: "Genomföra krogkontroller"
    heading: str  # what it belongs to: the promise's title
    column: str  # who promises: "Polisen kommer att"
    url: str  # its staff page
    adopted: bool = True  # False: still a draft in the working copy


# measure ids -> {measure id: [CarriedOut, ...]}
Source = Callable[[list[int]], Mapping[int, list[CarriedOut]]]

_SOURCES: dict[str, Source] = {}


def register(key: str, source: Source) -> None:
    existing = _SOURCES.get(key)
    if existing is not None and existing is not source:
        raise ValueError(f"source {key!r} of carried-out work is already registered")
    _SOURCES[key] = source


def registered() -> list[str]:
    return list(_SOURCES)


def for_measures(measure_ids: Iterable[int]) -> dict[int, list[CarriedOut]]:
    """For each measure with something to show, what it carries out (one query per source)."""
    ids = sorted(set(measure_ids))
    found: dict[int, list[CarriedOut]] = {}
    if not ids:
        return found
    for source in _SOURCES.values():
        for measure_id, items in source(ids).items():
            found.setdefault(measure_id, []).extend(items)
    return found
