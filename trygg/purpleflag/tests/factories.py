"""Purple Flag years for tests, made through the actions (so the audit rows are real), and
evening walks with Purple Flag scores recorded as the phones send them."""

from __future__ import annotations

import datetime as dt

from trygg.purpleflag.actions import CertificationInput, create_certification
from trygg.walks.tests.factories import capture, item, make_walk

# An evening walk in the centre: 18:00 UTC is 19:00 in Stockholm in November (zone 17–20).
EVENING_WALK_AT = dt.datetime(2026, 11, 10, 18, 0, tzinfo=dt.UTC)


def make_year(coordinator, area, municipality=None, **fields):
    values = {
        "area": area,
        "year": 2026,
        "starts_on": dt.date(2026, 1, 15),
        "application_due": dt.date(2026, 9, 30),
    } | fields
    return create_certification(
        municipality or area.municipality, CertificationInput(**values), acting_user=coordinator
    )


def evening_walk(organisation, coordinator, scores: dict[str, int] | None = None, **fields):
    """A Purple Flag walk with one finding at 19:20 local time scored per focus area."""
    walk = make_walk(organisation, template_code="purple-flag", walk_at=EVENING_WALK_AT, **fields)
    scores = scores if scores is not None else {"sakerhet": 2, "plats": 1}
    capture(
        walk,
        coordinator,
        captured_at=EVENING_WALK_AT + dt.timedelta(minutes=20),
        scores={item(walk, code): score for code, score in scores.items()},
    )
    return walk
