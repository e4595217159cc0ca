"""The evening and night picture of a Purple Flag area: its events by time zone (17–20,
20–23, 23–02, 02–05) × category, this year against the same evenings a year earlier.

An event counts in the evening it belongs to (`zones.evening_of`): a quarter past one on
1 January is New Year's Eve, in the old year. Events in the day (05–17) are left out. The
comparison is the situation picture's: the exact test of two Poisson counts for each row,
marked over the rows with Benjamini-Hochberg (`situation.picture.marked_comparisons`), and
"too few to say" when the counts are too small for any change to show. The printout for the
application counts only what every partner may see and shows small counts as "fewer than 3",
as the public summary does (`situation.public.figure`)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone

from trygg.presence.evenings import local
from trygg.purpleflag.models import Certification
from trygg.purpleflag.zones import EVENING_ENDS, EVENING_STARTS, ZONES, evening_of, zone_of
from trygg.situation.picture import display_groups, marked_comparisons
from trygg.situation.public import figure
from trygg.situation.scope import Scope
from trygg.walks.models.finding import TimeBand


@dataclass(frozen=True)
class Span:
    """The evenings first..last (inclusive) of one year."""

    first: dt.date
    last: dt.date


def _year_earlier(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def spans(year: int, today: dt.date) -> tuple[Span, Span]:
    """This year's evenings so far (the whole year once it is over) and the same evenings a
    year earlier."""
    last = min(dt.date(year, 12, 31), today - dt.timedelta(days=1))
    first = dt.date(year, 1, 1)
    if last < first:  # a year not begun: nothing yet, and nothing to compare with
        last = first - dt.timedelta(days=1)
    return Span(first, last), Span(_year_earlier(first), _year_earlier(last))


def _counts(scope: Scope, span: Span, group_of: dict[int, int]) -> dict[tuple[int, str], int]:
    """(category row, zone) -> events in the span's evenings."""
    counts: dict[tuple[int, str], int] = defaultdict(int)
    if span.last < span.first:
        return counts
    tz = timezone.get_default_timezone()
    start = local(span.first, dt.time(EVENING_STARTS), tz)
    end = local(span.last + dt.timedelta(days=1), dt.time(EVENING_ENDS), tz)
    rows = scope.events().filter(occurred_from__gte=start, occurred_from__lt=end)
    for moment, category_id in rows.values_list("occurred_from", "category_id").iterator():
        when = moment.astimezone(tz)
        zone = zone_of(when)
        group = group_of.get(category_id)
        if zone and group is not None and span.first <= evening_of(when) <= span.last:
            counts[(group, zone)] += 1
    return counts


def evening_picture(certification: Certification, user, today: dt.date, *, shared_only=False):
    """The picture as plain data for the page, the printout and the API."""
    scope = Scope(
        user, certification.municipality, area=certification.area, shared_only=shared_only
    )
    now_span, before_span = spans(certification.year, today)
    names, group_of = display_groups(None)
    now = _counts(scope, now_span, group_of)
    before = _counts(scope, before_span, group_of)
    rows: list[dict[str, Any]] = []
    for pk, name in names.items():
        cells: list[dict[str, Any]] = [
            {"zone": z, "now": now[(pk, z)], "before": before[(pk, z)]} for z in ZONES
        ]
        total_now, total_before = sum(c["now"] for c in cells), sum(c["before"] for c in cells)
        if total_now or total_before:
            rows.append(
                {"category": name, "cells": cells, "now": total_now, "before": total_before}
            )
    rows.sort(key=lambda row: (-row["now"], row["category"]))
    for row, change in zip(rows, _marked(rows), strict=True):
        row["change"] = change
    zones = [
        {
            "zone": z,
            "label": str(TimeBand(z).label),
            "now": sum(r["cells"][i]["now"] for r in rows),
            "before": sum(r["cells"][i]["before"] for r in rows),
        }
        for i, z in enumerate(ZONES)
    ]
    for zone, change in zip(zones, _marked(zones), strict=True):
        zone["change"] = change
    return {
        "span": {"first": now_span.first, "last": now_span.last},
        "earlier": {"first": before_span.first, "last": before_span.last},
        "rows": rows,
        "zones": zones,
        "now": sum(z["now"] for z in zones),
        "before": sum(z["before"] for z in zones),
        "shared_only": shared_only,
    }


def _marked(rows: list[dict]) -> list[dict]:
    # The same evenings in both years: equal exposure.
    return marked_comparisons([(row["now"], row["before"]) for row in rows], 1.0)


def suppressed(picture: dict) -> dict:
    """The picture for the printout: every figure built from its cells by the suppression rule,
    so no total gives a small cell away."""
    threshold = settings.TRYGG_SUPPRESSION_THRESHOLD
    rows = [
        {
            "category": row["category"],
            "cells": [
                {"now": figure([c["now"]], threshold), "before": figure([c["before"]], threshold)}
                for c in row["cells"]
            ],
            "now": figure([c["now"] for c in row["cells"]], threshold),
            "before": figure([c["before"] for c in row["cells"]], threshold),
        }
        for row in picture["rows"]
    ]
    zones = [
        {
            "now": figure([r["cells"][i]["now"] for r in picture["rows"]], threshold),
            "before": figure([r["cells"][i]["before"] for r in picture["rows"]], threshold),
        }
        for i in range(len(ZONES))
    ]
    all_now = [c["now"] for r in picture["rows"] for c in r["cells"]]
    all_before = [c["before"] for r in picture["rows"] for c in r["cells"]]
    return {
        "rows": rows,
        "zones": zones,
        "now": figure(all_now, threshold),
        "before": figure(all_before, threshold),
        "threshold": threshold,
    }
