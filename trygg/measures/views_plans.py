"""Pages of the åtgärdsplan under /atgarder/planer/: the list, the plan with its progress and
the coordinators' forms, the goal and problem pages, and the PDF for the municipal board.
Parse, check, call, render."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from trygg.core.forms import add_action_errors
from trygg.core.pdf import pdf_response
from trygg.measures import actions, one_shard, plans
from trygg.measures.access import can_coordinate
from trygg.measures.forms_plans import (
    AdoptForm,
    AttachForm,
    FigureForm,
    GoalForm,
    PlanForm,
    PlanMeasureForm,
    ProblemForm,
)
from trygg.measures.models import ActionPlan, Measure, PlanGoal, PlanProblem, Status
from trygg.measures.routing import suggest
from trygg.organisations.access import can_view
from trygg.organisations.shards import own_first_or_404
from trygg.situation.access import chosen_municipality

# --- finding things and checking who may -----------------------------------------------------


def _municipality_or_403(request):
    municipality = chosen_municipality(request)
    if municipality is None:
        raise PermissionDenied(_("Du är inte med i någon organisation i en kommun."))
    return municipality


def _plan_for(request, pk: int, *, edit: bool = False) -> ActionPlan:
    with_municipality = ActionPlan.objects.select_related("municipality")
    plan = own_first_or_404(request.user, with_municipality, pk=pk)
    if not can_view(request.user, plan.municipality_id):
        raise PermissionDenied(_("Åtgärdsplanen hör till en annan kommun."))
    # Read apart, naming the municipality: the annual report is optional, an outer join
    # across shards.
    one_shard.load_in_municipality([plan], plan.municipality_id, "annual_report")
    if edit and not can_coordinate(request.user, plan.municipality_id):
        raise PermissionDenied(_("Bara samordnare i kommunen kan ändra åtgärdsplanen."))
    return plan


def _goal_for(request, pk: int, goal_pk: int) -> tuple[ActionPlan, PlanGoal]:
    plan = _plan_for(request, pk, edit=True)
    return plan, get_object_or_404(_in_plan(plan, plan.goals), pk=goal_pk)


def _problem_for(request, pk: int, problem_pk: int) -> tuple[ActionPlan, PlanProblem]:
    plan = _plan_for(request, pk, edit=True)
    problems = _in_plan(plan, plan.problems).select_related("category", "area")
    return plan, get_object_or_404(problems, pk=problem_pk)


def _in_plan(plan: ActionPlan, related):
    """A reverse relation of the plan with its municipality named, for Citus's one shard."""
    return related.filter(municipality_id=plan.municipality_id)


# --- the list and the plan's own fields ------------------------------------------------------


@require_GET
@login_required
def plan_list(request):
    municipality = _municipality_or_403(request)
    # Counted in subqueries and the annual reports read apart, each naming the municipality:
    # joins to the problems, their measures and the (optional) report would span shards.
    measures = Measure.objects.filter(
        municipality_id=municipality.pk, problem__municipality_id=municipality.pk
    )
    found = list(
        ActionPlan.objects.filter(municipality=municipality).annotate(
            measure_count=one_shard.count_of(measures, "problem__plan"),
            done_count=one_shard.count_of(measures.filter(status=Status.DONE), "problem__plan"),
        )
    )
    one_shard.load_in_municipality(found, municipality.pk, "annual_report")
    context = {
        "municipality": municipality,
        "plans": found,
        "can_edit": can_coordinate(request.user, municipality.pk),
    }
    return render(request, "measures/plan_list.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def plan_create(request):
    municipality = _municipality_or_403(request)
    if not can_coordinate(request.user, municipality.pk):
        raise PermissionDenied(_("Bara samordnare i kommunen kan göra en åtgärdsplan."))
    # ?lagesbild=<pk>: the annual report's page offers "make a plan on this lägesbild".
    chosen = request.GET.get("lagesbild", "")
    initial = {"annual_report": int(chosen)} if chosen.isdigit() else {}
    form = PlanForm(request.POST or None, municipality=municipality, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            plan = actions.create_plan(municipality, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Åtgärdsplanen är skapad. Lägg till mål och problem."))
            return redirect(plan)
    context = {"form": form, "municipality": municipality, "plan": None}
    return render(request, "measures/plan_form.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@login_required
def plan_edit(request, pk: int):
    plan = _plan_for(request, pk, edit=True)
    initial = PlanForm.initial_for(plan)
    form = PlanForm(request.POST or None, municipality=plan.municipality, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_plan(plan, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Åtgärdsplanen är sparad."))
            return redirect(plan)
    context = {"form": form, "municipality": plan.municipality, "plan": plan}
    return render(request, "measures/plan_form.html", context, status=400 if form.errors else 200)


# --- the plan page -------------------------------------------------------------------------


@require_GET
@login_required
def plan_detail(request, pk: int):
    return _render_plan(request, _plan_for(request, pk))


def _render_plan(request, plan: ActionPlan, bound: dict | None = None, status: int = 200):
    """The plan; for coordinators with its forms, `bound` replacing the ones just posted
    (keys: "goal", "problem", "adopt", ("attach", problem pk), ("measure", problem pk))."""
    bound = bound or {}
    overview = plans.plan_overview(plan, request.user)
    editable = can_coordinate(request.user, plan.municipality_id)
    version = plans.latest_version(plan)
    context = {"plan": plan, "overview": overview, "can_edit": editable, "annual_version": version}
    if editable:
        context |= {
            "goal_form": bound.get("goal") or GoalForm(prefix="mal"),
            "problem_form": bound.get("problem") or ProblemForm(prefix="problem", plan=plan),
            "adopt_form": bound.get("adopt") or _adopt_form(plan),
        }
        for block in overview.problems:
            block.forms = _problem_forms(plan, block.problem, bound)
    return render(request, "measures/plan.html", context, status=status)


def _adopt_form(plan: ActionPlan) -> AdoptForm:
    initial: dict[str, object] = {"adopted_on": plan.adopted_on}
    if plan.adopted_by_body:
        initial["adopted_by_body"] = plan.adopted_by_body
    return AdoptForm(prefix="anta", initial=initial)


def _problem_forms(plan: ActionPlan, problem: PlanProblem, bound: dict) -> dict:
    attach = bound.get(("attach", problem.pk)) or AttachForm(
        prefix=f"koppla-{problem.pk}", plan=plan
    )
    measure = bound.get(("measure", problem.pk))
    if measure is None:
        suggestion = suggest(plan.municipality_id, category=problem.category, area=problem.area)
        measure = PlanMeasureForm(
            prefix=f"atgard-{problem.pk}",
            plan=plan,
            initial={"responsible": suggestion.organisation},
        )
    return {"attach": attach, "measure": measure}


def _submit(
    request,
    plan: ActionPlan,
    form: forms.Form,
    key,
    write: Callable[[dict], object],
    done: str,
    anchor: str = "",
):
    """Validate `form`, call `write` with its data, and go back to the plan; on an error show
    the plan again with this form and its messages (400)."""
    if form.is_valid():
        try:
            write(form.cleaned_data)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, done)
            return redirect(f"{plan.get_absolute_url()}{anchor}")
    return _render_plan(request, plan, bound={key: form}, status=400)


@require_POST
@login_required
def goal_add(request, pk: int):
    plan = _plan_for(request, pk, edit=True)
    form = GoalForm(request.POST, prefix="mal")
    return _submit(
        request,
        plan,
        form,
        "goal",
        lambda data: actions.add_goal(plan, acting_user=request.user, **data),
        _("Målet är tillagt."),
        "#mal",
    )


@require_POST
@login_required
def problem_add(request, pk: int):
    plan = _plan_for(request, pk, edit=True)
    form = ProblemForm(request.POST, prefix="problem", plan=plan)
    return _submit(
        request,
        plan,
        form,
        "problem",
        lambda data: actions.add_problem(plan, acting_user=request.user, **data),
        _("Problemet är tillagt."),
        "#mal",
    )


@require_POST
@login_required
def plan_adopt(request, pk: int):
    plan = _plan_for(request, pk, edit=True)
    form = AdoptForm(request.POST, prefix="anta")
    return _submit(
        request,
        plan,
        form,
        "adopt",
        lambda data: actions.adopt_plan(plan, acting_user=request.user, **data),
        _("Beslutet om planen är sparat."),
        "#beslut",
    )


@require_POST
@login_required
def measure_attach(request, pk: int, problem_pk: int):
    plan, problem = _problem_for(request, pk, problem_pk)
    form = AttachForm(request.POST, prefix=f"koppla-{problem.pk}", plan=plan)
    write = lambda data: actions.attach_measure_to_problem(  # noqa: E731
        data["measure"], problem, acting_user=request.user
    )
    return _submit(
        request,
        plan,
        form,
        ("attach", problem.pk),
        write,
        _("Åtgärden hör nu till problemet."),
        f"#problem-{problem.pk}",
    )


@require_POST
@login_required
def measure_create(request, pk: int, problem_pk: int):
    plan, problem = _problem_for(request, pk, problem_pk)
    form = PlanMeasureForm(request.POST, prefix=f"atgard-{problem.pk}", plan=plan)

    def write(data: dict) -> Measure:
        return actions.create_measure(
            plan.municipality,
            acting_user=request.user,
            problem=problem,
            category=problem.category,
            area=problem.area,
            **data,
        )

    return _submit(
        request,
        plan,
        form,
        ("measure", problem.pk),
        write,
        _("Åtgärden är skapad under problemet."),
        f"#problem-{problem.pk}",
    )


@require_POST
@login_required
def measure_detach(request, pk: int, measure_pk: int):
    plan = _plan_for(request, pk, edit=True)
    municipality_id = plan.municipality_id  # named on both tables: one shard on Citus
    in_plan = Measure.objects.filter(
        municipality_id=municipality_id,
        problem__municipality_id=municipality_id,
        problem__plan=plan,
    )
    measure = get_object_or_404(in_plan, pk=measure_pk)
    anchor = f"#problem-{measure.problem_id}"
    actions.attach_measure_to_problem(measure, None, acting_user=request.user)
    messages.success(request, _("Åtgärden är inte längre med i planen; den finns kvar."))
    return redirect(f"{plan.get_absolute_url()}{anchor}")


# --- goals and problems on their own pages -------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def goal_edit(request, pk: int, goal_pk: int):
    plan, goal = _goal_for(request, pk, goal_pk)
    form = GoalForm(request.POST or None, initial={"text": goal.text, "indicator": goal.indicator})
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_goal(goal, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Målet är sparat."))
            return redirect(f"{plan.get_absolute_url()}#mal-{goal.pk}")
    context = {"plan": plan, "goal": goal, "form": form}
    return render(request, "measures/plan_goal.html", context, status=400 if form.errors else 200)


@require_POST
@login_required
def goal_delete(request, pk: int, goal_pk: int):
    plan, goal = _goal_for(request, pk, goal_pk)
    actions.delete_goal(goal, acting_user=request.user)
    messages.success(request, _("Målet är borttaget. Dess problem finns kvar utan mål."))
    return redirect(f"{plan.get_absolute_url()}#mal")


@require_http_methods(["GET", "POST"])
@login_required
def problem_edit(request, pk: int, problem_pk: int):
    plan, problem = _problem_for(request, pk, problem_pk)
    form = ProblemForm(request.POST or None, plan=plan, initial=ProblemForm.initial_for(problem))
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_problem(problem, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Problemet är sparat."))
            return redirect(f"{plan.get_absolute_url()}#problem-{problem.pk}")
    return _render_problem(request, plan, problem, form, status=400 if form.errors else 200)


def _render_problem(request, plan, problem, form, status: int = 200):
    version = plans.latest_version(plan)
    context = {
        "plan": plan,
        "problem": problem,
        "form": form,
        "annual_version": version,
        "figures": plans.lagesbild_figures(problem, version) if version else [],
    }
    return render(request, "measures/plan_problem.html", context, status=status)


@require_POST
@login_required
def problem_evidence(request, pk: int, problem_pk: int):
    """Keep one of the lägesbild's figures in the problem's evidence. The figure is worked out
    again here from the kept version, so what is stored is what the lägesbild says."""
    plan, problem = _problem_for(request, pk, problem_pk)
    version = plans.latest_version(plan)
    figures = plans.lagesbild_figures(problem, version) if version else []
    form = FigureForm(request.POST, figures=figures)
    if not form.is_valid():
        edit = ProblemForm(plan=plan, initial=ProblemForm.initial_for(problem))
        return _render_problem(request, plan, problem, edit, status=400)
    figure = next(f for f in figures if f.key == form.cleaned_data["figure"])
    evidence = plans.evidence_with(problem, figure, version)
    actions.update_problem(problem, acting_user=request.user, evidence=evidence)
    messages.success(request, _("Siffran är tillagd i vad lägesbilden visar."))
    return redirect("measures:plan_problem", plan.pk, problem.pk)


@require_POST
@login_required
def problem_delete(request, pk: int, problem_pk: int):
    plan, problem = _problem_for(request, pk, problem_pk)
    actions.delete_problem(problem, acting_user=request.user)
    messages.success(request, _("Problemet är borttaget. Dess åtgärder finns kvar."))
    return redirect(f"{plan.get_absolute_url()}#mal")


# --- the PDF -------------------------------------------------------------------------------


@require_GET
@login_required
def plan_pdf(request, pk: int):
    plan = _plan_for(request, pk)
    context = {
        "plan": plan,
        "overview": plans.plan_overview(plan, request.user),
        "annual_version": plans.latest_version(plan),
    }
    name = f"atgardsplan-{plan.municipality.code}-{plan.start:%Y}-{plan.end:%Y}-{plan.pk}.pdf"
    return pdf_response(request, "measures/plan_pdf.html", context, filename=name)
