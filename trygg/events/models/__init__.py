"""Categories, events and import runs: the shared log of events at places."""

from trygg.events.models.category import Category, PoliceEventType
from trygg.events.models.daily_count import DailyCount
from trygg.events.models.event import Event, EventQuerySet, ImportRun, Source, Status
from trygg.events.models.retention import RetentionPolicy
from trygg.organisations.ownership import Visibility  # one rule for every owned record

__all__ = [
    "Category",
    "DailyCount",
    "Event",
    "EventQuerySet",
    "ImportRun",
    "PoliceEventType",
    "RetentionPolicy",
    "Source",
    "Status",
    "Visibility",
]
