"""The links of centres to their organisations that existed before the link table had a model of
its own keep their rows and get the centre's municipality (decision 0038)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from trygg.citizens.models import CentreOrganisation


# Serialized rollback: the other tests need the municipalities back after the flush.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_fills_the_column_of_links_that_existed_before_it(
    karlstad, kommunen, polisen
):
    executor = MigrationExecutor(connection)
    before = [("citizens", "0007_municipality_column")]
    latest = executor.loader.graph.leaf_nodes("citizens")
    executor.migrate(before)
    try:
        old = executor.loader.project_state(before).apps
        old_centre = old.get_model("citizens", "Centre").objects.create(
            municipality_id=karlstad.pk, name="Trygghetscenter"
        )
        old_centre.organisations.add(kommunen.pk, polisen.pk)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(latest)
    links = CentreOrganisation.objects.filter(centre_id=old_centre.pk)
    assert set(links.values_list("organisation_id", "municipality_id")) == {
        (kommunen.pk, karlstad.pk),
        (polisen.pk, karlstad.pk),
    }
