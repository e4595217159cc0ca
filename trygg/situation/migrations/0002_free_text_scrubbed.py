"""Free-text columns become scrubbed fields (core/fields.py).

The column type is unchanged, so only the migration state learns the new class: without
SeparateDatabaseAndState SQLite would copy every table to change nothing.
"""

import trygg.core.fields
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('situation', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name='annualreportversion',
                    name='note',
                    field=trygg.core.fields.ScrubbedCharField(blank=True, max_length=200, verbose_name='kommentar till versionen'),
                ),
                migrations.AlterField(
                    model_name='meetingpack',
                    name='priorities',
                    field=trygg.core.fields.ScrubbedTextField(blank=True, verbose_name='prioriteringar för nästa period'),
                ),
            ],
        )
    ]
