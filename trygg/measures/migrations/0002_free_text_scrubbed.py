"""Free-text columns become scrubbed fields (core/fields.py).

The column type is unchanged, so only the migration state learns the new class: without
SeparateDatabaseAndState SQLite would copy every table to change nothing.
"""

import trygg.core.fields
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('measures', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name='actionplan',
                    name='adopted_by_body',
                    field=trygg.core.fields.ScrubbedCharField(blank=True, max_length=120, verbose_name='antagen av'),
                ),
                migrations.AlterField(
                    model_name='actionplan',
                    name='title',
                    field=trygg.core.fields.ScrubbedCharField(max_length=160, verbose_name='rubrik'),
                ),
                migrations.AlterField(
                    model_name='decision',
                    name='text',
                    field=trygg.core.fields.ScrubbedTextField(verbose_name='beslut'),
                ),
                migrations.AlterField(
                    model_name='measure',
                    name='cancel_reason',
                    field=trygg.core.fields.ScrubbedTextField(blank=True, verbose_name='skäl till att åtgärden avbröts'),
                ),
                migrations.AlterField(
                    model_name='measure',
                    name='description',
                    field=trygg.core.fields.ScrubbedTextField(blank=True, verbose_name='beskrivning'),
                ),
                migrations.AlterField(
                    model_name='measure',
                    name='title',
                    field=trygg.core.fields.ScrubbedCharField(max_length=160, verbose_name='rubrik'),
                ),
                migrations.AlterField(
                    model_name='measureentry',
                    name='new',
                    field=trygg.core.fields.ScrubbedCharField(blank=True, max_length=200),
                ),
                migrations.AlterField(
                    model_name='measureentry',
                    name='old',
                    field=trygg.core.fields.ScrubbedCharField(blank=True, max_length=200),
                ),
                migrations.AlterField(
                    model_name='measureentry',
                    name='text',
                    field=trygg.core.fields.ScrubbedTextField(blank=True),
                ),
                migrations.AlterField(
                    model_name='meeting',
                    name='notes',
                    field=trygg.core.fields.ScrubbedTextField(blank=True, verbose_name='minnesanteckningar'),
                ),
                migrations.AlterField(
                    model_name='meetingpriority',
                    name='note',
                    field=trygg.core.fields.ScrubbedCharField(blank=True, max_length=200, verbose_name='varför'),
                ),
                migrations.AlterField(
                    model_name='notification',
                    name='last_error',
                    field=trygg.core.fields.ScrubbedTextField(blank=True),
                ),
                migrations.AlterField(
                    model_name='plangoal',
                    name='indicator',
                    field=trygg.core.fields.ScrubbedCharField(blank=True, help_text='T.ex. antal rapporterade skadegörelser i Kronoparken per tertial.', max_length=200, verbose_name='hur målet följs upp'),
                ),
                migrations.AlterField(
                    model_name='plangoal',
                    name='text',
                    field=trygg.core.fields.ScrubbedTextField(verbose_name='mål'),
                ),
                migrations.AlterField(
                    model_name='planproblem',
                    name='evidence',
                    field=trygg.core.fields.ScrubbedTextField(blank=True, help_text='Siffror och iakttagelser ur lägesbilden som visar problemet.', verbose_name='vad lägesbilden visar'),
                ),
                migrations.AlterField(
                    model_name='planproblem',
                    name='title',
                    field=trygg.core.fields.ScrubbedCharField(max_length=160, verbose_name='problem'),
                ),
                migrations.AlterField(
                    model_name='responsibilityrule',
                    name='note',
                    field=trygg.core.fields.ScrubbedCharField(blank=True, max_length=200, verbose_name='kommentar'),
                ),
            ],
        )
    ]
