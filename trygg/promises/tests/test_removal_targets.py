"""Where a removed commitment's open measures may move: the removal form offers exactly the
commitments the action accepts (the others that stay, drafts included), and a target cannot
vanish while the move is pending (a draft cannot be deleted, an adopted one not removed)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from trygg.core.models import AuditEntry
from trygg.measures.actions.measures import create_measure
from trygg.promises.actions.promises import (
    adopt,
    delete_draft_commitment,
    keep_commitment,
    mark_for_removal,
    removal_errors,
)
from trygg.promises.forms_commitments import RemovalForm
from trygg.promises.models import Commitment, MeasuresOnRemoval
from trygg.promises.tests.factories import commit, make_agreement, make_promise

pytestmark = [pytest.mark.django_db, pytest.mark.frozen]

MOVE = MeasuresOnRemoval.MOVE


@pytest.fixture
def promise(karlstad, kommunen, polisen, coordinator):
    agreement = make_agreement(karlstad, kommunen, polisen, coordinator)
    return make_promise(agreement, coordinator)


@pytest.fixture
def doomed(promise, karlstad, polisen, coordinator) -> Commitment:
    """An adopted commitment with an open measure, about to be removed, beside one that
    stays; the first version is adopted."""
    commitment = commit(promise, polisen, coordinator, text="Insatser mot narkotikadistribution")
    commit(promise, polisen, coordinator, text="Krogkontroller varje månad")
    measure = create_measure(karlstad, acting_user=coordinator, title="Riktad insats")
    commitment.measures.add(measure)
    adopt(promise, adopted_on=dt.date(2023, 6, 20), adopted_by="KS", acting_user=coordinator)
    commitment.refresh_from_db()
    return commitment


def revise(promise, coordinator, day=dt.date(2024, 9, 1)):
    return adopt(
        promise, adopted_on=day, adopted_by="KS", changes="Åtaganden byts.", acting_user=coordinator
    )


def move_to(doomed, target, coordinator) -> Commitment:
    return mark_for_removal(
        doomed, reason="Formuleras om", measures=MOVE, move_to=target, acting_user=coordinator
    )


def test_the_form_offers_exactly_the_targets_the_action_accepts(
    promise, doomed, polisen, kommunen, coordinator
):
    stays = promise.commitments.get(text="Krogkontroller varje månad")
    gone = commit(promise, kommunen, coordinator, text="Borttas i en tidigare revidering")
    revise(promise, coordinator, dt.date(2023, 9, 1))
    gone.refresh_from_db()
    mark_for_removal(gone, reason="Utgår", acting_user=coordinator)
    revise(promise, coordinator, dt.date(2024, 1, 10))
    marked = commit(promise, kommunen, coordinator, text="Markeras för borttagning")
    revise(promise, coordinator, dt.date(2024, 3, 1))
    marked.refresh_from_db()
    mark_for_removal(marked, reason="Utgår", acting_user=coordinator)
    draft = commit(promise, polisen, coordinator, text="Insatser mot narkotika i hela länet")

    offered = set(RemovalForm(commitment=doomed).fields["move_measures_to"].queryset)
    assert offered == {stays, draft}
    for candidate in promise.commitments.all():
        errors = removal_errors(doomed, reason="Formuleras om", measures=MOVE, move_to=candidate)
        assert ("move_measures_to" not in errors) == (candidate in offered), candidate.text


def test_measures_moved_to_a_draft_go_with_it_when_the_revision_adopts_it(
    promise, doomed, polisen, coordinator
):
    draft = commit(promise, polisen, coordinator, text="Insatser mot narkotika i hela länet")
    measures = set(doomed.measures.all())
    move_to(doomed, draft, coordinator)
    version = revise(promise, coordinator)
    draft.refresh_from_db()
    doomed.refresh_from_db()
    assert draft.added_in == version and doomed.removed_in == version
    assert set(draft.measures.all()) == measures
    assert not doomed.measures.exists()


def test_a_draft_the_measures_are_to_move_to_cannot_be_deleted_until_the_move_is_changed(
    promise, doomed, polisen, coordinator
):
    draft = commit(promise, polisen, coordinator, text="Insatser mot narkotika i hela länet")
    move_to(doomed, draft, coordinator)
    with pytest.raises(ValidationError) as error:
        delete_draft_commitment(draft, acting_user=coordinator)
    message = error.value.message_dict["text"][0]
    assert "Åtgärderna från ”Insatser mot narkotikadistribution” ska flyttas hit" in message
    assert Commitment.objects.filter(pk=draft.pk).exists()
    assert not AuditEntry.objects.filter(object_id=str(draft.pk), action="delete").exists()

    keep_commitment(doomed, acting_user=coordinator)
    delete_draft_commitment(draft, acting_user=coordinator)
    assert not Commitment.objects.filter(pk=draft.pk).exists()


def test_an_adopted_target_of_a_pending_move_cannot_be_marked_for_removal(
    promise, doomed, coordinator
):
    stays = promise.commitments.get(text="Krogkontroller varje månad")
    move_to(doomed, stays, coordinator)
    with pytest.raises(ValidationError) as error:
        mark_for_removal(stays, reason="Utgår också", acting_user=coordinator)
    assert "ska flyttas hit" in error.value.message_dict["removal_reason"][0]
    stays.refresh_from_db()
    assert not stays.is_marked_for_removal
    assert not AuditEntry.objects.filter(object_id=str(stays.pk), field="removal_reason").exists()


def test_deleting_a_pending_target_on_the_page_says_why_and_keeps_it(
    client, promise, doomed, polisen, coordinator
):
    draft = commit(promise, polisen, coordinator, text="Insatser mot narkotika i hela länet")
    client.force_login(coordinator)
    path = f"/loften/lofte/{promise.pk}/atagande/{doomed.pk}/ta-bort-vid-revidering/"
    form = client.get(path).content.decode()
    assert "Insatser mot narkotika i hela länet" in form
    data = {"removal_reason": "Formuleras om", "measures_on_removal": "move"}
    response = client.post(path, data | {"move_measures_to": draft.pk})
    assert response.status_code == 302
    doomed.refresh_from_db()
    assert doomed.move_measures_to == draft

    response = client.post(f"/loften/lofte/{promise.pk}/atagande/{draft.pk}/ta-bort/")
    assert response.status_code == 400
    assert "ska flyttas hit när revideringen antas" in response.content.decode()
    assert Commitment.objects.filter(pk=draft.pk).exists()
