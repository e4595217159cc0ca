"""The staff menu has one entry, "Invånare", for the residents' pages (dialogues, reports, the
Trygghetscenter), so it fits on one line; its hub links each person to the pages the menu used
to show them: the queue to those who moderate, the desk to its staff, partners with its cases
and coordinators, the dialogues to everyone signed in."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from trygg.citizens.models import ReportModerator
from trygg.citizens.tests.desk_factories import desk_case, make_centre

pytestmark = [pytest.mark.django_db, pytest.mark.frozen]

HUB = "/invanare/"
QUEUE, DESK, DIALOGUES = "/rapportera/granska/", "/trygghetscenter/", "/dialoger/"


def main_menu(page: str) -> str:
    found = re.search(r'<nav class="main-nav".*?</nav>', page, re.S)
    assert found is not None, "no main menu on the page"
    return found.group(0)


def hub_links(client) -> set[str]:
    page = client.get(HUB).content.decode()
    links = set(re.findall(r'<h2><a href="([^"]+)">', page))
    return links & {QUEUE, DESK, DIALOGUES}


@pytest.fixture
def centre(karlstad, kommunen, polisen):
    return make_centre(karlstad, kommunen, polisen)


def test_the_coordinators_menu_has_ten_entries_with_one_for_the_residents(client, coordinator):
    client.force_login(coordinator)

    menu = main_menu(client.get("/atgarder/").content.decode())

    assert menu.count("<li>") == 10
    assert f'href="{HUB}"' in menu and ">Invånare</a>" in menu
    for moved in (QUEUE, DESK, DIALOGUES):
        assert f'href="{moved}"' not in menu


def test_the_hub_gives_the_coordinator_all_three(client, coordinator, centre):
    client.force_login(coordinator)

    assert hub_links(client) == {QUEUE, DESK, DIALOGUES}


def test_the_desk_staff_get_the_desk_and_the_dialogues_but_not_the_queue(
    client, police_officer, centre
):
    client.force_login(police_officer)

    assert hub_links(client) == {DESK, DIALOGUES}


def test_a_partner_gets_the_desk_once_it_has_a_case(
    client, housing_reporter, police_officer, centre, centrum, bostadsbolaget
):
    client.force_login(housing_reporter)
    assert hub_links(client) == {DIALOGUES}

    desk_case(centre, police_officer, area=centrum, taken_by=bostadsbolaget)

    assert hub_links(client) == {DESK, DIALOGUES}


def test_a_named_moderator_gets_the_queue(client, housing_reporter, coordinator, karlstad):
    ReportModerator.objects.create(
        municipality=karlstad, user=housing_reporter, named_by=coordinator
    )
    client.force_login(housing_reporter)

    assert hub_links(client) == {QUEUE, DIALOGUES}


def test_the_entry_is_marked_current_on_the_hub_and_on_the_pages_under_it(
    client, coordinator, centre
):
    client.force_login(coordinator)
    current = f'href="{HUB}" aria-current="page"'

    for path in (HUB, DIALOGUES, DESK, QUEUE):
        assert current in main_menu(client.get(path).content.decode()), path
    assert current not in main_menu(client.get("/atgarder/").content.decode())


def test_the_hub_is_for_staff_only(client):
    response = client.get(HUB)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_admin_is_beside_the_account_for_staff_not_in_the_menu(client, coordinator):
    coordinator.is_staff = True
    coordinator.save(update_fields=["is_staff"])
    client.force_login(coordinator)

    page = client.get("/atgarder/").content.decode()

    assert 'href="/admin/"' not in main_menu(page)
    actions = re.search(r'<div class="account-actions">.*?</div>', page, re.S)
    assert actions is not None and 'href="/admin/"' in actions.group(0)
