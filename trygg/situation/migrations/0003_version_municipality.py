"""A version carries its report's municipality (decision 0038)."""

import django.db.models.deletion
from django.db import migrations, models

from trygg.places.municipality_column import fill_from_parent


class Migration(migrations.Migration):
    dependencies = [
        ("places", "0001_initial"),
        ("situation", "0002_free_text_scrubbed"),
    ]

    operations = [
        migrations.AddField(
            model_name="annualreportversion",
            name="municipality",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="places.municipality",
                verbose_name="kommun",
            ),
        ),
        fill_from_parent("situation", "AnnualReportVersion", "report"),
        migrations.AlterField(
            model_name="annualreportversion",
            name="municipality",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="places.municipality",
                verbose_name="kommun",
            ),
        ),
    ]
