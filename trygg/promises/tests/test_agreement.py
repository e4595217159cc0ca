import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from trygg.core.models import AuditEntry
from trygg.places.tests.factories import box, make_area
from trygg.promises.actions.agreements import PartyInput, create_agreement, mark_step
from trygg.promises.actions.problems import add_problem, rank_problems, record_cause_analysis
from trygg.promises.models import STEP_ORDER, Agreement, PartyRole, Problem
from trygg.promises.tests.factories import make_agreement

pytestmark = pytest.mark.django_db


def test_an_agreement_has_both_parties_and_every_step_of_the_process_open(
    karlstad, kommunen, polisen, coordinator
):
    agreement = make_agreement(karlstad, kommunen, polisen, coordinator)
    assert {p.role for p in agreement.parties.all()} == {PartyRole.MUNICIPALITY, PartyRole.POLICE}
    assert [s.step for s in sorted(agreement.steps.all(), key=lambda s: s.position)] == STEP_ORDER
    assert not agreement.steps.exclude(done_on=None).exists()
    assert AuditEntry.objects.filter(object_type="promises.agreement", action="create").exists()


def test_an_agreement_without_the_police_is_refused_and_nothing_is_written(
    karlstad, kommunen, coordinator
):
    with pytest.raises(ValidationError) as error:
        make_agreement(
            karlstad,
            kommunen,
            None,
            coordinator,
            parties=[
                PartyInput(
                    kommunen, PartyRole.MUNICIPALITY, "Kommunstyrelsen", dt.date(2023, 5, 30)
                )
            ],
        )
    assert "lokalpolisområdet" in str(error.value.message_dict["parties"])
    assert not Agreement.objects.exists()


def test_a_party_from_another_municipality_or_a_period_backwards_is_refused(
    karlstad, kommunen, polisen, karlskoga_kommun, coordinator
):
    with pytest.raises(ValidationError) as error:
        create_agreement(
            karlstad,
            title="Fel",
            start=dt.date(2027, 1, 1),
            end=dt.date(2023, 1, 1),
            parties=[
                PartyInput(kommunen, PartyRole.MUNICIPALITY, "KS", dt.date(2023, 5, 30)),
                PartyInput(polisen, PartyRole.POLICE, "LPO", dt.date(2023, 5, 30)),
                PartyInput(karlskoga_kommun, PartyRole.OTHER, "KS", dt.date(2023, 5, 30)),
            ],
            acting_user=coordinator,
        )
    assert set(error.value.message_dict) == {"end", "parties"}
    assert not Agreement.objects.exists()


def test_only_a_coordinator_sets_an_agreement_up(karlstad, kommunen, polisen, police_officer):
    with pytest.raises(PermissionDenied):
        make_agreement(karlstad, kommunen, polisen, police_officer)


def test_the_kommunpolis_of_a_party_ticks_a_step_off_and_an_outsider_cannot(
    karlstad, kommunen, polisen, coordinator, police_officer, housing_reporter
):
    agreement = make_agreement(karlstad, kommunen, polisen, coordinator)
    step = mark_step(
        agreement, "joint_picture", done_on=dt.date(2023, 2, 1), acting_user=police_officer
    )
    assert step.done_on == dt.date(2023, 2, 1)
    assert AuditEntry.objects.filter(object_type="promises.processstep", field="done_on").exists()
    with pytest.raises(PermissionDenied):
        mark_step(agreement, "goals", done_on=dt.date(2023, 2, 1), acting_user=housing_reporter)


def test_ranking_prioritises_in_order_and_returns_the_rest_to_candidates(
    karlstad, kommunen, polisen, coordinator
):
    agreement = make_agreement(karlstad, kommunen, polisen, coordinator)
    violence, unsafe, drugs = (
        add_problem(agreement, title=t, acting_user=coordinator)
        for t in ("Våld i offentlig miljö", "Otrygga miljöer", "Narkotika")
    )
    rank_problems(agreement, [drugs, violence], acting_user=coordinator)
    assert [(p.title, p.rank) for p in Problem.objects.filter(agreement=agreement)] == [
        ("Narkotika", 1),
        ("Våld i offentlig miljö", 2),
        ("Otrygga miljöer", None),
    ]
    rank_problems(agreement, [violence], acting_user=coordinator)
    drugs.refresh_from_db()
    assert drugs.rank is None


def test_a_cause_analysis_needs_a_prioritised_problem_and_keeps_no_personal_numbers(
    karlstad, kommunen, polisen, coordinator
):
    agreement = make_agreement(karlstad, kommunen, polisen, coordinator)
    problem = add_problem(agreement, title="Narkotika", acting_user=coordinator)
    with pytest.raises(ValidationError):
        record_cause_analysis(
            problem, places="Stora torget", times="", circumstances="", acting_user=coordinator
        )
    rank_problems(agreement, [problem], acting_user=coordinator)
    record_cause_analysis(
        problem,
        places="Stora torget och resecentrum",
        times="Fredag och lördag 22–03",
        circumstances="Tipset kom från 19850412-1230 om langning vid krogkön",
        acting_user=coordinator,
    )
    problem.refresh_from_db()
    assert "19850412-1230" not in problem.cause_circumstances
    assert problem.has_cause_analysis


def test_a_problem_with_an_area_of_another_municipality_is_refused(
    karlstad, kommunen, polisen, coordinator, karlskoga_kommun
):
    agreement = make_agreement(karlstad, kommunen, polisen, coordinator)
    elsewhere = make_area(
        karlskoga_kommun.municipality, "Centrum Karlskoga", box(14.5, 59.3, 14.6, 59.4)
    )
    with pytest.raises(ValidationError) as error:
        add_problem(agreement, title="Våld", areas=[elsewhere], acting_user=coordinator)
    assert "areas" in error.value.message_dict
    assert not Problem.objects.exists()
