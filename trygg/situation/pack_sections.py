"""Parts of the meeting pack that apps above situation contribute, such as the measures the
group decided on. The spine runs one way (events → picture → measures), so situation cannot
ask measures for them: measures registers its part here from its AppConfig.ready.

A section is computed when a pack is made and kept in the pack's content under its key, so a
pack reopens as the group saw it; its template is rendered on the pack's page and in its PDF
with the kept data under the same name (a pack made before the section existed has None)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class PackSection:
    key: str  # where the pack keeps it (pack.content[key]) and its template's variable
    template: str
    # (municipality, period start, period end (exclusive), today) -> JSON-ready data
    compute: Callable[..., dict]


_SECTIONS: dict[str, PackSection] = {}


def register(section: PackSection) -> None:
    existing = _SECTIONS.get(section.key)
    if existing is not None and existing != section:
        raise ValueError(f"pack section {section.key!r} is already registered")
    _SECTIONS[section.key] = section


def registered() -> list[PackSection]:
    return list(_SECTIONS.values())


def compute_all(municipality, period_start: dt.date, period_end: dt.date, today: dt.date) -> dict:
    """Every registered section's data for a new pack, by key."""
    return {
        section.key: section.compute(municipality, period_start, period_end, today)
        for section in _SECTIONS.values()
    }
