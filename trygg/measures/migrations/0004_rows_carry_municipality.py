"""A measure's timeline and notices, a meeting's priorities and decisions, and a plan's goals
and problems carry their parent's municipality (decision 0038)."""

import django.db.models.deletion
from django.db import migrations, models

from trygg.places.municipality_column import fill_from_parent

# (model, its parent): every parent has a municipality column of its own.
CHILDREN = [
    ("measureentry", "measure"),
    ("notification", "measure"),
    ("meetingpriority", "meeting"),
    ("decision", "meeting"),
    ("plangoal", "plan"),
    ("planproblem", "plan"),
]


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
        ("measures", "0003_measure_kind"),
    ]

    operations = [
        *[
            op
            for name, parent in CHILDREN
            for op in (
                migrations.AddField(
                    model_name=name, name="municipality", field=municipality(null=True)
                ),
                fill_from_parent("measures", name, parent),
            )
        ],
        *[
            migrations.AlterField(
                model_name=name, name="municipality", field=municipality(null=False)
            )
            for name, _parent in CHILDREN
        ],
    ]
