"""Setting up and changing a presence group: who may, what is checked, what is audited."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from trygg.core.models import AuditEntry
from trygg.presence.actions.groups import GroupInput, create_group, update_group
from trygg.presence.models import GroupKind, PresenceGroup


def youth(name="Ungdomar för trygghet", **fields) -> GroupInput:
    return GroupInput(kind=GroupKind.YOUTH, name=name, **fields)


def test_the_coordinator_sets_up_a_group_for_an_organisation_and_it_is_audited(
    karlstad, kommunen, coordinator
):
    group = create_group(karlstad, kommunen, youth(), acting_user=coordinator)
    assert (group.municipality, group.organisation, group.active) == (karlstad, kommunen, True)
    entry = AuditEntry.objects.get(object_type="presence.presencegroup", object_id=str(group.pk))
    assert entry.action == "create" and entry.actor == coordinator
    assert entry.new["name"] == "Ungdomar för trygghet"


def test_an_association_sets_up_its_own_group(karlstad, nattvandrarna, volunteer):
    group = create_group(
        karlstad,
        nattvandrarna,
        GroupInput(kind=GroupKind.NIGHT_WALKERS, name="Nattvandrarna"),
        acting_user=volunteer,
    )
    assert group.organisation == nattvandrarna


def test_an_association_cannot_set_up_a_group_for_someone_else(karlstad, kommunen, volunteer):
    with pytest.raises(PermissionDenied):
        create_group(karlstad, kommunen, youth(), acting_user=volunteer)
    assert not PresenceGroup.objects.exists()


def test_a_reader_cannot_set_up_a_group_for_their_own_organisation(karlstad, kommunen, analyst):
    with pytest.raises(PermissionDenied):
        create_group(karlstad, kommunen, youth(), acting_user=analyst)


def test_an_organisation_of_another_municipality_is_refused_by_field(
    karlstad, karlskoga_kommun, coordinator
):
    with pytest.raises(ValidationError) as refused:
        create_group(karlstad, karlskoga_kommun, youth(), acting_user=coordinator)
    assert refused.value.message_dict == {
        "organisation": ["Organisationen hör till en annan kommun."]
    }
    assert not PresenceGroup.objects.exists()
    assert not AuditEntry.objects.filter(object_type__startswith="presence.").exists()


def test_a_kind_outside_the_list_and_an_empty_name_are_refused_together(
    karlstad, kommunen, coordinator
):
    with pytest.raises(ValidationError) as refused:
        create_group(
            karlstad, kommunen, GroupInput(kind="vigilantes", name="  "), acting_user=coordinator
        )
    assert set(refused.value.message_dict) == {"kind", "name"}


def test_two_groups_of_one_name_in_a_municipality_are_refused(karlstad, kommunen, coordinator):
    create_group(karlstad, kommunen, youth(), acting_user=coordinator)
    with pytest.raises(ValidationError) as refused:
        create_group(karlstad, kommunen, youth("ungdomar för trygghet"), acting_user=coordinator)
    assert "name" in refused.value.message_dict
    assert PresenceGroup.objects.count() == 1


def test_a_name_with_a_phone_number_is_stored_without_it(karlstad, kommunen, coordinator):
    group = create_group(
        karlstad, kommunen, youth("Ungdomar 070-123 45 67"), acting_user=coordinator
    )
    assert "070" not in PresenceGroup.objects.get(pk=group.pk).name


def test_taking_a_group_out_of_use_is_audited_field_by_field(ungdomar, coordinator):
    update_group(
        ungdomar, youth("Ungdomar för trygghet Centrum", active=False), acting_user=coordinator
    )
    ungdomar.refresh_from_db()
    assert (ungdomar.name, ungdomar.active) == ("Ungdomar för trygghet Centrum", False)
    changes = AuditEntry.objects.filter(object_id=str(ungdomar.pk), action="update")
    assert {e.field: (e.old, e.new) for e in changes} == {
        "name": ("Ungdomar för trygghet", "Ungdomar för trygghet Centrum"),
        "active": (True, False),
    }


def test_another_organisations_member_cannot_change_a_group(ungdomar, volunteer):
    with pytest.raises(PermissionDenied):
        update_group(ungdomar, youth("Våra ungdomar"), acting_user=volunteer)
    ungdomar.refresh_from_db()
    assert ungdomar.name == "Ungdomar för trygghet"
