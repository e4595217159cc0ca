"""Every row of an agreement carries the agreement's municipality, filled by the actions that
create it (decision 0038)."""

from __future__ import annotations

import datetime as dt

import pytest

from trygg.measures.actions.measures import create_measure
from trygg.promises.actions.follow_ups import record_status
from trygg.promises.models import (
    CommitmentMeasure,
    CommitmentState,
    FollowUpReminder,
    ProblemArea,
    ProblemCategory,
    PromiseProblem,
)
from trygg.promises.reminders import schedule_reminders
from trygg.promises.tests.factories import commit

pytestmark = pytest.mark.django_db


def test_the_rows_made_by_the_actions_carry_the_agreements_municipality(
    world, karlstad, coordinator
):
    agreement, promise = world["agreement"], world["promise"]
    status = record_status(
        world["follow_up"],
        world["police"],
        state=CommitmentState.ON_PLAN,
        acting_user=coordinator,
    )
    assert schedule_reminders(dt.date(2026, 12, 20)) > 0
    assert agreement.municipality_id == karlstad.pk
    assert promise.municipality_id == agreement.municipality_id
    on_agreement = [
        *agreement.parties.all(),
        *agreement.steps.all(),
        *agreement.problems.all(),
    ]
    on_promise = [
        *promise.versions.all(),
        *promise.commitments.all(),
        *promise.follow_ups.all(),
        *FollowUpReminder.objects.filter(promise=promise),
    ]
    assert all(row.municipality_id == agreement.municipality_id for row in on_agreement)
    assert all(row.municipality_id == promise.municipality_id for row in on_promise)
    assert status.municipality_id == world["follow_up"].municipality_id == karlstad.pk
    assert len({type(row) for row in on_agreement + on_promise}) == 7


def test_the_links_made_by_the_actions_carry_their_owners_municipality(
    world, karlstad, coordinator, polisen
):
    measure = create_measure(karlstad, acting_user=coordinator, title="Krogkontroll")
    commitment = commit(world["promise"], polisen, coordinator, measures=[measure])
    links = [
        *ProblemCategory.objects.filter(problem=world["problem"]),
        *ProblemArea.objects.filter(problem=world["problem"]),
        *PromiseProblem.objects.filter(promise=world["promise"]),
        *CommitmentMeasure.objects.filter(commitment=commitment),
    ]
    assert len({type(link) for link in links}) == 4
    assert world["agreement"].municipality_id == karlstad.pk
    assert {link.municipality_id for link in links} == {karlstad.pk}
