"""The link tables of a measure's events and a meeting's organisations carry their measure's or
meeting's municipality (decision 0038): filled by the actions and by every way of writing the
link, and back-filled by the migration for links made before it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from trygg.measures import actions
from trygg.measures.models import Measure, MeasureEvent, Meeting, MeetingOrganisation
from trygg.places.municipality_column import CarriesMunicipalityQuerySet

HELD_ON = dt.date(2026, 11, 18)


@pytest.fixture
def measure(karlstad, coordinator) -> Measure:
    return actions.create_measure(karlstad, acting_user=coordinator, title="Belysning på torget")


def test_linking_events_to_a_measure_gives_the_links_the_measures_municipality(
    measure, coordinator, make_event, kommunen, karlstad
):
    first, second = make_event(kommunen), make_event(kommunen)
    actions.link_events(measure, [first, second], acting_user=coordinator)
    links = MeasureEvent.objects.filter(measure=measure)
    assert {link.event_id for link in links} == {first.pk, second.pk}
    assert {link.municipality_id for link in links} == {measure.municipality_id} == {karlstad.pk}


def test_a_meetings_organisations_are_linked_in_its_municipality(
    karlstad, coordinator, kommunen, polisen, bostadsbolaget
):
    meeting = actions.create_meeting(
        karlstad, held_on=HELD_ON, organisations=[kommunen, polisen], acting_user=coordinator
    )
    actions.update_meeting(
        meeting, held_on=HELD_ON, organisations=[polisen, bostadsbolaget], acting_user=coordinator
    )
    links = MeetingOrganisation.objects.filter(meeting=meeting)
    assert {link.organisation_id for link in links} == {polisen.pk, bostadsbolaget.pk}
    assert {link.municipality_id for link in links} == {meeting.municipality_id} == {karlstad.pk}


def test_every_way_of_writing_a_link_fills_the_column_and_a_pair_is_linked_once(
    measure, make_event, kommunen, karlstad
):
    assert isinstance(MeasureEvent._default_manager.all(), CarriesMunicipalityQuerySet)
    assert isinstance(MeetingOrganisation._default_manager.all(), CarriesMunicipalityQuerySet)
    first, second, third = (make_event(kommunen) for _ in range(3))
    measure.events.set([first, second])
    third.measures.add(measure)  # from the event's side
    measure.events.add(first)  # already there: nothing new
    assert set(measure.events.all()) == {first, second, third}
    assert set(MeasureEvent.objects.values_list("municipality_id", flat=True)) == {karlstad.pk}
    measure.events.remove(second)
    assert set(Measure.objects.filter(events=third)) == {measure}
    assert set(measure.events.all()) == {first, third}
    measure.events.clear()
    assert not MeasureEvent.objects.exists()
    MeasureEvent.objects.create(measure=measure, event=first)
    with pytest.raises(IntegrityError), transaction.atomic():
        MeasureEvent.objects.create(measure=measure, event=first)


def test_the_link_table_is_still_read_by_raw_sql(measure, make_event, kommunen, karlstad):
    event = make_event(kommunen)
    measure.events.add(event)
    with connection.cursor() as cursor:
        cursor.execute("SELECT measure_id, event_id, municipality_id FROM measures_measure_events")
        assert cursor.fetchall() == [(measure.pk, event.pk, karlstad.pk)]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_fills_the_column_of_links_made_before_it(karlstad, kommunen, polisen):
    executor = MigrationExecutor(connection)
    before = [("measures", "0004_rows_carry_municipality")]
    latest = executor.loader.graph.leaf_nodes("measures")
    executor.migrate(before)
    try:
        old = executor.loader.project_state(before).apps
        old_meeting = old.get_model("measures", "Meeting").objects.create(
            municipality_id=karlstad.pk, held_on=HELD_ON
        )
        old_meeting.organisations.add(kommunen.pk, polisen.pk)
        old_links = set(old_meeting.organisations.through.objects.values_list("pk", flat=True))
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(latest)
    links = MeetingOrganisation.objects.filter(meeting_id=old_meeting.pk)
    assert set(links.values_list("pk", flat=True)) == old_links  # the same rows
    assert {link.municipality_id for link in links} == {karlstad.pk}
    assert set(Meeting.objects.get(pk=old_meeting.pk).organisations.all()) == {kommunen, polisen}
