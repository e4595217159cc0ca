"""Parts of the annual lägesbild that apps above situation contribute, such as the headline
figures of the latest safety survey. The spine runs one way, so situation cannot ask those
apps for them: each registers its section here from its AppConfig.ready.

A section is computed when a version's figures are computed and kept in the version's
generated sections under its key, so a version reopens as it went to the board. A section
whose `compute` returns None (nothing to say, e.g. no survey yet) is left out of that version,
and of its table of contents; a version kept before the section existed has no such key and
shows nothing either. The section's template is rendered under the document's numbered
heading with the kept data as `data`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise


@dataclass(frozen=True)
class AnnualSection:
    key: str  # where a version keeps it (generated["sections"][key]) and its anchor
    heading: str | Promise
    template: str
    # (municipality, report year, last day the report counts) -> JSON-ready data or None
    compute: Callable[..., dict[str, Any] | None]


_SECTIONS: dict[str, AnnualSection] = {}


def register(section: AnnualSection) -> None:
    existing = _SECTIONS.get(section.key)
    if existing is not None and existing != section:
        raise ValueError(f"annual section {section.key!r} is already registered")
    _SECTIONS[section.key] = section


def registered() -> list[AnnualSection]:
    return list(_SECTIONS.values())


def compute_all(municipality, year: int, last_day: dt.date) -> dict[str, dict[str, Any]]:
    """Every registered section's data for a new version, by key; sections with nothing to
    say are left out."""
    computed = {
        section.key: section.compute(municipality, year, last_day) for section in _SECTIONS.values()
    }
    return {key: data for key, data in computed.items() if data is not None}
