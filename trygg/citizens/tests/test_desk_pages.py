"""The Trygghetscenter pages: the desk's quick form (saved, or 400 with Swedish errors and
nothing written), the partner's own list (only its cases; closing with a note), the centre's
settings for coordinators, and the link on the residents' hub."""

from __future__ import annotations

import pytest
from django.urls import reverse

from trygg.citizens.models import Centre, DeskCase
from trygg.citizens.tests.desk_factories import desk_case, make_centre
from trygg.organisations.models import Membership
from trygg.organisations.tenancy import SESSION_KEY
from trygg.places.tests.factories import make_place

pytestmark = [pytest.mark.django_db, pytest.mark.frozen]


@pytest.fixture
def centre(karlstad, kommunen, polisen):
    return make_centre(karlstad, kommunen, polisen)


def _desk_url(centre):
    return reverse("desk:desk", args=[centre.pk])


def test_the_desk_shows_the_form_with_the_hint_and_the_days_cases(
    client, centre, police_officer, centrum
):
    desk_case(centre, police_officer, area=centrum, note="Mörk gångväg vid ån")
    client.force_login(police_officer)

    page = client.get(_desk_url(centre)).content.decode()

    assert "Skriv aldrig vem som kom — bara vad det gäller." in page
    assert 'type="radio"' in page and "stöd efter brott" in page
    assert "Mörk gångväg vid ån" in page  # recorded today: in the day's list


def test_staff_save_a_visit_and_get_the_form_again(
    client, centre, police_officer, karlstad, centrum, bostadsbolaget
):
    make_place(karlstad, "Stora torget")
    client.force_login(police_officer)

    response = client.post(
        _desk_url(centre),
        {
            "topic": "vandalism",
            "place": "stora torget",
            "taken_by": bostadsbolaget.pk,
            "note": "Klotter på busskuren",
            "visited_on": "2026-11-22",
        },
        follow=True,
    )

    assert response.redirect_chain == [(_desk_url(centre), 302)]
    assert "Sparat." in response.content.decode()
    case = DeskCase.objects.get()
    assert (case.topic, case.place.name, case.area, case.taken_by) == (
        "vandalism",
        "Stora torget",
        centrum,
        bostadsbolaget,
    )


def test_a_visit_without_place_or_area_is_refused_in_swedish_with_400(
    client, centre, police_officer
):
    client.force_login(police_officer)

    response = client.post(_desk_url(centre), {"topic": "drugs", "visited_on": "2026-11-22"})

    assert response.status_code == 400
    assert "Ange en plats eller ett område." in response.content.decode()
    assert not DeskCase.objects.exists()


def test_an_unknown_place_and_a_missing_topic_are_refused_with_400(client, centre, police_officer):
    client.force_login(police_officer)

    response = client.post(_desk_url(centre), {"place": "Ingenstans", "visited_on": "2026-11-22"})

    page = response.content.decode()
    assert response.status_code == 400
    assert "Ingen plats i kommunen heter så." in page
    assert "Detta fält måste fyllas i." in page  # the topic
    assert not DeskCase.objects.exists()


@pytest.mark.parametrize("persona", ["housing_reporter", "analyst", "other_municipality_user"])
def test_only_the_centres_staff_use_the_desk(client, centre, persona, request, centrum):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(_desk_url(centre)).status_code == 403
    response = client.post(
        _desk_url(centre), {"topic": "drugs", "area": centrum.pk, "visited_on": "2026-11-22"}
    )
    assert response.status_code == 403
    assert not DeskCase.objects.exists()


def test_the_desk_sends_a_case_to_another_partner(
    client, centre, police_officer, centrum, bostadsbolaget, kommunen
):
    case = desk_case(centre, police_officer, area=centrum, taken_by=bostadsbolaget)
    client.force_login(police_officer)

    response = client.post(
        reverse("desk:reassign", args=[case.pk]), {f"skicka-{case.pk}-taken_by": kommunen.pk}
    )

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.taken_by == kommunen


# --- the partner's list -------------------------------------------------------------------


@pytest.fixture
def two_cases(centre, police_officer, centrum, bostadsbolaget, polisen):
    ours = desk_case(
        centre,
        police_officer,
        area=centrum,
        taken_by=bostadsbolaget,
        note="Trasig dörr i trapphuset",
    )
    theirs = desk_case(
        centre, police_officer, area=centrum, taken_by=polisen, note="Buskörning på torget"
    )
    return ours, theirs


def test_the_partners_list_shows_only_its_own_cases_with_the_wait(
    client, two_cases, housing_reporter
):
    client.force_login(housing_reporter)

    page = client.get(reverse("desk:own")).content.decode()

    assert "Våra ärenden från Trygghetscenter" in page
    assert "Trasig dörr i trapphuset" in page
    assert "Buskörning på torget" not in page
    assert "1 dag" in page  # visited yesterday


def test_the_partner_closes_a_case_with_a_note(client, two_cases, housing_reporter):
    ours, _theirs = two_cases
    client.force_login(housing_reporter)

    response = client.post(
        reverse("desk:close", args=[ours.pk]),
        {f"avsluta-{ours.pk}-note": "Dörren lagad"},
        follow=True,
    )

    assert "Ärendet är avslutat." in response.content.decode()
    ours.refresh_from_db()
    assert ours.state == DeskCase.State.CLOSED and ours.closing_note == "Dörren lagad"


def test_closing_without_a_note_is_refused_with_400(client, two_cases, housing_reporter):
    ours, _theirs = two_cases
    client.force_login(housing_reporter)

    response = client.post(reverse("desk:close", args=[ours.pk]), {f"avsluta-{ours.pk}-note": ""})

    assert response.status_code == 400
    assert "Skriv en kort anteckning." in response.content.decode()
    ours.refresh_from_db()
    assert ours.state == DeskCase.State.OPEN


def test_another_partners_case_cannot_be_closed(client, two_cases, housing_reporter):
    _ours, theirs = two_cases
    client.force_login(housing_reporter)

    response = client.post(
        reverse("desk:close", args=[theirs.pk]), {f"avsluta-{theirs.pk}-note": "Klart"}
    )

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.state == DeskCase.State.OPEN


# --- settings and menu --------------------------------------------------------------------


def test_a_coordinator_creates_a_centre_on_the_settings_page(
    client, coordinator, kommunen, polisen, karlstad
):
    client.force_login(coordinator)

    response = client.post(
        reverse("desk:create"),
        {"name": "Trygghetscenter", "organisations": [kommunen.pk, polisen.pk], "is_active": "on"},
    )

    centre = Centre.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "desk:settings", args=[centre.pk]
    )
    assert centre.municipality == karlstad
    assert set(centre.organisations.all()) == {kommunen, polisen}


def test_a_centre_without_organisations_is_refused_with_400(client, coordinator):
    client.force_login(coordinator)

    response = client.post(reverse("desk:create"), {"name": "Trygghetscenter"})

    assert response.status_code == 400
    assert "Välj minst en organisation som finns på plats." in response.content.decode()
    assert not Centre.objects.exists()


def test_only_coordinators_reach_the_settings(client, centre, police_officer):
    client.force_login(police_officer)

    assert client.get(reverse("desk:settings", args=[centre.pk])).status_code == 403
    assert client.get(reverse("desk:create")).status_code == 403


def test_the_residents_hub_links_the_desk_for_staff_and_partners_with_cases(
    client, centre, police_officer, housing_reporter, centrum, bostadsbolaget
):
    link = f'href="{reverse("desk:index")}"'
    hub = reverse("residents_hub")
    client.force_login(housing_reporter)
    assert link not in client.get(hub).content.decode()

    desk_case(centre, police_officer, area=centrum, taken_by=bostadsbolaget)

    assert link in client.get(hub).content.decode()
    client.force_login(police_officer)
    assert link in client.get(hub).content.decode()


def test_the_overview_leads_staff_to_the_desk_and_analysts_to_the_statistics(
    client, centre, police_officer, analyst
):
    client.force_login(police_officer)
    staff_page = client.get(reverse("desk:index")).content.decode()
    client.force_login(analyst)
    analyst_page = client.get(reverse("desk:index")).content.decode()

    assert f'href="{_desk_url(centre)}"' in staff_page
    assert f'href="{_desk_url(centre)}"' not in analyst_page
    assert reverse("desk:statistics", args=[centre.pk]) in analyst_page
    assert reverse("desk:settings", args=[centre.pk]) not in analyst_page


def test_a_coordinator_of_two_municipalities_gets_the_one_chosen_in_the_switcher(
    client, coordinator, karlskoga_kommun, karlskoga
):
    """Without `?kommun=` the new-centre page asks which municipality; once the header's
    switcher has chosen one for the session, it opens on that one."""
    Membership.objects.create(user=coordinator, organisation=karlskoga_kommun, role="coordinator")
    client.force_login(coordinator)
    assert "citizens/desk_choose_municipality.html" in [
        t.name for t in client.get(reverse("desk:create")).templates
    ]

    session = client.session
    session[SESSION_KEY] = karlskoga.pk
    session.save()

    page = client.get(reverse("desk:create"))
    assert page.status_code == 200
    assert page.context["municipality"] == karlskoga
