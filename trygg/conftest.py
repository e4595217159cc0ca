"""Shared fixtures: the demo-like world the personas live in (DESIGN §7), and the clock.

Municipalities and categories come from the data migrations, so they exist in every test
database; organisations, people and a few areas are made here.

Tests whose dates matter are marked `frozen` (see `trygg/core/tests/clock.py`). To check that
the others pass on any day, run the suite on another day: `--clock=+365` (days ahead) or
`--clock=2027-12-30` (a date, at the real time of day), or the same in `TRYGG_TEST_CLOCK`. The
clock then ticks from there for the whole session; a frozen test still stops it where it says.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import os

import pytest
import time_machine
from django.core.cache import cache
from django.db import connections
from hypothesis import settings as hypothesis_settings

from trygg.core.tests.clock import NOW, STOCKHOLM, session_start
from trygg.events.models import Category, Visibility
from trygg.events.tests import factories as events
from trygg.organisations.models import Membership, Organisation
from trygg.organisations.tests.factories import make_organisation, make_person
from trygg.places.index import forget_cached_boundaries
from trygg.places.models import Area, Municipality
from trygg.places.tests.factories import KARLSTAD_CENTRE, box, make_area

__all__ = ["KARLSTAD_CENTRE"]  # tests written before the factories import it from here

# Shared CI machines pause now and then: a property is about what is computed, not how fast.
hypothesis_settings.register_profile("trygg", deadline=None)
hypothesis_settings.load_profile("trygg")


def pytest_addoption(parser):
    parser.addoption(
        "--clock",
        default=os.environ.get("TRYGG_TEST_CLOCK", ""),
        help="run the suite on another day: +N (days ahead) or YYYY-MM-DD[THH:MM]",
    )


def pytest_configure(config):
    start = session_start(config.getoption("clock"), dt.datetime.now(dt.UTC))
    if start is not None:
        # Started before collection, so that what a module computes on import moves too.
        config._trygg_clock = time_machine.travel(start, tick=True)
        config._trygg_clock.start()


def pytest_unconfigure(config):
    traveller = getattr(config, "_trygg_clock", None)
    if traveller is not None:
        traveller.stop()


def pytest_report_header(config):
    traveller = getattr(config, "_trygg_clock", None)
    if traveller is not None:
        return f"clock moved to {dt.datetime.now(STOCKHOLM):%Y-%m-%d %H:%M} (--clock)"
    return None


@pytest.fixture
def frozen_now(request):
    """Stop the clock at the test's `frozen` mark (or NOW); the coordinates move it on."""
    marker = request.node.get_closest_marker("frozen")
    when = marker.args[0] if marker and marker.args else NOW
    tick = marker.kwargs.get("tick", False) if marker else False
    with time_machine.travel(when, tick=tick) as coordinates:
        yield coordinates


@pytest.fixture(autouse=True)
def _frozen_when_marked(request):
    """A test marked `frozen` runs, fixtures and all, with the clock stopped (autouse fixtures
    come first, so the database rows its fixtures make are stamped at the frozen moment too)."""
    if request.node.get_closest_marker("frozen") is not None:
        request.getfixturevalue("frozen_now")


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


@pytest.fixture
def centrum(karlstad) -> Area:
    """A district box around Karlstad's centre (13.49–13.52 E, 59.37–59.39 N)."""
    return make_area(karlstad, "Centrum", box(13.49, 59.37, 13.52, 59.39))


@pytest.fixture
def klara(centrum) -> Area:
    """A sub-area of Centrum with the same outline: an area's filters must count it in."""
    return make_area(
        centrum.municipality, "Klara", centrum.geometry, kind=Area.Kind.SUB_AREA, parent=centrum
    )


@pytest.fixture
def kronoparken(karlstad) -> Area:
    return make_area(karlstad, "Kronoparken", box(13.56, 59.38, 13.59, 59.40))


@pytest.fixture
def kommunen(karlstad) -> Organisation:
    return make_organisation(
        karlstad,
        "karlstad-kommunledning",
        "Karlstads kommun, kommunledningsförvaltningen",
        Organisation.Kind.MUNICIPAL_DEPARTMENT,
    )


@pytest.fixture
def polisen(karlstad) -> Organisation:
    return make_organisation(
        karlstad, "polisen-karlstad", "Polisen lokalpolisområde Karlstad", Organisation.Kind.POLICE
    )


@pytest.fixture
def bostadsbolaget(karlstad) -> Organisation:
    return make_organisation(
        karlstad, "kbab", "Karlstads Bostads AB", Organisation.Kind.MUNICIPAL_COMPANY
    )


@pytest.fixture
def karlskoga_kommun(karlskoga) -> Organisation:
    return make_organisation(
        karlskoga, "karlskoga-kommun", "Karlskoga kommun", Organisation.Kind.MUNICIPAL_DEPARTMENT
    )


@pytest.fixture
def coordinator(kommunen):
    """The municipal safety coordinator (trygghetssamordnare) in Karlstad."""
    return make_person("samordnare", kommunen, Membership.Role.COORDINATOR)


@pytest.fixture
def analyst(kommunen):
    return make_person("analytiker", kommunen, Membership.Role.ANALYST)


@pytest.fixture
def police_officer(polisen):
    """A community police officer (kommunpolis) in Karlstad."""
    return make_person("kommunpolis", polisen, Membership.Role.REPORTER)


@pytest.fixture
def housing_reporter(bostadsbolaget):
    """A caretaker at the housing company who reports what they see."""
    return make_person("bovard", bostadsbolaget, Membership.Role.REPORTER)


@pytest.fixture
def other_municipality_user(karlskoga_kommun):
    """A coordinator from another municipality (Karlskoga)."""
    return make_person("karlskoga", karlskoga_kommun, Membership.Role.COORDINATOR)


@pytest.fixture
def category(db) -> Category:
    return Category.objects.get(code="skadegorelse.klotter")


@pytest.fixture
def make_event(db, category):
    """Store an event directly (no action, no audit): see `trygg/events/tests/factories.py`."""

    def make(organisation, visibility=Visibility.PARTNERS, **fields):
        return events.make_event(organisation, visibility, **{"category": category} | fields)

    return make


# --- a real browser, for the pages that work offline or change files before sending -----------

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def missing_browser() -> str | None:
    if not os.path.exists(CHROMIUM):
        return f"{CHROMIUM} is not installed (Debian package chromium)"
    if importlib.util.find_spec("playwright") is None:
        return "the Python package playwright is not installed (pip install -e '.[test]')"
    return None


@pytest.fixture
def browser(monkeypatch):
    """Headless Chromium driven by Playwright; skipped with the reason when it is missing,
    failed instead when TRYGG_REQUIRE_BROWSER=1 (CI installs it)."""
    reason = missing_browser()
    if reason:
        if os.environ.get("TRYGG_REQUIRE_BROWSER") == "1":
            pytest.fail(f"TRYGG_REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread, and Django then refuses the
    # test's own queries; they are plain blocking reads between browser steps, which is safe.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
        # Queries made while Playwright's loop runs get a connection of their own: close it,
        # or PostgreSQL cannot drop the test database at the end.
        connections.close_all()
