"""The agreement and promise pages under /loften/: what each shows, the forms that write
through the actions (Swedish messages, 400 and nothing written on bad input), who may write,
and the åtgärdsplan and the measure's page showing the commitments measures carry out."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from trygg.core.models import AuditEntry
from trygg.core.tests.clock import TODAY
from trygg.events.models import Category
from trygg.measures.actions import add_problem as add_plan_problem
from trygg.measures.actions import create_plan
from trygg.measures.actions.measures import create_measure
from trygg.measures.models import Status
from trygg.organisations.models import Membership
from trygg.organisations.tests.factories import make_person
from trygg.promises.actions.promises import adopt, mark_for_removal
from trygg.promises.models import (
    Agreement,
    AgreementParty,
    Commitment,
    Problem,
    ProcessStep,
    Promise,
    PromiseVersion,
)
from trygg.promises.tests.factories import commit, make_agreement, make_promise

pytestmark = [pytest.mark.django_db, pytest.mark.frozen]

INDEX = "/loften/"


@pytest.fixture
def agreement(karlstad, kommunen, polisen, coordinator):
    return make_agreement(karlstad, kommunen, polisen, coordinator)


@pytest.fixture
def promise(agreement, coordinator):
    return make_promise(
        agreement, coordinator, focus="Narkotika- och alkoholrelaterad brottslighet"
    )


@pytest.fixture
def problem(agreement, coordinator, category, centrum):
    from trygg.promises.actions.problems import add_problem

    return add_problem(
        agreement,
        title="Otrygga miljöer",
        categories=[category],
        areas=[centrum],
        acting_user=coordinator,
    )


def agreement_url(agreement, suffix="") -> str:
    return f"{INDEX}{agreement.pk}/{suffix}"


def promise_url(promise, suffix="") -> str:
    return f"{INDEX}lofte/{promise.pk}/{suffix}"


def audited(obj, action=AuditEntry.Action.CREATE) -> bool:
    return AuditEntry.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk), action=action
    ).exists()


def party_data(kommunen, polisen, **changes) -> dict:
    data = {
        "kommun": "",
        "title": "Samverkansöverenskommelse Karlstad 2023–2027",
        "start": "2023-07-01",
        "end": "2027-06-30",
        "follow_up_interval": "tertial",
        "kommun-organisation": kommunen.pk,
        "kommun-adopted_by": "Kommunstyrelsen",
        "kommun-decided_on": "2023-05-30",
        "polis-organisation": polisen.pk,
        "polis-adopted_by": "Lokalpolisområde Karlstad",
        "polis-decided_on": "2023-05-30",
    }
    return {key: value for key, value in (data | changes).items() if value is not None}


# --- the list and a new agreement --------------------------------------------------------------


def test_the_list_shows_the_municipalitys_agreements_and_offers_a_new_one_to_coordinators(
    client, coordinator, analyst, agreement, promise
):
    client.force_login(analyst)
    for_analyst = client.get(INDEX).content.decode()
    client.force_login(coordinator)
    for_coordinator = client.get(INDEX).content.decode()
    assert agreement.title in for_analyst
    assert promise.title in for_analyst
    assert "utkast, inte antaget" in for_analyst
    assert "Ny överenskommelse" not in for_analyst
    assert "Ny överenskommelse" in for_coordinator


def test_a_coordinator_sets_up_the_agreement_with_both_parties_and_every_step_open(
    client, coordinator, kommunen, polisen, bostadsbolaget, karlstad
):
    client.force_login(coordinator)
    form = client.get(f"{INDEX}ny/").content.decode()
    assert "Lokalpolisområdet" in form
    data = party_data(
        kommunen,
        polisen,
        kommun=karlstad.pk,
        **{
            "part-1-organisation": bostadsbolaget.pk,
            "part-1-adopted_by": "Styrelsen",
            "part-1-decided_on": "2023-06-01",
        },
    )
    response = client.post(f"{INDEX}ny/", data)
    agreement = Agreement.objects.get()
    assert response.status_code == 302
    assert response["Location"] == agreement.get_absolute_url()
    assert {(p.organisation, p.role) for p in agreement.parties.all()} == {
        (kommunen, "municipality"),
        (polisen, "police"),
        (bostadsbolaget, "other"),
    }
    assert agreement.steps.count() == 9
    assert audited(agreement)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"end": "2023-01-01"}, "Slutdatum kan inte ligga före startdatum."),
        ({"polis-decided_on": ""}, "Ange beslutsdatum."),
        ({"polis-organisation": ""}, "Välj organisationen."),
        ({"title": ""}, "Ge överenskommelsen en benämning."),
        # An other party half filled in: said, not quietly dropped.
        ({"part-1-adopted_by": "Styrelsen"}, "Välj organisationen."),
    ],
)
def test_a_bad_agreement_comes_back_with_the_message_in_swedish_and_nothing_is_written(
    client, coordinator, kommunen, polisen, changes, message
):
    client.force_login(coordinator)
    response = client.post(f"{INDEX}ny/", party_data(kommunen, polisen, **changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Agreement.objects.exists()
    assert not AgreementParty.objects.exists()


def test_only_a_coordinator_may_set_up_an_agreement(client, police_officer, kommunen, polisen):
    client.force_login(police_officer)
    assert client.get(f"{INDEX}ny/").status_code == 403
    assert client.post(f"{INDEX}ny/", party_data(kommunen, polisen)).status_code == 403
    assert not Agreement.objects.exists()


# --- the agreement page --------------------------------------------------------------------


def test_the_agreement_page_shows_parties_steps_problems_and_promises(
    client, housing_reporter, agreement, problem, promise
):
    client.force_login(housing_reporter)
    page = client.get(agreement_url(agreement)).content.decode()
    assert "Kommunstyrelsen" in page and "Lokalpolisområde Karlstad" in page
    assert "2023-05-30" in page
    assert "1. Egna lägesbilder" in page and "9. Plan för uppföljning" in page
    assert "0 av 9 steg är klara" in page
    assert f'href="/loften/{agreement.pk}/problem/{problem.pk}/"' in page
    assert "Centrum" in page
    assert promise.title in page
    # Everyone in the municipality reads; only the parties write.
    assert "Bocka av" not in page and "Nytt medborgarlöfte" not in page


def test_the_kommunpolis_ticks_a_step_off_with_its_date_and_opens_it_again(
    client, police_officer, agreement
):
    client.force_login(police_officer)
    path = agreement_url(agreement, "steg/joint_picture/")
    response = client.post(
        path, {"steg-joint_picture-done_on": "2023-03-15", "steg-joint_picture-note": "Klart"}
    )
    assert response.status_code == 302
    step = ProcessStep.objects.get(agreement=agreement, step="joint_picture")
    assert step.done_on == dt.date(2023, 3, 15)
    assert AuditEntry.objects.filter(
        object_type="promises.processstep", object_id=str(step.pk), field="done_on"
    ).exists()
    assert "Klart 2023-03-15" in client.get(agreement_url(agreement)).content.decode()
    client.post(path, {"steg-joint_picture-done_on": "2023-03-15", "oppna": "1"})
    step.refresh_from_db()
    assert step.done_on is None


@pytest.mark.parametrize(
    ("day", "message"),
    [
        ("", "Ange datumet då steget blev klart."),
        ((TODAY + dt.timedelta(days=1)).isoformat(), "ett datum som inte kommit"),
    ],
)
def test_a_step_without_a_date_or_done_in_the_future_is_refused(
    client, coordinator, agreement, day, message
):
    client.force_login(coordinator)
    response = client.post(
        agreement_url(agreement, "steg/priorities/"), {"steg-priorities-done_on": day}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ProcessStep.objects.filter(done_on__isnull=False).exists()


def test_a_problem_is_added_with_its_categories_and_areas(
    client, coordinator, agreement, category, centrum, kronoparken
):
    client.force_login(coordinator)
    response = client.post(
        agreement_url(agreement, "nytt-problem/"),
        {
            "problem-title": "Våld i offentlig miljö",
            "problem-categories": [category.pk],
            "problem-areas": [centrum.pk, kronoparken.pk],
            "problem-notes": "Helgnätter vid Stora torget",
        },
    )
    assert response.status_code == 302
    problem = Problem.objects.get()
    assert list(problem.categories.all()) == [category]
    assert set(problem.areas.all()) == {centrum, kronoparken}
    assert audited(problem)


def test_a_problem_without_a_title_is_refused_in_swedish(client, coordinator, agreement):
    client.force_login(coordinator)
    response = client.post(agreement_url(agreement, "nytt-problem/"), {"problem-title": " "})
    assert response.status_code == 400
    assert "Ge problemområdet en rubrik." in response.content.decode()
    assert not Problem.objects.exists()


def test_the_partners_rank_the_problems_with_a_number_each(
    client, police_officer, coordinator, agreement, problem
):
    from trygg.promises.actions.problems import add_problem

    drugs = add_problem(
        agreement, title="Narkotika- och alkoholrelaterad brottslighet", acting_user=coordinator
    )
    violence = add_problem(agreement, title="Våld i offentlig miljö", acting_user=coordinator)
    client.force_login(police_officer)
    response = client.post(
        agreement_url(agreement, "prioritering/"),
        {
            f"prio-problem_{problem.pk}": "5",
            f"prio-problem_{drugs.pk}": "1",
            f"prio-problem_{violence.pk}": "",
        },
    )
    assert response.status_code == 302
    ranks = dict(Problem.objects.values_list("title", "rank"))
    assert ranks == {
        "Narkotika- och alkoholrelaterad brottslighet": 1,
        "Otrygga miljöer": 2,
        "Våld i offentlig miljö": None,
    }


def test_two_problems_with_the_same_rank_are_refused_and_nothing_changes(
    client, coordinator, agreement, problem
):
    from trygg.promises.actions.problems import add_problem

    other = add_problem(agreement, title="Våld i offentlig miljö", acting_user=coordinator)
    client.force_login(coordinator)
    response = client.post(
        agreement_url(agreement, "prioritering/"),
        {f"prio-problem_{problem.pk}": "1", f"prio-problem_{other.pk}": "1"},
    )
    assert response.status_code == 400
    assert "Samma prioritet som" in response.content.decode()
    assert not Problem.objects.filter(rank__isnull=False).exists()


# --- the promise ---------------------------------------------------------------------------


def test_a_promise_is_made_under_the_agreement_with_its_prioritised_problems(
    client, coordinator, agreement, problem
):
    client.force_login(coordinator)
    form = client.get(agreement_url(agreement, "nytt-lofte/"))
    assert form.status_code == 200
    response = client.post(
        agreement_url(agreement, "nytt-lofte/"),
        {
            "title": "Medborgarlöfte 2023–2027",
            "start": "2023-07-01",
            "end": "2027-06-30",
            "focus": "Narkotika- och alkoholrelaterad brottslighet",
            "problems": [problem.pk],
        },
    )
    promise = Promise.objects.get()
    assert response.status_code == 302
    assert response["Location"] == promise.get_absolute_url()
    assert list(promise.problems.all()) == [problem]
    assert audited(promise)


def test_a_promise_outside_the_agreements_period_comes_back_with_the_message(
    client, coordinator, agreement
):
    client.force_login(coordinator)
    response = client.post(
        agreement_url(agreement, "nytt-lofte/"),
        {"title": "Löfte", "start": "2023-07-01", "end": "2028-06-30"},
    )
    assert response.status_code == 400
    assert "inom överenskommelsens period" in response.content.decode()
    assert not Promise.objects.exists()


def test_the_promise_page_shows_the_commitments_in_three_columns_with_target_and_indicator(
    client, housing_reporter, karlstad, promise, polisen, kommunen, coordinator
):
    measure = create_measure(karlstad, acting_user=coordinator, title="Krogkontroll Klarastan")
    police = commit(
        promise,
        polisen,
        coordinator,
        indicator_kind="entered",
        indicator_source="Polisens egen statistik",
        target_value=Decimal(1),
        target_comparison="at_least",
        target_per="month",
    )
    police.measures.add(measure)
    commit(
        promise,
        kommunen,
        coordinator,
        text="Genomföra trygghetsvandringar",
        column="municipality",
        indicator_kind="walks_held",
        target_value=Decimal(4),
        target_comparison="at_least",
        target_per="year",
    )
    client.force_login(housing_reporter)
    page = client.get(promise_url(promise)).content.decode()
    for heading in (
        "Polisen kommer att",
        "Polisen och kommunen kommer tillsammans att",
        "Kommunen kommer att",
    ):
        assert heading in page
    assert page.index("Genomföra krogkontroller") < page.index("Genomföra trygghetsvandringar")
    assert "minst 1 per månad" in page and "Polisens egen statistik" in page
    assert "minst 4 per år" in page and "Trygghetsvandringar genomförda" in page
    assert "Krogkontroll Klarastan" in page
    assert "Löftet är inte antaget ännu." in page
    assert page.count("Nytt, inte antaget") == 2
    assert f'href="/loften/lofte/{promise.pk}/uppfoljning/"' in page
    # A partner outside the agreement reads; the forms are for the parties.
    assert "Nytt åtagande" not in page and 'id="anta"' not in page


def test_adopting_then_editing_shows_what_is_not_yet_adopted_and_the_version_history(
    client, police_officer, promise, polisen, coordinator
):
    commitment = commit(promise, polisen, coordinator)
    client.force_login(police_officer)
    response = client.post(
        promise_url(promise, "anta/"),
        {"anta-adopted_on": "2023-06-20", "anta-adopted_by": "Kommunstyrelsen och LPO"},
    )
    assert response.status_code == 302
    version = PromiseVersion.objects.get()
    assert audited(version)
    page = client.get(promise_url(promise)).content.decode()
    assert "Version 1, antagen 2023-06-20 av Kommunstyrelsen och LPO" in page
    assert "Allt här är antaget" in page and "Nytt, inte antaget" not in page
    assert "Löftet som det först antogs" in page

    response = client.post(
        promise_url(promise, f"atagande/{commitment.pk}/"),
        {"column": "police", "text": "Krogkontroller varje månad", "owner": polisen.pk},
    )
    assert response.status_code == 302
    page = client.get(promise_url(promise)).content.decode()
    assert "Ändrat, inte antaget" in page
    assert "Invånarna ser version 1 tills en revidering antas." in page
    assert "Anta revidering" in page


def test_a_revision_without_what_changed_is_refused_and_nothing_is_adopted(
    client, coordinator, promise, polisen
):
    commit(promise, polisen, coordinator)
    adopt(promise, adopted_on=dt.date(2023, 6, 20), adopted_by="KS", acting_user=coordinator)
    client.force_login(coordinator)
    response = client.post(
        promise_url(promise, "anta/"),
        {"anta-adopted_on": "2024-09-01", "anta-adopted_by": "KS", "anta-changes": ""},
    )
    assert response.status_code == 400
    assert "Beskriv för invånarna vad revideringen ändrar." in response.content.decode()
    assert PromiseVersion.objects.count() == 1


def test_a_first_adoption_without_commitments_is_refused_in_swedish(client, coordinator, promise):
    client.force_login(coordinator)
    response = client.post(
        promise_url(promise, "anta/"), {"anta-adopted_on": "2023-06-20", "anta-adopted_by": "KS"}
    )
    assert response.status_code == 400
    assert "Löftet behöver minst ett åtagande." in response.content.decode()
    assert not PromiseVersion.objects.exists()


# --- commitments ---------------------------------------------------------------------------


def test_a_commitment_with_many_measures_shows_the_open_and_latest_and_folds_the_rest(
    client, karlstad, promise, polisen, coordinator
):
    from trygg.measures.models import Measure

    commitment = commit(promise, polisen, coordinator)
    for month in range(1, 8):
        measure = create_measure(karlstad, acting_user=coordinator, title=f"Krogkontroll {month}")
        Measure.objects.filter(pk=measure.pk).update(
            status=Status.DONE, done_on=dt.date(2026, month, 15)
        )
        commitment.measures.add(measure)
    still_open = create_measure(karlstad, acting_user=coordinator, title="Krogkontroll nästa")
    commitment.measures.add(still_open)
    client.force_login(coordinator)
    page = client.get(promise_url(promise)).content.decode()
    # Open first, then the latest done: not the titles' alphabetical order.
    order = ["Krogkontroll nästa", "Krogkontroll 7", "Krogkontroll 6", "Krogkontroll 5"]
    assert [page.index(title) for title in order] == sorted(page.index(t) for t in order)
    folded = page[page.index('<details class="more-measures">') :]
    assert "3 åtgärder till" in folded
    assert "Krogkontroll 1<" in folded and "Krogkontroll 7<" not in folded


def test_the_kommunpolis_adds_a_commitment_with_a_measurable_target_and_its_measures(
    client, police_officer, karlstad, promise, polisen, coordinator
):
    measure = create_measure(karlstad, acting_user=coordinator, title="Krogkontroller 2024")
    client.force_login(police_officer)
    form = client.get(promise_url(promise, "nytt-atagande/"), {"kolumn": "police"})
    assert 'value="police" required id="id_column_0" checked' in form.content.decode()
    response = client.post(
        promise_url(promise, "nytt-atagande/"),
        {
            "column": "police",
            "text": "Genomföra krogkontroller varje månad",
            "owner": polisen.pk,
            "indicator_kind": "measures_done",
            "target_comparison": "at_least",
            "target_value": "1",
            "target_per": "month",
            "measures": [measure.pk],
        },
    )
    assert response.status_code == 302
    commitment = Commitment.objects.get()
    assert commitment.target_value == Decimal(1)
    assert list(commitment.measures.all()) == [measure]
    assert audited(commitment)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"owner": ""}, "Varje åtagande behöver en ansvarig organisation."),
        (
            {"indicator_kind": "", "target_comparison": "at_least", "target_value": "4"},
            "Ett mätbart mål behöver en indikator som mäter det.",
        ),
        (
            {"indicator_kind": "walks_held", "target_comparison": "fewer"},
            "Indikatorn kan inte jämföras med en tidigare period",
        ),
        ({"indicator_kind": "entered"}, "Ange var värdet kommer ifrån"),
        ({"target_value": "fyra", "indicator_kind": "walks_held"}, "Skriv ett tal"),
        ({"text": ""}, "Skriv vad som utlovas."),
    ],
)
def test_a_bad_commitment_comes_back_with_the_message_and_nothing_is_written(
    client, coordinator, promise, polisen, data, message
):
    client.force_login(coordinator)
    values = {"column": "police", "text": "Krogkontroller", "owner": polisen.pk} | data
    response = client.post(promise_url(promise, "nytt-atagande/"), values)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Commitment.objects.exists()


def test_an_events_indicator_with_a_baseline_is_kept_and_shown_in_words(
    client, coordinator, promise, kommunen, centrum
):
    violence = Category.objects.get(code="ordning.vald")
    client.force_login(coordinator)
    response = client.post(
        promise_url(promise, "nytt-atagande/"),
        {
            "column": "together",
            "text": "Minska våldet i centrum",
            "owner": kommunen.pk,
            "indicator_kind": "events",
            "indicator_category": violence.pk,
            "indicator_area": centrum.pk,
            "target_comparison": "fewer",
            "baseline_start": "2022-07-01",
            "baseline_end": "2023-06-30",
        },
    )
    assert response.status_code == 302
    page = client.get(promise_url(promise)).content.decode()
    assert "färre än under jämförelseperioden (2022-07-01–2023-06-30)" in page
    assert "Händelser i kategorin, Våld, Centrum" in page


def test_a_draft_is_deleted_but_an_adopted_commitment_only_by_a_revision(
    client, coordinator, promise, polisen
):
    adopted = commit(promise, polisen, coordinator)
    adopt(promise, adopted_on=dt.date(2023, 6, 20), adopted_by="KS", acting_user=coordinator)
    draft = commit(promise, polisen, coordinator, text="Ett utkast")
    client.force_login(coordinator)
    assert client.post(promise_url(promise, f"atagande/{draft.pk}/ta-bort/")).status_code == 302
    assert not Commitment.objects.filter(pk=draft.pk).exists()
    page = client.get(promise_url(promise)).content.decode()
    assert "Ta bort vid nästa revidering" in page and "Ta bort utkastet" not in page
    response = client.post(promise_url(promise, f"atagande/{adopted.pk}/ta-bort/"))
    assert response.status_code == 400
    assert "ta bort det genom en revidering" in response.content.decode()
    assert Commitment.objects.filter(pk=adopted.pk).exists()


def test_removing_a_commitment_with_open_measures_asks_what_happens_to_them(
    client, coordinator, karlstad, promise, polisen, kommunen
):
    doomed = commit(promise, polisen, coordinator, text="Insatser mot narkotikadistribution")
    commit(promise, kommunen, coordinator, text="Tillsyn på krogar", column="together")
    measure = create_measure(karlstad, acting_user=coordinator, title="Riktad insats")
    doomed.measures.add(measure)
    adopt(promise, adopted_on=dt.date(2023, 6, 20), adopted_by="KS", acting_user=coordinator)
    client.force_login(coordinator)
    path = promise_url(promise, f"atagande/{doomed.pk}/ta-bort-vid-revidering/")
    form = client.get(path).content.decode()
    assert "Riktad insats" in form
    response = client.post(path, {"removal_reason": "Sköts regionalt"})
    assert response.status_code == 400
    assert "1 åtgärder under åtagandet är inte klara" in response.content.decode()
    doomed.refresh_from_db()
    assert not doomed.is_marked_for_removal

    response = client.post(
        path, {"removal_reason": "Sköts regionalt", "measures_on_removal": "cancel"}
    )
    assert response.status_code == 302
    page = client.get(promise_url(promise)).content.decode()
    assert "Tas bort vid nästa revidering" in page and "Sköts regionalt" in page
    assert "1 åtagande tas bort" in page

    client.post(
        promise_url(promise, "anta/"),
        {
            "anta-adopted_on": "2024-09-01",
            "anta-adopted_by": "KS",
            "anta-changes": "Distributionen sköts regionalt.",
        },
    )
    doomed.refresh_from_db()
    measure.refresh_from_db()
    assert doomed.removed_in is not None
    assert measure.status == Status.CANCELLED
    page = client.get(promise_url(promise)).content.decode()
    history = page.split('id="versioner"')[1]
    assert "Distributionen sköts regionalt." in history
    assert "Insatser mot narkotikadistribution – skäl: Sköts regionalt" in history
    assert "avbryts" in history
    # A removed commitment is history, not part of the working copy.
    assert "Insatser mot narkotikadistribution" not in page.split('id="versioner"')[0]


def test_a_commitment_marked_for_removal_can_be_kept(client, coordinator, promise, polisen):
    commitment = commit(promise, polisen, coordinator)
    adopt(promise, adopted_on=dt.date(2023, 6, 20), adopted_by="KS", acting_user=coordinator)
    commitment.refresh_from_db()
    mark_for_removal(commitment, reason="Utgår", acting_user=coordinator)
    client.force_login(coordinator)
    response = client.post(promise_url(promise, f"atagande/{commitment.pk}/behall/"))
    assert response.status_code == 302
    commitment.refresh_from_db()
    assert not commitment.is_marked_for_removal
    assert commitment.measures_on_removal == ""
    assert (
        AuditEntry.objects.filter(
            object_type="promises.commitment", object_id=str(commitment.pk), field="removal_reason"
        ).count()
        == 2
    )


# --- who may -------------------------------------------------------------------------------


def test_a_housing_company_reporter_reads_but_cannot_write_and_nothing_is_written(
    client, housing_reporter, agreement, problem, promise, polisen, coordinator
):
    commitment = commit(promise, polisen, coordinator)
    client.force_login(housing_reporter)
    assert client.get(agreement_url(agreement)).status_code == 200
    page = client.get(promise_url(promise)).content.decode()
    assert "Genomföra krogkontroller" in page and "Nytt åtagande" not in page
    posts = {
        agreement_url(agreement, "steg/goals/"): {"steg-goals-done_on": "2023-05-01"},
        agreement_url(agreement, "nytt-problem/"): {"problem-title": "Nytt"},
        agreement_url(agreement, "prioritering/"): {f"prio-problem_{problem.pk}": "1"},
        agreement_url(agreement, "nytt-lofte/"): {
            "title": "L",
            "start": "2023-07-01",
            "end": "2024-06-30",
        },
        promise_url(promise, "andra/"): {"title": "Nytt", "end": "2027-06-30"},
        promise_url(promise, "nytt-atagande/"): {
            "column": "police",
            "text": "x",
            "owner": polisen.pk,
        },
        promise_url(promise, f"atagande/{commitment.pk}/"): {
            "column": "police",
            "text": "x",
            "owner": polisen.pk,
        },
        promise_url(promise, f"atagande/{commitment.pk}/ta-bort/"): {},
        promise_url(promise, "anta/"): {"anta-adopted_on": "2023-06-20", "anta-adopted_by": "KS"},
    }
    for path, data in posts.items():
        assert client.post(path, data).status_code == 403, path
    assert client.get(promise_url(promise, "nytt-atagande/")).status_code == 403
    assert ProcessStep.objects.filter(done_on__isnull=False).count() == 0
    assert Problem.objects.count() == 1 and Problem.objects.get().rank is None
    assert Promise.objects.count() == 1 and Promise.objects.get().title == promise.title
    assert list(Commitment.objects.values_list("text", flat=True)) == ["Genomföra krogkontroller"]
    assert not PromiseVersion.objects.exists()


def test_someone_from_another_municipality_gets_403_and_a_missing_page_404(
    client, other_municipality_user, agreement, problem, promise, polisen, coordinator, karlstad
):
    commitment = commit(promise, polisen, coordinator)
    client.force_login(other_municipality_user)
    for path in (
        agreement_url(agreement),
        agreement_url(agreement, "nytt-lofte/"),
        promise_url(promise),
        promise_url(promise, "andra/"),
        promise_url(promise, "nytt-atagande/"),
        promise_url(promise, f"atagande/{commitment.pk}/"),
        promise_url(promise, f"atagande/{commitment.pk}/ta-bort-vid-revidering/"),
    ):
        assert client.get(path).status_code == 403, path
    assert client.get(INDEX, {"kommun": karlstad.pk}).status_code == 403
    assert agreement.title not in client.get(INDEX).content.decode()
    assert (
        client.post(agreement_url(agreement, "nytt-problem/"), {"problem-title": "x"}).status_code
        == 403
    )
    assert client.post(promise_url(promise, "anta/"), {}).status_code == 403
    assert Problem.objects.count() == 1
    assert client.get(f"{INDEX}99999/").status_code == 404
    assert client.get(f"{INDEX}lofte/99999/").status_code == 404


def test_a_visitor_who_is_not_logged_in_is_sent_to_the_login_page(client, agreement, promise):
    for path in (INDEX, agreement_url(agreement), promise_url(promise)):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/konto/logga-in/")


def test_the_staff_menu_has_medborgarlofte_for_members_only(client, coordinator, django_user_model):
    client.force_login(coordinator)
    assert 'href="/loften/"' in client.get("/atgarder/").content.decode()
    loner = django_user_model.objects.create_user("utan-organisation", password="x")
    client.force_login(loner)
    assert 'href="/loften/"' not in client.get("/atgarder/planer/", follow=True).content.decode()


# --- the åtgärdsplan and the measure's page ------------------------------------------------


def test_the_action_plan_and_the_measures_page_list_the_commitment_it_carries_out(
    client, analyst, coordinator, karlstad, promise, polisen, category, centrum
):
    plan = create_plan(
        karlstad,
        acting_user=coordinator,
        title="Tryggare Karlstad",
        start=dt.date(TODAY.year, 1, 1),
        end=dt.date(TODAY.year, 12, 31),
    )
    plan_problem = add_plan_problem(
        plan, acting_user=coordinator, title="Krogmiljön", category=category, area=centrum
    )
    measure = create_measure(
        karlstad, acting_user=coordinator, title="Krogkontroller i Klara", problem=plan_problem
    )
    other = create_measure(karlstad, acting_user=coordinator, title="Ingen koppling")
    commitment = commit(promise, polisen, coordinator)
    commitment.measures.add(measure)
    client.force_login(analyst)
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "Polisen kommer att: Genomföra krogkontroller" in page
    assert f"/loften/lofte/{promise.pk}/#atagande-{commitment.pk}" in page
    assert promise.title in page and "inte antaget" in page
    measure_page = client.get(f"/atgarder/{measure.pk}/").content.decode()
    assert "Polisen kommer att: Genomföra krogkontroller" in measure_page
    other_page = client.get(f"/atgarder/{other.pk}/").content.decode()
    assert "Genomföra krogkontroller" not in other_page


def test_a_member_of_a_party_organisation_is_a_writer_whatever_their_role(client, polisen, promise):
    analyst_at_police = make_person("polisanalytiker", polisen, Membership.Role.ANALYST)
    client.force_login(analyst_at_police)
    assert client.get(promise_url(promise, "nytt-atagande/")).status_code == 200
