"""The admin's lists join no table sharded by municipality (trygg/places/sharded_admin.py): on
Citus such a join across all municipalities is refused. The sharded rows they show are read with
one query more each, not one per row."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.utils import get_deleted_objects
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from trygg.core.citus.transactions import ENGINE, one_connection_per_node
from trygg.places.municipality_column import StaysInItsMunicipality
from trygg.places.sharded_admin import ShardSafeAdmin, crosses_shards
from trygg.promises.models import FollowUp
from trygg.walks.actions.findings import record_finding
from trygg.walks.models import Finding, Walk
from trygg.walks.tests.factories import finding_input, make_walk

pytestmark = pytest.mark.django_db


def _joined_paths(select_related, prefix="") -> list[str]:
    paths = []
    for name, deeper in select_related.items():
        paths.append(prefix + name)
        paths += _joined_paths(deeper, prefix + name + "__")
    return paths


def test_no_list_of_a_sharded_table_joins_another_sharded_table(django_user_model):
    request = RequestFactory().get("/admin/")
    request.user = django_user_model(is_superuser=True, is_staff=True, is_active=True)
    sharded = [m for m in admin.site._registry if issubclass(m, StaysInItsMunicipality)]
    assert Finding in sharded and Walk in sharded
    for model in sharded:
        queryset = (
            admin.site._registry[model].get_changelist_instance(request).get_queryset(request)
        )
        joined = queryset.query.select_related
        assert joined is not True, f"{model.__name__}: the list joins every relation"
        crossing = [p for p in _joined_paths(joined or {}) if crosses_shards(model, p)]
        assert crossing == [], f"{model.__name__} joins sharded tables: {crossing}"


def test_crosses_shards_follows_the_path():
    assert crosses_shards(Finding, "walk")
    assert crosses_shards(Finding, "stop")
    assert not crosses_shards(Finding, "responsible")
    assert not crosses_shards(Walk, "municipality")
    assert not crosses_shards(Finding, "walk_id")
    assert not crosses_shards(Finding, "received_at__date")


def test_no_list_orders_by_a_sharded_table(django_user_model):
    """A follow-up's default order starts with its promise's start; a click on the findings'
    walk column orders by the walk: both would join a sharded table."""
    user = django_user_model(is_superuser=True, is_staff=True, is_active=True)
    for url, model in (
        ("/admin/promises/followup/", FollowUp),
        ("/admin/walks/finding/?o=1.2", Finding),
    ):
        request = RequestFactory().get(url)
        request.user = user
        changelist = admin.site._registry[model].get_changelist_instance(request)
        ordering = changelist.get_ordering(request, changelist.root_queryset)
        names = [item.lstrip("-") for item in ordering if isinstance(item, str)]
        assert names, url
        assert not [name for name in names if crosses_shards(model, name)], (url, names)
    assert "walk_id" in names


def _list_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/admin/walks/finding/")
    assert page.status_code == 200
    return len(queries)


def test_the_findings_list_shows_each_walk_with_no_query_per_row(
    client, django_user_model, kommunen, coordinator
):
    operator = django_user_model.objects.create_superuser("drift", password="test-lösenord-1")
    client.force_login(operator)
    walks = [make_walk(kommunen, title=f"Vandring {n}") for n in range(3)]
    record_finding(walks[0], finding_input(walks[0]), acting_user=coordinator)
    one = _list_queries(client)
    for walk in walks[1:]:
        record_finding(walk, finding_input(walk), acting_user=coordinator)
    page = client.get("/admin/walks/finding/").content.decode()
    assert all(walk.title in page for walk in walks)
    assert _list_queries(client) == one


def _admin_of(model):
    return admin.site._registry[model]


def test_every_admin_that_deletes_sharded_rows_deletes_as_citus_accepts():
    """Deleting a sharded row, or a shared row that sharded rows point to (an organisation,
    a category, a user), reads and writes sharded tables: its admin must collect and delete
    as `ShardSafeAdmin` does."""
    sharded = [m for m in apps.get_models() if issubclass(m, StaysInItsMunicipality)]
    pointed_to = {
        field.related_model
        for model in sharded
        for field in model._meta.get_fields()
        if field.is_relation and field.concrete and field.related_model is not None
    }
    for model, model_admin in admin.site._registry.items():
        if model in sharded or model in pointed_to:
            assert isinstance(model_admin, ShardSafeAdmin), model.__name__
    assert isinstance(_admin_of(get_user_model()), ShardSafeAdmin)


def _delete_page_request(django_user_model):
    request = RequestFactory().get("/admin/")
    request.user = django_user_model.objects.create_superuser("drift", password="test-lösenord-1")
    return request


def test_a_walks_delete_page_lists_what_django_lists_without_joining_its_findings_to_it(
    django_user_model, kommunen, coordinator
):
    walk = make_walk(kommunen)
    for _ in range(2):
        record_finding(walk, finding_input(walk), acting_user=coordinator)
    request = _delete_page_request(django_user_model)
    objs = [walk]
    expected = get_deleted_objects(objs, request, admin.site)
    with CaptureQueriesContext(connection) as queries:
        shown = _admin_of(Walk).get_deleted_objects(objs, request)
    assert shown == expected
    assert shown[1][str(Finding._meta.verbose_name_plural)] == 2
    assert not [q["sql"] for q in queries if 'JOIN "walks_walk"' in q["sql"]]
    by_walk = [q["sql"] for q in queries if '"walks_finding"."walk_id" IN' in q["sql"]]
    assert by_walk, "the walk's findings are collected"
    assert all('"walks_finding"."municipality_id" IN' in sql for sql in by_walk), by_walk


def test_an_organisations_delete_page_lists_its_walks_in_every_municipality(
    django_user_model, kommunen, coordinator
):
    """A shared row's dependants are not narrowed to a municipality: a partner works in
    several, and the page must show (and the delete take) all of its rows."""
    walk = make_walk(kommunen)
    request = _delete_page_request(django_user_model)
    organisation = walk.organisation
    expected = get_deleted_objects([organisation], request, admin.site)
    shown = _admin_of(type(organisation)).get_deleted_objects([organisation], request)
    assert shown == expected
    to_delete, _, _, protected = shown
    assert walk.title in str(to_delete) + str(protected)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL setting")
def test_on_citus_a_delete_runs_with_one_connection_per_node(monkeypatch):
    monkeypatch.setitem(connection.settings_dict, "ENGINE", ENGINE)
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        one_connection_per_node()
        with connection.cursor() as cursor:
            cursor.execute("SHOW citus.multi_shard_modify_mode")
            assert cursor.fetchone() == ("sequential",)
    assert any("multi_shard_modify_mode" in q["sql"] for q in queries)


def test_elsewhere_no_citus_setting_is_sent():
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        one_connection_per_node()
    assert queries.captured_queries == []


def test_no_default_order_sorts_by_another_sharded_table():
    """A default order applies to every list of a model's rows, the admin's delete page and
    each parent's children among them: ordering by a sharded parent ("promise", or an
    observation's "event__occurred_from") would join its table on the id alone, which Citus
    refuses. Such orders name the parent's key instead, and pages sort by the rest."""
    from django.apps import apps

    from trygg.places.sharded_admin import crosses_shards

    crossing = [
        f"{model.__name__}.{item}"
        for model in apps.get_models()
        for item in model._meta.ordering
        if isinstance(item, str) and crosses_shards(model, item.lstrip("-"))
    ]
    assert crossing == []


def test_the_delete_page_reads_an_events_observations_without_joining_the_events():
    from trygg.events.models import Event
    from trygg.places.sharded_admin import ShardedNestedObjects
    from trygg.presence.models import ShiftObservation

    field = ShiftObservation._meta.get_field("event")
    collector = ShardedNestedObjects(using="default", origin=[])
    rows = collector.related_objects(ShiftObservation, [field], [Event(pk=1, municipality_id=1)])
    sql = str(rows.query)
    assert "JOIN" not in sql, sql
