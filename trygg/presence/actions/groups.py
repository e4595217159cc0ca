"""Setting up a presence group and changing it."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from trygg.core.audit import record_changes, record_created
from trygg.core.fields import free_text
from trygg.organisations.models import Organisation
from trygg.places.models import Municipality
from trygg.presence.access import check_may_manage_group
from trygg.presence.models import GroupKind, PresenceGroup

GROUP_FIELDS = ["municipality_id", "organisation_id", "kind", "name", "active"]


@dataclass
class GroupInput:
    kind: str
    name: str
    active: bool = True


def _name(text: str) -> str:
    return free_text(text, PresenceGroup._meta.get_field("name")).text


def group_errors(
    municipality: Municipality, data: GroupInput, group: PresenceGroup | None = None
) -> dict[str, list[str]]:
    """The checks on a group's kind and name, by field, in Swedish."""
    errors: dict[str, list[str]] = {}
    if data.kind not in GroupKind.values:
        errors["kind"] = [_("Välj vad det är för slags grupp.")]
    name = _name(data.name)
    if not name:
        errors["name"] = [_("Ge gruppen ett namn.")]
    else:
        same = PresenceGroup.objects.filter(municipality=municipality, name__iexact=name)
        if group is not None:
            same = same.exclude(pk=group.pk)
        if same.exists():
            errors["name"] = [_("Kommunen har redan en grupp med det namnet.")]
    return errors


@transaction.atomic
def create_group(
    municipality: Municipality,
    organisation: Organisation | None,
    data: GroupInput,
    *,
    acting_user,
) -> PresenceGroup:
    """A new group of `organisation`, working in its own municipality."""
    if organisation is not None:
        check_may_manage_group(acting_user, municipality.pk, organisation.pk)
    errors = group_errors(municipality, data)
    if organisation is None:
        errors["organisation"] = [_("Välj vilken organisation gruppen hör till.")]
    elif organisation.municipality_id != municipality.pk:
        errors["organisation"] = [_("Organisationen hör till en annan kommun.")]
    if errors:
        raise ValidationError(errors)
    assert organisation is not None  # noqa: S101 -- checked above
    group = PresenceGroup.objects.create(
        municipality=municipality,
        organisation=organisation,
        kind=data.kind,
        name=_name(data.name),
        active=data.active,
        created_by=acting_user,
    )
    record_created(acting_user, group, GROUP_FIELDS)
    return group


@transaction.atomic
def update_group(group: PresenceGroup, data: GroupInput, *, acting_user) -> PresenceGroup:
    """The kind, the name and whether the group is active. A group taken out of use keeps its
    shifts; it only cannot be given new ones."""
    check_may_manage_group(acting_user, group.municipality_id, group.organisation_id)
    group = PresenceGroup.objects.select_for_update().get(
        pk=group.pk, municipality_id=group.municipality_id
    )
    errors = group_errors(group.municipality, data, group)
    if errors:
        raise ValidationError(errors)
    old = {"kind": group.kind, "name": group.name, "active": group.active}
    group.kind, group.name, group.active = data.kind, _name(data.name), data.active
    group.save(update_fields=["kind", "name", "active", "updated_at"])
    record_changes(
        acting_user, group, {name: (value, getattr(group, name)) for name, value in old.items()}
    )
    return group
