"""Free-text columns become scrubbed fields (core/fields.py).

The column type is unchanged, so only the migration state learns the new class: without
SeparateDatabaseAndState SQLite would copy every table to change nothing.
"""

import trygg.core.fields
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name='job',
                    name='error',
                    field=trygg.core.fields.ScrubbedTextField(blank=True),
                ),
            ],
        )
    ]
