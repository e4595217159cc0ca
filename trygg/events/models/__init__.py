"""Categories, events and import runs: the shared log of events at places."""

from trygg.events.models.category import Category, PoliceEventType
from trygg.events.models.event import Event, EventQuerySet, ImportRun, Source, Status, Visibility

__all__ = [
    "Category",
    "Event",
    "EventQuerySet",
    "ImportRun",
    "PoliceEventType",
    "Source",
    "Status",
    "Visibility",
]
