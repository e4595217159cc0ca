"""The links of a centre and of a dialogue to their organisations carry the municipality of the
centre or dialogue (decision 0038): Django's own link tables get a model of their own, the same
table and rows, and then the column like every other table."""

import django.db.models.deletion
from django.db import migrations, models

from trygg.places.municipality_column import fill_from_parent


def municipality(*, null: bool) -> models.ForeignKey:
    return models.ForeignKey(
        editable=False,
        null=null,
        on_delete=django.db.models.deletion.PROTECT,
        related_name="+",
        to="places.municipality",
        verbose_name="kommun",
    )


def link_model(name: str, table: str, parent: str, parent_model: str) -> migrations.CreateModel:
    """The table Django made for the many-to-many field, as it is: id, the two keys and their
    unique pair."""
    return migrations.CreateModel(
        name=name,
        fields=[
            (
                "id",
                models.BigAutoField(
                    auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                ),
            ),
            (
                parent,
                models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="+",
                    to=parent_model,
                ),
            ),
            (
                "organisation",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="+",
                    to="organisations.organisation",
                ),
            ),
        ],
        options={"db_table": table, "unique_together": {(parent, "organisation")}},
    )


class Migration(migrations.Migration):
    dependencies = [
        ("places", "0001_initial"),
        ("citizens", "0007_municipality_column"),
    ]

    operations = [
        # The models only: their tables exist already.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                link_model(
                    "CentreOrganisation",
                    "citizens_centre_organisations",
                    "centre",
                    "citizens.centre",
                ),
                migrations.AlterField(
                    model_name="centre",
                    name="organisations",
                    field=models.ManyToManyField(
                        related_name="centres",
                        through="citizens.CentreOrganisation",
                        to="organisations.organisation",
                        verbose_name="organisationer på plats",
                    ),
                ),
                link_model(
                    "DialogueOrganisation",
                    "citizens_dialogue_organisations",
                    "dialogue",
                    "citizens.dialogue",
                ),
                migrations.AlterField(
                    model_name="dialogue",
                    name="organisations",
                    field=models.ManyToManyField(
                        related_name="dialogues",
                        through="citizens.DialogueOrganisation",
                        to="organisations.organisation",
                        verbose_name="på plats",
                    ),
                ),
            ]
        ),
        migrations.AddField(
            model_name="centreorganisation", name="municipality", field=municipality(null=True)
        ),
        fill_from_parent("citizens", "CentreOrganisation", "centre"),
        migrations.AddField(
            model_name="dialogueorganisation", name="municipality", field=municipality(null=True)
        ),
        fill_from_parent("citizens", "DialogueOrganisation", "dialogue"),
        migrations.AlterField(
            model_name="centreorganisation", name="municipality", field=municipality(null=False)
        ),
        migrations.AlterField(
            model_name="dialogueorganisation",
            name="municipality",
            field=municipality(null=False),
        ),
        # The unique pairs had generated names; the same pairs now carry the models' names.
        migrations.AlterUniqueTogether(name="centreorganisation", unique_together=set()),
        migrations.AddConstraint(
            model_name="centreorganisation",
            constraint=models.UniqueConstraint(
                fields=("centre", "organisation"), name="citizens_centre_organisation_once"
            ),
        ),
        migrations.AlterUniqueTogether(name="dialogueorganisation", unique_together=set()),
        migrations.AddConstraint(
            model_name="dialogueorganisation",
            constraint=models.UniqueConstraint(
                fields=("dialogue", "organisation"), name="citizens_dialogue_organisation_once"
            ),
        ),
    ]
