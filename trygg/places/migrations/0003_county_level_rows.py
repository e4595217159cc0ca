"""Each county gets its own row in the municipality table (decision 0037, Beslut 3 step 4): the
key of the police's county-level events, which Citus cannot keep under a NULL municipality.
Marked `county_level`, so the default manager never offers it as a municipality."""

from django.db import migrations, models


def load(apps, schema_editor):
    from trygg.places.reference import load_county_rows

    load_county_rows(apps.get_model("places", "Municipality"))


def unload(apps, schema_editor):
    apps.get_model("places", "Municipality")._base_manager.filter(county_level=True).delete()


class Migration(migrations.Migration):
    dependencies = [("places", "0002_load_municipalities")]
    operations = [
        migrations.AddField(
            model_name="municipality",
            name="county_level",
            field=models.BooleanField(default=False),
        ),
        migrations.RunPython(load, unload),
    ]
