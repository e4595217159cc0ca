"""Writing audit rows. Every action calls `record`; nothing else writes AuditEntry."""

from __future__ import annotations

from typing import Any

from django.db import models

from trygg.core.models import AuditEntry


def object_type(obj: models.Model) -> str:
    return obj._meta.label_lower


def _plain(value: Any) -> Any:
    """JSON-safe form of a field value (dates and decimals as text, models as their key)."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, models.Model):
        return value.pk
    return str(value)


def record(
    actor, obj: models.Model, action: str, field: str = "", old=None, new=None
) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        object_type=object_type(obj),
        object_id=str(obj.pk),
        field=field,
        old=_plain(old),
        new=_plain(new),
    )


def record_created(actor, obj: models.Model, fields: list[str]) -> AuditEntry:
    """The audit row for a new object: its initial values as `new`."""
    values = {name: _plain(getattr(obj, name)) for name in fields}
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=AuditEntry.Action.CREATE,
        object_type=object_type(obj),
        object_id=str(obj.pk),
        new=values,
    )


def record_changes(actor, obj: models.Model, changes: dict[str, tuple[Any, Any]]) -> None:
    """One audit row per changed field (old -> new)."""
    AuditEntry.objects.bulk_create(
        AuditEntry(
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            action=AuditEntry.Action.UPDATE,
            object_type=object_type(obj),
            object_id=str(obj.pk),
            field=name,
            old=_plain(old),
            new=_plain(new),
        )
        for name, (old, new) in changes.items()
        if old != new
    )


def record_bulk(action: str, object_type: str, object_id: str, field: str, new: dict) -> AuditEntry:
    """One row for work on many rows at once by the system itself (a retention run): counts in
    `new`, never the values that went."""
    return AuditEntry.objects.create(
        actor=None,
        action=action,
        object_type=object_type,
        object_id=object_id,
        field=field,
        new=new,
    )
