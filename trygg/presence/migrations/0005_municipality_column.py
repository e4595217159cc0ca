"""A licence, a shift series, a shift report and its observations carry their municipality
(decision 0038): the report before its observations, which take theirs from it."""

import django.db.models.deletion
from django.db import migrations, models

from trygg.places.municipality_column import fill_from_parent


class Migration(migrations.Migration):
    dependencies = [
        ("places", "0001_initial"),
        ("presence", "0004_guard_areas"),
    ]

    operations = [
        migrations.AddField(
            model_name="licence",
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
        fill_from_parent("presence", "Licence", "premise"),
        migrations.AddField(
            model_name="shiftseries",
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
        fill_from_parent("presence", "ShiftSeries", "group"),
        migrations.AddField(
            model_name="shiftreport",
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
        fill_from_parent("presence", "ShiftReport", "shift"),
        migrations.AddField(
            model_name="shiftobservation",
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
        fill_from_parent("presence", "ShiftObservation", "report"),
        migrations.AlterField(
            model_name="licence",
            name="municipality",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="places.municipality",
                verbose_name="kommun",
            ),
        ),
        migrations.AlterField(
            model_name="shiftseries",
            name="municipality",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="places.municipality",
                verbose_name="kommun",
            ),
        ),
        migrations.AlterField(
            model_name="shiftreport",
            name="municipality",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="places.municipality",
                verbose_name="kommun",
            ),
        ),
        migrations.AlterField(
            model_name="shiftobservation",
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
