"""A county organisation's member (decision 0035) sees public events only, like anyone."""

from __future__ import annotations

import pytest

from trygg.events.models import Event, Visibility
from trygg.organisations.models import Membership, Organisation
from trygg.organisations.tests.factories import make_organisation, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def county_person(karlstad):
    lansstyrelsen = make_organisation(
        karlstad, "lansstyrelsen-17", "Länsstyrelsen Värmland", Organisation.Kind.COUNTY
    )
    return make_person("lansstyrelsen", lansstyrelsen, Membership.Role.VIEWER)


def test_a_county_member_sees_no_partner_events_of_the_seat(county_person, make_event, kommunen):
    shared = make_event(kommunen, visibility=Visibility.PARTNERS)
    public = make_event(kommunen, visibility=Visibility.PUBLIC)
    visible = set(Event.objects.visible_to(county_person).values_list("pk", flat=True))
    assert public.pk in visible and shared.pk not in visible
