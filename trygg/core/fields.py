"""Free text as a column type: a field that cannot be written through the ORM unscrubbed.

DESIGN §5 promises that every free-text field passes the one scrubber (`core/privacy.py`) on
every write path. Declaring the column as `ScrubbedTextField` or `ScrubbedCharField` makes
that a property of the model rather than of each action:

* `pre_save` scrubs the value on the instance itself, so `save()` and `bulk_create()` store
  scrubbed text and the object in memory (what the action then audits or renders) holds the
  same text as the row.
* `get_prep_value` scrubs again, which covers the ORM paths that never call `pre_save`:
  `QuerySet.update(description=...)`, `bulk_update()`, `update_or_create`'s update. The
  scrubber is idempotent, so text scrubbed once passes unchanged (and costs 2-10 µs).

The importers write with raw SQL (`executemany`, `COPY`) and never reach these methods; their
`prepare.py` scrubs before building rows, as before.

A field cannot tell its caller that something was removed, yet an action must set
`was_scrubbed` or say so in its audit row ("that it did, not what"). Actions therefore scrub
first with `free_text` (the text stripped, scrubbed and cut to the column, plus whether
anything was removed); the field's own pass is then the guard that finds nothing more.

A scrubbed CharField keeps its `max_length`: a marker is longer than the number it replaces,
so text that was scrubbed is cut to fit (a valid value must not become one the database
refuses). Text that was already too long is left to validation, as for any CharField.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models

from trygg.core.privacy import scrub

__all__ = ["FreeText", "ScrubbedCharField", "ScrubbedTextField", "free_text", "is_scrubbed_field"]


@dataclass(frozen=True, slots=True)
class FreeText:
    """Text ready to store, and which kinds of identifier were removed (never the values)."""

    text: str
    was_scrubbed: bool
    kinds: frozenset[str]


def free_text(value: str | None, field: models.Field | None = None) -> FreeText:
    """Strip and scrub `value` for storage (cut to `field.max_length` if given): for actions,
    which need to know whether anything was removed."""
    result = scrub((value or "").strip())
    text = result.text
    max_length = getattr(field, "max_length", None)
    if max_length:
        text = text[:max_length]
    return FreeText(text, result.was_scrubbed, result.kinds)


class _Scrubbed:
    """The shared behaviour of the two field classes (a mixin before the Django field)."""

    is_free_text = True

    def _scrubbed(self, value):
        if not isinstance(value, str):
            return value  # None, or an expression (F(), Value()) that the database evaluates
        result = scrub(value)
        if not result.was_scrubbed:
            return value
        max_length = getattr(self, "max_length", None)
        return result.text[:max_length] if max_length else result.text

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname)
        scrubbed = self._scrubbed(value)
        if scrubbed is not value:
            setattr(model_instance, self.attname, scrubbed)
        return scrubbed

    def get_prep_value(self, value):
        return self._scrubbed(super().get_prep_value(value))


class ScrubbedTextField(_Scrubbed, models.TextField):
    """A TextField for free text (descriptions, notes, comments): always stored scrubbed."""


class ScrubbedCharField(_Scrubbed, models.CharField):
    """A CharField for free text (titles, short notes): always stored scrubbed, still fits."""


def is_scrubbed_field(field: models.Field) -> bool:
    return getattr(field, "is_free_text", False) is True
