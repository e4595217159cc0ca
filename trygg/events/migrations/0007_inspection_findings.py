"""Bar inspections (krogtillsyn) record their findings as events: the source `inspection` and
the krog categories they are filed under."""

from django.db import migrations, models


def load(apps, schema_editor):
    from trygg.events.categories import load_categories

    load_categories(apps.get_model("events", "Category"), apps.get_model("events", "PoliceEventType"))


SOURCES = [
    ("partner", "partnerrapport"),
    ("police", "polisen"),
    ("citizen", "medborgare"),
    ("walk", "trygghetsvandring"),
    ("shift", "passrapport"),
    ("inspection", "krogtillsyn"),
    ("demo", "genererad demodata"),
]


class Migration(migrations.Migration):
    dependencies = [("events", "0006_time_position_index")]
    operations = [
        migrations.AlterField(
            model_name="importrun",
            name="source",
            field=models.CharField(choices=SOURCES, max_length=10),
        ),
        migrations.AlterField(
            model_name="event",
            name="source",
            field=models.CharField(choices=SOURCES, max_length=10, verbose_name="källa"),
        ),
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
