"""Writes of the responsibility rules (administrators), audited field by field."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.forms.models import model_to_dict
from django.utils.translation import gettext as _

from trygg.core.audit import record, record_changes, record_created
from trygg.core.models import AuditEntry
from trygg.core.privacy import scrub
from trygg.measures import access
from trygg.measures.models import ResponsibilityRule

RULE_FIELDS = [
    "organisation",
    "category",
    "include_subcategories",
    "area",
    "place_kind",
    "place",
    "priority",
    "preferred",
    "note",
    "is_active",
]


@transaction.atomic
def save_rule(rule: ResponsibilityRule, *, acting_user) -> ResponsibilityRule:
    """Create or update `rule` (already filled in, e.g. by a ModelForm with commit=False)."""
    if not access.can_edit_rules(acting_user, rule.municipality_id):
        raise PermissionDenied(_("Bara administratörer kan ändra ansvarsreglerna."))
    # The marker is longer than what it replaces; the note must still fit its column.
    rule.note = scrub(rule.note.strip()).text[
        : ResponsibilityRule._meta.get_field("note").max_length
    ]
    rule.full_clean()
    if rule.pk is None:
        rule.save()
        record_created(
            acting_user, rule, [f"{name}_id" if _is_fk(name) else name for name in RULE_FIELDS]
        )
        return rule
    stored = model_to_dict(ResponsibilityRule.objects.get(pk=rule.pk), fields=RULE_FIELDS)
    current = model_to_dict(rule, fields=RULE_FIELDS)
    rule.save()
    record_changes(acting_user, rule, {k: (stored[k], current[k]) for k in RULE_FIELDS})
    return rule


@transaction.atomic
def delete_rule(rule: ResponsibilityRule, *, acting_user) -> None:
    if not access.can_edit_rules(acting_user, rule.municipality_id):
        raise PermissionDenied(_("Bara administratörer kan ändra ansvarsreglerna."))
    record(acting_user, rule, AuditEntry.Action.DELETE, old=str(rule))
    rule.delete()


def _is_fk(name: str) -> bool:
    return name in ("organisation", "category", "area", "place")
