"""Every database has the EST checklist and the mapping of the police feed's event types."""

from django.db import migrations


def load(apps, schema_editor):
    from trygg.events.categories import load_categories

    load_categories(apps.get_model("events", "Category"), apps.get_model("events", "PoliceEventType"))


class Migration(migrations.Migration):
    dependencies = [("events", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
