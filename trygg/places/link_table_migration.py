"""Migration operations that turn an auto-created many-to-many link table into a through model
that carries its owner's municipality, on the same table and rows (decision 0038). Used by the
migrations of presence and promises; the migrations of measures, citizens and Purple Flag wrote
the same steps out before this module existed.

The model and the field's `through` are only new to the state, the table and its rows stay.
Then, as for every other table, the column is added empty, filled from the owner and made NOT
NULL. Last, the unique index Django generated for the link is replaced by a named constraint on
the same columns."""

import django.db.models.deletion
from django.db import migrations, models

from trygg.places.municipality_column import fill_from_parent


def municipality(null):
    return models.ForeignKey(
        editable=False,
        null=null,
        on_delete=django.db.models.deletion.PROTECT,
        related_name="+",
        to="places.municipality",
        verbose_name="kommun",
    )


class NameTheUniqueLink(migrations.operations.base.Operation):
    """Replace the unique index Django generated for a link (its name is derived from the table
    and columns) by a named UniqueConstraint on the same columns. The old name is computed the
    way Django computed it, not looked up, so that `sqlmigrate` can print the SQL."""

    reversible = True

    def __init__(self, model_name, fields, name):
        self.model_name = model_name
        self.fields = tuple(fields)
        self.name = name
        self.constraint = models.UniqueConstraint(fields=self.fields, name=name)

    def deconstruct(self):
        return (self.__class__.__name__, [self.model_name, self.fields, self.name], {})

    def state_forwards(self, app_label, state):
        migrations.AlterUniqueTogether(self.model_name, set()).state_forwards(app_label, state)
        migrations.AddConstraint(self.model_name, self.constraint).state_forwards(app_label, state)

    def _generated_name(self, schema_editor, model):
        columns = [model._meta.get_field(name).column for name in self.fields]
        return schema_editor._create_index_name(model._meta.db_table, columns, suffix="_uniq")

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        model = to_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            generated = self._generated_name(schema_editor, model)
            schema_editor.execute(schema_editor._delete_unique_sql(model, generated))
            schema_editor.add_constraint(model, self.constraint)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        # `model` is the link as it was, with the unique_together: SQLite removes the constraint
        # by rebuilding the table from it, which brings the generated index back by itself.
        model = to_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            schema_editor.remove_constraint(model, self.constraint)
            fields = [model._meta.get_field(name) for name in self.fields]
            columns = [field.column for field in fields]
            if not schema_editor._constraint_names(model, columns, unique=True):
                schema_editor.execute(schema_editor._create_unique_sql(model, fields))

    def describe(self):
        return f"Name the unique link of {self.model_name} {self.name}"


def through(
    app_label, name, table, owner, owner_fk, target, target_fk, m2m_name, m2m_field, unique_name
):
    """The operations that turn one auto-created link table of `app_label` into the through
    model `name`."""
    model_name = name.lower()
    return [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name=name,
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (owner, owner_fk),
                        (target, target_fk),
                    ],
                    options={
                        "db_table": table,
                        # As Django created it for the many-to-many field.
                        "unique_together": {(owner, target)},
                    },
                ),
                migrations.AlterField(model_name=m2m_name[0], name=m2m_name[1], field=m2m_field),
            ]
        ),
        migrations.AddField(model_name=model_name, name="municipality", field=municipality(True)),
        fill_from_parent(app_label, name, owner),
        migrations.AlterField(
            model_name=model_name, name="municipality", field=municipality(False)
        ),
        NameTheUniqueLink(model_name, (owner, target), unique_name),
    ]


def fk(to, **kwargs):
    return models.ForeignKey(
        on_delete=django.db.models.deletion.CASCADE, related_name="+", to=to, **kwargs
    )
