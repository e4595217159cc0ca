"""Reading krogtillsyn: the month-by-month count of inspections against the inspection plan's
target, and the municipality's premises with their licence and latest inspection."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Max, Prefetch, Q
from django.utils import timezone

from trygg.core.periods import MONTHS_SV
from trygg.presence.models import Inspection, InspectionPlan, Licence, Premise


@dataclass(frozen=True)
class Month:
    month: int
    count: int
    target: int | None
    ended: bool  # the month is over, so whether it met the target is settled

    @property
    def name(self) -> str:
        return MONTHS_SV[self.month - 1]

    @property
    def met(self) -> bool | None:
        """Whether the month reached the target (None: no target, or the month is not over and
        has not reached it yet)."""
        if self.target is None:
            return None
        if self.count >= self.target:
            return True
        return False if self.ended else None


def monthly(municipality_id: int, year: int, today: dt.date) -> list[Month]:
    """The twelve months of `year`: inspections held (local time) and the plan's target."""
    plan = InspectionPlan.objects.filter(municipality_id=municipality_id, year=year).first()
    moments = Inspection.objects.in_year(municipality_id, year).values_list("starts_at", flat=True)
    counts = Counter(timezone.localtime(moment).month for moment in moments)
    return [
        Month(
            month=m,
            count=counts.get(m, 0),
            target=plan.target_per_month if plan else None,
            ended=(year, m) < (today.year, today.month),
        )
        for m in range(1, 13)
    ]


@dataclass(frozen=True)
class PremiseRow:
    premise: Premise
    licence: Licence | None  # in force today
    latest: dt.datetime | None
    inspections: int  # in the year shown
    findings: int  # in the year shown


def premise_rows(municipality_id: int, year: int, today: dt.date) -> list[PremiseRow]:
    """The premises by name, each with today's licence and its inspections of `year`."""
    in_year = Q(inspections__in=Inspection.objects.in_year(municipality_id, year))
    premises = (
        Premise.objects.filter(municipality_id=municipality_id)
        .select_related("place")
        .prefetch_related(Prefetch("licences", Licence.objects.valid_on(today), to_attr="now"))
        .annotate(
            latest=Max("inspections__starts_at"),
            held=Count("inspections", filter=in_year, distinct=True),
            found=Count("inspections__findings", filter=in_year),
        )
        .order_by("name", "pk")
    )
    return [PremiseRow(p, p.now[0] if p.now else None, p.latest, p.held, p.found) for p in premises]
