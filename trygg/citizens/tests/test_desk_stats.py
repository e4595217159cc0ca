"""The centre's monthly statistics, checked by hand on six cases (the clock stands at
2026-11-22):

    visit       topic          where                  taken by         closed on   days
    2025-12-30  unsafe_place   Centrum                polisen          –           (2025)
    2026-10-05  unsafe_place   Stora torget→Centrum   polisen          2026-11-22  48
    2026-10-20  unsafe_place   Kronoparken            polisen          2026-11-22  33
    2026-11-02  drugs          Centrum                polisen          open
    2026-11-12  vandalism      Kronoparken            bostadsbolaget   2026-11-22  10
    2026-11-20  other          Centrum                at the desk      at once      0

2026: unsafe_place 2 in October; drugs, vandalism and other 1 each in November. Centrum 1 in
October and 2 in November, Kronoparken 1 and 1. Polisen took 3, closed 2, median 40.5 days;
Karlstads Bostads AB took 1, closed 1, 10 days; 1 settled at the desk, 0 days."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from trygg.citizens import desk_stats
from trygg.citizens.actions.desk import close_case
from trygg.citizens.tests.desk_factories import desk_case, make_centre
from trygg.places.tests.factories import make_place

pytestmark = [pytest.mark.django_db, pytest.mark.frozen]

OCTOBER, NOVEMBER = 9, 10  # indexes into a row's months


@pytest.fixture
def centre(karlstad, kommunen, polisen):
    return make_centre(karlstad, kommunen, polisen)


@pytest.fixture
def cases(
    centre, police_officer, coordinator, karlstad, centrum, kronoparken, polisen, bostadsbolaget
):
    torget = make_place(karlstad)

    def case(day, topic, taken_by=None, closed=False, **where):
        made = desk_case(
            centre, police_officer, visited_on=day, topic=topic, taken_by=taken_by, **where
        )
        if closed:
            close_case(made, note="Klart", acting_user=coordinator)
        return made

    case(dt.date(2025, 12, 30), "unsafe_place", polisen, area=centrum)
    case(dt.date(2026, 10, 5), "unsafe_place", polisen, closed=True, place=torget)
    case(dt.date(2026, 10, 20), "unsafe_place", polisen, closed=True, area=kronoparken)
    case(dt.date(2026, 11, 2), "drugs", polisen, area=centrum)
    case(dt.date(2026, 11, 12), "vandalism", bostadsbolaget, closed=True, area=kronoparken)
    case(dt.date(2026, 11, 20), "other", area=centrum)


def _row(rows, label):
    return next(row for row in rows if row.label == label)


def test_topics_by_month(centre, cases):
    stats = desk_stats.year_stats(centre, 2026)

    unsafe = _row(stats.topics, "otrygg plats eller miljö")
    assert unsafe.months[OCTOBER] == 2 and unsafe.total == 2
    assert _row(stats.topics, "narkotika eller alkohol").months[NOVEMBER] == 1
    assert _row(stats.topics, "skadegörelse eller klotter").months[NOVEMBER] == 1
    assert _row(stats.topics, "annat").months[NOVEMBER] == 1
    assert _row(stats.topics, "stöd efter brott").total == 0
    assert stats.month_totals[OCTOBER] == 2 and stats.month_totals[NOVEMBER] == 3
    assert stats.total == 5  # the December 2025 visit belongs to 2025


def test_areas_by_month(centre, cases):
    stats = desk_stats.year_stats(centre, 2026)

    assert [row.label for row in stats.areas] == ["Centrum", "Kronoparken"]
    centrum_row, kronoparken_row = stats.areas
    assert (centrum_row.months[OCTOBER], centrum_row.months[NOVEMBER]) == (1, 2)
    assert (kronoparken_row.months[OCTOBER], kronoparken_row.months[NOVEMBER]) == (1, 1)


def test_partners_taken_closed_and_median_days(centre, cases):
    stats = desk_stats.year_stats(centre, 2026)

    partners = {
        row.label: (row.taken, row.closed, row.open, row.median_days) for row in stats.partners
    }
    assert partners == {
        "Polisen lokalpolisområde Karlstad": (3, 2, 1, 40.5),
        "Karlstads Bostads AB": (1, 1, 0, 10),
        "klart vid disken": (1, 1, 0, 0),
    }


def test_the_previous_year_has_its_own_figures(centre, cases):
    stats = desk_stats.year_stats(centre, 2025)

    assert stats.total == 1 and stats.month_totals[11] == 1
    assert desk_stats.years_with_cases(centre) == [2026, 2025]


def test_the_page_and_the_csv_hold_the_same_figures(client, centre, cases, analyst):
    client.force_login(analyst)

    page = client.get(reverse("desk:statistics", args=[centre.pk]), {"ar": "2026"})
    csv = client.get(reverse("desk:statistics_csv", args=[centre.pk]), {"ar": "2026"})

    text = page.content.decode()
    assert "små tal visas som de är" in text
    assert "40,5" in text
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert "ämne;otrygg plats eller miljö;0;0;0;0;0;0;0;0;0;2;0;0;2" in lines
    assert "område;Centrum;0;0;0;0;0;0;0;0;0;1;2;0;3" in lines
    assert "organisation;Polisen lokalpolisområde Karlstad;3;2;1;40,5" in lines
    assert csv["Content-Disposition"] == 'attachment; filename="trygghetscenter-2026.csv"'


@pytest.mark.parametrize("persona", ["housing_reporter", "other_municipality_user"])
def test_the_statistics_are_for_the_centre_and_the_overseers_only(
    client, centre, cases, persona, request
):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(reverse("desk:statistics", args=[centre.pk])).status_code == 404
    assert client.get(reverse("desk:statistics_csv", args=[centre.pk])).status_code == 404
