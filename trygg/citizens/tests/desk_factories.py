"""A Trygghetscenter for tests: Karlstad's, staffed by the municipality and the police (the
personas' organisations), and cases recorded through the action (scrubber and audit real)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from trygg.citizens.actions.desk import record_case
from trygg.citizens.models import Centre, DeskCase


def make_centre(municipality, *organisations, name: str = "Trygghetscenter") -> Centre:
    centre = Centre.objects.create(municipality=municipality, name=name)
    centre.organisations.set(organisations)
    return centre


def desk_case(centre: Centre, acting_user, **fields) -> DeskCase:
    """An unsafe-place case about an area, visited on the (frozen) day before today."""
    values: dict[str, Any] = {"topic": "unsafe_place", "visited_on": dt.date(2026, 11, 21)} | fields
    return record_case(centre, acting_user=acting_user, **values)
