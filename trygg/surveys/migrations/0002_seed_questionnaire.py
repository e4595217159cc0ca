from django.db import migrations

from trygg.surveys.questionnaire_seed import seed


def seed_questionnaire(apps, schema_editor):
    seed(apps.get_model("surveys", "Questionnaire"), apps.get_model("surveys", "Item"))


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_initial")]

    operations = [migrations.RunPython(seed_questionnaire, migrations.RunPython.noop)]
