"""Purple Flag's grid: five focus areas × four evening and night time zones.

The focus areas' codes are the items of the walks' Purple Flag checklist
(`walks/checklist_seed.py`), so an evening walk's scores land in the same cells as the
self-assessment; the time zones are the walks' `TimeBand`. 23–02 and 02–05 lie after midnight:
`evening_of` says which evening a moment belongs to."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _

from trygg.walks.models.finding import TimeBand, time_band_of

# Scores are the walks' scale: 0 (poor) .. 3 (good), so the two can stand side by side.
SCALE_MAX = 3
# An evening runs from 17:00 to 05:00 the next morning (the four zones together).
EVENING_STARTS = 17
EVENING_ENDS = 5


class FocusArea(models.TextChoices):
    SAFETY = "sakerhet", _("säkerhet")
    ACCESS = "tillganglighet", _("tillgänglighet")
    OFFER = "utbud", _("utbud")
    PLACE = "plats", _("plats")
    POLICY = "policy", _("policy")


ZONES: tuple[str, ...] = tuple(TimeBand.values)
FOCUS_AREAS: tuple[str, ...] = tuple(FocusArea.values)


def zone_of(local: dt.datetime) -> str:
    """The time zone of a local moment, or '' in the day (05–17)."""
    return time_band_of(local.hour)


def evening_of(local: dt.datetime) -> dt.date:
    """The evening a local moment in a time zone belongs to: its date, or the day before
    until 05:00 (a quarter past one on 1 January is New Year's Eve)."""
    if local.hour < EVENING_ENDS:
        return local.date() - dt.timedelta(days=1)
    return local.date()
