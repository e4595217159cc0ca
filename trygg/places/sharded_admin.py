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
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import FieldDoesNotExist

from trygg.places.municipality_column import StaysInItsMunicipality


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


class ShardedListAdmin(admin.ModelAdmin):
    """A ModelAdmin whose change list joins reference tables only (see the module)."""

    def get_list_select_related(self, request):
        return [name for name in _shown_relations(self) if not crosses_shards(self.model, name)]

    def get_changelist(self, request, **kwargs):
        return ShardedChangeList
