"""Free-text columns become scrubbed fields (core/fields.py).

The column type is unchanged, so only the migration state learns the new class: without
SeparateDatabaseAndState SQLite would copy every table to change nothing.
"""

import trygg.core.fields
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('events', '0004_flagged_for_meeting'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name='event',
                    name='description',
                    field=trygg.core.fields.ScrubbedTextField(blank=True, verbose_name='beskrivning'),
                ),
                migrations.AlterField(
                    model_name='importrun',
                    name='file_name',
                    field=trygg.core.fields.ScrubbedCharField(max_length=255),
                ),
            ],
        )
    ]
