"""An address for status mails is deleted 90 days after the report at the latest, whatever
happened to the report."""

from __future__ import annotations

import datetime as dt

import pytest

from trygg.citizens.models import StatusContact
from trygg.citizens.notices import run_periodic
from trygg.citizens.tests.factories import resident_report
from trygg.core.tests.clock import NOW

pytestmark = [pytest.mark.django_db, pytest.mark.frozen(NOW)]


@pytest.fixture(autouse=True)
def karlstad_takes_reports(coordinator, centrum, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_an_address_is_kept_89_days_and_forgotten_on_the_90th(frozen_now):
    resident_report(email="boende@example.se")

    frozen_now.move_to(NOW + dt.timedelta(days=89))
    assert run_periodic(NOW + dt.timedelta(days=89))["forgotten"] == 0
    assert StatusContact.objects.exists()

    frozen_now.move_to(NOW + dt.timedelta(days=90))
    assert run_periodic(NOW + dt.timedelta(days=90))["forgotten"] == 1
    assert not StatusContact.objects.exists()
