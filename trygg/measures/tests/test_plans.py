"""The åtgärdsplan: coordinators build it (goals, problems with the lägesbild's evidence, the
measures under each) and record its adoption; everyone in the municipality reads it and its
progress; the municipal board gets it as a PDF."""

from __future__ import annotations

import builtins
import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from trygg.core.models import AuditEntry
from trygg.core.tests.clock import TODAY
from trygg.events import daily_counts
from trygg.measures import plans
from trygg.measures.actions import (
    add_goal,
    add_problem,
    adopt_plan,
    attach_measure_to_problem,
    create_plan,
    delete_goal,
    delete_problem,
    update_goal,
    update_plan,
    update_problem,
)
from trygg.measures.models import ActionPlan, Measure, Notification, PlanGoal, PlanProblem, Status
from trygg.places.models import Area, Place
from trygg.situation.actions import create_annual_report
from trygg.situation.models import AnnualReport

# Progress, lateness and the plan's years are counted from today.
pytestmark = [pytest.mark.django_db, pytest.mark.frozen]

LIST = "/atgarder/planer/"
YEAR = TODAY.year - 1  # a year that is over, so the lägesbild counts all of it


@pytest.fixture
def plan(karlstad, coordinator) -> ActionPlan:
    start, end = dt.date(TODAY.year, 1, 1), dt.date(TODAY.year + 1, 12, 31)
    return create_plan(
        karlstad, acting_user=coordinator, title="Tryggare Karlstad", start=start, end=end
    )


@pytest.fixture
def goal(plan, coordinator) -> PlanGoal:
    return add_goal(
        plan,
        acting_user=coordinator,
        text="Mindre skadegörelse i centrum",
        indicator="Anmäld skadegörelse i Centrum per tertial",
    )


@pytest.fixture
def problem(plan, goal, coordinator, category, centrum) -> PlanProblem:
    return add_problem(
        plan,
        acting_user=coordinator,
        title="Klotter vid Stora torget",
        goal=goal,
        category=category,
        area=centrum,
    )


def measure(municipality, title, **fields) -> Measure:
    """A measure stored directly, in whatever state the test needs."""
    return Measure.objects.create(municipality=municipality, title=title, **fields)


def url(plan, suffix="") -> str:
    return f"{LIST}{plan.pk}/{suffix}"


def audited(obj, action=AuditEntry.Action.CREATE, **filters) -> bool:
    return AuditEntry.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk), action=action, **filters
    ).exists()


# --- building the plan ---------------------------------------------------------------------


def test_a_coordinator_builds_a_plan_on_the_pages_and_every_step_leaves_an_audit_row(
    client, coordinator, karlstad, category, centrum, bostadsbolaget
):
    existing = measure(karlstad, "Klottersanering inom 24 timmar", status=Status.AGREED)
    client.force_login(coordinator)

    created = client.post(
        f"{LIST}ny/?kommun={karlstad.pk}",
        {
            "title": "Tryggare Karlstad 2026–2027",
            "start": "2026-01-01",
            "end": "2027-12-31",
        },
    )
    plan = ActionPlan.objects.get()
    client.post(
        url(plan, "mal/"),
        {"mal-text": "Mindre klotter i centrum", "mal-indicator": "Klotter i Centrum per tertial"},
    )
    goal = plan.goals.get()
    client.post(
        url(plan, "problem/"),
        {
            "problem-title": "Klotter vid Stora torget",
            "problem-goal": goal.pk,
            "problem-category": category.pk,
            "problem-area": centrum.pk,
            "problem-evidence": "Klotter ökade med 40 % i Centrum.",
        },
    )
    problem = plan.problems.get()
    attached = client.post(
        url(plan, f"problem/{problem.pk}/koppla/"), {f"koppla-{problem.pk}-measure": existing.pk}
    )
    client.post(
        url(plan, f"problem/{problem.pk}/ny-atgard/"),
        {
            f"atgard-{problem.pk}-title": "Bättre belysning på torget",
            f"atgard-{problem.pk}-responsible": bostadsbolaget.pk,
            f"atgard-{problem.pk}-status": Status.AGREED,
            f"atgard-{problem.pk}-cost": "45000",
        },
    )

    assert created.status_code == 302 and created.url == url(plan)
    assert attached.status_code == 302
    assert (plan.title, plan.start, plan.created_by) == (
        "Tryggare Karlstad 2026–2027",
        dt.date(2026, 1, 1),
        coordinator,
    )
    assert (problem.goal, problem.category, problem.area) == (goal, category, centrum)
    existing.refresh_from_db()
    new = Measure.objects.get(title="Bättre belysning på torget")
    assert existing.problem == problem and new.problem == problem
    assert (new.category, new.area, new.cost) == (category, centrum, Decimal(45000))
    assert Notification.objects.filter(measure=new, organisation=bostadsbolaget).exists()
    assert audited(plan) and audited(goal) and audited(problem) and audited(new)
    assert audited(existing, AuditEntry.Action.UPDATE, field="problem", new=problem.pk)


def test_adopting_the_plan_records_the_date_and_the_body_with_an_audit_row(
    client, coordinator, plan, goal
):
    client.force_login(coordinator)

    decision = {"anta-adopted_on": "2026-02-10", "anta-adopted_by_body": "kommunstyrelsen"}
    response = client.post(url(plan, "anta/"), decision)

    plan.refresh_from_db()
    assert response.status_code == 302
    assert (plan.status, plan.adopted_on, plan.adopted_by_body) == (
        ActionPlan.Status.ADOPTED,
        dt.date(2026, 2, 10),
        "kommunstyrelsen",
    )
    assert audited(plan, AuditEntry.Action.UPDATE, field="status", new="adopted")
    assert "Antagen 2026-02-10 av kommunstyrelsen" in client.get(url(plan)).content.decode()


def test_a_plan_without_goals_or_with_a_decision_date_in_the_future_is_not_adopted(
    coordinator, plan
):
    with pytest.raises(ValidationError):
        adopt_plan(plan, acting_user=coordinator, adopted_on=TODAY, adopted_by_body="KS")
    add_goal(plan, acting_user=coordinator, text="Ett mål")
    with pytest.raises(ValidationError) as error:
        adopt_plan(
            plan,
            acting_user=coordinator,
            adopted_on=TODAY + dt.timedelta(days=1),
            adopted_by_body="kommunstyrelsen",
        )

    assert "adopted_on" in error.value.message_dict
    assert (plan.status, plan.adopted_on) == (ActionPlan.Status.DRAFT, None)  # put back
    plan.refresh_from_db()
    assert plan.status == ActionPlan.Status.DRAFT


def test_a_plan_that_ends_before_it_starts_is_shown_again_with_the_error_in_swedish(
    client, coordinator, karlstad
):
    client.force_login(coordinator)

    response = client.post(
        f"{LIST}ny/?kommun={karlstad.pk}",
        {"title": "Baklänges", "start": "2026-12-31", "end": "2026-01-01"},
    )

    assert response.status_code == 400
    assert "Planen kan inte sluta innan den börjar." in response.content.decode()
    assert not ActionPlan.objects.exists()


def test_deleting_a_goal_keeps_its_problems_and_deleting_a_problem_keeps_its_measures(
    coordinator, karlstad, goal, problem
):
    kept = measure(karlstad, "Väktare kvällstid", problem=problem)
    goal_pk, problem_pk = goal.pk, problem.pk

    delete_goal(goal, acting_user=coordinator)
    problem.refresh_from_db()
    assert problem.goal is None
    assert audited(problem, AuditEntry.Action.UPDATE, field="goal", old=goal_pk)

    delete_problem(problem, acting_user=coordinator)
    kept.refresh_from_db()
    assert kept.problem is None
    assert audited(kept, AuditEntry.Action.UPDATE, field="problem", old=problem_pk)
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.DELETE, object_type="measures.planproblem"
    ).exists()


def test_edits_of_the_plan_its_goals_and_problems_are_checked_scrubbed_and_audited(
    coordinator, karlstad, plan, goal, problem
):
    update_plan(plan, acting_user=coordinator, title="Tryggare Karlstad 2027")
    assert audited(plan, AuditEntry.Action.UPDATE, field="title", old="Tryggare Karlstad")

    update_goal(goal, acting_user=coordinator, indicator="Ring 070-123 45 67 för siffrorna")
    goal.refresh_from_db()
    assert goal.indicator == "Ring [telefonnummer borttaget] för siffrorna"
    assert audited(goal, AuditEntry.Action.UPDATE, field="indicator")

    other = create_plan(
        karlstad, acting_user=coordinator, title="Annan plan", start=plan.start, end=plan.end
    )
    foreign_goal = add_goal(other, acting_user=coordinator, text="Annat mål")
    with pytest.raises(ValidationError) as refused:
        update_problem(problem, acting_user=coordinator, goal=foreign_goal, title="")
    assert set(refused.value.message_dict) == {"goal", "title"}
    problem.refresh_from_db()
    assert (problem.goal, problem.title) == (goal, "Klotter vid Stora torget")
    assert not audited(problem, AuditEntry.Action.UPDATE)
    with pytest.raises(ValueError):
        update_problem(problem, acting_user=coordinator, plan=other)  # not editable here


# --- progress ------------------------------------------------------------------------------


def test_progress_counts_done_and_overdue_measures_and_sums_their_costs(
    karlstad, problem, bostadsbolaget, polisen
):
    yesterday, next_month = TODAY - dt.timedelta(days=1), TODAY + dt.timedelta(days=30)
    measure(
        karlstad,
        "Sanera klotter",
        problem=problem,
        status=Status.DONE,
        cost=12000,
        responsible=bostadsbolaget,
        due=yesterday,
    )
    measure(
        karlstad,
        "Belysning",
        problem=problem,
        status=Status.IN_PROGRESS,
        cost=30000,
        responsible=bostadsbolaget,
        due=yesterday,
    )
    measure(
        karlstad,
        "Polisens närvaro",
        problem=problem,
        status=Status.AGREED,
        responsible=polisen,
        due=next_month,
    )

    figures = plans.progress(Measure.objects.filter(problem=problem), TODAY)

    assert (figures.total, figures.done, figures.overdue) == (3, 1, 1)
    assert figures.done_percent == 33
    assert figures.cost_planned == Decimal(42000)
    assert figures.cost_spent == Decimal(12000)
    assert figures.without_cost == 1
    assert figures.owners == [("Karlstads Bostads AB", 2), ("Polisen lokalpolisområde Karlstad", 1)]
    assert {code: n for code, _label, n in figures.by_status} == {
        "proposed": 0,
        "agreed": 1,
        "in_progress": 1,
        "done": 1,
        "cancelled": 0,
    }


def test_a_cancelled_measure_is_counted_but_is_neither_work_left_nor_planned_cost(
    karlstad, problem
):
    measure(karlstad, "Klar", problem=problem, status=Status.DONE, cost=1000)
    measure(
        karlstad,
        "Avbruten",
        problem=problem,
        status=Status.CANCELLED,
        cost=9000,
        due=TODAY - dt.timedelta(days=10),
        cancel_reason="Platsen byggs om",
    )

    figures = plans.progress(Measure.objects.filter(problem=problem), TODAY)

    assert (figures.total, figures.cancelled, figures.active) == (2, 1, 1)
    assert (figures.done_percent, figures.overdue, figures.cost_planned) == (100, 0, Decimal(1000))


def test_the_plan_page_shows_each_problem_with_its_measures_and_says_overdue_in_words(
    client, police_officer, karlstad, goal, problem, polisen
):
    late = measure(
        karlstad,
        "Ny belysning",
        problem=problem,
        status=Status.IN_PROGRESS,
        responsible=polisen,
        due=TODAY - dt.timedelta(days=3),
        cost=30000,
    )
    measure(karlstad, "Klottersanering", problem=problem, status=Status.DONE, cost=12000)
    client.force_login(police_officer)

    page = client.get(url(problem.plan)).content.decode()

    assert goal.text in page and goal.indicator in page and problem.title in page
    assert f'href="/atgarder/{late.pk}/"' in page
    assert "försenad" in page and "1 försenad" in page
    assert "1 av 2 åtgärder är klara (50 %)" in page
    assert "42\u00a0000" in page or "42 000" in page
    assert "Nytt mål" not in page and "Ta ur planen" not in page


def test_the_plan_links_to_the_annual_lagesbild_it_builds_on(
    client, analyst, plan, karlstad, coordinator
):
    report, _created = create_annual_report(karlstad, YEAR, acting_user=coordinator)
    plan.annual_report = report
    plan.save()
    client.force_login(analyst)

    page = client.get(url(plan)).content.decode()

    assert f'href="/lagesbild/ar/{report.pk}/"' in page
    assert f"Lägesbild {YEAR}" in page and "version 1" in page


def test_the_new_plan_form_offers_the_municipalitys_lagesbilder_and_preselects_the_asked_one(
    client, coordinator, karlstad, karlskoga
):
    ours, _created = create_annual_report(karlstad, YEAR, acting_user=coordinator)
    theirs = AnnualReport.objects.create(municipality=karlskoga, year=YEAR)
    client.force_login(coordinator)

    page = client.get(f"{LIST}ny/", {"kommun": karlstad.pk, "lagesbild": ours.pk})

    html = page.content.decode()
    assert page.status_code == 200
    assert f'<option value="{ours.pk}" selected>Lägesbild {YEAR}</option>' in html
    assert f'value="{theirs.pk}"' not in html


def test_the_list_shows_the_municipalitys_plans_and_the_new_plan_button_to_coordinators(
    client, coordinator, analyst, plan, karlstad
):
    client.force_login(analyst)
    for_analyst = client.get(LIST).content.decode()
    client.force_login(coordinator)
    for_coordinator = client.get(LIST).content.decode()

    assert plan.title in for_analyst and "Ny åtgärdsplan" not in for_analyst
    assert plan.title in for_coordinator and "Ny åtgärdsplan" in for_coordinator


# --- who may -------------------------------------------------------------------------------


def posts(plan, problem, goal, measure_pk) -> dict[str, dict]:
    return {
        url(plan, "andra/"): {"title": "x", "start": "2026-01-01", "end": "2026-12-31"},
        url(plan, "mal/"): {"mal-text": "Ett mål till"},
        url(plan, f"mal/{goal.pk}/"): {"text": "Ändrat"},
        url(plan, f"mal/{goal.pk}/ta-bort/"): {},
        url(plan, "problem/"): {"problem-title": "Ett problem till"},
        url(plan, f"problem/{problem.pk}/"): {"title": "Ändrat"},
        url(plan, f"problem/{problem.pk}/ta-bort/"): {},
        url(plan, f"problem/{problem.pk}/koppla/"): {f"koppla-{problem.pk}-measure": measure_pk},
        url(plan, f"problem/{problem.pk}/ny-atgard/"): {f"atgard-{problem.pk}-title": "Ny"},
        url(plan, f"atgard/{measure_pk}/ta-ur-planen/"): {},
        url(plan, "anta/"): {"anta-adopted_on": "2026-01-10", "anta-adopted_by_body": "KS"},
    }


def test_an_analyst_reads_the_plan_but_every_change_is_refused_and_nothing_is_written(
    client, analyst, karlstad, plan, goal, problem
):
    attached = measure(karlstad, "Redan i planen", problem=problem)
    before = (
        AuditEntry.objects.count(),
        Measure.objects.count(),
        PlanGoal.objects.count(),
        PlanProblem.objects.count(),
    )
    client.force_login(analyst)

    assert client.get(url(plan)).status_code == 200
    for path, data in posts(plan, problem, goal, attached.pk).items():
        assert client.post(path, data).status_code == 403, path
    assert client.get(f"{LIST}ny/").status_code == 403

    after = (
        AuditEntry.objects.count(),
        Measure.objects.count(),
        PlanGoal.objects.count(),
        PlanProblem.objects.count(),
    )
    assert after == before
    attached.refresh_from_db()
    plan.refresh_from_db()
    assert attached.problem == problem and plan.status == ActionPlan.Status.DRAFT


def test_an_analyst_calling_an_action_directly_is_refused(analyst, plan):
    with pytest.raises(PermissionDenied):
        add_goal(plan, acting_user=analyst, text="Inte mitt mål")
    assert not plan.goals.exists()


def test_someone_from_another_municipality_gets_403_on_every_page_and_change(
    client, other_municipality_user, karlstad, plan, goal, problem
):
    attached = measure(karlstad, "Redan i planen", problem=problem)
    client.force_login(other_municipality_user)

    for suffix in ("", "pdf/", "andra/", f"mal/{goal.pk}/", f"problem/{problem.pk}/"):
        assert client.get(url(plan, suffix)).status_code == 403, suffix
    for path, data in posts(plan, problem, goal, attached.pk).items():
        assert client.post(path, data).status_code == 403, path
    assert client.get(LIST, {"kommun": karlstad.pk}).status_code == 403
    assert plan.goals.count() == 1 and plan.problems.count() == 1


def test_a_visitor_who_is_not_logged_in_is_sent_to_the_login_page(client, plan):
    for path in (LIST, f"{LIST}ny/", url(plan), url(plan, "pdf/")):
        response = client.get(path)
        assert response.status_code == 302 and "/konto/logga-in/" in response.url, path


# --- privacy and municipalities ------------------------------------------------------------


def test_a_personal_identity_number_in_a_problems_evidence_is_not_stored(client, coordinator, plan):
    client.force_login(coordinator)

    client.post(
        url(plan, "problem/"),
        {
            "problem-title": "Bråk vid 19850412-1230:s port",
            "problem-evidence": "Anmälaren 19850412-1230 ringde från 070-123 45 67.",
        },
    )

    problem = plan.problems.get()
    assert "19850412-1230" not in problem.evidence and "19850412-1230" not in problem.title
    assert "070-123 45 67" not in problem.evidence
    assert "[personnummer borttaget]" in problem.evidence
    created = AuditEntry.objects.get(object_type="measures.planproblem", action="create")
    assert "19850412-1230" not in str(created.new)


def test_attaching_a_measure_of_another_municipality_is_refused(
    client, coordinator, karlskoga, problem
):
    theirs = measure(karlskoga, "Karlskogas åtgärd")

    with pytest.raises(ValidationError) as error:
        attach_measure_to_problem(theirs, problem, acting_user=coordinator)
    client.force_login(coordinator)
    response = client.post(
        url(problem.plan, f"problem/{problem.pk}/koppla/"),
        {f"koppla-{problem.pk}-measure": theirs.pk},
    )

    assert "measure" in error.value.message_dict
    assert response.status_code == 400
    theirs.refresh_from_db()
    assert theirs.problem is None
    assert not AuditEntry.objects.filter(object_type="measures.measure").exists()


def test_an_area_or_a_lagesbild_of_another_municipality_is_refused(
    coordinator, karlstad, karlskoga, plan
):
    elsewhere = Area.objects.create(
        municipality=karlskoga,
        name="Centrum Karlskoga",
        geometry={},
        valid_from=dt.date(2000, 1, 1),
    )
    report = AnnualReport.objects.create(municipality=karlskoga, year=YEAR)

    with pytest.raises(ValidationError) as area_error:
        add_problem(plan, acting_user=coordinator, title="Fel kommun", area=elsewhere)
    with pytest.raises(ValidationError) as report_error:
        create_plan(
            karlstad,
            acting_user=coordinator,
            title="Fel lägesbild",
            start=TODAY,
            end=TODAY,
            annual_report=report,
        )

    assert "area" in area_error.value.message_dict
    assert "annual_report" in report_error.value.message_dict
    assert not plan.problems.exists() and ActionPlan.objects.count() == 1


# --- what the lägesbild shows --------------------------------------------------------------


def test_the_problem_page_offers_the_lagesbild_figures_and_keeps_the_chosen_one_as_evidence(
    client, coordinator, karlstad, kommunen, make_event, category, centrum, plan, problem
):
    torget = Place.objects.create(
        municipality=karlstad, name="Stora torget", area=centrum, lat=59.3793, lon=13.5036, x=0, y=0
    )
    for day in range(1, 6):
        make_event(
            kommunen,
            occurred_from=timezone.make_aware(dt.datetime(YEAR, 3, day, 12)),
            area=centrum,
            place=torget,
        )
    daily_counts.recount()
    report, _created = create_annual_report(karlstad, YEAR, acting_user=coordinator)
    plan.annual_report = report
    plan.save()
    client.force_login(coordinator)

    page = client.get(url(plan, f"problem/{problem.pk}/")).content.decode()
    kept = client.post(url(plan, f"problem/{problem.pk}/underlag/"), {"figure": "subcategory"})

    figures = {f.key: f.text for f in plans.lagesbild_figures(problem)}
    assert figures["subcategory"].startswith(f"Klotter: 5 händelser under {YEAR}")
    assert figures["category"].startswith(f"Skadegörelse: 5 händelser under {YEAR}")
    assert figures["area"].startswith(f"Centrum: 5 händelser under {YEAR}")
    assert "ligger i Centrum: Stora torget (5)" in figures["places"]
    assert figures["subcategory"] in page
    assert kept.status_code == 302
    problem.refresh_from_db()
    assert problem.evidence == f"{figures['subcategory']} (Lägesbild {YEAR}, version 1)"
    assert audited(problem, AuditEntry.Action.UPDATE, field="evidence")


def test_without_an_annual_lagesbild_the_problem_page_says_so_and_offers_no_figures(
    client, coordinator, plan, problem
):
    client.force_login(coordinator)

    page = client.get(url(plan, f"problem/{problem.pk}/")).content.decode()

    assert plans.lagesbild_figures(problem) == []
    assert "Planen bygger inte på någon årlig lägesbild" in page
    assert (
        client.post(
            url(plan, f"problem/{problem.pk}/underlag/"), {"figure": "category"}
        ).status_code
        == 400
    )


# --- the PDF -------------------------------------------------------------------------------


def test_the_pdf_of_the_plan_is_a_pdf_for_the_municipal_board(
    client, analyst, karlstad, problem, polisen
):
    measure(
        karlstad,
        "Belysning",
        problem=problem,
        responsible=polisen,
        status=Status.AGREED,
        due=TODAY - dt.timedelta(days=1),
        cost=30000,
    )
    client.force_login(analyst)

    response = client.get(url(problem.plan, "pdf/"))

    if response.status_code == 503:  # core.pdf.render_pdf returned None: no Pango on this machine
        pytest.skip("WeasyPrint cannot load Pango here")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response["Content-Disposition"].startswith('attachment; filename="atgardsplan-1780-')


def test_without_pango_the_pdf_link_explains_instead_of_failing(client, analyst, plan, monkeypatch):
    real_import = builtins.__import__

    def no_pango(name, *args, **kwargs):
        if name == "weasyprint":
            raise OSError("cannot load library 'libpango-1.0-0'")
        return real_import(name, *args, **kwargs)

    client.force_login(analyst)
    monkeypatch.setattr(builtins, "__import__", no_pango)
    response = client.get(url(plan, "pdf/"))

    assert response.status_code == 503
    assert "Pango" in response.content.decode()
