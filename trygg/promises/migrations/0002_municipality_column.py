"""The rows of an agreement carry its municipality (decision 0038): the promise first, as its
versions, commitments, follow-ups and reminders take theirs from it; a follow-up's statuses
from the follow-up."""

import django.db.models.deletion
from django.db import migrations, models

from trygg.places.municipality_column import fill_from_parent


class Migration(migrations.Migration):
    dependencies = [
        ("places", "0001_initial"),
        ("promises", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="promise",
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
        fill_from_parent("promises", "Promise", "agreement"),
        migrations.AddField(
            model_name="agreementparty",
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
        fill_from_parent("promises", "AgreementParty", "agreement"),
        migrations.AddField(
            model_name="processstep",
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
        fill_from_parent("promises", "ProcessStep", "agreement"),
        migrations.AddField(
            model_name="problem",
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
        fill_from_parent("promises", "Problem", "agreement"),
        migrations.AddField(
            model_name="promiseversion",
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
        fill_from_parent("promises", "PromiseVersion", "promise"),
        migrations.AddField(
            model_name="commitment",
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
        fill_from_parent("promises", "Commitment", "promise"),
        migrations.AddField(
            model_name="followup",
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
        fill_from_parent("promises", "FollowUp", "promise"),
        migrations.AddField(
            model_name="followupreminder",
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
        fill_from_parent("promises", "FollowUpReminder", "promise"),
        migrations.AddField(
            model_name="commitmentstatus",
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
        fill_from_parent("promises", "CommitmentStatus", "follow_up"),
        migrations.AlterField(
            model_name="promise",
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
            model_name="agreementparty",
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
            model_name="processstep",
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
            model_name="problem",
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
            model_name="promiseversion",
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
            model_name="commitment",
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
            model_name="followup",
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
            model_name="followupreminder",
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
            model_name="commitmentstatus",
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
