"""The links of a certification year to its evening walks carry the year's municipality
(decision 0038): Django's own link table gets a model of its own, the same table and rows, and
then the column like every other table."""

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


class Migration(migrations.Migration):
    dependencies = [
        ("places", "0001_initial"),
        ("purpleflag", "0002_municipality_column"),
    ]

    operations = [
        # The model only: the table Django made for the many-to-many field exists already, with
        # these columns and this unique pair.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="CertificationWalk",
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
                        (
                            "certification",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="purpleflag.certification",
                            ),
                        ),
                        (
                            "walk",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="walks.walk",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "purpleflag_certification_walks",
                        "unique_together": {("certification", "walk")},
                    },
                ),
                migrations.AlterField(
                    model_name="certification",
                    name="walks",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="+",
                        through="purpleflag.CertificationWalk",
                        to="walks.walk",
                        verbose_name="kvällsvandringar",
                    ),
                ),
            ]
        ),
        migrations.AddField(
            model_name="certificationwalk", name="municipality", field=municipality(null=True)
        ),
        fill_from_parent("purpleflag", "CertificationWalk", "certification"),
        migrations.AlterField(
            model_name="certificationwalk", name="municipality", field=municipality(null=False)
        ),
        # The unique pair had a generated name; the same pair now carries the model's name.
        migrations.AlterUniqueTogether(name="certificationwalk", unique_together=set()),
        migrations.AddConstraint(
            model_name="certificationwalk",
            constraint=models.UniqueConstraint(
                fields=("certification", "walk"), name="purpleflag_certification_walk_once"
            ),
        ),
    ]
