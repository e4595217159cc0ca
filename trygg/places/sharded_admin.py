"""The admin's lists of rows from tables sharded by municipality (decisions 0038, 0039).

Django's change list joins every relation shown in a column (`select_related`). On Citus a join
from one sharded table to another (a finding to its walk, a promise to its agreement) across
all municipalities is refused: the join is on `walk_id` alone, not on the municipality that
decides the shard. So a list joins only the tables that are copied to every node (the
municipality, the organisation, the area, the user) and reads the sharded ones it shows with
one more query each (`prefetch_related`), which Citus sends to every shard. The admin is the
one place that lists all municipalities at once; on one PostgreSQL the list costs a query or
two more than before.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.utils import NestedObjects, quote
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import FieldDoesNotExist
from django.db import router, transaction
from django.db.models.deletion import Collector
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.text import capfirst

from trygg.core.citus.transactions import one_connection_per_node
from trygg.places.municipality_column import CarriesMunicipality, StaysInItsMunicipality


def crosses_shards(model, path: str) -> bool:
    """Whether following `path` ("finding__walk") from `model` reaches a sharded table."""
    for name in path.split("__"):
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:  # a transform (`__date`): no table further
            return False
        if getattr(field, "attname", None) == name != field.name:  # `walk_id`: the own column
            return False
        related = field.related_model
        if related is not None and issubclass(related, StaysInItsMunicipality):
            return True
        if related is None:
            return False
        model = related
    return False


def _relations_in_list_display(model_admin) -> list[str]:
    names = []
    for name in model_admin.list_display:
        try:
            field = model_admin.model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if field.many_to_one or field.one_to_one and field.concrete:
            names.append(name)
    return names


def _shown_relations(model_admin) -> list[str]:
    """The relations a list shows: those in its columns, and the paths it declares to join."""
    declared = model_admin.list_select_related
    declared = list(declared) if isinstance(declared, list | tuple) else []
    return list(dict.fromkeys(declared + _relations_in_list_display(model_admin)))


class ShardedChangeList(ChangeList):
    def get_ordering(self, request, queryset):
        """The list's order without a join to a sharded table: a column of a sharded relation
        (the default order of follow-ups by their promise's start) is left out, and a sharded
        relation itself (a click on "walk") sorts by its key, in the row's own table."""
        ordering = []
        for item in super().get_ordering(request, queryset):
            name = item.lstrip("-") if isinstance(item, str) else None
            if name is None or name == "pk" or not crosses_shards(self.model, name):
                ordering.append(item)
            elif "__" not in name:
                ordering.append(item + "_id")
        return ordering

    def apply_select_related(self, qs):
        qs = super().apply_select_related(qs)
        sharded = [
            name for name in _shown_relations(self.model_admin) if crosses_shards(self.model, name)
        ]
        return qs.prefetch_related(*sharded) if sharded else qs


class ShardedNestedObjects(NestedObjects):
    """The admin's "what else is deleted" collector, reading each kind of dependent row with
    a query Citus can run. Django's own joins each dependent row to the row it points to
    (`select_related`) for its name; between two sharded tables that join is on the id alone,
    which Citus refuses. Here a sharded row pointed to is read apart (`prefetch_related`),
    and the rows that hang on a parent (`CarriesMunicipality`: a walk's findings) are looked
    for in their parents' municipalities, which they carry, so that one walk's delete page
    reads one shard."""

    def related_objects(self, related_model, related_fields, objs):
        rows = Collector.related_objects(self, related_model, related_fields, objs)
        if issubclass(related_model, CarriesMunicipality) and all(
            field.name == related_model.municipality_parent for field in related_fields
        ):
            rows = rows.filter(municipality_id__in={obj.municipality_id for obj in objs})
        names = [field.name for field in related_fields]
        joined = [name for name in names if not crosses_shards(related_model, name)]
        if joined:  # `select_related()` with no names would join every relation
            rows = rows.select_related(*joined)
        return rows.prefetch_related(*[name for name in names if name not in joined])


def deleted_objects(objs, request, admin_site):
    """Django's `admin.utils.get_deleted_objects` with `ShardedNestedObjects` as collector:
    the nested list of what goes with `objs`, the count per model, the permissions missing
    and the protected rows. Django builds its collector inside the function, so the rest of it
    is repeated here as it is."""
    try:
        using = router.db_for_write(objs[0]._meta.model)
    except IndexError:
        return [], {}, set(), []
    one_connection_per_node(using)
    collector = ShardedNestedObjects(using=using, origin=objs)
    collector.collect(objs)
    perms_needed: set = set()

    def format_callback(obj):
        opts = obj._meta
        no_edit_link = f"{capfirst(opts.verbose_name)}: {obj}"
        if not admin_site.is_registered(obj.__class__):
            return no_edit_link
        if not admin_site.get_model_admin(obj.__class__).has_delete_permission(request, obj):
            perms_needed.add(opts.verbose_name)
        try:
            url = reverse(
                f"{admin_site.name}:{opts.app_label}_{opts.model_name}_change",
                None,
                (quote(obj.pk),),
            )
        except NoReverseMatch:
            return no_edit_link
        return format_html('{}: <a href="{}">{}</a>', capfirst(opts.verbose_name), url, obj)

    to_delete = collector.nested(format_callback)
    protected = [format_callback(obj) for obj in collector.protected]
    model_count = {
        model._meta.verbose_name_plural: len(rows) for model, rows in collector.model_objs.items()
    }
    return to_delete, model_count, perms_needed, protected


class ShardSafeAdmin(admin.ModelAdmin):
    """A ModelAdmin whose delete page and delete work on Citus too: what goes with a row is
    read by `ShardedNestedObjects`, and the delete runs with one connection per node, since it
    may write a reference table after reading sharded ones (`core/citus/transactions.py`).
    On one PostgreSQL or SQLite the same rows are shown and deleted."""

    def get_deleted_objects(self, objs, request):
        return deleted_objects(objs, request, self.admin_site)

    def delete_model(self, request, obj):
        with transaction.atomic(using=router.db_for_write(self.model)):
            one_connection_per_node(router.db_for_write(self.model))
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic(using=router.db_for_write(self.model)):
            one_connection_per_node(router.db_for_write(self.model))
            super().delete_queryset(request, queryset)


class ShardedListAdmin(ShardSafeAdmin):
    """A ModelAdmin whose change list joins reference tables only (see the module)."""

    def get_list_select_related(self, request):
        return [name for name in _shown_relations(self) if not crosses_shards(self.model, name)]

    def get_changelist(self, request, **kwargs):
        return ShardedChangeList
