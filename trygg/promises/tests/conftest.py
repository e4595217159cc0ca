"""Karlstad's agreement and adopted promise for the promises API's tests (test_api*.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from trygg.events.models import Category
from trygg.promises.actions.agreements import mark_step
from trygg.promises.actions.follow_ups import open_follow_up
from trygg.promises.actions.problems import add_problem, rank_problems, record_cause_analysis
from trygg.promises.actions.promises import adopt
from trygg.promises.models import Step
from trygg.promises.tests.api_calls import SEED_TEXT, T3_2023
from trygg.promises.tests.factories import commit, make_agreement, make_promise


@pytest.fixture
def fast_passwords(settings):
    # The personas' passwords cost half a second each; the API's tests are not about hashing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(karlstad, kommunen, polisen, bostadsbolaget, coordinator, centrum):
    """Karlstad's agreement with a ranked problem and its cause analysis, the promise adopted
    with a police commitment (krogkontroller, measures done per month), one for the housing
    company (entered by hand) and one measuring violence in the centre against a baseline,
    and the follow-up of the last tertial of 2023, opened."""
    agreement = make_agreement(karlstad, kommunen, polisen, coordinator)
    mark_step(agreement, Step.DIALOGUES, done_on=dt.date(2023, 5, 17), acting_user=coordinator)
    drugs = add_problem(
        agreement,
        title="Narkotika- och alkoholrelaterad brottslighet",
        categories=[Category.objects.get(code="ordning.drog")],
        areas=[centrum],
        acting_user=coordinator,
    )
    add_problem(agreement, title="Otrygga miljöer", acting_user=coordinator)
    rank_problems(agreement, [drugs], acting_user=coordinator)
    record_cause_analysis(
        drugs,
        places="Krogstråket",
        times="Fredag och lördag natt",
        circumstances="Sen alkoholservering",
        acting_user=coordinator,
    )
    promise = make_promise(agreement, coordinator, focus="Narkotika", problems=[drugs])
    police = commit(
        promise,
        polisen,
        coordinator,
        text=SEED_TEXT,
        indicator_kind="measures_done",
        target_value=Decimal(1),
        target_comparison="at_least",
        target_per="month",
    )
    housing = commit(
        promise,
        bostadsbolaget,
        coordinator,
        text="Tillsyn av trapphusen",
        column="municipality",
        indicator_kind="entered",
        indicator_source="KBAB:s fastighetssystem",
    )
    violence = commit(
        promise,
        kommunen,
        coordinator,
        text="Färre våldshändelser i centrum",
        column="together",
        indicator_kind="events",
        indicator_category=Category.objects.get(code="ordning.vald"),
        indicator_area=centrum,
        target_comparison="fewer",
        baseline_start=dt.date(2023, 1, 1),
        baseline_end=dt.date(2023, 6, 30),
    )
    adopt(promise, adopted_on=dt.date(2023, 6, 20), adopted_by="KS", acting_user=coordinator)
    follow_up = open_follow_up(
        promise, first_day=T3_2023[0], last_day=T3_2023[1], acting_user=coordinator
    )
    return {
        "agreement": agreement,
        "problem": drugs,
        "promise": promise,
        "police": police,
        "housing": housing,
        "violence": violence,
        "follow_up": follow_up,
    }
