"""The demo's Purple Flag for Karlstad's centre (issue 15, point 9): last year certified with
its renewal due, this year's renewal with a full self-assessment, an evening walk scored in
the time zones, a measure in every focus area and the steps reached; loading again adds
nothing."""

from __future__ import annotations

import pytest
import time_machine
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from trygg.core.models import AuditEntry
from trygg.core.tests.clock import NOW
from trygg.demo import loader
from trygg.demo import purple_flag as demo_purple_flag
from trygg.purpleflag.grid import grid
from trygg.purpleflag.models import Certification, Step
from trygg.purpleflag.status import checks, renewal

pytestmark = [pytest.mark.django_db, pytest.mark.frozen]


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        django_db_blocker.unblock(),
        time_machine.travel(NOW, tick=False),
        override_settings(PASSWORD_HASHERS=fast),
        transaction.atomic(),
    ):
        municipality = loader.karlstad()
        loader.load_districts(municipality)
        organisations = loader.load_organisations()
        loader.load_personas(organisations)
        loader.load_places(municipality, organisations)
        today = timezone.localdate()
        first = demo_purple_flag.load_purple_flag(municipality, today)
        yield municipality, today, first
        transaction.set_rollback(True)


def test_the_centre_has_last_years_certification_and_this_years_renewal(loaded):
    municipality, today, first = loaded
    last, this = Certification.objects.filter(municipality=municipality).order_by("year")
    assert (last.year, last.step, this.year) == (today.year - 1, Step.CERTIFIED, today.year)
    assert last.renewal_due is not None and last.renewal_due.year == today.year
    # 22 November: the application went in on 26 September, the visit was on 23 October.
    assert this.step == Step.VISIT and this.area == last.area
    # This year's work is the renewal of last year's certification.
    assert renewal(this, today)["of_year"] == today.year - 1
    assert first.created == 1


def test_the_year_is_complete_but_for_the_decision(loaded):
    _municipality, today, _first = loaded
    year = Certification.objects.get(year=today.year)
    done = {check.key: check.done for check in checks(year, today)}
    assert done == {
        "assessment": True,
        "walk": True,
        "measures": True,
        "submitted": True,
        "visit": True,
        "decision": False,
    }
    cells = [cell for row in grid(year)["rows"] for cell in row["cells"]]
    # The walk ran from 19 to past 01: its scores fall in three of the four zones.
    assert {cell["zone"] for cell in cells if cell["walk_n"]} == {"17-20", "20-23", "23-02"}
    assert AuditEntry.objects.filter(object_type="purpleflag.certification").exists()


def test_loading_again_adds_nothing(loaded):
    municipality, today, _first = loaded
    again = demo_purple_flag.load_purple_flag(municipality, today)
    assert (again.created, again.updated) == (0, 1)
    assert Certification.objects.filter(municipality=municipality).count() == 2
