"""The link tables of a measure's events and a meeting's organisations carry their measure's or
meeting's municipality (decision 0038).

Each field gets an explicit through model over the table Django made for it, with the same rows.
The tables exist, so the through models and the fields' `through` are declared in the state only;
then the column is added, filled and made NOT NULL as in the other tables, and the unique index
Django made for the pair, under a generated name, is replaced by a named constraint on the same
columns.
"""

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


def link_model(name: str, table: str, owner: str, target: str, to: str) -> migrations.CreateModel:
    """The table Django made for a many-to-many field, as it is: its columns, and its unique
    pair declared as Django declared it (unique_together), so that AlterUniqueTogether below
    finds the generated index by its columns and drops it."""
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
                owner,
                models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="+",
                    to=f"measures.{owner}",
                ),
            ),
            (
                target,
                models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE, related_name="+", to=to
                ),
            ),
        ],
        options={"db_table": table, "unique_together": {(owner, target)}},
    )


# (through model, its parent, the other side): the parent owns the many-to-many field.
LINKS = [("measureevent", "measure", "event"), ("meetingorganisation", "meeting", "organisation")]


class Migration(migrations.Migration):
    dependencies = [
        ("places", "0001_initial"),
        ("measures", "0004_rows_carry_municipality"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                link_model(
                    "measureevent", "measures_measure_events", "measure", "event", "events.event"
                ),
                migrations.AlterField(
                    model_name="measure",
                    name="events",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="measures",
                        through="measures.MeasureEvent",
                        to="events.event",
                        verbose_name="händelser",
                    ),
                ),
                link_model(
                    "meetingorganisation",
                    "measures_meeting_organisations",
                    "meeting",
                    "organisation",
                    "organisations.organisation",
                ),
                migrations.AlterField(
                    model_name="meeting",
                    name="organisations",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="est_meetings",
                        through="measures.MeetingOrganisation",
                        to="organisations.organisation",
                        verbose_name="närvarande organisationer",
                    ),
                ),
            ]
        ),
        *[
            op
            for name, parent, _other in LINKS
            for op in (
                migrations.AddField(
                    model_name=name, name="municipality", field=municipality(null=True)
                ),
                fill_from_parent("measures", name, parent),
                migrations.AlterField(
                    model_name=name, name="municipality", field=municipality(null=False)
                ),
            )
        ],
        # The named constraint first: AlterUniqueTogether then looks for the old index by its
        # columns among the constraints the model does not name.
        *[
            op
            for name, parent, other in LINKS
            for op in (
                migrations.AddConstraint(
                    model_name=name,
                    constraint=models.UniqueConstraint(
                        fields=[parent, other], name=f"measures_{parent}_{other}_once"
                    ),
                ),
                migrations.AlterUniqueTogether(name=name, unique_together=set()),
            )
        ],
    ]
