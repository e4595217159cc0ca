"""A certification year's self-assessments and measure tags carry its municipality (decision
0038)."""

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
        ("purpleflag", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="assessment", name="municipality", field=municipality(null=True)
        ),
        fill_from_parent("purpleflag", "Assessment", "certification"),
        migrations.AddField(
            model_name="measuretag", name="municipality", field=municipality(null=True)
        ),
        fill_from_parent("purpleflag", "MeasureTag", "certification"),
        migrations.AlterField(
            model_name="assessment", name="municipality", field=municipality(null=False)
        ),
        migrations.AlterField(
            model_name="measuretag", name="municipality", field=municipality(null=False)
        ),
    ]
