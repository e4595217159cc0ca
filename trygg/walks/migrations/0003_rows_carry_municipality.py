"""A walk's findings, stops, invitations, protocols and notices carry the walk's municipality,
and a finding's answers, scores and photos the finding's (decision 0038)."""

import django.db.models.deletion
from django.db import migrations, models

from trygg.places.municipality_column import fill_from_parent

# (model, its parent), filled in this order: the findings before the rows that hang on them,
# which are filled from the findings' column just filled.
CHILDREN = [
    ("finding", "walk"),
    ("protocolversion", "walk"),
    ("walknotice", "walk"),
    ("walkstop", "walk"),
    ("invitation", "walk"),
    ("answer", "finding"),
    ("findingscore", "finding"),
    ("findingphoto", "finding"),
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
        ("walks", "0002_seed_checklists"),
    ]

    operations = [
        *[
            op
            for name, parent in CHILDREN
            for op in (
                migrations.AddField(
                    model_name=name, name="municipality", field=municipality(null=True)
                ),
                fill_from_parent("walks", name, parent),
            )
        ],
        *[
            migrations.AlterField(
                model_name=name, name="municipality", field=municipality(null=False)
            )
            for name, _parent in CHILDREN
        ],
    ]
