"""Helpers every app's pages share for their forms."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError


def add_action_errors(
    form: forms.BaseForm, error: ValidationError, *, non_field: str | None = None
) -> None:
    """An action's ValidationError shown on the form: each message on the field it names
    when the form has that field, otherwise above the form (or on `non_field`)."""
    if not hasattr(error, "error_dict"):
        form.add_error(non_field, error)
        return
    for name, messages in error.message_dict.items():
        form.add_error(name if name in form.fields else None, messages)
