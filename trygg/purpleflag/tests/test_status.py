"""The status page's list of what is done and missing, and when the renewal is due: the year's
own date once certified, else the certification in force from an earlier year."""

from __future__ import annotations

import datetime as dt

import pytest

from trygg.purpleflag.actions import StepInput, set_step
from trygg.purpleflag.models import Step
from trygg.purpleflag.status import checks, is_application_overdue, renewal
from trygg.purpleflag.tests.factories import make_year

pytestmark = [pytest.mark.django_db, pytest.mark.frozen]

TODAY = dt.date(2026, 11, 22)


def certified(year, coordinator, decided_on: dt.date):
    step = StepInput(
        Step.CERTIFIED,
        submitted_on=decided_on - dt.timedelta(days=60),
        visit_on=decided_on - dt.timedelta(days=20),
        decided_on=decided_on,
    )
    return set_step(year, step, acting_user=coordinator)


def test_a_new_year_lists_everything_as_missing(coordinator, centrum):
    year = make_year(coordinator, centrum)
    texts = {check.key: (check.done, check.text) for check in checks(year, TODAY)}
    assert texts["assessment"] == (False, "Egen bedömning: 0 av 20 rutor har poäng.")
    assert texts["submitted"] == (False, "Ansökan ej inskickad. Sista dag: 2026-09-30.")
    assert texts["decision"] == (False, "Beslutet om certifiering är inte fattat.")
    assert is_application_overdue(year, TODAY)
    assert renewal(year, TODAY) is None


def test_this_years_work_counts_down_to_the_renewal_of_last_years_certification(
    coordinator, centrum
):
    last = make_year(coordinator, centrum, year=2025, starts_on=dt.date(2025, 1, 10))
    certified(last, coordinator, dt.date(2025, 12, 12))
    this = make_year(coordinator, centrum)
    due = renewal(this, TODAY)
    assert due == {
        "due": dt.date(2026, 12, 12),
        "days": 20,
        "overdue": False,
        "near": True,
        "of_year": 2025,
    }


def test_once_certified_the_year_has_its_own_renewal(coordinator, centrum):
    year = certified(make_year(coordinator, centrum), coordinator, dt.date(2026, 11, 2))
    assert renewal(year, TODAY)["due"] == dt.date(2027, 11, 2)
    assert renewal(year, dt.date(2027, 11, 3))["overdue"] is True
    decision = next(check for check in checks(year, TODAY) if check.key == "decision")
    assert (decision.done, decision.text) == (True, "Certifierad 2026-11-02.")


def test_the_status_page_warns_that_the_renewal_is_near(client, coordinator, centrum):
    last = make_year(coordinator, centrum, year=2025, starts_on=dt.date(2025, 1, 10))
    certified(last, coordinator, dt.date(2025, 12, 12))
    this = make_year(coordinator, centrum)
    client.force_login(coordinator)
    html = client.get(this.get_absolute_url()).content.decode()
    assert "Certifieringen från 2025 ska förnyas senast 2026-12-12, om 20 dagar." in html
