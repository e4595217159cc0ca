"""Rows that hang on a parent in a municipality carry that municipality themselves (decision
0037, step 1; decision 0038).

A walk's findings, a report's photos, a promise's versions: each belongs to the municipality of
the row it hangs on, and used to reach it only through that row. Sharded by municipality
(Citus), every such table needs the column itself, so that one municipality's rows of all
tables lie together and a query of one municipality touches one shard. The value is copied from
the parent when the row is first saved, by `save()` or by `bulk_create`, so no action can
forget it, and it never changes: a row does not move to another municipality.

A model names its parent in `municipality_parent` (a foreign key to a model with a direct
`municipality`). A model that needs its own queryset subclasses `CarriesMunicipalityQuerySet`.
A migration that adds the column to a table with rows fills it with `fill_from_parent`.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import migrations, models
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

__all__ = [
    "CarriesMunicipality",
    "CarriesMunicipalityQuerySet",
    "StaysInItsMunicipality",
    "fill_from_parent",
]


def fill_municipality(model, rows) -> None:
    """Set `municipality_id` on the rows that lack it, from their parents: the parent object
    when it is already loaded, else one query for all the parents' municipalities."""
    field = model._meta.get_field(model.municipality_parent)
    waiting: dict[int, list] = {}
    for row in rows:
        if row.municipality_id is not None:
            continue
        parent = field.get_cached_value(row, None)
        if parent is not None:
            row.municipality_id = parent.municipality_id
        elif getattr(row, field.attname) is not None:
            waiting.setdefault(getattr(row, field.attname), []).append(row)
    if not waiting:
        return
    found = dict(
        # No ordering: a parent's default order may join another table (a commitment's
        # promise), which a sharded database cannot do across municipalities.
        field.related_model._base_manager.filter(pk__in=waiting)
        .order_by()
        .values_list("pk", "municipality_id")
    )
    for parent_id, children in waiting.items():
        for row in children:
            # A parent that does not exist leaves the column empty: the database refuses the
            # row, as it refuses the dangling parent itself.
            row.municipality_id = found.get(parent_id)


class CarriesMunicipalityQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        fill_municipality(self.model, objs)
        return super().bulk_create(objs, *args, **kwargs)


class StaysInItsMunicipality(models.Model):
    """A row of a table sharded by municipality: saving it names its municipality.

    Django's save() of an existing row writes every column, the municipality too, with only the
    primary key in its WHERE clause. Citus refuses an UPDATE that sets the distribution column,
    unless the WHERE clause says the value stays as it is, and can send it to one shard only
    when the WHERE clause names that value. So while the row's municipality is the one it was
    read or last saved with, the update says `AND municipality_id = <it>`: on one PostgreSQL
    that changes nothing, on Citus it makes the save a one-shard update. A municipality changed
    in memory is saved as before (one PostgreSQL allows it; Citus refuses it, rightly: a row
    cannot move between shards by an update)."""

    _stored_municipality_id: int | None = None

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self._stored_municipality_id = getattr(self, "municipality_id", None)

    @classmethod
    def from_db(cls, db, field_names, values):
        row = super().from_db(db, field_names, values)
        row._stored_municipality_id = row.__dict__.get("municipality_id")
        return row

    def _do_update(self, base_qs, using, pk_val, values, update_fields, forced_update):
        stored = self._stored_municipality_id
        if stored is not None and stored == getattr(self, "municipality_id", None):
            base_qs = base_qs.filter(municipality_id=stored)
        return super()._do_update(base_qs, using, pk_val, values, update_fields, forced_update)


class CarriesMunicipality(StaysInItsMunicipality):
    """The municipality of the row this one hangs on, copied when the row is first saved."""

    municipality_parent: ClassVar[str]

    municipality = models.ForeignKey(
        "places.Municipality",
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name=_("kommun"),
    )

    objects = CarriesMunicipalityQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.municipality_id is None:
            fill_municipality(type(self), [self])
        super().save(*args, **kwargs)


def fill_from_parent(app_label: str, model_name: str, parent: str):
    """A migration step: fill the new column of every existing row from its parent's, in one
    UPDATE. On PostgreSQL the deferred foreign key checks of that UPDATE are run at once, so that
    the same migration may then make the column NOT NULL (PostgreSQL refuses to alter a table
    with checks pending)."""

    def forward(apps, schema_editor):
        model = apps.get_model(app_label, model_name)
        parent_model = model._meta.get_field(parent).related_model
        model._base_manager.update(
            municipality_id=Subquery(
                parent_model._base_manager.filter(pk=OuterRef(parent)).values("municipality_id")
            )
        )
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")

    return migrations.RunPython(forward, migrations.RunPython.noop)
