"""Inspections held, as an indicator a commitment can be followed by ("minst en krogkontroll
i månaden"); registered in measures.indicators from PresenceConfig.ready, so the promises app
counts inspections without knowing the presence app."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

from trygg.core.periods import midnight
from trygg.measures.indicators import IndicatorKind, IndicatorQuery, IndicatorValue
from trygg.organisations.shards import joined_in_municipality
from trygg.presence.models import Inspection


def inspections_held(query: IndicatorQuery) -> IndicatorValue:
    """Inspections of the municipality's premises in the period, at a premise whose place lies
    in the area or one of its parts when given."""
    inspections = Inspection.objects.filter(
        municipality_id=query.municipality_id,
        starts_at__gte=midnight(query.first_day),
        starts_at__lt=midnight(query.last_day + dt.timedelta(days=1)),
    )
    if query.area is not None:
        # The premise joined in the municipality too: Citus refuses a join on its id alone.
        inspections = inspections.filter(
            premise__place__area_id__in=query.area.descendant_ids(),
            **joined_in_municipality("premise"),
        )
    return IndicatorValue(inspections.count())


INSPECTIONS_HELD = IndicatorKind(
    "inspections_held",
    _("Krogtillsyner genomförda"),
    _("krogtillsyner"),
    inspections_held,
    uses_area=True,
)
