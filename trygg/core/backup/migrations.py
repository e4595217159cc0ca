"""A backup's migration state measured against this code's migrations: a backup from a newer
Trygg is refused (its tables would not match this code); one from an older Trygg is restored
and then brought up to date with `trygg migrate`."""

from __future__ import annotations

from django.db.migrations.loader import MigrationLoader

from trygg.core.backup.errors import BackupRefused

Node = tuple[str, str]


def loader() -> MigrationLoader:
    # No connection: only the migration files of this code are read.
    return MigrationLoader(None, ignore_no_migrations=True)


def check_known(migrations: dict[str, str], graph_loader: MigrationLoader) -> None:
    for app, name in migrations.items():
        if (app, name) not in graph_loader.disk_migrations:
            raise BackupRefused(
                f"Säkerhetskopian har migreringen {app}.{name}, som den här versionen av Trygg "
                "inte känner till: kopian kommer från en nyare version. Uppgradera Trygg till "
                "minst den versionen och återställ sedan."
            )


def applied_in(migrations: dict[str, str], graph_loader: MigrationLoader) -> set[Node]:
    """Every migration the backed-up database had applied: the last one of each app and
    everything it depends on."""
    applied: set[Node] = set()
    for node in migrations.items():
        applied.update(graph_loader.graph.forwards_plan(node))
    return applied


def beyond(target: set[Node], migrations: dict[str, str], graph_loader: MigrationLoader) -> list:
    """Migrations applied in the target database that the backup had not: restoring would
    leave tables the backup's migration history does not know."""
    return sorted(target - applied_in(migrations, graph_loader))


def behind(migrations: dict[str, str], graph_loader: MigrationLoader) -> bool:
    """Whether this code has migrations the backup has not applied yet."""
    applied = applied_in(migrations, graph_loader)
    return any(leaf not in applied for leaf in graph_loader.graph.leaf_nodes())
