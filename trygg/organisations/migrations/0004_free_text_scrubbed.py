"""Free-text columns become scrubbed fields (core/fields.py).

The column type is unchanged, so only the migration state learns the new class: without
SeparateDatabaseAndState SQLite would copy every table to change nothing.
"""

import trygg.core.fields
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('organisations', '0003_organisation_contact_email'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name='apitoken',
                    name='name',
                    field=trygg.core.fields.ScrubbedCharField(blank=True, max_length=80, verbose_name='namn'),
                ),
            ],
        )
    ]
