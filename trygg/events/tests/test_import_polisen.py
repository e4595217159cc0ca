"""The police feed importer, on records taken from the real feed (SOURCES.md) and its quirks."""

from __future__ import annotations

import copy
import datetime as dt
import gzip
import json
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from shapely.geometry import Point, shape

from trygg.events.importers import polisen as feed
from trygg.events.importers.base import (
    ImportContext,
    ImportFailed,
    RowError,
    Skip,
    _time_adapter,
    run_import,
)
from trygg.events.importers.common import ImportFileError
from trygg.events.models import Category, Event, ImportRun, PoliceEventType, Visibility
from trygg.organisations.models import Organisation
from trygg.places.models import Area, Municipality

FEED = Path(settings.TRYGG_SHARED_DATA) / "polisen_events_2022-2026.json.gz"
UTC = dt.UTC

# Real records from the feed, copied as they are.
KARLSTAD_UNPADDED = {
    "id": 530925,
    "datetime": "2024-06-22 9:11:56 +02:00",
    "name": "22 juni 08.16, Skadegörelse, Karlstad",
    "summary": "Skadegörelse på bil",
    "url": "/aktuellt/handelser/2024/juni/22/22-juni-08.16-skadegorelse-karlstad/",
    "type": "Skadegörelse",
    "location": {"name": "Karlstad", "gps": "59.402181,13.511498"},
}
KARLSTAD_AFTER_2026 = {
    "id": 622386,
    "datetime": "2026-01-22 15:51:04 +01:00",
    "name": "22 januari 15.37, Brand, Karlstad",
    "summary": "Det brinner i en bostad i Sundsta",
    "url": "/aktuellt/handelser/2026/januari/22/22-januari-15.37-brand-karlstad/",
    "type": "Brand",
    "location": {"name": "Värmlands län", "gps": "59.729407,13.235402"},
}
VARMLAND_COUNTY = {
    "id": 409410,
    "datetime": "2023-03-18 13:30:33 +01:00",
    "name": "18 mars 13:29, Mord/dråp, Värmlands län",
    "summary": "En utredning om misstänkt mord pågår",
    "url": "/aktuellt/handelser/2023/mars/18/18-mars-1329-morddrap-varmlands-lan/",
    "type": "Mord/dråp",
    "location": {"name": "Värmlands län", "gps": "59.729407,13.235402"},
}
GOTLAND_COUNTY = {
    "id": 393822,
    "datetime": "2023-01-06 10:54:59 +01:00",
    "name": "06 januari 02:33, Mord/dråp, försök, Gotlands län",
    "summary": "En man misstänks ha skadat en annan man med någon typ av stickvapen.",
    "url": "/aktuellt/handelser/2023/januari/6/06-januari-0233-morddrap-forsok-gotlands-lan/",
    "type": "Mord/dråp, försök",
    "location": {"name": "Gotlands län", "gps": "57.468412,18.486745"},
}
NIGHT_SUMMARY = {
    "id": 410835,
    "datetime": "2023-03-22 7:35:32 +01:00",
    "name": "22 mars 07:35, Sammanfattning natt, Värmlands län",
    "summary": "Natten har ur polisiär synvinkel vart i lugn i Värmlands län",
    "url": "/aktuellt/handelser/2023/mars/22/22-mars-0735-sammanfattning-natt-varmlands-lan/",
    "type": "Sammanfattning natt",
    "location": {"name": "Värmlands län", "gps": "59.729407,13.235402"},
}
NEW_YEARS_EVE = {
    "id": 480687,
    "datetime": "2024-01-01 0:40:16 +01:00",
    "name": "31 december 00.07, Brand, Nacka",
    "summary": "En brand startade vid ett flerbostadshus i Eknäs.",
    "url": "/aktuellt/handelser/2023/december/31/31-december-00.07-brand-nacka/",
    "type": "Brand",
    "location": {"name": "Nacka", "gps": "59.307903,18.156042"},
}
# The feed's lower-case spellings (municipality code in the comment).
LOWER_CASE_MUNICIPALITIES = [
    ("Upplands väsby", "59.51961,17.92834", "0114"),
    ("Lilla edet", "58.132158,12.124134", "1462"),
    ("Dals-ed", "58.974388,11.865175", "1438"),
    ("Östra göinge", "56.237877,14.216166", "1256"),
    ("Upplands-bro", "59.49068,17.752277", "0139"),
]


def record(base: dict, **changes) -> dict:
    rec = copy.deepcopy(base)
    location = changes.pop("location", None)
    rec.update(changes)
    if location:
        rec["location"].update(location)
    return rec


def run(records, organisation, *, county_code=None, **ctx):
    context = ImportContext(
        source="police", importer="polisen", file_name="test.json", organisation=organisation, **ctx
    )
    return run_import(feed.parse(records, county_code=county_code), context)


# --- times ---------------------------------------------------------------------------------


def test_the_feeds_datetime_with_an_unpadded_hour_is_parsed():
    moment = feed.parse_feed_datetime("2026-08-22 9:48:12 +02:00")
    assert moment == dt.datetime(2026, 8, 22, 7, 48, 12, tzinfo=UTC)


def test_the_feeds_plus_one_and_plus_two_offsets_give_the_right_utc_time():
    winter = feed.parse_feed_datetime("2026-01-22 15:51:04 +01:00")
    summer = feed.parse_feed_datetime("2024-06-22 9:11:56 +02:00")
    assert winter.astimezone(UTC) == dt.datetime(2026, 1, 22, 14, 51, 4, tzinfo=UTC)
    assert summer.astimezone(UTC) == dt.datetime(2024, 6, 22, 7, 11, 56, tzinfo=UTC)


@given(
    st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2099, 12, 31)),
    st.sampled_from([1, 2]),
)
def test_any_feed_datetime_round_trips_whatever_its_hour_padding(moment, hours):
    moment = moment.replace(microsecond=0)
    text = f"{moment:%Y-%m-%d} {moment.hour}:{moment:%M:%S} +0{hours}:00"
    parsed = feed.parse_feed_datetime(text)
    assert parsed.replace(tzinfo=None) == moment
    assert parsed.utcoffset() == dt.timedelta(hours=hours)


def test_the_event_time_is_the_incident_time_in_the_name_not_the_publication_time(polisen):
    run([KARLSTAD_UNPADDED], polisen)
    event = Event.objects.get()
    # "22 juni 08.16" Swedish summer time; published 09:11:56.
    assert event.occurred_from == dt.datetime(2024, 6, 22, 6, 16, tzinfo=UTC)


def test_an_incident_on_new_years_eve_published_in_january_keeps_its_year(db):
    (candidate,) = feed.parse([NEW_YEARS_EVE])
    assert candidate.occurred_from == dt.datetime(2023, 12, 30, 23, 7, tzinfo=UTC)


def test_a_name_without_a_usable_time_falls_back_to_the_publication_time(db):
    for name in ("Brand, Karlstad", "31 februari 10.00, Brand, Karlstad", "23 juni 08.16, Brand"):
        (candidate,) = feed.parse([record(KARLSTAD_UNPADDED, name=name)])
        # The third is a day after publication: nothing is published before it happens.
        assert candidate.occurred_from == dt.datetime(2024, 6, 22, 7, 11, 56, tzinfo=UTC), name


# --- where ---------------------------------------------------------------------------------


def test_karlstad_events_get_municipality_karlstad_and_no_district_area(polisen, karlstad):
    # A district around the feed's Karlstad point: a municipality centroid says nothing of it.
    Area.objects.create(
        municipality=karlstad,
        name="Runt centroiden",
        valid_from=dt.date(2000, 1, 1),
        geometry={
            "type": "Polygon",
            "coordinates": [
                [[13.50, 59.39], [13.52, 59.39], [13.52, 59.41], [13.50, 59.41], [13.50, 59.39]]
            ],
        },
    )
    run([KARLSTAD_UNPADDED, KARLSTAD_AFTER_2026], polisen)
    events = Event.objects.all()
    assert {e.municipality.code for e in events} == {"1780"}
    assert {e.area_id for e in events} == {None}
    assert {e.precision_m for e in events} == {5000}


def test_after_january_2026_the_municipality_comes_from_the_name_and_the_point_moves_into_it(
    polisen, karlstad
):
    run([KARLSTAD_AFTER_2026], polisen)
    event = Event.objects.get()
    assert event.municipality == karlstad
    # The record's gps is Värmland's centroid; the event is placed inside Karlstad instead.
    assert shape(karlstad.geometry).contains(Point(event.lon, event.lat))
    assert (event.lat, event.lon) != (59.729407, 13.235402)


@pytest.mark.parametrize(("name", "gps", "code"), LOWER_CASE_MUNICIPALITIES)
def test_the_feeds_lower_case_municipality_names_are_recognised(polisen, name, gps, code):
    rec = record(
        KARLSTAD_UNPADDED,
        name=f"22 juni 08.16, Skadegörelse, {name}",
        location={"name": name, "gps": gps},
    )
    run([rec], polisen)
    assert Event.objects.get().municipality.code == code


def test_a_county_level_event_is_imported_onto_its_countys_own_row(polisen):
    run([VARMLAND_COUNTY], polisen)
    event = Event.objects.get()
    # Värmland's centroid lies in some municipality, but the event did not happen there: it
    # goes on the county's own row, which is no municipality.
    county_row = Municipality.with_counties.get(code="0017")
    assert event.municipality == county_row
    assert (county_row.county_level, county_row.county_code) == (True, "17")
    assert event.municipality.name == "Värmlands län (länsnivå)"
    assert not Municipality.objects.filter(pk=event.municipality_id).exists()
    assert event.area is None
    assert event.precision_m == 50000
    assert (event.lat, event.lon) == (59.729407, 13.235402)


def test_a_reimported_county_level_record_is_recognised_and_adds_nothing(polisen):
    first = run([VARMLAND_COUNTY, KARLSTAD_UNPADDED], polisen)
    again = run([VARMLAND_COUNTY, KARLSTAD_UNPADDED], polisen)
    assert (first.created, again.created, again.already_present) == (2, 0, 2)
    assert Event.objects.count() == 2


def test_a_stored_record_is_recognised_by_source_and_id_wherever_it_was_placed(polisen, karlskoga):
    """The unique key holds the municipality, but the importer looks records up by source and
    id alone: a record stored in another municipality (an earlier rule placed it there) is
    still the same record."""
    run([KARLSTAD_UNPADDED], polisen)
    Event.objects.filter(external_id="530925").update(municipality=karlskoga)
    again = run([KARLSTAD_UNPADDED], polisen)
    assert (again.created, again.already_present) == (0, 1)
    assert Event.objects.get().municipality == karlskoga


def test_a_gotland_county_event_gets_gotland_the_countys_only_municipality(polisen):
    run([GOTLAND_COUNTY], polisen)
    event = Event.objects.get()
    assert event.municipality.code == "0980"
    assert event.precision_m == 50000


def test_a_named_municipality_with_a_position_outside_sweden_is_a_row_error(polisen):
    with pytest.raises(ImportFailed) as failed:
        run([record(KARLSTAD_UNPADDED, location={"gps": "0.0,0.0"})], polisen)
    assert [(e.row, e.field) for e in failed.value.report.errors] == [(1, "lat/lon")]
    assert not Event.objects.exists()


def test_the_county_filter_skips_records_in_other_counties(polisen):
    nacka = NEW_YEARS_EVE
    report = run(
        [KARLSTAD_UNPADDED, VARMLAND_COUNTY, KARLSTAD_AFTER_2026, nacka], polisen, county_code="17"
    )
    assert report.created == 3
    assert report.skipped == {"utanför valt län (17)": 1}
    assert not Event.objects.filter(external_id="480687").exists()


# --- what ----------------------------------------------------------------------------------


def test_an_event_keeps_the_feeds_type_link_id_and_summary_and_is_public(polisen):
    run([KARLSTAD_UNPADDED], polisen)
    event = Event.objects.get()
    assert event.external_id == "530925"
    assert event.external_type == "Skadegörelse"
    assert event.source_url == (
        "https://polisen.se/aktuellt/handelser/2024/juni/22/22-juni-08.16-skadegorelse-karlstad/"
    )
    assert event.description == "Skadegörelse på bil"
    assert event.visibility == Visibility.PUBLIC
    assert event.source == "police"
    assert event.organisation == polisen
    assert event.category.code == "skadegorelse.annan"
    # Columns the pipeline does not set get the model's defaults.
    assert (event.status, event.photo.name, event.reported_by) == ("new", "", None)
    assert event.reported_at is not None
    assert event.import_run == ImportRun.objects.get()


def test_the_category_comes_from_the_police_type_mapping_in_the_database(polisen):
    own = Category.objects.get(code="skadegorelse.klotter")
    PoliceEventType.objects.filter(name="Skadegörelse").update(category=own)
    run([KARLSTAD_UNPADDED], polisen)
    assert Event.objects.get().category == own


def test_a_police_type_the_feed_gains_later_lands_in_the_fallback_category(polisen):
    run([record(KARLSTAD_UNPADDED, type="Drönarlarm")], polisen)
    event = Event.objects.get()
    assert event.category.code == "polis.ovrigt"
    assert event.external_type == "Drönarlarm"


def test_night_summaries_are_skipped_with_their_reason(polisen):
    morning = record(NIGHT_SUMMARY, id=1, type="Sammanfattning morgon")  # a new kind of summary
    report = run([NIGHT_SUMMARY, morning, KARLSTAD_UNPADDED], polisen)
    assert report.created == 1
    assert report.skipped == {"sammanfattning av natt/dag, inte en enskild händelse": 2}
    assert ImportRun.objects.get().skipped == report.skipped


def test_a_summary_with_a_phone_number_is_stored_scrubbed(polisen):
    text = "Vittnen ombeds ringa 070-123 45 67 om skadegörelsen på bilen."
    run([record(KARLSTAD_UNPADDED, summary=text)], polisen)
    event = Event.objects.get()
    assert "070-123 45 67" not in event.description
    assert "skadegörelsen på bilen" in event.description
    assert event.was_scrubbed


def test_a_police_record_is_present_whoever_imported_it_and_repeats_are_not_errors(
    polisen, karlstad
):
    run([KARLSTAD_UNPADDED], polisen)
    authority = Organisation.objects.create(
        code="polismyndigheten", name="Polismyndigheten", kind="police", municipality=karlstad
    )
    report = run([KARLSTAD_UNPADDED, KARLSTAD_AFTER_2026, KARLSTAD_AFTER_2026], authority)
    assert (report.created, report.already_present, report.errors) == (1, 2, [])
    assert Event.objects.get(external_id="530925").organisation == polisen


# --- bad records and files ------------------------------------------------------------------


def test_bad_records_are_row_errors_with_their_position_in_the_list_and_field(db):
    results = list(
        feed.parse(
            [
                KARLSTAD_UNPADDED,
                "inte ett objekt",
                record(KARLSTAD_UNPADDED, location={"gps": ""}),
                record(KARLSTAD_UNPADDED, datetime="22 juni kl 9"),
                record(KARLSTAD_UNPADDED, id=None),
                record(KARLSTAD_UNPADDED, name="x", location={"name": "Atlantis"}),
            ]
        )
    )
    errors = [(r.row, r.field) for r in results if isinstance(r, RowError)]
    assert errors == [
        (2, "post"),
        (3, "location.gps"),
        (4, "datetime"),
        (5, "id"),
        (6, "location.name"),
    ]


def test_an_import_with_bad_records_writes_nothing(polisen):
    with pytest.raises(ImportFailed) as failed:
        run([KARLSTAD_UNPADDED, record(KARLSTAD_UNPADDED, id=2, location={"gps": None})], polisen)
    assert (
        str(failed.value.report.errors[0])
        == "rad 2, location.gps: saknar giltig position (”lat,lon”)"
    )
    assert not Event.objects.exists()
    assert not ImportRun.objects.exists()


def test_a_file_that_is_not_json_gives_a_clear_error(tmp_path):
    path = tmp_path / "events.json"
    path.write_text("<html>Sidan finns inte</html>", encoding="utf-8")
    with pytest.raises(ImportFileError, match="events.json är inte giltig JSON"):
        feed.read(path)


def test_a_json_file_that_is_not_a_list_of_events_gives_a_clear_error(tmp_path):
    path = tmp_path / "events.json"
    path.write_text('{"events": []}', encoding="utf-8")
    with pytest.raises(ImportFileError, match="ingen lista med händelser"):
        feed.read(path)


def test_the_feed_is_read_from_json_and_from_gzipped_json(tmp_path):
    plain, packed = tmp_path / "events.json", tmp_path / "events.json.gz"
    plain.write_text(json.dumps([KARLSTAD_UNPADDED]), encoding="utf-8")
    packed.write_bytes(gzip.compress(json.dumps([KARLSTAD_UNPADDED]).encode()))
    assert list(feed.read(plain)) == list(feed.read(packed)) == [KARLSTAD_UNPADDED]


# Marked for the database although it only reads the categories: tests that use the database
# run before transactional ones, whose flush at the end empties the migrated categories.
@pytest.mark.django_db
@hypothesis_settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
        lambda inner: (
            st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
        ),
        max_leaves=10,
    )
)
def test_any_json_value_as_a_record_gives_one_result_and_never_crashes(lookups, value):
    for field in ("id", "datetime", "name", "type", "location", "summary", "url"):
        rec = record(KARLSTAD_UNPADDED)
        rec[field] = value
        (result,) = feed.parse([rec], lookups=lookups)
        assert result.row == 1
    (result,) = feed.parse([value], lookups=lookups)
    assert isinstance(result, RowError | Skip) or result.row == 1


@pytest.fixture(scope="module")
def lookups(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        return feed.PoliceLookups()


# --- the pipeline's storage helpers ---------------------------------------------------------


def test_the_fast_sqlite_time_adaptation_gives_djangos_text(db):
    adapt = _time_adapter(connection)
    stockholm = dt.datetime(2026, 3, 29, 2, 30, 15, 120, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    for moment in (stockholm, stockholm.astimezone(UTC), stockholm.replace(microsecond=0)):
        assert adapt(moment) == connection.ops.adapt_datetimefield_value(moment)


# --- the whole real feed --------------------------------------------------------------------


@pytest.mark.skipif(not FEED.exists(), reason="the shared police feed is not here")
def test_the_whole_real_feed_is_accounted_for_and_a_rerun_adds_nothing(polisen):
    records = feed.read(FEED)
    started = time.perf_counter()
    report = run(records, polisen)
    seconds = time.perf_counter() - started
    summaries = report.skipped["sammanfattning av natt/dag, inte en enskild händelse"]
    assert report.errors == []
    assert report.records == report.accounted == 85_011
    assert summaries == 14_575
    assert report.created == 85_011 - 14_575 == Event.objects.count()
    # County-level events (no municipality in name or location) are on their counties' rows.
    county_level = Event.objects.filter(municipality__county_level=True)
    assert county_level.exists()
    assert set(county_level.values_list("precision_m", flat=True)) == {50_000}
    assert not Event.objects.filter(municipality__isnull=False, area__isnull=False).exists()
    print(f"\nthe real feed: {report.records} records in {seconds:.1f} s")  # noqa: T201 (-s shows it)

    again = run(records, polisen)
    assert (again.created, again.already_present) == (0, report.created)
    assert Event.objects.count() == report.created
    assert Municipality.objects.get(code="1780").event_set.count() > 700
