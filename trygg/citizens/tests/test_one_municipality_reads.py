"""Pages that read rows of several tables name the municipality of each (sharded by
municipality, decision 0038) or read them in queries of their own: what they show stays the
same when the rows of two municipalities lie side by side."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from trygg.citizens.actions import dialogues as dialogue_actions
from trygg.citizens.actions.dialogues import MentionRow
from trygg.citizens.models import CentreOrganisation, Theme
from trygg.citizens.tests.desk_factories import desk_case, make_centre
from trygg.citizens.tests.factories import dialogue as make_dialogue
from trygg.organisations.models import Membership
from trygg.places.tests.factories import make_area

pytestmark = [pytest.mark.django_db, pytest.mark.frozen]


@pytest.fixture
def karlskoga_area(karlskoga):
    return make_area(
        karlskoga,
        "Karlskoga centrum",
        {
            "type": "Polygon",
            "coordinates": [
                [[14.5, 59.3], [14.6, 59.3], [14.6, 59.35], [14.5, 59.35], [14.5, 59.3]]
            ],
        },
    )


@pytest.fixture
def two_centres(karlstad, karlskoga, kommunen, polisen, karlskoga_kommun):
    return (
        make_centre(karlstad, kommunen, polisen, name="Karlstads trygghetscenter"),
        make_centre(karlskoga, karlskoga_kommun, name="Karlskogas trygghetscenter"),
    )


@pytest.fixture
def partner_in_both(police_officer, karlskoga_kommun):
    """The police officer also writes for Karlskoga's municipality: a partner of two."""
    Membership.objects.create(
        user=police_officer, organisation=karlskoga_kommun, role=Membership.Role.REPORTER
    )
    return police_officer


def test_a_partner_of_two_municipalities_sees_both_centres_and_their_cases(
    client, two_centres, partner_in_both, polisen, karlskoga_kommun, centrum, karlskoga_area
):
    karlstad_centre, karlskoga_centre = two_centres
    ours = desk_case(karlstad_centre, partner_in_both, area=centrum, taken_by=polisen)
    theirs = desk_case(
        karlskoga_centre, partner_in_both, area=karlskoga_area, taken_by=karlskoga_kommun
    )
    client.force_login(partner_in_both)

    index = client.get(reverse("desk:index")).content.decode()
    own = client.get(reverse("desk:own")).content.decode()

    assert "Karlstads trygghetscenter" in index and "Karlskogas trygghetscenter" in index
    # Each case with its own centre, read in a query of its own.
    assert "Karlstads trygghetscenter" in own and "Karlskogas trygghetscenter" in own
    for case, centre_name in ((ours, "Karlstads"), (theirs, "Karlskogas")):
        page = client.get(reverse("desk:case", args=[case.pk]))
        assert page.status_code == 200
        assert f"{centre_name} trygghetscenter" in page.content.decode()


def test_the_desk_page_shows_only_its_own_centres_cases(
    client, two_centres, partner_in_both, centrum, karlskoga_area
):
    karlstad_centre, karlskoga_centre = two_centres
    desk_case(karlstad_centre, partner_in_both, area=centrum, note="Mörk gångväg vid ån")
    desk_case(karlskoga_centre, partner_in_both, area=karlskoga_area, note="Trasig lampa i parken")
    client.force_login(partner_in_both)

    page = client.get(reverse("desk:desk", args=[karlstad_centre.pk])).content.decode()

    assert "Mörk gångväg vid ån" in page
    assert "Trasig lampa i parken" not in page


def test_a_case_of_another_municipality_is_404_and_its_desk_403(
    client, two_centres, other_municipality_user, police_officer, centrum
):
    karlstad_centre, _karlskoga_centre = two_centres
    case = desk_case(karlstad_centre, police_officer, area=centrum)
    client.force_login(other_municipality_user)

    assert client.get(reverse("desk:case", args=[case.pk])).status_code == 404
    assert client.get(reverse("desk:desk", args=[karlstad_centre.pk])).status_code == 403


def test_the_settings_list_the_centres_organisations(
    client, two_centres, coordinator, kommunen, polisen
):
    karlstad_centre, _karlskoga_centre = two_centres
    client.force_login(coordinator)

    page = client.get(reverse("desk:settings", args=[karlstad_centre.pk])).content.decode()
    checked = set(re.findall(r'value="(\d+)"[^>]*checked', page))

    assert checked == {str(kommunen.pk), str(polisen.pk)}


def test_changing_a_centres_organisations_keeps_each_link_once(
    client, two_centres, coordinator, kommunen, bostadsbolaget
):
    karlstad_centre, _karlskoga_centre = two_centres
    client.force_login(coordinator)

    response = client.post(
        reverse("desk:settings", args=[karlstad_centre.pk]),
        {"name": "Karlstads trygghetscenter", "organisations": [kommunen.pk, bostadsbolaget.pk]},
    )

    assert response.status_code == 302
    links = CentreOrganisation.objects.filter(centre=karlstad_centre)
    assert sorted(links.values_list("organisation_id", flat=True)) == sorted(
        [kommunen.pk, bostadsbolaget.pk]
    )
    assert set(links.values_list("municipality_id", flat=True)) == {karlstad_centre.municipality_id}


def test_the_dialogue_list_counts_each_mention_once_and_shows_only_its_municipality(
    client, coordinator, karlstad, karlskoga, kommunen, polisen, other_municipality_user,
    karlskoga_kommun,
):  # fmt: skip
    held = dt.date(2026, 4, 15)
    spring = make_dialogue(
        coordinator, karlstad, [kommunen, polisen], held_on=held, place_name="Rudstorget"
    )
    dialogue_actions.set_mentions(
        spring,
        [
            MentionRow(theme=Theme.VIOLENCE, area=None, count=3),
            MentionRow(theme=Theme.UNSAFE_PLACES, area=None, count=2),
        ],
        acting_user=coordinator,
    )
    for text in ("Mörkt vid busshållplatsen", "Bråk på helgerna"):
        dialogue_actions.add_quote(spring, theme=Theme.VIOLENCE, text=text, acting_user=coordinator)
    make_dialogue(
        other_municipality_user, karlskoga, [karlskoga_kommun], held_on=held,
        place_name="Karlskoga torg",
    )  # fmt: skip
    client.force_login(coordinator)

    page = client.get(
        reverse("dialogues:list"), {"fran": "2026-04-01", "till": "2026-06-30"}
    ).content.decode()
    start = page.rindex("<tr>", 0, page.index("Rudstorget"))
    row = page[start : page.index("</tr>", start)]
    cells = re.findall(r"<td>(.*?)</td>", row)

    assert "Karlskoga torg" not in page
    # On place: the organisations by name; raised 3 + 2 (not once per quote); two quotes.
    assert cells[0] == "Rudstorget"
    assert cells[2] == f"{kommunen.name}, {polisen.name}"
    assert cells[-2:] == ["5", "2"]
