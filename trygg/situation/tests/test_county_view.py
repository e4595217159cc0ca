"""The county view (/lan/<kod>/, decision 0035): shared events per municipality, category and
month for regional coordination, small counts suppressed, nothing finer than a municipality."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from trygg.events.models import Category, DailyCount, Visibility
from trygg.organisations.models import Membership, Organisation
from trygg.organisations.tests.factories import make_organisation, make_person
from trygg.places.models import Municipality

pytestmark = [pytest.mark.django_db, pytest.mark.frozen]

URL = reverse("county:page", kwargs={"kod": "17"})


@pytest.fixture
def county_person(karlstad):
    organisation = make_organisation(
        karlstad, "lansstyrelsen-17", "Länsstyrelsen Värmland", Organisation.Kind.COUNTY
    )
    return make_person("lansstyrelsen", organisation, Membership.Role.VIEWER)


def counts(municipality, day, n, *, visibility=Visibility.PARTNERS, organisation=None, code=None):
    category = Category.objects.get(code=code or "skadegorelse.klotter")
    DailyCount.objects.create(
        municipality=municipality,
        day=day,
        category=category,
        source="partner",
        visibility=visibility,
        organisation=organisation,
        events=n,
    )


@pytest.fixture
def figures(karlstad, karlskoga, kommunen):
    arvika = Municipality.objects.get(code="1784")
    counts(karlstad, dt.date(2026, 3, 4), 7)
    counts(karlstad, dt.date(2026, 3, 5), 5, visibility=Visibility.PUBLIC)
    # One organisation's own events: never in a shared figure.
    counts(
        karlstad, dt.date(2026, 3, 6), 40, visibility=Visibility.ORGANISATION, organisation=kommunen
    )
    counts(arvika, dt.date(2026, 3, 9), 2)
    counts(karlstad, dt.date(2025, 3, 9), 6)  # a year earlier: the trend
    counts(karlskoga, dt.date(2026, 3, 9), 50)  # Örebro county
    return arvika


def table_row(html: str, label: str) -> str:
    start = html.index(f'<th scope="row">{label}</th>')
    return html[start : html.index("</tr>", start)]


def test_the_county_page_counts_shared_events_per_municipality(client, county_person, figures):
    client.force_login(county_person)
    html = client.get(URL, {"ar": 2026}).content.decode()
    karlstad = table_row(html, "Karlstad")
    assert '<td class="figure-count">12</td>' in karlstad  # March: 7 + 5, not the 40
    assert "färre än 3" in table_row(html, "Arvika")  # 2 is suppressed
    assert "Karlskoga" not in html  # another county
    assert not re.search(r"/handelser/\d+/", html)  # no event, only figures


def test_the_trend_compares_the_same_months_a_year_earlier(client, county_person, figures):
    client.force_login(county_person)
    html = client.get(URL, {"ar": 2026}).content.decode()
    trend = html[html.index('id="trend-heading"') :]
    assert "+100 %" in table_row(trend, "Karlstad")  # 6 → 12


def test_the_csv_has_the_same_suppressed_figures(client, county_person, figures):
    client.force_login(county_person)
    response = client.get(URL, {"ar": 2026, "format": "csv", "tabell": "kommuner"})
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="lan-17-2026-alla-kommuner.csv"' in response["Content-Disposition"]
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].split(";")[0] == "Kommun" and lines[0].split(";")[3] == "2026-03"
    rows = {line.split(";")[0]: line.split(";") for line in lines[1:]}
    assert rows["Karlstad"][3] == "12" and rows["Arvika"][3] == "<3"
    # The 16 municipalities, the county-level events and the whole county.
    assert len(rows) == 18
    assert rows["Värmlands län (länsnivå)"][3] == "0"


def test_county_level_events_are_a_line_of_their_own_and_in_the_countys_total(
    client, county_person, figures
):
    county_row = Municipality.with_counties.get(code="0017")
    counts(county_row, dt.date(2026, 3, 10), 8, visibility=Visibility.PUBLIC)
    counts(county_row, dt.date(2025, 3, 10), 4, visibility=Visibility.PUBLIC)
    client.force_login(county_person)
    html = client.get(URL, {"ar": 2026}).content.decode()
    by_municipality = html[: html.index('id="trend-heading"')]
    assert '<td class="figure-count">8</td>' in table_row(
        by_municipality, "Värmlands län (länsnivå)"
    )
    # March: Karlstad 12, Arvika 2 (suppressed, so the sum is a range), county level 8.
    assert "mellan 21 och 22" in table_row(by_municipality, "Hela länet")
    trend = html[html.index('id="trend-heading"') :]
    assert "+100 %" in table_row(trend, "Värmlands län (länsnivå)")  # 4 → 8
    # Gotland's county-level events are Gotland's: no line of their own there.
    gotland = client.get(reverse("county:page", kwargs={"kod": "09"}), {"ar": 2026})
    assert "länsnivå" not in gotland.content.decode()


def test_a_bad_year_is_refused_in_swedish(client, county_person, figures):
    client.force_login(county_person)
    response = client.get(URL, {"ar": 1990})
    assert response.status_code == 400
    assert "Det finns inga händelser i länet år 1990" in response.content.decode()
    csv = client.get(URL, {"ar": 1990, "format": "csv"})
    assert csv.status_code == 400 and "1990" in csv.content.decode()


def test_only_the_county_role_sees_the_county(client, coordinator, county_person, figures):
    client.force_login(coordinator)
    assert client.get(URL).status_code == 403
    client.force_login(county_person)
    assert client.get(reverse("county:page", kwargs={"kod": "18"})).status_code == 403
    assert client.get(reverse("county:page", kwargs={"kod": "99"})).status_code == 404
    assert client.get(reverse("county:index"))["Location"] == URL
    client.logout()
    assert client.get(URL).status_code == 302


def test_the_county_role_sees_no_municipal_picture(client, county_person, figures):
    client.force_login(county_person)
    assert client.get(reverse("situation:page")).status_code == 403
