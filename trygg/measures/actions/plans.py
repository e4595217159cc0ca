"""Writes of the åtgärdsplan: the plan and its adoption, its goals, the problems the lägesbild
showed, and which measures answer each problem. Coordinators only; every free text scrubbed;
every write audited, including what a deletion empties elsewhere."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from trygg.core.audit import record, record_changes, record_created
from trygg.core.models import AuditEntry
from trygg.core.privacy import scrub
from trygg.measures import access
from trygg.measures.models import ActionPlan, Measure, PlanGoal, PlanProblem

M = TypeVar("M", bound=models.Model)

PLAN_FIELDS = ("title", "start", "end", "annual_report")
GOAL_FIELDS = ("text", "indicator", "sort_order")
PROBLEM_FIELDS = ("title", "goal", "evidence", "category", "area", "sort_order")
# Free text a person types: scrubbed on every write (DESIGN §5).
TEXT_FIELDS = ("title", "text", "indicator", "evidence", "adopted_by_body")


def _check_coordinator(user, municipality_id: int) -> None:
    if not access.can_coordinate(user, municipality_id):
        raise PermissionDenied(_("Bara samordnare i kommunen kan ändra åtgärdsplanen."))


# --- the plan ------------------------------------------------------------------------------


@transaction.atomic
def create_plan(
    municipality, *, acting_user, title: str, start: dt.date, end: dt.date, annual_report=None
) -> ActionPlan:
    _check_coordinator(acting_user, municipality.pk)
    plan = ActionPlan(municipality=municipality, created_by=acting_user)
    fields = {"title": title, "start": start, "end": end, "annual_report": annual_report}
    _apply(plan, fields, _check_plan)
    plan.save()
    record_created(
        acting_user,
        plan,
        ["municipality_id", "title", "start", "end", "annual_report_id", "status"],
    )
    return plan


@transaction.atomic
def update_plan(plan: ActionPlan, *, acting_user, **fields) -> ActionPlan:
    """Change the title, the period or the annual lägesbild the plan builds on."""
    return _update(plan, plan.municipality_id, acting_user, fields, PLAN_FIELDS, _check_plan)


@transaction.atomic
def adopt_plan(
    plan: ActionPlan,
    *,
    acting_user,
    adopted_on: dt.date,
    adopted_by_body: str,
    today: dt.date | None = None,
) -> ActionPlan:
    """Record the decision that adopted the plan (e.g. kommunstyrelsen on a date). Recording
    it again corrects the date or the body; both versions stay in the audit log."""
    _check_coordinator(acting_user, plan.municipality_id)
    if not _here(plan, plan.goals).exists():
        raise ValidationError(_("Planen behöver minst ett mål innan den kan antas."))
    fields = {
        "adopted_on": adopted_on,
        "adopted_by_body": adopted_by_body,
        "status": ActionPlan.Status.ADOPTED,
    }
    today = today or timezone.localdate()
    changes = _apply(plan, fields, lambda checked: _check_adoption(checked, today))
    if changes:
        plan.save()
        record_changes(acting_user, plan, changes)
    return plan


def _check_adoption(plan: ActionPlan, today: dt.date) -> None:
    errors = {}
    if plan.adopted_on is None:
        errors["adopted_on"] = _("Skriv vilket datum planen antogs.")
    elif plan.adopted_on > today:
        errors["adopted_on"] = _("Datumet har inte varit ännu: anta planen efter beslutet.")
    if not plan.adopted_by_body:
        errors["adopted_by_body"] = _("Skriv vem som antog planen, t.ex. kommunstyrelsen.")
    if errors:
        raise ValidationError(errors)


def _check_plan(plan: ActionPlan) -> None:
    errors = {}
    if not plan.title:
        errors["title"] = _("Ge planen en rubrik.")
    if plan.start and plan.end and plan.end < plan.start:
        errors["end"] = _("Planen kan inte sluta innan den börjar.")
    report = plan.annual_report
    if report is not None and report.municipality_id != plan.municipality_id:
        errors["annual_report"] = _("Lägesbilden hör till en annan kommun.")
    if errors:
        raise ValidationError(errors)


# --- goals ---------------------------------------------------------------------------------


@transaction.atomic
def add_goal(
    plan: ActionPlan, *, acting_user, text: str, indicator: str = "", sort_order: int | None = None
) -> PlanGoal:
    _check_coordinator(acting_user, plan.municipality_id)
    goal = PlanGoal(plan=plan, sort_order=_next_order(_here(plan, plan.goals), sort_order))
    _apply(goal, {"text": text, "indicator": indicator}, _check_goal)
    goal.save()
    record_created(acting_user, goal, ["plan_id", "text", "indicator", "sort_order"])
    return goal


@transaction.atomic
def update_goal(goal: PlanGoal, *, acting_user, **fields) -> PlanGoal:
    municipality_id = goal.plan.municipality_id
    return _update(goal, municipality_id, acting_user, fields, GOAL_FIELDS, _check_goal)


@transaction.atomic
def delete_goal(goal: PlanGoal, *, acting_user) -> None:
    """Remove a goal; its problems stay in the plan without a goal (audited one by one)."""
    _check_coordinator(acting_user, goal.plan.municipality_id)
    _delete(goal, _here(goal, goal.problems), "goal", goal.text, acting_user)


def _check_goal(goal: PlanGoal) -> None:
    if not goal.text:
        raise ValidationError({"text": _("Skriv målet.")})


# --- problems ------------------------------------------------------------------------------


@transaction.atomic
def add_problem(
    plan: ActionPlan,
    *,
    acting_user,
    title: str,
    goal: PlanGoal | None = None,
    evidence: str = "",
    category=None,
    area=None,
    sort_order: int | None = None,
) -> PlanProblem:
    _check_coordinator(acting_user, plan.municipality_id)
    problem = PlanProblem(plan=plan, sort_order=_next_order(_here(plan, plan.problems), sort_order))
    fields = {
        "title": title,
        "goal": goal,
        "evidence": evidence,
        "category": category,
        "area": area,
    }
    _apply(problem, fields, _check_problem)
    problem.save()
    record_created(
        acting_user,
        problem,
        ["plan_id", "goal_id", "title", "evidence", "category_id", "area_id", "sort_order"],
    )
    return problem


@transaction.atomic
def update_problem(problem: PlanProblem, *, acting_user, **fields) -> PlanProblem:
    municipality_id = problem.plan.municipality_id
    return _update(problem, municipality_id, acting_user, fields, PROBLEM_FIELDS, _check_problem)


@transaction.atomic
def delete_problem(problem: PlanProblem, *, acting_user) -> None:
    """Remove a problem; its measures go on, outside the plan (audited one by one)."""
    _check_coordinator(acting_user, problem.plan.municipality_id)
    _delete(problem, _here(problem, problem.measures), "problem", problem.title, acting_user)


def _check_problem(problem: PlanProblem) -> None:
    errors = {}
    if not problem.title:
        errors["title"] = _("Skriv vilket problem det gäller.")
    if problem.goal is not None and problem.goal.plan_id != problem.plan_id:
        errors["goal"] = _("Målet hör till en annan åtgärdsplan.")
    if problem.area is not None and problem.area.municipality_id != problem.plan.municipality_id:
        errors["area"] = _("Området ligger i en annan kommun.")
    if errors:
        raise ValidationError(errors)


# --- measures under a problem --------------------------------------------------------------


@transaction.atomic
def attach_measure_to_problem(
    measure: Measure, problem: PlanProblem | None, *, acting_user
) -> Measure:
    """Put an existing measure under a problem of a plan (None takes it out of its plan).
    A measure answers one problem at a time, so attaching moves it from where it was."""
    if problem is None:
        _check_coordinator(acting_user, measure.municipality_id)
    else:
        _check_coordinator(acting_user, problem.plan.municipality_id)
        if measure.municipality_id != problem.plan.municipality_id:
            raise ValidationError({"measure": _("Åtgärden hör till en annan kommun.")})
    old = measure.problem_id
    new = problem.pk if problem is not None else None
    if old != new:
        measure.problem = problem
        measure.save(update_fields=["problem", "updated_at"])
        record_changes(acting_user, measure, {"problem": (old, new)})
    return measure


# --- helpers -------------------------------------------------------------------------------


def _update(
    obj: M,
    municipality_id: int,
    acting_user,
    fields: dict,
    allowed: tuple[str, ...],
    check: Callable[[M], None],
) -> M:
    """A coordinator's edit of the plan or a part of it: the changes saved and audited."""
    _check_coordinator(acting_user, municipality_id)
    changes = _apply(obj, _known(fields, allowed), check)
    if changes:
        obj.save()
        record_changes(acting_user, obj, changes)
    return obj


def _delete(obj: models.Model, dependants, link: str, label: str, acting_user) -> None:
    """Delete `obj`; the rows that pointed at it through `link` lose it (the database sets
    it to null), and each loss is audited on its own row, as is the deletion."""
    for dependant in dependants:
        record_changes(acting_user, dependant, {link: (obj.pk, None)})
    record(acting_user, obj, str(AuditEntry.Action.DELETE), old=label)
    obj.delete()


def _known(fields: dict, allowed: tuple[str, ...]) -> dict:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValueError(f"not editable here: {', '.join(sorted(unknown))}")
    return fields


def _apply(obj: M, fields: dict, check: Callable[[M], None]) -> dict[str, tuple[Any, Any]]:
    """Set `fields` on `obj` (text scrubbed and cut to the column), `check` the result and
    return what changed. When the check fails the object is put back as it was, so a page
    that shows it again with the errors does not show values that were never saved."""
    before = {name: getattr(obj, name) for name in fields}
    for name, value in fields.items():
        setattr(obj, name, _clean_text(obj, name, value) if name in TEXT_FIELDS else value)
    try:
        check(obj)
    except ValidationError:
        for name, value in before.items():
            setattr(obj, name, value)
        raise
    return {
        name: (old, getattr(obj, name)) for name, old in before.items() if old != getattr(obj, name)
    }


def _clean_text(obj: models.Model, name: str, value: str | None) -> str:
    # The scrubber's marker is longer than what it replaces; a CharField must still fit.
    text = scrub((value or "").strip()).text
    field = obj._meta.get_field(name)
    max_length = field.max_length if isinstance(field, models.Field) else None
    return text[:max_length] if max_length else text


def _here(parent: models.Model, related):
    """A reverse relation of `parent` with its municipality named, so that Citus reads only
    the parent's shard (its children are always in its municipality)."""
    return related.filter(municipality_id=parent.municipality_id)  # type: ignore[attr-defined]


def _next_order(related, requested: int | None) -> int:
    if requested is not None:
        return requested
    highest = related.aggregate(highest=Max("sort_order"))["highest"]
    return 0 if highest is None else highest + 1
