"""The API's error shapes and the helpers that build them, shared by every app's endpoints.

Errors are one shape everywhere: `{"detail": [{"field": ..., "message": ...}]}`, with `index`
added for items of a list, and `{"detail": "message"}` for 401/403/404. Messages are Swedish
(through gettext), also for pydantic's checks.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from ninja import Field, Schema


class FieldErrors(Exception):
    """Request data that cannot be used: answered 422 with every problem found."""

    def __init__(self, errors: list[dict[str, Any]], status: int = 422):
        self.errors = errors
        self.status = status
        super().__init__(errors)


def field_error(field: str, message: str, index: int | None = None) -> dict[str, Any]:
    error: dict[str, Any] = {"field": field, "message": str(message)}
    if index is not None:
        error = {"index": index, **error}
    return error


def swedish_message(error: Mapping[str, Any]) -> str:
    """pydantic's error for one field, said in Swedish (our own validators already are)."""
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    messages = {
        "missing": _("Fältet måste anges."),
        "extra_forbidden": _("Okänt fält."),
        "finite_number": _("Ange ett ändligt tal."),
        "string_type": _("Ange text."),
        "model_type": _("Varje händelse ska vara ett JSON-objekt."),
        "model_attributes_type": _("Varje händelse ska vara ett JSON-objekt."),
        "dict_type": _("Varje händelse ska vara ett JSON-objekt."),
        "list_type": _("Ange en lista."),
        "bool_type": _("Ange true eller false."),
        "bool_parsing": _("Ange true eller false."),
    }
    if kind in messages:
        return messages[kind]
    if kind.startswith(("float_", "int_")):
        return _("Ange ett tal.")
    if kind.startswith(("datetime_", "date_")):
        return _("Ange en tidpunkt i ISO 8601-format, t.ex. 2026-05-01T21:30.")
    if kind == "string_too_long":
        return _("Texten är för lång (högst %(n)s tecken).") % {"n": ctx.get("max_length")}
    if kind == "string_too_short":
        return _("Får inte vara tomt.")
    if kind == "literal_error":
        return _("Välj ett av: %(choices)s.") % {"choices": ctx.get("expected", "")}
    if kind in {"greater_than_equal", "greater_than"}:
        return _("Måste vara minst %(n)s.") % {"n": ctx.get("ge", ctx.get("gt"))}
    if kind in {"less_than_equal", "less_than"}:
        return _("Får vara högst %(n)s.") % {"n": ctx.get("le", ctx.get("lt"))}
    if kind == "value_error":
        return str(ctx.get("error", error.get("msg", "")))
    return _("Ogiltigt värde (%(msg)s).") % {"msg": error.get("msg", kind)}


def field_name(loc: tuple | list) -> str:
    """'lat' from pydantic's ('lat',) or ninja's ('query', 'limit'); nested parts joined by '.'."""
    parts = [str(part) for part in loc if not isinstance(part, int)]
    if parts and parts[0] in {"body", "query", "path", "header", "cookie", "form"}:
        parts = parts[1:]
    return ".".join(parts) or "body"


class FieldErrorOut(Schema):
    index: int | None = Field(None, description="Listans index (0-baserat) vid en lista.")
    field: str
    message: str


class FieldErrorsOut(Schema):
    detail: list[FieldErrorOut]


class MessageOut(Schema):
    detail: str
    index: int | None = None
