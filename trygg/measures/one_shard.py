"""Reads that name the municipality of every sharded table they touch.

Tenant tables are sharded by `municipality_id` (decision 0038): a query goes to one shard
only when each sharded table in it, joined or in a subquery, is filtered on the same
municipality. Django joins and follows relations on ids alone, so these helpers add the
municipality where the measures app reads across its link tables and nullable relations.
A measure's events, meeting, plan problem and pack are always in its own municipality."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, IntegerField, Model, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models import prefetch_related_objects as _prefetch
from django.db.models.functions import Coalesce

from trygg.events.models import Event
from trygg.measures.models import Measure, MeasureEvent, MeetingOrganisation, PlanProblem
from trygg.organisations.models import Organisation


def linked_event_ids(measure: Measure) -> QuerySet:
    """The ids of the events `measure` answers, from the link table alone."""
    return MeasureEvent.objects.filter(
        municipality_id=measure.municipality_id, measure_id=measure.pk
    ).values("event_id")


def linked_events(measure: Measure, events: QuerySet[Event] | None = None) -> QuerySet[Event]:
    """`measure.events`, with the municipality named on the events and on the link table.
    `events` narrows it further (e.g. to what a user may see)."""
    events = Event.objects.all() if events is None else events
    return events.filter(municipality_id=measure.municipality_id, pk__in=linked_event_ids(measure))


def visible_event_ids(measures: Iterable[Measure], events: QuerySet[Event]) -> dict[int, list[int]]:
    """{measure id: the ids of its events among `events` (what a user may see), ascending}
    for measures of one or more municipalities: the link rows and the events each read in a
    query naming the measures' municipalities (the measure's events lie in its own), where
    `prefetch_related("events")` joins the link table to the events on the event alone."""
    measures = list(measures)
    if not measures:
        return {}
    municipalities = {measure.municipality_id for measure in measures}
    links = list(
        MeasureEvent.objects.filter(
            municipality_id__in=municipalities, measure_id__in=[m.pk for m in measures]
        ).values_list("measure_id", "event_id")
    )
    seen = (
        set(
            events.filter(
                municipality_id__in=municipalities, pk__in={event_id for _, event_id in links}
            ).values_list("pk", flat=True)
        )
        if links
        else set()
    )
    found: dict[int, list[int]] = {measure.pk: [] for measure in measures}
    for measure_id, event_id in links:
        if event_id in seen:
            found[measure_id].append(event_id)
    return {measure_id: sorted(ids) for measure_id, ids in found.items()}


def attach_measures(events: list[Event], municipality_id: int) -> list[Event]:
    """Set `linked_measures` on each event (its measures, by due date) in two queries that
    name the municipality, where `prefetch_related("measures")` would join the link table
    without it."""
    links = list(
        MeasureEvent.objects.filter(
            municipality_id=municipality_id, event_id__in=[e.pk for e in events]
        ).values_list("event_id", "measure_id")
    )
    measures = Measure.objects.filter(
        municipality_id=municipality_id, pk__in={measure_id for _, measure_id in links}
    )
    by_pk = {measure.pk: measure for measure in measures} if links else {}
    order = {pk: n for n, pk in enumerate(by_pk)}
    for event in events:
        own = [by_pk[m] for e, m in links if e == event.pk and m in by_pk]
        event.linked_measures = sorted(own, key=lambda m: order[m.pk])  # type: ignore[attr-defined]
    return events


def meeting_organisations(meeting) -> QuerySet[Organisation]:
    """`meeting.organisations` (a shared table) by way of a link-table subquery that names the
    meeting's municipality."""
    links = MeetingOrganisation.objects.filter(
        municipality_id=meeting.municipality_id, meeting_id=meeting.pk
    )
    return Organisation.objects.filter(pk__in=links.values("organisation_id"))


def load_problem(measures: Iterable[Measure], municipality_id: int) -> None:
    """Fill `measure.problem` and its plan for measures of one municipality (what
    `select_related("problem__plan")` did, as an outer join Citus cannot send to one shard)."""
    problems = PlanProblem.objects.filter(
        municipality_id=municipality_id, plan__municipality_id=municipality_id
    ).select_related("plan")
    _prefetch(list(measures), Prefetch("problem", queryset=problems))


def load_in_municipality(objects: Iterable[Model], municipality_id: int, *fields: str) -> None:
    """Fill the nullable foreign keys `fields` (to tenant tables) of objects of one
    municipality, each in a query that names it, in place of a `select_related` outer join."""
    objects = list(objects)
    if not objects:
        return
    model = type(objects[0])
    lookups = []
    for name in fields:
        related = model._meta.get_field(name).related_model
        queryset = related._default_manager.filter(municipality_id=municipality_id)  # type: ignore[union-attr]
        lookups.append(Prefetch(name, queryset=queryset))
    _prefetch(objects, *lookups)


def count_of(queryset: QuerySet, parent: str) -> Coalesce:
    """How many rows of `queryset` point at the outer query's row through `parent`, as a
    subquery: unlike `Count("children")` it joins nothing to the outer table, so when both
    name the municipality Citus sends the whole query to one shard."""
    counted = (
        queryset.filter(**{parent: OuterRef("pk")})
        .order_by()
        .values(parent)
        .annotate(n=Count("pk", distinct=True))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)
