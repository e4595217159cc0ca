"""Tenancy (decision 0035): a county organisation sees no municipality, a partner of several
municipalities has each one's role, organisations and memberships are set up by audited
actions. The switcher's pages: situation/tests/test_switcher.py."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from trygg.core.models import AuditEntry
from trygg.organisations.access import access_for
from trygg.organisations.actions import set_membership, set_up_organisation
from trygg.organisations.models import Membership, Organisation
from trygg.organisations.tests.factories import make_organisation, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def county_person(karlstad):
    lansstyrelsen = make_organisation(
        karlstad, "lansstyrelsen-17", "Länsstyrelsen Värmland", Organisation.Kind.COUNTY
    )
    return make_person("lansstyrelsen", lansstyrelsen, Membership.Role.VIEWER)


@pytest.fixture
def police_in_two(karlstad, karlskoga, polisen):
    """A police officer of the police area, a member of its organisation in both
    municipalities."""
    user = make_person("lanspolis", polisen, Membership.Role.COORDINATOR)
    karlskoga_police = make_organisation(
        karlskoga, "polisomrade-1883", "Polisområde – Karlskoga", Organisation.Kind.POLICE
    )
    Membership.objects.create(
        user=user, organisation=karlskoga_police, role=Membership.Role.REPORTER
    )
    return user


def test_a_county_organisations_member_works_in_no_municipality(county_person, karlstad):
    access = access_for(county_person)
    assert access.county_codes == frozenset({"17"})
    assert not access.municipality_ids and not access.organisation_ids
    assert not access.can_view(karlstad.pk)
    assert access.can_view_county("17") and not access.can_view_county("18")


def test_a_partner_in_two_municipalities_works_in_both_under_each_ones_role(
    police_in_two, karlstad, karlskoga
):
    access = access_for(police_in_two)
    assert access.municipality_ids == {karlstad.pk, karlskoga.pk}
    assert access.can_coordinate(karlstad.pk) and not access.can_coordinate(karlskoga.pk)


def test_setting_up_an_organisation_twice_writes_it_once_and_audits_changes(karlstad):
    first, created = set_up_organisation(
        "polisomrade-1780", name="Polisområde – Karlstad", kind="police", municipality=karlstad
    )
    again, created_again = set_up_organisation(
        "polisomrade-1780", name="Polisområde – Karlstad", kind="police", municipality=karlstad
    )
    assert created and not created_again and first.pk == again.pk
    rows = AuditEntry.objects.filter(object_type="organisations.organisation")
    assert list(rows.values_list("action", flat=True)) == ["create"]
    set_up_organisation(
        "polisomrade-1780",
        name="Polisområde Värmland – Karlstad",
        kind="police",
        municipality=karlstad,
    )
    change = rows.get(action="update")
    assert change.field == "name" and change.new == "Polisområde Värmland – Karlstad"


def test_a_membership_is_audited_when_new_or_changed(kommunen, coordinator):
    assert not set_membership(coordinator, kommunen, Membership.Role.COORDINATOR)
    assert set_membership(coordinator, kommunen, Membership.Role.ANALYST)
    row = AuditEntry.objects.get(object_type="organisations.membership")
    assert (row.field, row.old, row.new) == ("role", "coordinator", "analyst")


def test_only_a_superuser_sets_up_organisations(coordinator, karlstad):
    with pytest.raises(PermissionDenied):
        set_up_organisation(
            "x", name="X", kind="other", municipality=karlstad, acting_user=coordinator
        )
    assert not Organisation.objects.filter(code="x").exists()
