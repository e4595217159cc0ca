"""The evidence page of a candidate problem and its forms: the staff's notes, the problem's
title, categories and areas, and the cause analysis. Parse, check, call, render.

Every member of an organisation in the municipality reads the page; others get 404, as if
the problem did not exist. Those who write the agreement (access.may_edit) change it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from trygg.core.forms import add_action_errors
from trygg.organisations.access import access_for
from trygg.organisations.shards import linked
from trygg.promises import evidence
from trygg.promises.access import check_may_edit, may_edit, may_view
from trygg.promises.actions.problems import record_cause_analysis, update_problem
from trygg.promises.evidence_chart import month_bars
from trygg.promises.forms_evidence import CauseForm, NotesForm, PeriodForm, ProblemForm
from trygg.promises.models import Agreement, Problem
from trygg.situation import charts

CAUSE_FIELDS = {
    "cause_places": "places",
    "cause_times": "times",
    "cause_circumstances": "circumstances",
}


def _problem_for(request, agreement_pk: int, pk: int, *, edit: bool = False) -> Problem:
    # Looked up in the municipalities the user may see (a superuser: all), its agreement then
    # in the problem's municipality, so that no query joins sharded tables across shards.
    seen = access_for(request.user)
    rows = Problem.objects.filter(pk=pk, agreement_id=agreement_pk)
    if not seen.is_superuser:
        rows = rows.filter(municipality_id__in=seen.municipality_ids)
    problem = get_object_or_404(rows.order_by())
    if not may_view(request.user, problem.municipality_id):
        raise Http404
    problem.agreement = Agreement.objects.select_related("municipality").get(
        pk=problem.agreement_id, municipality_id=problem.municipality_id
    )
    if edit:
        check_may_edit(request.user, problem.agreement)
    return problem


@require_GET
@login_required
def problem(request, agreement_pk: int, pk: int):
    found = _problem_for(request, agreement_pk, pk)
    period_form = PeriodForm(request.GET or None, today=timezone.localdate())
    status = 400 if request.GET and not period_form.is_valid() else 200
    return _render(request, found, period_form=period_form, status=status)


@require_POST
@login_required
def problem_notes(request, agreement_pk: int, pk: int):
    found = _problem_for(request, agreement_pk, pk, edit=True)
    form = NotesForm(request.POST)
    if form.is_valid():
        try:
            update_problem(
                found,
                title=found.title,
                categories=list(linked(found, "categories")),
                areas=list(linked(found, "areas")),
                notes=form.cleaned_data["notes"],
                acting_user=request.user,
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("De egna iakttagelserna är sparade."))
            return redirect(f"{found.get_absolute_url()}#iakttagelser")
    return _render(request, found, notes_form=form, status=400)


@require_http_methods(["GET", "POST"])
@login_required
def problem_edit(request, agreement_pk: int, pk: int):
    """The problem's title, categories and areas, on a page of their own: the category tree
    and the municipality's areas are long lists, and the evidence page stays quick."""
    found = _problem_for(request, agreement_pk, pk, edit=True)
    form = ProblemForm(request.POST or None, problem=found, initial=ProblemForm.initial_for(found))
    if request.method == "POST" and form.is_valid():
        try:
            update_problem(
                found,
                title=form.cleaned_data["title"],
                categories=list(form.cleaned_data["categories"]),
                areas=list(form.cleaned_data["areas"]),
                notes=found.notes,
                acting_user=request.user,
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Problemområdet är sparat."))
            return redirect(found.get_absolute_url())
    context = {"problem": found, "agreement": found.agreement, "form": form}
    status = 400 if form.errors else 200
    return render(request, "promises/problem_edit.html", context, status=status)


@require_POST
@login_required
def problem_cause(request, agreement_pk: int, pk: int):
    found = _problem_for(request, agreement_pk, pk, edit=True)
    form = CauseForm(request.POST)
    if form.is_valid():
        try:
            record_cause_analysis(
                found,
                places=form.cleaned_data["places"],
                times=form.cleaned_data["times"],
                circumstances=form.cleaned_data["circumstances"],
                acting_user=request.user,
            )
        except ValidationError as error:
            # The action names the model's fields; the form calls them by their short names.
            named = {CAUSE_FIELDS.get(k, k): v for k, v in error.message_dict.items()}
            add_action_errors(form, ValidationError(named))
        else:
            messages.success(request, _("Orsaksanalysen är sparad."))
            return redirect(f"{found.get_absolute_url()}#orsaksanalys")
    return _render(request, found, cause_form=form, status=400)


def _render(
    request,
    found: Problem,
    *,
    period_form: PeriodForm | None = None,
    notes_form: NotesForm | None = None,
    cause_form: CauseForm | None = None,
    status: int = 200,
):
    today = timezone.localdate()
    period_form = period_form or PeriodForm(today=today)
    chosen = period_form.chosen()
    data = evidence.build(found, chosen)
    editable = may_edit(request.user, found.agreement)
    context = {
        "problem": found,
        "agreement": found.agreement,
        "period_form": period_form,
        "evidence": data,
        "sections": evidence.sections(found, chosen),
        "month_chart": month_bars(data["months"], charts.month_names()),
        "hotspot_map": charts.hotspot_map(data["hotspots"]),
        "may_edit": editable,
    }
    if editable:
        context |= {
            "notes_form": notes_form or NotesForm(initial={"notes": found.notes}),
            "cause_form": cause_form or CauseForm(initial=CauseForm.initial_for(found)),
        }
    return render(request, "promises/problem.html", context, status=status)
