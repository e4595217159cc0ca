from django.db import migrations

from trygg.walks.checklist_seed import TEMPLATES


def seed(apps, schema_editor):
    Template = apps.get_model("walks", "ChecklistTemplate")
    Item = apps.get_model("walks", "ChecklistItem")
    for code, name, kind, scale_max, items in TEMPLATES:
        template, _ = Template.objects.get_or_create(
            municipality=None,
            code=code,
            defaults={"name": name, "kind": kind, "scale_max": scale_max},
        )
        for order, (item_code, label, label_en) in enumerate(items, start=1):
            Item.objects.get_or_create(
                template=template,
                code=item_code,
                defaults={"label": label, "label_en": label_en, "order": order},
            )


class Migration(migrations.Migration):
    dependencies = [("walks", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
