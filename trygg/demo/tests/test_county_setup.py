"""`trygg county-setup 17` (issue 16, point 4; decision 0035): the 16 municipalities of
Värmland, the county's partners with a membership in each, the regional coordinator, the
county's police events; through audited actions and idempotent."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import override_settings

from trygg.core.models import AuditEntry
from trygg.demo import county
from trygg.events.models import Event
from trygg.organisations.access import access_for
from trygg.organisations.models import Membership, Organisation
from trygg.places.models import Municipality

pytestmark = [pytest.mark.django_db, pytest.mark.frozen]
FAST = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])


@FAST
def test_the_county_gets_its_municipalities_partners_and_regional_coordinator():
    result = county.set_up(county.VARMLAND, police=False)
    varmland = Municipality.objects.filter(county_code="17")
    assert result.municipalities == 16 == varmland.count()
    # Per municipality its coordinator and the three partners; and the county's organisation.
    assert result.organisations_created == 16 * 4 + 1
    for municipality in varmland:
        kinds = set(
            Organisation.objects.filter(municipality=municipality).values_list("kind", flat=True)
        )
        assert {"municipal_department", "police", "rescue_service", "property_owner"} <= kinds
    users = {u.username: u for u in get_user_model().objects.all()}
    police = access_for(users["lanspolis"])
    assert police.municipality_ids == set(varmland.values_list("pk", flat=True))
    assert all(police.can_coordinate(pk) for pk in police.municipality_ids)
    regional = access_for(users["lansstyrelsen"])
    assert regional.county_codes == {"17"} and not regional.municipality_ids
    arvika = access_for(users["samordnare-1784"])
    assert arvika.coordinated_municipality_ids == {Municipality.objects.get(code="1784").pk}
    created = AuditEntry.objects.filter(object_type="organisations.organisation", action="create")
    assert created.count() == 65
    assert AuditEntry.objects.filter(object_type="organisations.membership").count() == (
        Membership.objects.count()
    )


@FAST
def test_running_it_again_changes_nothing():
    county.set_up(county.VARMLAND, police=False)
    audit = AuditEntry.objects.count()
    again = county.set_up(county.VARMLAND, police=False)
    assert again.organisations_created == 0 and again.users_created == 0
    assert again.memberships_changed == 0
    assert AuditEntry.objects.count() == audit


@FAST
def test_the_police_events_belong_to_the_police_area_in_each_municipality():
    result = county.set_up(county.VARMLAND)
    arvika = Municipality.objects.get(code="1784")
    events = Event.objects.filter(source="police", organisation__code="polisomrade-1784")
    assert result.police["1784"].created > 50
    assert events.exists()
    assert set(events.values_list("municipality_id", flat=True)) <= {arvika.pk, None}
    again = county.set_up(county.VARMLAND)
    assert sum(r.created for r in again.police.values()) == 0


@FAST
def test_the_command_says_what_it_did_and_refuses_a_bad_code():
    out = io.StringIO()
    call_command("county_setup", "17", no_police=True, stdout=out)
    assert "Kommuner: 16" in out.getvalue() and "65 nya" in out.getvalue()
    with pytest.raises(CommandError, match="två siffror"):
        call_command("county_setup", "Värmland", stdout=io.StringIO())
    with pytest.raises(CommandError, match="inga kommuner"):
        call_command("county_setup", "99", stdout=io.StringIO())
