"""The demo generator on its own (no database): determinism and the patterns it promises."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter

import numpy as np
import pytest
from shapely.geometry import shape

from trygg.core.privacy import scrub
from trygg.demo import generator, texts, world
from trygg.demo.generator import Site, easter_sunday, generate, is_school_holiday
from trygg.demo.loader import DISTRICTS_FILE, PLAYGROUNDS_FILE, read_geojson
from trygg.places.geo import to_sweref

YEAR = (dt.date(2025, 1, 1), dt.date(2026, 1, 1))


def demo_sites() -> list[Site]:
    """Roughly the loader's sites, built from the shipped files without a database."""
    sites = []
    for p in world.NAMED_PLACES:
        x, y = to_sweref(p.lon, p.lat)
        sites.append(Site(p.external_id, p.profile, p.kind, x, y, p.manager, p.weight, p.jitter_m))
    for feature in read_geojson(PLAYGROUNDS_FILE)["features"]:
        props = feature["properties"]
        x, y = to_sweref(props["longitude"], props["latitude"])
        key = f"lekplats:{props['guid']}"
        sites.append(Site(key, "playground", "playground", x, y, world.TEKNIK, 1.0, 20.0))
    for feature in read_geojson(DISTRICTS_FILE)["features"]:  # already SWEREF 99 TM
        point = shape(feature["geometry"]).representative_point()
        key = f"district:{feature['properties']['guid']}"
        sites.append(Site(key, "district", "district", point.x, point.y, world.TEKNIK, 1.0, 150.0))
    return sites


@pytest.fixture(scope="module")
def sites() -> list[Site]:
    return demo_sites()


@pytest.fixture(scope="module")
def year_of_events(sites) -> list[generator.GeneratedEvent]:
    return generate(sites, *YEAR, seed=7)


def test_the_generator_is_deterministic_for_a_seed(sites):
    window = (dt.date(2025, 4, 1), dt.date(2025, 5, 15))
    first, second = generate(sites, *window, seed=11), generate(sites, *window, seed=11)
    assert first == second
    assert first != generate(sites, *window, seed=12)


def test_a_day_gives_the_same_events_whatever_window_it_is_part_of(sites):
    short = generate(sites, dt.date(2025, 6, 10), dt.date(2025, 6, 12), seed=3)
    long = generate(sites, dt.date(2025, 6, 1), dt.date(2025, 6, 20), seed=3)
    assert short and set(short) <= set(long)


def test_external_ids_are_unique_and_carry_the_seed(year_of_events):
    ids = [e.external_id for e in year_of_events]
    assert len(ids) == len(set(ids))
    assert all(i.startswith("demo:7:") for i in ids)


def test_a_year_has_a_believable_number_of_events_for_95000_people(year_of_events):
    assert 5000 <= len(year_of_events) <= 15000


def test_weekend_and_evening_shares_are_higher_than_uniform(year_of_events):
    weekend = np.mean([e.occurred_from.weekday() >= 5 for e in year_of_events])
    evening = np.mean([e.occurred_from.hour >= 18 for e in year_of_events])
    assert weekend > 2 / 7 + 0.02
    assert evening > 6 / 24 + 0.05


def test_the_fire_rate_in_the_week_around_valborg_is_higher_than_the_yearly_average(
    year_of_events,
):
    fires = [e.occurred_from.date() for e in year_of_events if e.category in generator.FIRES]
    week = [d for d in fires if dt.date(2025, 4, 27) <= d <= dt.date(2025, 5, 3)]
    weekly_average = len(fires) / 52
    assert len(week) > 2 * weekly_average


def test_fires_peak_around_new_year(year_of_events):
    fires = [e.occurred_from.date() for e in year_of_events if e.category in generator.FIRES]
    around = [d for d in fires if d >= dt.date(2025, 12, 29) or d <= dt.date(2025, 1, 3)]
    assert len(around) > 2 * len(fires) / 52


def test_the_station_hotspot_has_more_events_than_an_average_place(year_of_events, sites):
    per_site = Counter(e.site for e in year_of_events)
    places = [s.key for s in sites if not s.key.startswith("district:")]
    average = sum(per_site[k] for k in places) / len(places)
    station = per_site[world.NAMED_PLACES[0].external_id]
    assert world.NAMED_PLACES[0].slug == world.STATION_SLUG
    assert station > 10 * average
    assert station == max(per_site[k] for k in places)


def test_hotspot_school_yards_have_more_vandalism_than_ordinary_ones(year_of_events):
    def vandalism(slug):
        key = f"demo-plats:{slug}"
        return sum(e.site == key and e.category.startswith("skadegorelse") for e in year_of_events)

    assert vandalism("kronoparksskolan") > vandalism("herrhagsskolan")
    assert vandalism("rudsskolan") > vandalism("norrstrandsskolan")


def test_youth_categories_rise_in_the_summer_holiday(sites):
    june_july = generate(sites, dt.date(2025, 6, 16), dt.date(2025, 7, 14), seed=5)
    may = generate(sites, dt.date(2025, 5, 5), dt.date(2025, 6, 2), seed=5)
    assert sum(e.category == "samling.utomhus" for e in june_july) > sum(
        e.category == "samling.utomhus" for e in may
    )


def test_no_event_lies_after_now(sites):
    now = dt.datetime(2025, 3, 3, 12, 0, tzinfo=generator.STOCKHOLM)
    events = generate(sites, dt.date(2025, 3, 1), dt.date(2025, 3, 4), seed=1, now=now)
    assert events and max(e.occurred_from for e in events) <= now


def test_reporting_organisations_match_the_category_and_place(year_of_events):
    for event in year_of_events:
        if event.category in generator.FIRES:
            assert event.organisation == world.RADDNINGSTJANST
        elif event.site.startswith("demo-plats:kbab-"):
            assert event.organisation in {world.KBAB, world.VUXNA_FOR_TRYGGHET}
        elif event.site.startswith("demo-plats:") and "skolan" in event.site:
            assert event.organisation in {world.BARN_UNGDOM, world.VUXNA_FOR_TRYGGHET}
    station = {e.organisation for e in year_of_events if e.site == "demo-plats:karlstad-c"}
    assert world.KARLSTADSBUSS in station
    walkers = [e for e in year_of_events if e.organisation == world.VUXNA_FOR_TRYGGHET]
    assert walkers and all(e.category in generator.EVENING_WALK_CATEGORIES for e in walkers)


def test_visibility_is_mostly_partners_with_some_public_and_a_few_own_only(year_of_events):
    shares = Counter(e.visibility for e in year_of_events)
    total = len(year_of_events)
    assert shares["partners"] / total > 0.6
    assert 0.05 < shares["public"] / total < 0.35
    assert 0 < shares["organisation"] / total < 0.1
    assert all(
        e.visibility != "public" for e in year_of_events if e.category in generator.SENSITIVE
    )


def test_descriptions_are_swedish_templates_with_nothing_for_the_scrubber(year_of_events):
    descriptions = {e.description for e in year_of_events}
    assert all(d and not scrub(d).was_scrubbed for d in descriptions)
    assert "{" not in "".join(descriptions)


def test_positions_stay_within_a_few_tens_of_metres_of_a_named_place(year_of_events, sites):
    by_key = {s.key: s for s in sites}
    for event in year_of_events[:2000]:
        site = by_key[event.site]
        assert np.hypot(event.x - site.x, event.y - site.y) <= 2.5 * np.sqrt(2) * site.jitter_m


def test_school_holidays_follow_varmlands_calendar():
    assert is_school_holiday(dt.date(2025, 2, 26))  # sportlov, week 9
    assert is_school_holiday(dt.date(2025, 10, 29))  # höstlov, week 44
    assert is_school_holiday(dt.date(2025, 7, 1))  # sommarlov
    assert is_school_holiday(dt.date(2025, 12, 27)) and is_school_holiday(dt.date(2026, 1, 5))
    assert is_school_holiday(dt.date(2025, 4, 23))  # påsklov, the week after Easter
    assert not is_school_holiday(dt.date(2025, 9, 17))
    assert not is_school_holiday(dt.date(2025, 3, 12))


def test_easter_is_computed_right():
    assert easter_sunday(2024) == dt.date(2024, 3, 31)
    assert easter_sunday(2025) == dt.date(2025, 4, 20)
    assert easter_sunday(2026) == dt.date(2026, 4, 5)


def test_every_profile_uses_known_categories_with_templates():
    for profile in generator.PROFILES.values():
        assert set(profile) <= set(generator.PATTERNS)
    assert set(texts.TEMPLATES) == set(generator.PATTERNS)
    assert {p.profile for p in world.NAMED_PLACES} <= set(generator.PROFILES)


def test_a_negative_seed_is_refused(sites):
    with pytest.raises(ValueError):
        generate(sites[:1], *YEAR, seed=-1)


def test_district_names_read_as_swedish_place_names():
    assert (
        json.dumps(
            [world.district_name(n) for n in ("ÄLVÅKER", "NORRA KROPPKÄRR", "YTTRE HAMN")],
            ensure_ascii=False,
        )
        == '["Älvåker", "Norra Kroppkärr", "Yttre hamn"]'
    )
