"""Whether the database a restore would write into is empty.

Empty means: no tables at all (a new database), or only what `trygg migrate` writes by itself
into a new one (its bookkeeping and the reference data its migrations load: categories,
municipalities, the survey questionnaire and the walk checklists), with no migration applied
that the backup had not. Any other row (a user, an organisation, an event, an audit row) is
somebody's data, and a restore never overwrites it."""

from __future__ import annotations

from django.db.migrations.recorder import MigrationRecorder

from trygg.core.backup import migrations
from trygg.core.backup.errors import BackupRefused
from trygg.core.backup.tables import row_counts, table_names

# Tables that `trygg migrate` fills in a new database. A test migrates one and checks that
# every table holding rows is named here, so a new data migration cannot slip past.
FILLED_BY_MIGRATE = frozenset(
    {
        "django_migrations",
        "django_content_type",
        "auth_permission",
        "events_category",
        "events_policeeventtype",
        "places_municipality",
        "surveys_questionnaire",
        "surveys_item",
        "walks_checklisttemplate",
        "walks_checklistitem",
    }
)
SHOWN = 5


def rows_beyond_migrate(connection) -> dict[str, int]:
    """Tables with rows that `trygg migrate` did not write, and how many."""
    with connection.cursor() as cursor:
        tables = table_names(cursor, connection.vendor)
        counted = row_counts(cursor, [t for t in tables if t not in FILLED_BY_MIGRATE])
    return {table: count for table, count in counted.items() if count}


def check_empty(connection, backed_up: dict[str, str], graph_loader) -> None:
    occupied = rows_beyond_migrate(connection)
    if occupied:
        shown = ", ".join(f"{table} ({count})" for table, count in list(occupied.items())[:SHOWN])
        more = f" och {len(occupied) - SHOWN} tabeller till" if len(occupied) > SHOWN else ""
        raise BackupRefused(
            f"Databasen är inte tom: den har rader i {shown}{more}. Återställ bara till en "
            "ny, tom databas (eller en som bara har migrerats)."
        )
    applied = set(MigrationRecorder(connection).applied_migrations())
    extra = migrations.beyond(applied, backed_up, graph_loader)
    if extra:
        app, name = extra[0]
        raise BackupRefused(
            f"Databasen är migrerad längre än säkerhetskopian ({app}.{name} och "
            f"{len(extra) - 1} till): återställ till en ny, tom databas."
        )
