"""What a situation picture is about: one municipality or an area in it, a period, a category
subtree and a source, as seen by one user. Every count on the page starts here, so no count
includes an event the user may not see.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from trygg.events.daily_counts import counted
from trygg.events.models import Category, DailyCount, Event, Visibility
from trygg.organisations.access import access_for
from trygg.places.models import Area, Municipality

SHARED = [Visibility.PUBLIC, Visibility.PARTNERS]


@dataclass(frozen=True)
class Scope:
    user: object
    municipality: Municipality
    area: Area | None = None
    category: Category | None = None
    source: str | None = None
    # The meeting pack is the whole group's document: it counts only what every partner in
    # the municipality may see, never one organisation's internal events.
    shared_only: bool = False

    @property
    def uses_rollup(self) -> bool:
        """Municipality-wide pictures read the daily counts; an area reads its own events."""
        return self.area is None

    def cache_key(self) -> str:
        """What a picture of this scope depends on besides the period: the filters, and whose
        eyes (superusers see everything; others also count their organisations' own events)."""
        access = access_for(self.user)
        eyes = "all" if access.is_superuser else ",".join(map(str, sorted(access.organisation_ids)))
        parts = (
            self.municipality.pk,
            self.area.pk if self.area else "",
            self.category.pk if self.category else "",
            self.source or "",
            int(self.shared_only),
            eyes,
        )
        return ":".join(str(part) for part in parts)

    def category_ids(self) -> list[int] | None:
        return None if self.category is None else self.category.descendant_ids()

    def events(self):
        """The visible, counted events in scope, any time."""
        events = counted(Event.objects.visible_to(self.user)).filter(municipality=self.municipality)
        if self.area is not None:
            events = events.in_area(self.area)
        if self.category is not None:
            events = events.filter(category_id__in=self.category_ids())
        if self.source:
            events = events.filter(source=self.source)
        if self.shared_only:
            events = events.filter(visibility__in=SHARED)
        return events.order_by()

    def daily_counts(self):
        """The rollup rows in scope (municipality-wide only), limited to what the user sees."""
        rows = DailyCount.objects.filter(municipality=self.municipality)
        if not access_for(self.user).is_superuser:
            rows = rows.filter(_visible_rollup_rows(self.user))
        if self.category is not None:
            rows = rows.filter(category_id__in=self.category_ids())
        if self.source:
            rows = rows.filter(source=self.source)
        if self.shared_only:
            rows = rows.filter(visibility__in=SHARED)
        return rows.order_by()


def _visible_rollup_rows(user) -> Q:
    """`Event.visible_to` on the rollup, for a municipality the user works in: public and
    partner events, and their own organisations' own events."""
    own = access_for(user).organisation_ids
    return Q(visibility__in=SHARED) | Q(visibility=Visibility.ORGANISATION, organisation_id__in=own)
