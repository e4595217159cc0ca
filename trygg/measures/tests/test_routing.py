"""Who is responsible where: overlapping rules, subcategories, area borders and the fallbacks."""

import datetime as dt

import pytest

from trygg.events.models import Category
from trygg.measures.routing import Reason, coordinating_organisation, suggest
from trygg.measures.tests.factories import make_rule
from trygg.organisations.models import Membership, Organisation
from trygg.organisations.tests.factories import make_organisation, make_person
from trygg.places.models import Area, Place
from trygg.places.tests.factories import make_place


@pytest.fixture
def gatuforvaltningen(karlstad):
    return make_organisation(
        karlstad,
        "teknik",
        "Teknik- och fastighetsförvaltningen",
        Organisation.Kind.MUNICIPAL_DEPARTMENT,
    )


@pytest.fixture
def energibolaget(karlstad):
    return make_organisation(
        karlstad, "energi", "Karlstads Energi", Organisation.Kind.MUNICIPAL_COMPANY
    )


def code(value: str) -> Category:
    return Category.objects.get(code=value)


def test_a_rule_for_a_category_covers_its_subcategories(karlstad, gatuforvaltningen):
    make_rule(gatuforvaltningen, category=code("otrygg_plats"))
    answer = suggest(karlstad.pk, category=code("otrygg_plats.nedskrapning"))
    assert answer.organisation == gatuforvaltningen
    assert answer.reason is Reason.RULE


def test_a_rule_without_subcategories_matches_only_its_own_category(karlstad, gatuforvaltningen):
    make_rule(gatuforvaltningen, category=code("otrygg_plats"), include_subcategories=False)
    answer = suggest(karlstad.pk, category=code("otrygg_plats.nedskrapning"))
    assert answer.reason is not Reason.RULE


def test_the_more_specific_rule_wins_when_rules_overlap(
    karlstad, gatuforvaltningen, energibolaget, bostadsbolaget
):
    """Lighting on public ground is the street department's, street lights the energy
    company's, and a lamp in a housing-company yard the housing company's."""
    lighting = code("otrygg_plats.belysning")
    make_rule(gatuforvaltningen, category=code("otrygg_plats"))
    make_rule(energibolaget, category=lighting)
    make_rule(bostadsbolaget, place_kind=Place.Kind.YARD)
    yard = make_place(karlstad, "Gården", kind=Place.Kind.YARD)
    street = make_place(karlstad, "Gatan", kind=Place.Kind.STREET)

    assert suggest(karlstad.pk, category=code("otrygg_plats.nedskrapning")).organisation == (
        gatuforvaltningen
    )
    assert suggest(karlstad.pk, category=lighting, place=street).organisation == energibolaget
    # The yard rule names a kind of place: more specific than a category alone.
    in_yard = suggest(karlstad.pk, category=lighting, place=yard)
    assert in_yard.organisation == bostadsbolaget
    assert [r.organisation for r in in_yard.matches] == [
        bostadsbolaget,
        energibolaget,
        gatuforvaltningen,
    ]


def test_priority_beats_specificity_and_preference_beats_priority(
    karlstad, gatuforvaltningen, energibolaget, polisen
):
    lighting = code("otrygg_plats.belysning")
    make_rule(energibolaget, category=lighting)
    general = make_rule(gatuforvaltningen, category=code("otrygg_plats"), priority=5)
    assert suggest(karlstad.pk, category=lighting).rule == general
    preferred = make_rule(polisen, preferred=True)
    assert suggest(karlstad.pk, category=lighting).rule == preferred


def test_an_area_rule_stops_at_the_area_border(
    karlstad, centrum, kronoparken, bostadsbolaget, gatuforvaltningen
):
    """Two places a few hundred metres apart on either side of a border get different owners."""
    make_rule(bostadsbolaget, area=kronoparken, category=code("skadegorelse"))
    make_rule(gatuforvaltningen, category=code("skadegorelse"))
    inside = make_place(karlstad, "Kronoparkens centrum", kind=Place.Kind.SQUARE, area=kronoparken)
    outside = make_place(karlstad, "Stora torget", kind=Place.Kind.SQUARE, area=centrum)
    graffiti = code("skadegorelse.klotter")
    assert suggest(karlstad.pk, category=graffiti, place=inside).organisation == bostadsbolaget
    assert suggest(karlstad.pk, category=graffiti, place=outside).organisation == gatuforvaltningen


def test_an_area_rule_covers_the_areas_sub_areas(karlstad, kronoparken, bostadsbolaget):
    sub_area = Area.objects.create(
        municipality=karlstad,
        name="Kronoparken norra",
        kind=Area.Kind.SUB_AREA,
        geometry=kronoparken.geometry,
        parent=kronoparken,
        valid_from=dt.date(2000, 1, 1),
    )
    make_rule(bostadsbolaget, area=kronoparken)
    assert suggest(karlstad.pk, area=sub_area).organisation == bostadsbolaget


def test_a_single_place_rule_beats_a_kind_of_place(karlstad, bostadsbolaget, polisen):
    make_rule(bostadsbolaget, place_kind=Place.Kind.YARD, priority=0)
    yard = make_place(karlstad, "Gården vid stationen", kind=Place.Kind.YARD)
    make_rule(polisen, place=yard)
    assert suggest(karlstad.pk, place=yard).organisation == polisen


def test_inactive_rules_and_other_municipalities_rules_are_ignored(
    karlstad, bostadsbolaget, karlskoga_kommun, kommunen
):
    make_rule(bostadsbolaget, is_active=False)
    make_rule(karlskoga_kommun)
    answer = suggest(karlstad.pk)
    assert answer.organisation != bostadsbolaget
    assert answer.organisation != karlskoga_kommun


def test_without_a_rule_the_places_manager_answers(karlstad, bostadsbolaget):
    stairwell = make_place(
        karlstad, "Trapphus 4", kind=Place.Kind.STAIRWELL, manager=bostadsbolaget
    )
    answer = suggest(karlstad.pk, place=stairwell)
    assert (answer.organisation, answer.reason) == (bostadsbolaget, Reason.MANAGER)


def test_without_a_rule_or_manager_the_coordinator_takes_it(karlstad, coordinator, kommunen):
    answer = suggest(karlstad.pk, category=code("arrangemang"))
    assert (answer.organisation, answer.reason) == (kommunen, Reason.COORDINATOR)


def test_the_coordinator_is_the_municipal_department_before_any_other_kind(
    karlstad, energibolaget, kommunen, gatuforvaltningen
):
    """Of the organisations with a coordinator or admin, a municipal department, by name; only
    where there is none, another kind (here a municipal company, first by name)."""
    make_person("bolagets-samordnare", energibolaget, Membership.Role.COORDINATOR)
    make_person("kommunens-admin", kommunen, Membership.Role.ADMIN)
    make_person("teknikens-samordnare", gatuforvaltningen, Membership.Role.COORDINATOR)
    make_person("teknikens-analytiker", gatuforvaltningen, Membership.Role.ANALYST)
    assert coordinating_organisation(karlstad.pk) == kommunen  # "Karlstads kommun, …" < "Teknik…"

    Membership.objects.filter(organisation__in=[kommunen, gatuforvaltningen]).delete()
    assert coordinating_organisation(karlstad.pk) == energibolaget

    Membership.objects.all().delete()
    assert coordinating_organisation(karlstad.pk) is None


def test_with_nobody_at_all_the_answer_says_so(karlstad):
    answer = suggest(karlstad.pk)
    assert (answer.organisation, answer.reason) == (None, Reason.NONE)
