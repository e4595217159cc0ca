"""Writing the candidate problems: what the evidence page gathers for each, the partners'
ranking, and the cause analysis of a prioritised problem."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from trygg.core.audit import record_changes, record_created
from trygg.events.models import Category
from trygg.organisations.shards import linked_ids, set_links
from trygg.places.models import Area
from trygg.promises.access import check_may_edit
from trygg.promises.actions.agreements import changed
from trygg.promises.models import Agreement, Problem


def _check_areas(agreement: Agreement, areas: Iterable[Area]) -> dict[str, list[str]]:
    outside = [a.name for a in areas if a.municipality_id != agreement.municipality_id]
    if outside:
        return {
            "areas": [
                _("Området ligger inte i kommunen: %(names)s.") % {"names": ", ".join(outside)}
            ]
        }
    return {}


@transaction.atomic
def add_problem(
    agreement: Agreement,
    *,
    title: str,
    categories: Sequence[Category] = (),
    areas: Sequence[Area] = (),
    notes: str = "",
    acting_user,
) -> Problem:
    check_may_edit(acting_user, agreement)
    errors = _check_areas(agreement, areas)
    if not title.strip():
        errors["title"] = [_("Ge problemområdet en rubrik.")]
    if errors:
        raise ValidationError(errors)
    problem = Problem.objects.create(agreement=agreement, title=title.strip(), notes=notes.strip())
    set_links(problem, "categories", categories)
    set_links(problem, "areas", areas)
    record_created(acting_user, problem, ["title", "notes"])
    return problem


@transaction.atomic
def update_problem(
    problem: Problem,
    *,
    title: str,
    categories: Sequence[Category],
    areas: Sequence[Area],
    notes: str,
    acting_user,
) -> Problem:
    check_may_edit(acting_user, problem.agreement)
    errors = _check_areas(problem.agreement, areas)
    if not title.strip():
        errors["title"] = [_("Ge problemområdet en rubrik.")]
    if errors:
        raise ValidationError(errors)
    old = {"title": problem.title, "notes": problem.notes}
    old_sets = (
        sorted(linked_ids(problem, "categories")),
        sorted(linked_ids(problem, "areas")),
    )
    problem.title, problem.notes = title.strip(), notes.strip()
    problem.save()
    set_links(problem, "categories", categories)
    set_links(problem, "areas", areas)
    changes = changed(problem, old)
    new_sets = (sorted(c.pk for c in categories), sorted(a.pk for a in areas))
    for name, before, after in zip(("categories", "areas"), old_sets, new_sets, strict=True):
        if before != after:
            changes[name] = (before, after)
    record_changes(acting_user, problem, changes)
    return problem


@transaction.atomic
def rank_problems(agreement: Agreement, prioritised: Sequence[Problem], *, acting_user) -> None:
    """The partners' ranking: `prioritised` in order (1 first); every other problem of the
    agreement goes back to being a candidate."""
    check_may_edit(acting_user, agreement)
    ids = [p.pk for p in prioritised]
    if len(set(ids)) != len(ids):
        raise ValidationError({"rank": [_("Samma problem står två gånger i prioriteringen.")]})
    if any(p.agreement_id != agreement.pk for p in prioritised):
        raise ValidationError({"rank": [_("Problemet hör till en annan överenskommelse.")]})
    wanted = {pk: rank for rank, pk in enumerate(ids, start=1)}
    for problem in Problem.objects.filter(
        agreement=agreement, municipality_id=agreement.municipality_id
    ).select_for_update():
        rank = wanted.get(problem.pk)
        if problem.rank != rank:
            old = problem.rank
            problem.rank = rank
            problem.save(update_fields=["rank"])
            record_changes(acting_user, problem, {"rank": (old, rank)})


@transaction.atomic
def record_cause_analysis(
    problem: Problem, *, places: str, times: str, circumstances: str, acting_user
) -> Problem:
    """Where, when and what makes it possible, for a prioritised problem."""
    check_may_edit(acting_user, problem.agreement)
    problem = Problem.objects.select_for_update().get(
        pk=problem.pk, municipality_id=problem.municipality_id
    )
    if not problem.is_prioritised:
        raise ValidationError({"rank": [_("Prioritera problemet innan orsaksanalysen skrivs.")]})
    if not (places.strip() or times.strip() or circumstances.strip()):
        raise ValidationError(
            {"cause_places": [_("Skriv åtminstone var, när eller vad som gör det möjligt.")]}
        )
    old = {
        "cause_places": problem.cause_places,
        "cause_times": problem.cause_times,
        "cause_circumstances": problem.cause_circumstances,
    }
    problem.cause_places = places.strip()
    problem.cause_times = times.strip()
    problem.cause_circumstances = circumstances.strip()
    problem.save()
    record_changes(acting_user, problem, changed(problem, old))
    return problem
