"""An organisation's own answer page for a walk (/vandringar/<pk>/svar/<organisation>/): the
findings it is responsible for, each with its form. Only members of that organisation who may
write for it see the page; the link comes in the protocol's e-mail."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from trygg.core.forms import add_action_errors
from trygg.organisations.models import Organisation
from trygg.walks.actions.answers import answer_finding, findings_to_answer, may_answer_for
from trygg.walks.forms_answers import AnswerForm
from trygg.walks.in_municipality import (
    answers_prefetch,
    children,
    photos_prefetch,
    scores_prefetch,
    stop_prefetch,
)
from trygg.walks.models import Answer, Walk


def _page_for(request, pk: int, organisation_pk: int) -> tuple[Walk, Organisation]:
    organisation = get_object_or_404(Organisation, pk=organisation_pk)
    if not may_answer_for(request.user, organisation):
        raise PermissionDenied(
            _("Sidan är till för %(organisation)s.") % {"organisation": organisation.name}
        )
    walk = get_object_or_404(
        Walk.objects.visible_to(request.user).select_related("municipality"), pk=pk
    )
    return walk, organisation


@require_http_methods(["GET", "POST"])
@login_required
def answers_page(request, pk: int, organisation_pk: int):
    walk, organisation = _page_for(request, pk, organisation_pk)
    findings = list(
        findings_to_answer(walk, organisation)
        .select_related("event__category__parent", "event__place")
        # Each a query of its own naming the walk's municipality (see in_municipality.py).
        .prefetch_related(
            stop_prefetch(walk.municipality_id),
            scores_prefetch(walk.municipality_id),
            photos_prefetch(walk.municipality_id),
            answers_prefetch(walk.municipality_id, measure=True),
        )
        .order_by("number")
    )
    bound = None
    if request.method == "POST":
        finding = next((f for f in findings if str(f.pk) == request.POST.get("finding")), None)
        if finding is None:
            raise PermissionDenied(_("Iakttagelsen hör inte till er organisation."))
        form = AnswerForm(request.POST, prefix=f"svar-{finding.pk}")
        if form.is_valid():
            try:
                answer_finding(finding, acting_user=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                messages.success(
                    request, _("Svaret på iakttagelse %(n)s är sparat.") % {"n": finding.number}
                )
                url = reverse("walks:answers", args=[walk.pk, organisation.pk])
                return redirect(f"{url}#fynd-{finding.pk}")
        bound = (finding.pk, form)
    rows = [_row(finding, organisation, bound) for finding in findings]
    context = {
        "walk": walk,
        "organisation": organisation,
        "rows": rows,
        "unanswered": sum(1 for row in rows if row["answer"] is None),
        "sent": children(walk, "protocols").exists(),
        "locked": walk.followup_at is not None and timezone.now() >= walk.followup_at,
    }
    return render(request, "walks/answers.html", context, status=400 if bound else 200)


def _row(finding, organisation: Organisation, bound) -> dict:
    answer: Answer | None = next(
        (a for a in finding.answers.all() if a.organisation_id == organisation.pk), None
    )
    if bound and bound[0] == finding.pk:
        form = bound[1]
    else:
        form = AnswerForm(prefix=f"svar-{finding.pk}", initial=AnswerForm.initial_for(answer))
    return {"finding": finding, "answer": answer, "form": form}
