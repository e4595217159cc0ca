"""A dialogue's mentions and quotes, and a report's status contact, photos and status notices
carry their parent's municipality (decision 0038)."""

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
        ("citizens", "0006_desk_case_returned"),
    ]

    operations = [
        migrations.AddField(
            model_name="dialoguemention", name="municipality", field=municipality(null=True)
        ),
        fill_from_parent("citizens", "DialogueMention", "dialogue"),
        migrations.AddField(
            model_name="dialoguequote", name="municipality", field=municipality(null=True)
        ),
        fill_from_parent("citizens", "DialogueQuote", "dialogue"),
        migrations.AddField(
            model_name="statuscontact", name="municipality", field=municipality(null=True)
        ),
        fill_from_parent("citizens", "StatusContact", "report"),
        migrations.AddField(
            model_name="reportphoto", name="municipality", field=municipality(null=True)
        ),
        fill_from_parent("citizens", "ReportPhoto", "report"),
        migrations.AddField(
            model_name="statusnotice", name="municipality", field=municipality(null=True)
        ),
        fill_from_parent("citizens", "StatusNotice", "report"),
        migrations.AlterField(
            model_name="dialoguemention", name="municipality", field=municipality(null=False)
        ),
        migrations.AlterField(
            model_name="dialoguequote", name="municipality", field=municipality(null=False)
        ),
        migrations.AlterField(
            model_name="statuscontact", name="municipality", field=municipality(null=False)
        ),
        migrations.AlterField(
            model_name="reportphoto", name="municipality", field=municipality(null=False)
        ),
        migrations.AlterField(
            model_name="statusnotice", name="municipality", field=municipality(null=False)
        ),
    ]
