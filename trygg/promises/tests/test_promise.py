import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from trygg.core.models import AuditEntry
from trygg.measures.actions.measures import create_measure
from trygg.measures.models import Status
from trygg.promises.actions.promises import (
    CommitmentInput,
    add_commitment,
    adopt,
    delete_draft_commitment,
    mark_for_removal,
    update_commitment,
)
from trygg.promises.models import Commitment, MeasuresOnRemoval, PromiseVersion
from trygg.promises.tests.factories import commit, make_agreement, make_promise

pytestmark = pytest.mark.django_db


@pytest.fixture
def agreement(karlstad, kommunen, polisen, coordinator):
    return make_agreement(karlstad, kommunen, polisen, coordinator)


@pytest.fixture
def promise(agreement, coordinator):
    return make_promise(
        agreement, coordinator, focus="Narkotika- och alkoholrelaterad brottslighet"
    )


def test_a_commitment_without_an_owner_is_refused_and_nothing_is_written(promise, coordinator):
    with pytest.raises(ValidationError) as error:
        add_commitment(
            promise, CommitmentInput("police", "Krogkontroller", None), acting_user=coordinator
        )
    assert "ansvarig organisation" in error.value.message_dict["owner"][0]
    assert not Commitment.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        # A number to reach with nothing that counts it.
        (
            {"target_value": Decimal(4), "target_comparison": "at_least", "target_per": "year"},
            "indicator_kind",
        ),
        # Walks are not counted per category.
        (
            {"indicator_kind": "dialogues_held", "indicator_category_code": "ordning.vald"},
            "indicator_category",
        ),
        # Fewer than before needs an indicator that compares.
        ({"indicator_kind": "measures_done", "target_comparison": "fewer"}, "target_comparison"),
        # Events need a category.
        ({"indicator_kind": "events"}, "indicator_category"),
        # A value entered by hand needs its source.
        (
            {
                "indicator_kind": "entered",
                "target_value": Decimal(8),
                "target_comparison": "at_least",
                "target_per": "period",
            },
            "indicator_source",
        ),
        # The baseline must lie before the promise.
        (
            {
                "indicator_kind": "events",
                "indicator_category_code": "ordning.vald",
                "target_comparison": "fewer",
                "baseline_start": dt.date(2023, 1, 1),
                "baseline_end": dt.date(2023, 12, 31),
            },
            "baseline_end",
        ),
    ],
)
def test_a_target_the_indicator_cannot_measure_is_refused(
    promise, polisen, coordinator, fields, field
):
    from trygg.events.models import Category

    code = fields.pop("indicator_category_code", None)
    if code:
        fields["indicator_category"] = Category.objects.get(code=code)
    with pytest.raises(ValidationError) as error:
        commit(promise, polisen, coordinator, **fields)
    assert field in error.value.message_dict
    assert not Commitment.objects.exists()


def test_a_measurable_commitment_is_kept_with_an_audit_row(promise, polisen, coordinator):
    commitment = commit(
        promise,
        polisen,
        coordinator,
        indicator_kind="measures_done",
        target_value=Decimal(1),
        target_comparison="at_least",
        target_per="month",
    )
    assert commitment.has_target
    assert AuditEntry.objects.filter(
        object_type="promises.commitment", object_id=str(commitment.pk), action="create"
    ).exists()


def test_the_first_adoption_keeps_the_promise_as_adopted_and_later_edits_wait_for_a_revision(
    promise, polisen, kommunen, coordinator
):
    first = commit(promise, polisen, coordinator, text="Genomföra krogkontroller")
    commit(promise, kommunen, coordinator, text="Utveckla ANDTS-arbetet", column="municipality")
    version = adopt(
        promise,
        adopted_on=dt.date(2023, 6, 20),
        adopted_by="Kommunstyrelsen och LPO",
        acting_user=coordinator,
    )
    assert version.number == 1
    assert [c["text"] for c in version.snapshot["commitments"]] == [
        "Genomföra krogkontroller",
        "Utveckla ANDTS-arbetet",
    ]
    assert version.snapshot["commitments"][0]["owner"] == polisen.name
    update_commitment(
        first,
        CommitmentInput("police", "Krogkontroller varje månad", polisen),
        acting_user=coordinator,
    )
    version.refresh_from_db()
    assert version.snapshot["commitments"][0]["text"] == "Genomföra krogkontroller"
    with pytest.raises(ValidationError) as error:
        adopt(promise, adopted_on=dt.date(2024, 9, 1), adopted_by="KS", acting_user=coordinator)
    assert "changes" in error.value.message_dict
    second = adopt(
        promise,
        adopted_on=dt.date(2024, 9, 1),
        adopted_by="KS",
        changes="Krogkontrollerna görs varje månad.",
        acting_user=coordinator,
    )
    assert second.number == 2
    assert second.snapshot["commitments"][0]["text"] == "Krogkontroller varje månad"


def test_an_adopted_commitment_is_not_deleted_but_removed_by_a_revision(
    promise, polisen, coordinator
):
    commitment = commit(promise, polisen, coordinator)
    adopt(promise, adopted_on=dt.date(2023, 6, 20), adopted_by="KS", acting_user=coordinator)
    commitment.refresh_from_db()
    with pytest.raises(ValidationError):
        delete_draft_commitment(commitment, acting_user=coordinator)
    draft = commit(promise, polisen, coordinator, text="Ett utkast")
    draft_id = draft.pk
    delete_draft_commitment(draft, acting_user=coordinator)
    assert not Commitment.objects.filter(pk=draft_id).exists()
    assert AuditEntry.objects.filter(object_id=str(draft_id), action="delete").exists()


def test_a_revision_that_removes_a_commitment_with_open_measures_must_say_what_happens_to_them(
    karlstad, promise, polisen, kommunen, coordinator
):
    doomed = commit(promise, polisen, coordinator, text="Insatser mot narkotikadistribution")
    keeper = commit(promise, kommunen, coordinator, text="Tillsyn på krogar", column="together")
    measure = create_measure(karlstad, acting_user=coordinator, title="Riktad insats Stora torget")
    done = create_measure(
        karlstad,
        acting_user=coordinator,
        title="Klar insats",
        status=Status.AGREED,
        responsible=polisen,
    )
    doomed.measures.add(measure, done)
    adopt(promise, adopted_on=dt.date(2023, 6, 20), adopted_by="KS", acting_user=coordinator)
    doomed.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        mark_for_removal(doomed, reason="Ingår i regionens arbete", acting_user=coordinator)
    assert "2 åtgärder" in error.value.message_dict["measures_on_removal"][0]
    with pytest.raises(ValidationError):
        mark_for_removal(
            doomed, reason="x", measures=MeasuresOnRemoval.MOVE, acting_user=coordinator
        )
    mark_for_removal(
        doomed,
        reason="Ingår i regionens arbete",
        measures=MeasuresOnRemoval.MOVE,
        move_to=keeper,
        acting_user=coordinator,
    )
    version = adopt(
        promise,
        adopted_on=dt.date(2024, 9, 1),
        adopted_by="KS",
        changes="Distributionen sköts regionalt.",
        acting_user=coordinator,
    )
    doomed.refresh_from_db()
    assert doomed.removed_in == version
    assert set(keeper.measures.all()) == {measure, done}
    assert not doomed.measures.exists()
    assert [c["text"] for c in version.snapshot["commitments"]] == ["Tillsyn på krogar"]
    assert version.snapshot["removed"][0]["reason"] == "Ingår i regionens arbete"
    assert PromiseVersion.objects.filter(promise=promise).count() == 2


def test_cancelling_the_measures_of_a_removed_commitment_cancels_them_with_the_reason(
    karlstad, promise, polisen, coordinator
):
    doomed = commit(promise, polisen, coordinator)
    commit(promise, polisen, coordinator, text="Kvar")
    measure = create_measure(karlstad, acting_user=coordinator, title="Insats")
    doomed.measures.add(measure)
    adopt(promise, adopted_on=dt.date(2023, 6, 20), adopted_by="KS", acting_user=coordinator)
    doomed.refresh_from_db()
    mark_for_removal(
        doomed, reason="Utgår", measures=MeasuresOnRemoval.CANCEL, acting_user=coordinator
    )
    adopt(
        promise,
        adopted_on=dt.date(2024, 1, 10),
        adopted_by="KS",
        changes="Ett åtagande utgår.",
        acting_user=coordinator,
    )
    measure.refresh_from_db()
    assert measure.status == Status.CANCELLED
    assert "Utgår" in measure.cancel_reason


def test_a_housing_company_cannot_write_the_promise(promise, bostadsbolaget, housing_reporter):
    with pytest.raises(PermissionDenied):
        commit(promise, bostadsbolaget, housing_reporter)


def test_a_promise_outside_the_agreement_is_refused(agreement, coordinator):
    with pytest.raises(ValidationError) as error:
        make_promise(agreement, coordinator, end=dt.date(2028, 6, 30))
    assert "start" in error.value.message_dict
