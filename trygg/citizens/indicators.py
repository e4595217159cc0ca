"""Citizen dialogues held, as an indicator a commitment can be followed by; registered in
measures.indicators from CitizensConfig.ready."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from trygg.citizens.models import Dialogue
from trygg.measures.indicators import IndicatorKind, IndicatorQuery, IndicatorValue


def dialogues_held(query: IndicatorQuery) -> IndicatorValue:
    """Dialogues of the municipality held in the period. A dialogue is held at a stop, not in
    an area, so the area is not used."""
    held = Dialogue.objects.filter(
        municipality_id=query.municipality_id,
        held_on__gte=query.first_day,
        held_on__lte=query.last_day,
    )
    return IndicatorValue(held.count())


DIALOGUES_HELD = IndicatorKind(
    "dialogues_held", _("Medborgardialoger genomförda"), _("medborgardialoger"), dialogues_held
)
