"""Serving hours beside the events around a premise (issue 15, point 6): each event near the
premise falls while it served, after its closing time that night, or on a day without serving;
the premise's page shows the count by hour and how many fell after closing, of the events the
reader may see."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from trygg.events.models import Source, Visibility
from trygg.presence.models import Licence
from trygg.presence.serving import (
    AFTER_CLOSING,
    NO_SERVING,
    SERVING,
    classify,
    serving_comparison,
)

pytestmark = [pytest.mark.django_db, pytest.mark.frozen]  # NOW: Sunday 2026-11-22 12:00

TZ = ZoneInfo("Europe/Stockholm")
# About 50 and 300 metres north of Krogstråket (a degree of latitude is about 111 km).
NEAR, FAR = 0.00045, 0.0027


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=TZ)


@pytest.fixture
def licences(kajen) -> list[Licence]:
    # Monday–Thursday until 01:00, Friday and Saturday until 02:00, Sunday until 23:00.
    return list(kajen.licences.all())


@pytest.mark.parametrize(
    "moment, expected",
    [
        (at(20, 23, 30), (SERVING, False)),  # Friday evening
        (at(21, 1, 30), (SERVING, False)),  # Friday's night: served until 02:00
        (at(21, 2, 30), (AFTER_CLOSING, True)),  # half an hour after closing
        (at(21, 4, 0), (AFTER_CLOSING, False)),
        (at(21, 10, 59), (AFTER_CLOSING, False)),  # still Friday's night, before 11:00
        (at(21, 11, 0), (SERVING, False)),  # Saturday's serving begins
        (at(22, 23, 15), (AFTER_CLOSING, True)),  # Sunday: closes at 23:00
        (at(18, 0, 30), (SERVING, False)),  # Tuesday's night, open until 01:00
    ],
)
def test_an_events_time_is_placed_against_the_licences_hours(licences, moment, expected):
    assert classify(moment, licences) == expected


def test_a_day_without_serving_or_without_a_licence_is_its_own_column(kajen, licences):
    licence = licences[0]
    licence.serving_until = [*licence.serving_until[:6], None]  # no serving on Sundays
    assert classify(at(22, 21, 0), [licence]) == (NO_SERVING, False)
    # Before the licence began (2020-01-01), and the night after its last day.
    assert classify(dt.datetime(2019, 12, 31, 22, tzinfo=TZ), licences) == (NO_SERVING, False)
    licence.valid_to = dt.date(2026, 11, 20)
    assert classify(at(21, 1, 0), [licence]) == (SERVING, False)  # the last day's night
    assert classify(at(21, 23, 0), [licence]) == (NO_SERVING, False)


@pytest.fixture
def around(make_event, kajen, krogstraket, kommunen, polisen, bostadsbolaget):
    """Events near and far from the premise: three counted for the coordinator (one served,
    two after closing), the rest not near, not precise, a finding, or not theirs to see."""
    lat, lon = krogstraket.lat, krogstraket.lon
    near = {"lat": lat + NEAR, "lon": lon}
    make_event(kommunen, occurred_from=at(20, 23, 30), **near)
    make_event(kommunen, occurred_from=at(21, 2, 20), **near)
    make_event(polisen, Visibility.PARTNERS, occurred_from=at(21, 4, 10), **near)
    make_event(kommunen, occurred_from=at(21, 2, 40), lat=lat + FAR, lon=lon)
    make_event(kommunen, occurred_from=at(21, 2, 40), precision_m=1000, **near)
    make_event(kommunen, occurred_from=at(21, 1, 0), source=Source.INSPECTION, **near)
    make_event(polisen, Visibility.ORGANISATION, occurred_from=at(21, 3, 0), **near)
    make_event(kommunen, occurred_from=dt.datetime(2025, 10, 1, 2, tzinfo=TZ), **near)
    return kajen


def test_the_comparison_counts_the_near_visible_events_of_the_past_year(around, coordinator):
    result = serving_comparison(around, coordinator, dt.date(2026, 11, 22))
    assert (result.total, result.serving, result.after_closing, result.no_serving) == (3, 1, 2, 0)
    assert result.first_hour_after == 1 and result.after_closing_share == 67
    assert [(row.label, row.after_closing) for row in result.busy_rows] == [
        ("23–00", 0),
        ("02–03", 1),
        ("04–05", 1),
    ]


def test_the_police_see_their_own_internal_event_counted_too(around, police_officer):
    result = serving_comparison(around, police_officer, dt.date(2026, 11, 22))
    assert (result.total, result.after_closing) == (4, 3)


def test_the_premises_page_says_how_many_fell_after_closing(client, coordinator, around):
    client.force_login(coordinator)
    page = client.get(around.get_absolute_url()).content.decode()
    assert "Händelser runt stället mot serveringstiden" in page
    assert "Av 3 händelser föll 2 (67 %) efter stängningstiden" in page
    assert '<th scope="row">02–03</th>' in page


def test_a_premise_with_nothing_near_says_so(client, coordinator, kajen):
    client.force_login(coordinator)
    page = client.get(kajen.get_absolute_url()).content.decode()
    assert "Inga händelser nära stället under perioden." in page


def test_another_municipality_sees_neither_the_page_nor_the_counts(
    client, other_municipality_user, around
):
    client.force_login(other_municipality_user)
    assert client.get(around.get_absolute_url()).status_code == 404
    result = serving_comparison(around, other_municipality_user, dt.date(2026, 11, 22))
    assert result.total == 0
