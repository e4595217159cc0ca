"""The coordinator's review of a walk's findings (/vandringar/<pk>/granskning/): confirm who
answers for each finding (one by one or all suggestions at once), moderate the photos, reject
a finding that is no observation. Parse, check, call an action, render."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_POST

from trygg.core.forms import add_action_errors
from trygg.organisations.access import access_for
from trygg.walks.actions import review
from trygg.walks.actions.review import NOT_ROUTED_STATUSES
from trygg.walks.forms_answers import FindingStatusForm, PhotoReviewForm, ResponsibleForm
from trygg.walks.in_municipality import (
    answers_prefetch,
    children,
    photos_prefetch,
    scores_prefetch,
    stop_prefetch,
    walk_findings,
)
from trygg.walks.models import Answer, Finding, FindingPhoto, Walk

# Why the rules suggested an organisation (measures.routing.Reason).
REASONS = {
    "rule": gettext_lazy("enligt en ansvarsregel"),
    "manager": gettext_lazy("förvaltar platsen"),
    "coordinator": gettext_lazy("kommunens samordnande organisation"),
}


def walk_for_review(request, pk: int) -> Walk:
    """The walk, for its municipality's coordinators (404 to those who may not see it)."""
    walk = get_object_or_404(
        Walk.objects.visible_to(request.user).select_related("municipality", "template"), pk=pk
    )
    if not access_for(request.user).can_coordinate(walk.municipality_id):
        raise PermissionDenied(
            _("Bara samordnare i kommunen kan granska vandringens iakttagelser.")
        )
    return walk


@require_GET
@login_required
def review_page(request, pk: int):
    return _render(request, walk_for_review(request, pk))


def _render(request, walk: Walk, bound: dict | None = None, status: int = 200):
    """The page; `bound` holds the form just posted, by (kind, object pk), to show its errors."""
    bound = bound or {}
    # Every query names the walk's municipality (the optional stop read apart), so that
    # sharded by municipality (Citus) each goes to the walk's shard.
    municipality_id = walk.municipality_id
    findings = (
        walk_findings(walk)
        .select_related(
            "event__category__parent",
            "event__place",
            "responsible",
            "suggested_responsible",
        )
        .prefetch_related(
            stop_prefetch(municipality_id),
            scores_prefetch(municipality_id),
            photos_prefetch(municipality_id),
            answers_prefetch(municipality_id, organisation=True),
        )
        .order_by("number")
    )
    rows = [_row(walk, finding, bound) for finding in findings]
    context = {
        "walk": walk,
        "rows": rows,
        "waiting": sum(1 for row in rows if row["waiting"]),
        "suggested": sum(1 for row in rows if row["waiting"] and row["suggestion"]),
        "sent": children(walk, "protocols").exists(),
    }
    return render(request, "walks/review.html", context, status=status)


def _row(walk: Walk, finding: Finding, bound: dict) -> dict:
    routed = finding.event.status not in NOT_ROUTED_STATUSES
    confirmed = finding.responsible_id is not None and finding.responsible_confirmed_at
    suggestion = finding.suggested_responsible
    initial = finding.responsible if confirmed else suggestion
    return {
        "finding": finding,
        "routed": routed,
        "confirmed": bool(confirmed),
        "waiting": routed and not confirmed,
        "suggestion": suggestion,
        "reason": REASONS.get(finding.suggestion_reason, ""),
        "declined": [
            a
            for a in finding.answers.all()
            if a.kind == Answer.Kind.NOT_OURS and a.organisation_id != finding.responsible_id
        ],
        "responsible_form": bound.get(("responsible", finding.pk))
        or ResponsibleForm(
            prefix=f"ansvar-{finding.pk}",
            municipality=walk.municipality,
            initial={"responsible": initial},
        ),
        "status_form": bound.get(("status", finding.pk))
        or FindingStatusForm(
            prefix=f"status-{finding.pk}", initial={"status": finding.event.status}
        ),
        "photos": [
            (
                photo,
                bound.get(("photo", photo.pk))
                or PhotoReviewForm(prefix=f"foto-{photo.pk}", initial={"review": photo.review}),
            )
            for photo in finding.photos.all()
        ],
    }


def _submit(
    request, walk: Walk, form: forms.Form, key, write: Callable[[dict], object], done, finding_pk
):
    """Validate `form`, call `write`, and go back to the finding; errors re-render the page."""
    if form.is_valid():
        try:
            write(form.cleaned_data)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, done)
            return redirect(reverse("walks:review", args=[walk.pk]) + f"#fynd-{finding_pk}")
    return _render(request, walk, {key: form}, status=400)


def _finding(walk: Walk, finding_pk: int) -> Finding:
    # The walk joined in its municipality too, as the findings and their events are.
    findings = walk_findings(walk).filter(walk__municipality_id=walk.municipality_id)
    return get_object_or_404(findings.select_related("event", "walk"), pk=finding_pk)


@require_POST
@login_required
def confirm(request, pk: int, finding_pk: int):
    walk = walk_for_review(request, pk)
    finding = _finding(walk, finding_pk)
    form = ResponsibleForm(
        request.POST, prefix=f"ansvar-{finding.pk}", municipality=walk.municipality
    )

    def write(data):
        review.confirm_responsible(finding, data["responsible"], acting_user=request.user)

    done = _("Ansvaret för iakttagelse %(n)s är bekräftat.") % {"n": finding.number}
    return _submit(request, walk, form, ("responsible", finding.pk), write, done, finding.pk)


@require_POST
@login_required
def confirm_all(request, pk: int):
    walk = walk_for_review(request, pk)
    count = review.confirm_all_suggestions(walk, acting_user=request.user)
    confirmed = ngettext(
        "Förslaget är bekräftat för %(n)s iakttagelse.",
        "Förslagen är bekräftade för %(n)s iakttagelser.",
        count,
    )
    messages.success(request, confirmed % {"n": count})
    return redirect("walks:review", walk.pk)


@require_POST
@login_required
def photo_review(request, pk: int, photo_pk: int):
    walk = walk_for_review(request, pk)
    # The walk's municipality named for the photo, its finding and walk (Citus: one shard).
    photos = FindingPhoto.objects.select_related("finding__walk").filter(
        municipality_id=walk.municipality_id,
        finding__municipality_id=walk.municipality_id,
        finding__walk__municipality_id=walk.municipality_id,
    )
    photo = get_object_or_404(photos, pk=photo_pk)
    if photo.finding.walk_id != walk.pk:
        raise Http404
    form = PhotoReviewForm(request.POST, prefix=f"foto-{photo.pk}")

    def write(data):
        review.review_photo(photo, data["review"], acting_user=request.user)

    done = _("Granskningen av fotot är sparad.")
    return _submit(request, walk, form, ("photo", photo.pk), write, done, photo.finding_id)


@require_POST
@login_required
def finding_status(request, pk: int, finding_pk: int):
    walk = walk_for_review(request, pk)
    finding = _finding(walk, finding_pk)
    form = FindingStatusForm(request.POST, prefix=f"status-{finding.pk}")

    def write(data):
        review.review_finding_event(finding, data["status"], acting_user=request.user)

    done = _("Statusen för iakttagelse %(n)s är sparad.") % {"n": finding.number}
    return _submit(request, walk, form, ("status", finding.pk), write, done, finding.pk)
