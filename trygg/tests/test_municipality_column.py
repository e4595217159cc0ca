"""Rows that hang on a parent carry the parent's municipality themselves (decision 0038): filled
on save and on bulk_create, back-filled by the migrations, and equal to the parent's in every
table of a loaded demo."""

from __future__ import annotations

import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from trygg.places.municipality_column import CarriesMunicipality, fill_municipality
from trygg.situation.actions import create_annual_report
from trygg.situation.models import AnnualReport, AnnualReportVersion

YEAR = 2025


def carrying_models():
    return [m for m in apps.get_models() if issubclass(m, CarriesMunicipality)]


@pytest.fixture
def report(karlstad, coordinator):
    made, _created = create_annual_report(karlstad, YEAR, acting_user=coordinator)
    return made


def test_the_action_that_makes_a_version_gives_it_the_reports_municipality(report, karlstad):
    version = report.versions.get()
    assert version.municipality_id == report.municipality_id == karlstad.pk


def test_bulk_create_fills_the_column_with_one_query_for_all_the_parents(
    report, karlstad, django_assert_num_queries
):
    rows = [AnnualReportVersion(report_id=report.pk, number=n, generated={}) for n in (7, 8, 9)]
    with django_assert_num_queries(
        2 if connection.features.can_return_rows_from_bulk_insert else 3
    ):
        AnnualReportVersion.objects.bulk_create(rows)
    assert {r.municipality_id for r in rows} == {karlstad.pk}
    assert AnnualReportVersion.objects.filter(municipality=karlstad, number__gte=7).count() == 3


def test_a_parent_already_loaded_is_read_without_a_query(
    report, karlstad, django_assert_num_queries
):
    version = AnnualReportVersion(report=report, number=5, generated={})
    with django_assert_num_queries(0):
        fill_municipality(AnnualReportVersion, [version])
    assert version.municipality_id == karlstad.pk


def test_a_row_keeps_the_municipality_it_was_given(report, karlstad, karlskoga):
    version = report.versions.get()
    version.note = "Till kommunstyrelsen"
    version.save()
    version.refresh_from_db()
    assert version.municipality_id == karlstad.pk
    # Moving the report (which never happens through the actions) does not move its versions
    # silently: the column says where the version was made.
    AnnualReport.objects.filter(pk=report.pk).update(municipality=karlskoga)
    version.save()
    version.refresh_from_db()
    assert version.municipality_id == karlstad.pk


# Serialized rollback: the flush after a transactional test would take the municipalities the
# migrations loaded away from the tests that run after it.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_fills_the_column_of_rows_that_existed_before_it(karlstad):
    executor = MigrationExecutor(connection)
    before = [("situation", "0002_free_text_scrubbed")]
    latest = executor.loader.graph.leaf_nodes("situation")
    executor.migrate(before)
    try:
        old = executor.loader.project_state(before).apps
        old_report = old.get_model("situation", "AnnualReport").objects.create(
            municipality_id=karlstad.pk, year=YEAR
        )
        old.get_model("situation", "AnnualReportVersion").objects.create(
            report=old_report, number=1, generated={}
        )
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(latest)
    assert AnnualReportVersion.objects.get(report_id=old_report.pk).municipality_id == karlstad.pk


@pytest.mark.frozen
def test_in_the_loaded_demo_every_row_has_its_parents_municipality(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("load_demo", days=30, no_police=True, stdout=io.StringIO())
    filled = 0
    for model in carrying_models():
        parent = model.municipality_parent
        rows = model._base_manager.all()
        wrong = rows.exclude(municipality=F(f"{parent}__municipality"))
        assert not wrong.exists(), f"{model._meta.label}: {wrong.count()} rader i fel kommun"
        filled += rows.exists()
    # The demo makes rows in most of these tables; a check over empty tables proves nothing.
    assert filled >= len(carrying_models()) // 2


def test_saving_a_row_again_names_its_municipality_so_a_sharded_update_goes_to_one_shard(
    report, karlstad
):
    version = report.versions.get()
    version.note = "Till kommunstyrelsen"
    with CaptureQueriesContext(connection) as queries:
        version.save()
    (update,) = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
    where = update.split("WHERE", 1)[1]
    assert "municipality_id" in where and str(karlstad.pk) in where


def test_a_row_whose_municipality_is_changed_in_memory_is_saved_without_that_condition(
    report, karlskoga
):
    # One PostgreSQL allows moving a row; the condition would make the update miss it and
    # Django would then try to insert it a second time.
    report.municipality = karlskoga
    report.save()
    report.refresh_from_db()
    assert report.municipality_id == karlskoga.pk


def test_every_sharded_table_names_its_municipality_when_it_is_saved():
    from trygg.places.municipality_column import StaysInItsMunicipality
    from trygg.tests.test_tenant_tables import SHARED, THROUGH_ANOTHER_ROW

    reference = {"places.Area", "places.Place", "organisations.Organisation"}
    missing = [
        m._meta.label
        for m in apps.get_models()
        if m.__module__.startswith("trygg.")
        and "municipality" in {f.name for f in m._meta.fields}
        and m._meta.label not in set(SHARED) | set(THROUGH_ANOTHER_ROW) | reference
        and not issubclass(m, StaysInItsMunicipality)
    ]
    assert not missing, ", ".join(sorted(missing))
