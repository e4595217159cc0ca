"""`trygg load-demo` against the database: what it loads, that it is idempotent, who can log in."""

from __future__ import annotations

import gzip
import io
import json

import pytest
import shapely
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from shapely.geometry import Point, shape

from trygg.demo import extract_police, world
from trygg.demo.loader import POLICE_FILE
from trygg.events.models import Event, ImportRun
from trygg.organisations.models import Membership, Organisation
from trygg.places.models import Area, Municipality, Place

# The demo is built around today: its events, measures, meeting and plan.
pytestmark = pytest.mark.frozen

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    # PBKDF2 costs half a second per demo user; these tests are not about hashing.
    settings.PASSWORD_HASHERS = FAST_HASHER


def load(**options) -> str:
    out = io.StringIO()
    options.setdefault("days", 30)
    options.setdefault("no_police", True)
    call_command("load_demo", stdout=out, **options)
    return out.getvalue()


def polisen_importer_available() -> bool:
    try:
        from trygg.events.importers import polisen  # noqa: F401
    except ImportError:
        return False
    return True


def counts() -> dict[str, int]:
    return {
        "areas": Area.objects.count(),
        "organisations": Organisation.objects.count(),
        "users": get_user_model().objects.count(),
        "memberships": Membership.objects.count(),
        "places": Place.objects.count(),
        "events": Event.objects.count(),
    }


def test_loading_twice_adds_nothing_the_second_time(db):
    load(no_police=not polisen_importer_available())
    first = counts()
    output = load(no_police=not polisen_importer_available())
    assert counts() == first
    assert "0 nya" in output
    assert first["events"] > 0


def test_the_66_districts_are_district_areas_in_wgs84(db):
    load()
    districts = Area.objects.filter(kind=Area.Kind.DISTRICT, municipality__code="1780")
    assert districts.count() == 66
    names = set(districts.values_list("name", flat=True))
    assert {"Kronoparken", "Tingvallastaden", "Norra Kroppkärr", "Yttre hamn"} <= names
    for area in districts:
        lon_min, lat_min, lon_max, lat_max = shape(area.geometry).bounds
        assert lon_min > 13.0 and lat_min > 59.2 and lon_max < 14.0 and lat_max < 59.6
        assert str(area.valid_from) == "2020-01-01"


def test_every_named_place_lies_in_a_district_of_karlstad(db):
    load()
    karlstad = Municipality.objects.get(code="1780")
    named = Place.objects.filter(external_id__startswith="demo-plats:")
    assert named.count() == len(world.NAMED_PLACES)
    outline = shape(karlstad.geometry)
    for place in named.select_related("area"):
        assert place.area is not None, place.name
        assert shape(place.area.geometry).contains(Point(place.lon, place.lat)), place.name
        assert outline.contains(Point(place.lon, place.lat)), place.name


def test_the_playgrounds_are_places_managed_by_the_technical_department(db):
    load()
    playgrounds = Place.objects.filter(kind=Place.Kind.PLAYGROUND)
    assert playgrounds.count() == 229
    assert set(playgrounds.values_list("manager__code", flat=True)) == {world.TEKNIK}
    assert all(
        p.startswith("lekplats:karlstad_lekplatser_")
        for p in playgrounds.values_list("external_id", flat=True)
    )
    # The villages outside the district map have no district; the town's playgrounds do.
    assert playgrounds.filter(area__isnull=False).count() > 150


def test_every_generated_event_lies_in_karlstad_and_has_an_area(db):
    load()
    karlstad = Municipality.objects.get(code="1780")
    outline = shape(karlstad.geometry)
    events = Event.objects.filter(source="demo").select_related("area")
    assert events.count() > 300
    lon, lat = zip(*events.values_list("lon", "lat"), strict=True)
    assert shapely.contains_xy(outline, lon, lat).all()
    assert not events.filter(area__isnull=True).exists()
    assert not events.exclude(municipality=karlstad).exists()
    assert not events.exclude(area__municipality=karlstad).exists()


def test_generated_events_carry_source_demo_and_a_seeded_external_id(db):
    load(seed=99)
    events = Event.objects.filter(import_run__importer="demo")
    assert events.exists()
    assert set(events.values_list("source", flat=True)) == {"demo"}
    assert all(e.startswith("demo:99:") for e in events.values_list("external_id", flat=True))
    reporters = set(events.values_list("organisation__code", flat=True))
    assert {world.TEKNIK, world.KBAB, world.RADDNINGSTJANST} <= reporters
    runs = ImportRun.objects.filter(importer="demo")
    assert runs.count() == len(reporters)


def test_another_seed_adds_another_set_of_events(db):
    load(seed=1)
    first = Event.objects.filter(source="demo").count()
    load(seed=2)
    assert Event.objects.filter(source="demo").count() > first


def test_the_personas_exist_with_the_right_memberships(db):
    output = load()
    expected = {
        "samordnare": (world.KOMMUNLEDNING, "coordinator"),
        "kommunpolis": (world.POLISEN, "coordinator"),
        "bovard": (world.KBAB, "reporter"),
        "analytiker": (world.KOMMUNLEDNING, "analyst"),
        "karlskoga": (world.KARLSKOGA_KOMMUN, "coordinator"),
    }
    for username, (organisation, role) in expected.items():
        membership = Membership.objects.get(user__username=username)
        assert (membership.organisation.code, membership.role) == (organisation, role)
        assert (
            authenticate(login_request(), username=username, password=world.DEMO_PASSWORD)
            is not None
        )
        assert username in output
    karlskoga = Organisation.objects.get(code=world.KARLSKOGA_KOMMUN)
    assert karlskoga.municipality.code == "1883"
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    assert world.DEMO_PASSWORD in output and "demolösenord" in output


def test_a_changed_password_survives_a_reload(db):
    load()
    user = get_user_model().objects.get(username="samordnare")
    user.set_password("ett-eget-lösenord-77")
    user.save()
    load()
    assert (
        authenticate(login_request(), username="samordnare", password="ett-eget-lösenord-77")
        is not None
    )


def test_if_empty_does_nothing_when_organisations_exist(db):
    Organisation.objects.create(
        code="annan", name="Annan", kind="other", municipality=Municipality.objects.get(code="1780")
    )
    output = load(if_empty=True)
    assert "redan" in output
    assert not Area.objects.exists() and not Event.objects.exists()


def test_if_empty_loads_an_empty_database(db):
    load(if_empty=True)
    assert Organisation.objects.filter(code=world.KOMMUNLEDNING).exists()
    assert Event.objects.filter(source="demo").exists()


@pytest.mark.skipif(not polisen_importer_available(), reason="the police importer is not there")
def test_the_police_events_of_varmland_are_imported_once(db):
    load(no_police=False, days=1)
    police = Event.objects.filter(source="police")
    assert police.filter(municipality__code="1780").count() > 500
    assert set(police.values_list("organisation__code", flat=True)) == {world.POLISEN}
    assert not police.exclude(municipality__county_code="17").exists()


def test_the_police_extract_holds_varmland_only():
    with gzip.open(POLICE_FILE, "rt", encoding="utf-8") as handle:
        records = json.load(handle)
    assert 3000 < len(records) < 4500
    municipalities = extract_police.county_municipalities()
    assert all(extract_police.municipality_of(r, municipalities) for r in records)
    other = {"name": "1 maj 10.00, Brand, Kalmar", "location": {"name": "Kalmar"}}
    assert extract_police.municipality_of(other, municipalities) is None
    late = {"name": "22 augusti 17.59, Brand, Karlstad", "location": {"name": "Värmlands län"}}
    assert extract_police.municipality_of(late, municipalities) == "1780"


def login_request():
    """The login throttle (django-axes) authenticates only with the request it counts by."""
    from django.test import RequestFactory

    return RequestFactory().post("/konto/logga-in/")
