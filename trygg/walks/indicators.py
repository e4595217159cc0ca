"""Walks held, as an indicator a commitment can be followed by ("minst 4
trygghetsvandringar per år"); registered in measures.indicators from WalksConfig.ready."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

from trygg.core.periods import midnight
from trygg.measures.indicators import IndicatorKind, IndicatorQuery, IndicatorValue
from trygg.walks.models import Walk

HELD = (Walk.Status.WALKED, Walk.Status.PROTOCOL_SENT, Walk.Status.FOLLOWED_UP)


def walks_held(query: IndicatorQuery) -> IndicatorValue:
    """Walks of the municipality that took place in the period (walked, whatever has come
    after), in the area or one of its parts when given."""
    walks = Walk.objects.filter(
        municipality_id=query.municipality_id,
        status__in=HELD,
        walk_at__gte=midnight(query.first_day),
        walk_at__lt=midnight(query.last_day + dt.timedelta(days=1)),
    )
    if query.area is not None:
        walks = walks.filter(area_id__in=query.area.descendant_ids())
    return IndicatorValue(walks.count())


WALKS_HELD = IndicatorKind(
    "walks_held",
    _("Trygghetsvandringar genomförda"),
    _("trygghetsvandringar"),
    walks_held,
    uses_area=True,
)
