"""A municipality's own checklists: a copy of a national seed (or of its own list) that its
coordinators then edit. The national seeds stay as they are: every municipality uses them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.text import slugify
from django.utils.translation import gettext as _

from trygg.core.audit import record_changes, record_created
from trygg.core.fields import free_text
from trygg.organisations.access import access_for
from trygg.walks.models import ChecklistItem, ChecklistTemplate, FindingScore

# A walk's checklist is read on a phone in the dark: a long list is not one anyone walks.
MAX_ITEMS = 40


def _check_coordinator(user, municipality_id: int | None) -> None:
    if municipality_id is None:
        raise PermissionDenied(
            _("De nationella checklistorna ändras inte: kopiera en av dem till kommunen.")
        )
    if not access_for(user).can_coordinate(municipality_id):
        raise PermissionDenied(_("Bara samordnare i kommunen kan ändra kommunens checklistor."))


def templates_for(municipality):
    """The checklists a walk in `municipality` may use: the national seeds and its own."""
    return ChecklistTemplate.objects.filter(
        Q(municipality__isnull=True) | Q(municipality=municipality)
    )


@transaction.atomic
def copy_template(source: ChecklistTemplate, municipality, *, acting_user) -> ChecklistTemplate:
    """An editable copy for the municipality, with the source's items, scale and kind."""
    if not access_for(acting_user).can_coordinate(municipality.pk):
        raise PermissionDenied(_("Bara samordnare i kommunen kan kopiera checklistor."))
    if source.municipality_id not in (None, municipality.pk):
        raise PermissionDenied(_("Checklistan hör till en annan kommun."))
    copy = ChecklistTemplate.objects.create(
        municipality=municipality,
        code=_free_code(
            set(
                ChecklistTemplate.objects.filter(municipality=municipality).values_list(
                    "code", flat=True
                )
            ),
            source.code,
        ),
        name=source.name,
        kind=source.kind,
        scale_max=source.scale_max,
        copied_from=source,
    )
    ChecklistItem.objects.bulk_create(
        ChecklistItem(
            template=copy,
            code=item.code,
            label=item.label,
            label_en=item.label_en,
            help_text=item.help_text,
            order=item.order,
        )
        for item in source.items.all()
    )
    record_created(acting_user, copy, ["municipality_id", "code", "name", "kind", "copied_from_id"])
    return copy


@dataclass(frozen=True)
class ItemInput:
    """One item as the form sends it; `pk` for an item the list already has."""

    label: str
    label_en: str = ""
    help_text: str = ""
    pk: int | None = None


@transaction.atomic
def edit_template(
    template: ChecklistTemplate,
    *,
    acting_user,
    name: str,
    is_active: bool,
    items: Sequence[ItemInput],
) -> ChecklistTemplate:
    """Rename, (de)activate and set the items in the order given: new ones added, missing
    ones removed (only if no finding used them). Errors name the item (`items.<n>.<field>`)."""
    _check_coordinator(acting_user, template.municipality_id)
    clean_name = free_text(name, ChecklistTemplate._meta.get_field("name")).text
    errors: dict[str, list[str]] = {}
    if not clean_name:
        errors["name"] = [_("Ge checklistan ett namn.")]
    checked = _check_items(template, items, errors)
    if errors:
        raise ValidationError(errors)
    before = {"name": template.name, "is_active": template.is_active}
    old_items = _items_summary(template)
    template.name, template.is_active = clean_name, bool(is_active)
    template.save()
    _write_items(template, checked)
    changes = {key: (old, getattr(template, key)) for key, old in before.items()}
    changes["items"] = (old_items, _items_summary(template))
    record_changes(acting_user, template, changes)
    return template


def _check_items(template, items: Sequence[ItemInput], errors: dict) -> list[ItemInput]:
    if not items:
        errors["items"] = [_("Checklistan behöver minst en punkt.")]
        return []
    if len(items) > MAX_ITEMS:
        errors["items"] = [_("Högst %(max)s punkter per checklista.") % {"max": MAX_ITEMS}]
        return []
    existing = set(template.items.values_list("pk", flat=True))
    label_field = ChecklistItem._meta.get_field("label")
    checked: list[ItemInput] = []
    seen: set[int | None] = set()
    for number, item in enumerate(items, start=1):
        key = f"items.{number}"
        if item.pk is not None and (item.pk not in existing or item.pk in seen):
            errors[f"{key}.label"] = [_("Punkten hör inte till den här checklistan.")]
            continue
        seen.add(item.pk)
        label = free_text(item.label, label_field).text
        if not label:
            errors[f"{key}.label"] = [_("Skriv punkten.")]
            continue
        checked.append(
            ItemInput(
                label=label,
                label_en=free_text(item.label_en, label_field).text,
                help_text=free_text(item.help_text).text,
                pk=item.pk,
            )
        )
    removed = existing - seen
    used = ChecklistItem.objects.filter(
        pk__in=FindingScore.objects.filter(item_id__in=removed).values("item_id")
    )
    for used_item in used:
        errors.setdefault("items", []).append(
            _("Punkten ”%(label)s” har använts i iakttagelser och kan inte tas bort.")
            % {"label": used_item.label}
        )
    return checked


def _write_items(template: ChecklistTemplate, items: list[ItemInput]) -> None:
    kept = {item.pk for item in items if item.pk}
    template.items.exclude(pk__in=kept).delete()
    existing = {item.pk: item for item in template.items.all()}
    codes = {item.code for item in existing.values()}
    for order, given in enumerate(items, start=1):
        item = existing.get(given.pk) if given.pk else None
        if item is None:
            item = ChecklistItem(template=template, code=_free_code(codes, given.label))
            codes.add(item.code)
        item.order, item.label, item.label_en = order, given.label, given.label_en
        item.help_text = given.help_text
        item.save()


def _free_code(taken: set[str], base: str) -> str:
    """A slug from `base` (at most 40 characters) that is not in `taken`."""
    stem = (slugify(base) or "punkt")[:34]
    code, n = stem, 1
    while code in taken:
        n += 1
        code = f"{stem}-{n}"
    return code


def _items_summary(template: ChecklistTemplate) -> str:
    return "; ".join(f"{item.order}. {item.label}" for item in template.items.all())
