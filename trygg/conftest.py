"""Shared fixtures: the demo-like world the personas live in (DESIGN §7).

Municipalities and categories come from the data migrations, so they exist in every test
database; organisations, people and a few areas are made here.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.utils import timezone
from hypothesis import settings as hypothesis_settings

from trygg.events.models import Category, Event, Source, Visibility
from trygg.organisations.models import Membership, Organisation
from trygg.places.geo import to_sweref
from trygg.places.index import forget_cached_boundaries
from trygg.places.models import Area, Municipality

KARLSTAD_CENTRE = (59.3793, 13.5036)  # lat, lon: Stora torget

# Shared CI machines pause now and then: a property is about what is computed, not how fast.
hypothesis_settings.register_profile("trygg", deadline=None)
hypothesis_settings.load_profile("trygg")


@pytest.fixture(autouse=True)
def _fresh_boundary_indexes():
    """Each test's database has its own areas; indexes cached by an earlier test must not leak."""
    forget_cached_boundaries()
    yield
    forget_cached_boundaries()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Kept pictures are keyed by primary keys, which the next test's database reuses."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def karlstad(db) -> Municipality:
    return Municipality.objects.get(code="1780")


@pytest.fixture
def karlskoga(db) -> Municipality:
    return Municipality.objects.get(code="1883")


def _box(lon0, lat0, lon1, lat1) -> dict:
    ring = [[lon0, lat0], [lon1, lat0], [lon1, lat1], [lon0, lat1], [lon0, lat0]]
    return {"type": "Polygon", "coordinates": [ring]}


@pytest.fixture
def centrum(karlstad) -> Area:
    """A district box around Karlstad's centre (13.49–13.52 E, 59.37–59.39 N)."""
    return Area.objects.create(
        municipality=karlstad,
        name="Centrum",
        code="test-centrum",
        geometry=_box(13.49, 59.37, 13.52, 59.39),
        valid_from=dt.date(2000, 1, 1),
    )


@pytest.fixture
def kronoparken(karlstad) -> Area:
    return Area.objects.create(
        municipality=karlstad,
        name="Kronoparken",
        code="test-kronoparken",
        geometry=_box(13.56, 59.38, 13.59, 59.40),
        valid_from=dt.date(2000, 1, 1),
    )


def _organisation(code, name, kind, municipality) -> Organisation:
    return Organisation.objects.create(code=code, name=name, kind=kind, municipality=municipality)


@pytest.fixture
def kommunen(karlstad) -> Organisation:
    return _organisation(
        "karlstad-kommunledning",
        "Karlstads kommun, kommunledningsförvaltningen",
        Organisation.Kind.MUNICIPAL_DEPARTMENT,
        karlstad,
    )


@pytest.fixture
def polisen(karlstad) -> Organisation:
    return _organisation(
        "polisen-karlstad", "Polisen lokalpolisområde Karlstad", Organisation.Kind.POLICE, karlstad
    )


@pytest.fixture
def bostadsbolaget(karlstad) -> Organisation:
    return _organisation(
        "kbab", "Karlstads Bostads AB", Organisation.Kind.MUNICIPAL_COMPANY, karlstad
    )


@pytest.fixture
def karlskoga_kommun(karlskoga) -> Organisation:
    return _organisation(
        "karlskoga-kommun", "Karlskoga kommun", Organisation.Kind.MUNICIPAL_DEPARTMENT, karlskoga
    )


def _person(username: str, organisation: Organisation, role: str):
    user = get_user_model().objects.create_user(username=username, password="test-lösenord-1")
    Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


@pytest.fixture
def coordinator(kommunen):
    """The municipal safety coordinator (trygghetssamordnare) in Karlstad."""
    return _person("samordnare", kommunen, Membership.Role.COORDINATOR)


@pytest.fixture
def analyst(kommunen):
    return _person("analytiker", kommunen, Membership.Role.ANALYST)


@pytest.fixture
def police_officer(polisen):
    """A community police officer (kommunpolis) in Karlstad."""
    return _person("kommunpolis", polisen, Membership.Role.REPORTER)


@pytest.fixture
def housing_reporter(bostadsbolaget):
    """A caretaker at the housing company who reports what they see."""
    return _person("bovard", bostadsbolaget, Membership.Role.REPORTER)


@pytest.fixture
def other_municipality_user(karlskoga_kommun):
    """A coordinator from another municipality (Karlskoga)."""
    return _person("karlskoga", karlskoga_kommun, Membership.Role.COORDINATOR)


@pytest.fixture
def category(db) -> Category:
    return Category.objects.get(code="skadegorelse.klotter")


@pytest.fixture
def make_event(db, category):
    """Store an event directly (no action, no audit): for access and query tests."""
    counter = iter(range(1, 10**6))

    def make(organisation, visibility=Visibility.PARTNERS, **fields) -> Event:
        lat, lon = fields.pop("lat", KARLSTAD_CENTRE[0]), fields.pop("lon", KARLSTAD_CENTRE[1])
        x, y = to_sweref(lon, lat)
        values = {
            "category": category,
            "occurred_from": timezone.now() - dt.timedelta(hours=2),
            "municipality": organisation.municipality,
            "source": Source.PARTNER,
            "external_id": f"test-{next(counter)}",
            "description": "",
        }
        values.update(fields)
        return Event.objects.create(
            organisation=organisation, visibility=visibility, lat=lat, lon=lon, x=x, y=y, **values
        )

    return make
