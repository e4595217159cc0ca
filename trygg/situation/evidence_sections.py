"""Parts of a problem area's evidence that apps above situation contribute, such as the safety
survey's index for the problem's areas or what residents raised at the citizen dialogues. The
spine runs one way, so the page that gathers the evidence (promises) cannot ask those apps for
them: each registers its section here from its AppConfig.ready.

A section computes from the municipality, the problem's areas (empty: the whole
municipality), its event categories and the period (both days included); it returns
JSON-ready data, or None when it has nothing to say (no survey, no dialogue in the period).
The page renders the section's template under the section's heading with the data as `data`.
Sections come in `order`, then by key."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise


@dataclass(frozen=True)
class EvidenceSection:
    key: str  # the section's anchor on the page
    heading: str | Promise
    template: str
    # (municipality, areas, categories, first day, last day) -> JSON-ready data or None
    compute: Callable[..., dict[str, Any] | None]
    order: int = 100


@dataclass(frozen=True)
class ComputedSection:
    section: EvidenceSection
    data: dict[str, Any]


_SECTIONS: dict[str, EvidenceSection] = {}


def register(section: EvidenceSection) -> None:
    existing = _SECTIONS.get(section.key)
    if existing is not None and existing != section:
        raise ValueError(f"evidence section {section.key!r} is already registered")
    _SECTIONS[section.key] = section


def registered() -> list[EvidenceSection]:
    return sorted(_SECTIONS.values(), key=lambda section: (section.order, section.key))


def compute_all(
    municipality,
    areas: Sequence,
    categories: Sequence,
    first_day: dt.date,
    last_day: dt.date,
) -> list[ComputedSection]:
    """Every registered section with something to say, in order."""
    computed = []
    for section in registered():
        data = section.compute(municipality, list(areas), list(categories), first_day, last_day)
        if data is not None:
            computed.append(ComputedSection(section, data))
    return computed
