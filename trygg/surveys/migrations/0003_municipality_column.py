"""A survey's frame areas, response files and respondents, and a frame area's population, carry
their municipality (decision 0038). The frame areas are filled first: the population is filled
from them."""

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
        ("surveys", "0002_seed_questionnaire"),
    ]

    operations = [
        migrations.AddField(
            model_name="framearea", name="municipality", field=municipality(null=True)
        ),
        fill_from_parent("surveys", "FrameArea", "survey"),
        migrations.AddField(
            model_name="population", name="municipality", field=municipality(null=True)
        ),
        fill_from_parent("surveys", "Population", "frame_area"),
        migrations.AddField(
            model_name="responsefile", name="municipality", field=municipality(null=True)
        ),
        fill_from_parent("surveys", "ResponseFile", "survey"),
        migrations.AddField(
            model_name="respondent", name="municipality", field=municipality(null=True)
        ),
        fill_from_parent("surveys", "Respondent", "survey"),
        migrations.AlterField(
            model_name="framearea", name="municipality", field=municipality(null=False)
        ),
        migrations.AlterField(
            model_name="population", name="municipality", field=municipality(null=False)
        ),
        migrations.AlterField(
            model_name="responsefile", name="municipality", field=municipality(null=False)
        ),
        migrations.AlterField(
            model_name="respondent", name="municipality", field=municipality(null=False)
        ),
    ]
