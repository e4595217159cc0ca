"""Reading krogtillsyn: the month-by-month count of inspections against the inspection plan's
target, and the municipality's premises with their licence and latest inspection."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, Max, Prefetch
from django.utils import timezone

from trygg.core.periods import MONTHS_SV
from trygg.events.models import Event
from trygg.measures.models import Measure
from trygg.organisations.models import Organisation
from trygg.organisations.shards import joined_in_municipality
from trygg.presence.models import (
    Inspection,
    InspectionEvent,
    InspectionMeasure,
    InspectionOrganisation,
    InspectionPlan,
    Licence,
    Premise,
)


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
    """The premises by name, each with today's licence and its inspections of `year`.

    The premises, their licences, their inspections and the inspections' findings are read in
    separate queries that each name the municipality, so that Citus sends every one of them to
    the municipality's shard (a count through outer joins to the inspections it refuses)."""
    licences = Licence.objects.filter(municipality_id=municipality_id).valid_on(today)
    premises = (
        Premise.objects.filter(municipality_id=municipality_id)
        .select_related("place")
        .prefetch_related(
            # By the licence's own columns: the default order joins the premise.
            Prefetch("licences", licences.order_by("premise_id", "-valid_from"), to_attr="now")
        )
        .order_by("name", "pk")
    )
    inspections = Inspection.objects.filter(municipality_id=municipality_id).order_by()
    latest = dict(
        inspections.values("premise")
        .annotate(latest=Max("starts_at"))
        .values_list("premise", "latest")
    )
    in_year = Inspection.objects.in_year(municipality_id, year)
    held = dict(
        in_year.order_by().values("premise").annotate(n=Count("pk")).values_list("premise", "n")
    )
    found = dict(
        InspectionEvent.objects.filter(
            municipality_id=municipality_id,
            inspection__municipality_id=municipality_id,
            inspection__in=in_year,
        )
        .order_by()
        .values("inspection__premise")
        .annotate(n=Count("pk"))
        .values_list("inspection__premise", "n")
    )
    return [
        PremiseRow(
            p, p.now[0] if p.now else None, latest.get(p.pk), held.get(p.pk, 0), found.get(p.pk, 0)
        )
        for p in premises
    ]


# --- an inspection's links ----------------------------------------------------------------------
# The many-to-many managers read a link table joined to its target with only the inspection's
# id: Citus refuses that join (events and measures are sharded) or sends it to every shard. These
# name the inspection's municipality on the link table and on the target (an inspection's
# findings and follow-ups lie at the premise's place, in its municipality).


def organisations_of(inspection: Inspection):
    """The organisations that took part, by name."""
    links = InspectionOrganisation.objects.filter(
        municipality_id=inspection.municipality_id, inspection=inspection
    )
    return Organisation.objects.filter(pk__in=links.values("organisation_id"))


def findings_of(inspection: Inspection):
    """The inspection's findings (events), in the events' default order."""
    municipality_id = inspection.municipality_id
    links = InspectionEvent.objects.filter(municipality_id=municipality_id, inspection=inspection)
    return Event.objects.filter(municipality_id=municipality_id, pk__in=links.values("event_id"))


def measures_of(inspection: Inspection):
    """The inspection's follow-ups (measures), in the measures' default order."""
    municipality_id = inspection.municipality_id
    links = InspectionMeasure.objects.filter(municipality_id=municipality_id, inspection=inspection)
    return Measure.objects.filter(
        municipality_id=municipality_id, pk__in=links.values("measure_id")
    )


def load_links(inspections: Sequence[Inspection]) -> None:
    """Read the organisations, findings (with their categories) and measures of inspections in
    three queries, into the caches `prefetch_related` fills, so that
    `inspection.findings.all()` and the others read no more. Each names the inspections'
    municipalities on the link table and joins the event or measure on the municipality too
    (where every link lies): one shard for one municipality's inspections."""
    if not inspections:
        return
    ids = [inspection.pk for inspection in inspections]
    municipalities = {inspection.municipality_id for inspection in inspections}
    links = {"municipality_id__in": municipalities, "inspection_id__in": ids}
    organisations: dict[int, list] = defaultdict(list)
    for o in (
        InspectionOrganisation.objects.filter(**links)
        .select_related("organisation")
        .order_by("organisation", "pk")
    ):
        organisations[o.inspection_id].append(o.organisation)
    findings: dict[int, list] = defaultdict(list)
    for f in (
        InspectionEvent.objects.filter(**links, **joined_in_municipality("event"))
        .select_related("event__category")
        .order_by("event", "pk")
    ):
        findings[f.inspection_id].append(f.event)
    measures: dict[int, list] = defaultdict(list)
    for m in (
        InspectionMeasure.objects.filter(**links, **joined_in_municipality("measure"))
        .select_related("measure")
        .order_by("measure", "pk")
    ):
        measures[m.inspection_id].append(m.measure)
    for inspection in inspections:
        _cache(inspection, "organisations", organisations[inspection.pk])
        _cache(inspection, "findings", findings[inspection.pk])
        _cache(inspection, "measures", measures[inspection.pk])


def _cache(inspection: Inspection, name: str, rows: list) -> None:
    """What `prefetch_related` stores for a many-to-many: the manager's queryset, evaluated."""
    queryset = getattr(inspection, name).get_queryset()
    queryset._result_cache = rows
    queryset._prefetch_done = True
    inspection.__dict__.setdefault("_prefetched_objects_cache", {})[name] = queryset


def with_parents(inspection: Inspection) -> Inspection:
    """The inspection with its premise (and place) and licence read in queries that name its
    municipality (not joined: a join of sharded tables over several municipalities, as a page
    looked up by id has, is refused by Citus)."""
    municipality_id = inspection.municipality_id
    inspection.premise = Premise.objects.select_related("place").get(
        pk=inspection.premise_id, municipality_id=municipality_id
    )
    inspection.licence = Licence.objects.get(
        pk=inspection.licence_id, municipality_id=municipality_id
    )
    return inspection
