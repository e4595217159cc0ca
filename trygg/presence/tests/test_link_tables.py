"""The links of an inspection (findings, measures, organisations) and of a guard area (its
areas) carry the municipality of the inspection or guard area, filled by the actions that make
them and by the migration for links made before it (decision 0038)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from trygg.presence.actions.guards import create_guard_area, update_guard_area
from trygg.presence.actions.inspections import FindingInput, add_follow_up, record_inspection
from trygg.presence.models import (
    GuardAreaArea,
    InspectionEvent,
    InspectionMeasure,
    InspectionOrganisation,
)
from trygg.presence.tests.test_guards import decision
from trygg.presence.tests.test_inspections import krog, visit


@pytest.mark.django_db
@pytest.mark.frozen
def test_the_links_made_by_the_actions_carry_the_owners_municipality(
    coordinator, karlstad, kajen, kommunen, polisen, centrum, kronoparken
):
    inspection = record_inspection(
        kajen,
        visit([kommunen, polisen], kommunen, [FindingInput(krog("overservering"))]),
        acting_user=coordinator,
    )
    add_follow_up(inspection, title="Uppföljning", responsible=kommunen, acting_user=coordinator)
    guard_area = create_guard_area(karlstad, decision(centrum), acting_user=coordinator)
    update_guard_area(guard_area, decision(centrum, kronoparken), acting_user=coordinator)

    links = [
        *InspectionEvent.objects.filter(inspection=inspection),
        *InspectionMeasure.objects.filter(inspection=inspection),
        *InspectionOrganisation.objects.filter(inspection=inspection),
    ]
    assert len(links) == 4
    assert inspection.municipality_id == karlstad.pk
    assert {link.municipality_id for link in links} == {inspection.municipality_id}
    areas = GuardAreaArea.objects.filter(guard_area=guard_area)
    assert sorted(areas.values_list("area_id", flat=True)) == sorted([centrum.pk, kronoparken.pk])
    assert set(areas.values_list("municipality_id", flat=True)) == {karlstad.pk}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_fills_the_column_of_links_that_existed_before_it(
    karlstad, centrum, kronoparken
):
    executor = MigrationExecutor(connection)
    before = [("presence", "0005_municipality_column")]
    latest = executor.loader.graph.leaf_nodes("presence")
    executor.migrate(before)
    try:
        old = executor.loader.project_state(before).apps
        old_area = old.get_model("presence", "GuardArea").objects.create(
            municipality_id=karlstad.pk,
            name="Centrum",
            decision_reference="Länsstyrelsen Värmland dnr 2024-1234",
            decided_on=dt.date(2024, 9, 1),
            valid_from=dt.date(2024, 10, 1),
            geometry={},
        )
        old_area.areas.set([centrum.pk, kronoparken.pk])
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(latest)
    links = GuardAreaArea.objects.filter(guard_area_id=old_area.pk)
    assert sorted(links.values_list("area_id", flat=True)) == sorted([centrum.pk, kronoparken.pk])
    assert set(links.values_list("municipality_id", flat=True)) == {karlstad.pk}
