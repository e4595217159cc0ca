"""Every database knows Sweden's 290 municipalities (national reference data)."""

from django.db import migrations


def load(apps, schema_editor):
    from trygg.places.reference import load_municipalities

    load_municipalities(apps.get_model("places", "Municipality"))


class Migration(migrations.Migration):
    dependencies = [("places", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
