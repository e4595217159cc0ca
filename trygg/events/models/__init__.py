"""Categories, events and import runs: the shared log of events at places."""

from trygg.events.models.category import Category, PoliceEventType
from trygg.events.models.daily_count import DailyCount
from trygg.events.models.event import Event, EventQuerySet, ImportRun, Source, Status, Visibility

__all__ = [
    "Category",
    "DailyCount",
    "Event",
    "EventQuerySet",
    "ImportRun",
    "PoliceEventType",
    "Source",
    "Status",
    "Visibility",
]
