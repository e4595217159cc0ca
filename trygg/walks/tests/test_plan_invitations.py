"""Who is asked to walk: the managers along the route and the organisations the rules name
for where it goes, never anything from another municipality; the coordinator decides."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from trygg.core.models import AuditEntry
from trygg.events.models import Category
from trygg.measures.tests.factories import make_rule
from trygg.organisations.tests.factories import make_organisation
from trygg.places.models import Place
from trygg.places.tests.factories import make_place
from trygg.walks.actions import plans
from trygg.walks.invitations import suggest_invitations
from trygg.walks.models import Invitation
from trygg.walks.tests.factories import make_walk

pytestmark = [pytest.mark.django_db, pytest.mark.frozen]

# The route runs east along latitude 59.3800 from 13.5000 to 13.5100; 0.0003° of latitude is
# about 33 m, 0.0020° about 220 m.
LINE = {"type": "LineString", "coordinates": [[13.5000, 59.3800], [13.5100, 59.3800]]}


@pytest.fixture
def walk(kommunen, centrum):
    walk = make_walk(kommunen, area=centrum)
    walk.stops.all().delete()
    walk.route = LINE
    walk.save()
    return walk


@pytest.fixture
def tekniska(karlstad):
    return make_organisation(karlstad, "tekniska", "Tekniska förvaltningen")


def suggested(walk) -> dict[str, tuple[str, list[str]]]:
    return {s.organisation.code: (s.reason, s.because) for s in suggest_invitations(walk)}


def test_the_manager_of_a_place_beside_the_route_is_suggested_but_not_one_further_away(
    walk, karlstad, bostadsbolaget, polisen
):
    make_place(karlstad, "Gården", lat=59.3803, lon=13.5050, kind="yard", manager=bostadsbolaget)
    make_place(karlstad, "Stationen", lat=59.3820, lon=13.5050, manager=polisen)

    assert suggested(walk) == {"kbab": ("manager", ["Gården"])}


def test_the_manager_of_a_stops_place_is_suggested(walk, karlstad, coordinator, tekniska):
    far = make_place(karlstad, "Lekplatsen", lat=59.3850, lon=13.5150, manager=tekniska)
    plans.save_route(walk, [plans.StopInput(place=far)], route=LINE, acting_user=coordinator)
    assert suggested(walk) == {"tekniska": ("manager", ["Lekplatsen"])}


def test_a_rule_for_the_walks_area_is_suggested_and_rules_elsewhere_are_not(
    walk, karlstad, kronoparken, tekniska, polisen, bostadsbolaget
):
    make_rule(tekniska, area=walk.area, category=Category.objects.get(code="otrygg_plats"))
    make_rule(bostadsbolaget, area=kronoparken)  # another district
    make_rule(polisen, category=Category.objects.get(code="skadegorelse"))  # the whole town
    make_rule(polisen, area=walk.area, is_active=False)

    assert suggested(walk) == {"tekniska": ("rule", ["Otrygg plats, Centrum"])}


def test_a_rule_for_a_kind_of_place_along_the_route_is_suggested(walk, karlstad, bostadsbolaget):
    make_place(karlstad, "Trapphus 4", lat=59.3801, lon=13.5020, kind=Place.Kind.STAIRWELL)
    make_rule(bostadsbolaget, place_kind=Place.Kind.STAIRWELL)
    make_rule(bostadsbolaget, place_kind=Place.Kind.SCHOOL_YARD)

    assert suggested(walk)["kbab"][0] == "rule"
    assert len(suggested(walk)["kbab"][1]) == 1


def test_nothing_is_suggested_from_another_municipality(
    walk, karlstad, karlskoga, karlskoga_kommun, coordinator
):
    # A place recorded under Karlskoga, even one lying beside the route, is not Karlstad's.
    make_place(karlskoga, "Fel kommun", lat=59.3801, lon=13.5050, manager=karlskoga_kommun)
    # A rule of Karlskoga's for a kind of place the route passes in Karlstad names no one here.
    make_place(karlstad, "Gården", lat=59.3803, lon=13.5050, kind="yard")
    make_rule(karlskoga_kommun, place_kind=Place.Kind.YARD)

    assert suggested(walk) == {}
    with pytest.raises(ValidationError):
        plans.set_invitations(walk, [karlskoga_kommun], acting_user=coordinator)
    assert not Invitation.objects.exists()


def test_the_organiser_is_not_suggested_to_itself(walk, karlstad, kommunen):
    make_place(karlstad, "Rådhuset", lat=59.3801, lon=13.5050, manager=kommunen)
    assert suggested(walk) == {}


def test_the_coordinator_invites_suggested_and_added_organisations_with_their_reasons(
    client, walk, karlstad, coordinator, bostadsbolaget, polisen
):
    make_place(karlstad, "Gården", lat=59.3803, lon=13.5050, manager=bostadsbolaget)
    client.force_login(coordinator)
    page = client.get(reverse("walks:invitations", args=[walk.pk]))
    assert "Gården" in page.content.decode()

    client.post(
        reverse("walks:invitations", args=[walk.pk]),
        {"suggested": [bostadsbolaget.pk], "others": [polisen.pk]},
    )

    reasons = dict(walk.invitations.values_list("organisation__code", "reason"))
    assert reasons == {"kbab": "manager", "polisen-karlstad": "added"}
    assert AuditEntry.objects.filter(object_id=str(walk.pk), field="invitations").exists()
    assert (
        "Polisen lokalpolisområde Karlstad" in client.get(walk.get_absolute_url()).content.decode()
    )

    client.post(reverse("walks:invitations", args=[walk.pk]), {"suggested": [bostadsbolaget.pk]})
    assert list(walk.invitations.values_list("organisation__code", flat=True)) == ["kbab"]


def test_an_invited_organisation_of_another_municipality_sees_the_walk(
    walk, karlstad, coordinator, karlskoga_kommun, other_municipality_user, client
):
    # A regional manager recorded under its home municipality, managing a place on the route.
    make_place(karlstad, "Bron", lat=59.3801, lon=13.5050, manager=karlskoga_kommun)
    plans.set_invitations(walk, [karlskoga_kommun], acting_user=coordinator)
    client.force_login(other_municipality_user)
    assert client.get(walk.get_absolute_url()).status_code == 200
