"""The municipality switcher (decision 0035): staff of several municipalities choose the one
the situation picture opens on, for the session."""

from __future__ import annotations

import pytest
from django.urls import reverse

from trygg.organisations.models import Membership, Organisation
from trygg.organisations.tenancy import SESSION_KEY
from trygg.organisations.tests.factories import make_organisation, make_person

pytestmark = pytest.mark.django_db


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


def test_the_switcher_remembers_the_municipality_for_the_session(client, police_in_two, karlskoga):
    client.force_login(police_in_two)
    page = client.get(reverse("situation:page"))
    assert 'id="byt-kommun"' in page.content.decode()
    response = client.post(
        reverse("switch_municipality"), {"kommun": karlskoga.pk, "nasta": "/lagesbild/"}
    )
    assert response.status_code == 302 and response["Location"] == "/lagesbild/"
    assert client.session[SESSION_KEY] == karlskoga.pk
    heading = client.get(reverse("situation:page")).content.decode()
    assert "Lägesbild Karlskoga" in heading


def test_switching_to_a_municipality_one_does_not_work_in_is_refused(
    client, coordinator, karlskoga
):
    client.force_login(coordinator)
    response = client.post(reverse("switch_municipality"), {"kommun": karlskoga.pk})
    assert response.status_code == 403
    assert SESSION_KEY not in client.session


def test_the_switcher_does_not_send_anyone_to_another_site(client, police_in_two, karlskoga):
    client.force_login(police_in_two)
    response = client.post(
        reverse("switch_municipality"), {"kommun": karlskoga.pk, "nasta": "https://example.com/"}
    )
    assert response["Location"] == "/"


def test_one_municipality_shows_no_switcher(client, coordinator):
    client.force_login(coordinator)
    assert 'id="byt-kommun"' not in client.get(reverse("situation:page")).content.decode()
