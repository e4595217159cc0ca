"""Staff pages for following a promise up, under /loften/lofte/<pk>/uppfoljning/: the
agreement's periods (published, started, due, running or not yet) with "Starta uppföljning"
for a period that has ended; and one follow-up: each commitment in its column with its
indicator's figures, a status form for whoever may report for it (the parties and the
commitment's owner), and publication. Parse, check, call, render: the rules are in
`actions.follow_ups`, and a refused input is shown on its form with status 400."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from trygg.core.forms import add_action_errors
from trygg.organisations.shards import children, find_visible
from trygg.promises.access import (
    check_may_edit,
    check_may_report_for,
    may_edit,
    may_report_for,
)
from trygg.promises.actions.follow_ups import (
    commitments_followed,
    computed_figures,
    open_follow_up,
    publish_follow_up,
    record_status,
)
from trygg.promises.figures import figure_lines, period_words
from trygg.promises.forms_follow_ups import OpenFollowUpForm, PublishForm, StatusForm
from trygg.promises.models import Commitment, CommitmentStatus, FollowUp, Promise
from trygg.promises.progress import follow_up_periods
from trygg.promises.public import columns_of, status_lines, with_agreements
from trygg.promises.snapshot import indicator_text, target_text


def _promise_for(request, pk: int) -> Promise:
    # The agreement is read apart, in the promise's municipality: joined, Citus would not
    # send the query to one shard.
    promise = find_visible(
        request.user, Promise.objects.all(), pk, _("Löftet hör till en annan kommun.")
    )
    return with_agreements([promise])[0]


# --- the periods -----------------------------------------------------------------------------


@dataclass(frozen=True)
class PeriodRow:
    first_day: dt.date
    last_day: dt.date
    state: str  # published, started, due, running, not_yet
    follow_up: FollowUp | None
    recorded: int = 0  # statuses recorded, for a started follow-up
    followed: int = 0  # commitments it covers

    @property
    def words(self) -> str:
        return period_words(self.first_day, self.last_day)


def period_rows(promise: Promise, today: dt.date) -> list[PeriodRow]:
    follow_ups = list(children(promise, "follow_ups"))
    # The statuses are counted by a query of their own, naming the municipality, rather than
    # by an outer join from the follow-ups.
    counts = dict(
        CommitmentStatus.objects.filter(
            municipality_id=promise.municipality_id, follow_up__in=[f.pk for f in follow_ups]
        )
        .order_by()
        .values_list("follow_up_id")
        .annotate(n=Count("pk"))
    )
    for f in follow_ups:
        f.recorded = counts.get(f.pk, 0)
    opened = {(f.first_day, f.last_day): f for f in follow_ups}
    rows = []
    for first, last in follow_up_periods(promise):
        follow_up = opened.get((first, last))
        if follow_up is not None and follow_up.is_published:
            rows.append(PeriodRow(first, last, "published", follow_up))
        elif follow_up is not None:
            followed = commitments_followed(follow_up).count()
            recorded = follow_up.recorded  # annotated above
            rows.append(PeriodRow(first, last, "started", follow_up, recorded, followed))
        elif last < today:
            rows.append(PeriodRow(first, last, "due", None))
        elif first <= today:
            rows.append(PeriodRow(first, last, "running", None))
        else:
            rows.append(PeriodRow(first, last, "not_yet", None))
    return rows


@require_http_methods(["GET", "POST"])
@login_required
def follow_ups(request, pk: int):
    promise = _promise_for(request, pk)
    today = timezone.localdate()
    errors: list[str] = []
    if request.method == "POST":
        check_may_edit(request.user, promise.agreement)
        form = OpenFollowUpForm(request.POST, today=today)
        if form.is_valid():
            try:
                follow_up = open_follow_up(
                    promise,
                    first_day=form.cleaned_data["first_day"],
                    last_day=form.cleaned_data["last_day"],
                    acting_user=request.user,
                )
            except ValidationError as error:
                errors = [m for found in error.message_dict.values() for m in found]
            else:
                messages.success(
                    request,
                    _("Uppföljningen av %(period)s är startad.")
                    % {"period": period_words(follow_up.first_day, follow_up.last_day)},
                )
                return redirect(follow_up)
        else:
            errors = [str(message) for message in form.non_field_errors()]
    context = {
        "promise": promise,
        "adopted": promise.current_version() is not None,
        "rows": period_rows(promise, today),
        "can_edit": may_edit(request.user, promise.agreement),
        "errors": errors,
    }
    return render(request, "promises/follow_ups.html", context, status=400 if errors else 200)


# --- one follow-up ---------------------------------------------------------------------------


@dataclass
class CommitmentRow:
    commitment: Commitment
    status: CommitmentStatus | None
    target: str
    indicator: str
    lines: list[str]
    form: StatusForm | None

    @property
    def column(self) -> str:
        return self.commitment.column


@require_http_methods(["GET", "POST"])
@login_required
def follow_up(request, promise_pk: int, pk: int):
    promise = _promise_for(request, promise_pk)
    found = get_object_or_404(children(promise, "follow_ups"), pk=pk)
    found.promise = promise  # one municipality read, not one per commitment
    commitments = list(commitments_followed(found))
    bound: dict[int, StatusForm] = {}
    publish_form = None
    errors: list[str] = []  # input no form on the page could have sent
    if request.method == "POST":
        which = request.POST.get("form")
        done = None
        if which == "status":
            done = _post_status(request, found, commitments, bound, errors)
        elif which == "publish":
            publish_form = PublishForm(request.POST)
            done = _post_publish(request, found, publish_form)
        else:
            errors.append(_("Välj ett av formulären på sidan."))
        if done:
            return done
    return _render_follow_up(request, found, commitments, bound, publish_form, errors)


def _post_status(request, found: FollowUp, commitments, bound, errors: list[str]):
    commitment = next((c for c in commitments if str(c.pk) == request.POST.get("commitment")), None)
    if commitment is None:
        errors.append(_("Åtagandet ingår inte i uppföljningen."))
        return None
    check_may_report_for(request.user, commitment)
    form = StatusForm(request.POST, commitment=commitment, prefix=f"c{commitment.pk}")
    if form.is_valid():
        try:
            record_status(found, commitment, acting_user=request.user, **form.action_arguments())
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Statusen är sparad."))
            return redirect(f"{found.get_absolute_url()}#atagande-{commitment.pk}")
    bound[commitment.pk] = form
    return None


def _post_publish(request, found: FollowUp, form: PublishForm):
    check_may_edit(request.user, found.promise.agreement)
    if form.is_valid():
        try:
            publish_follow_up(
                found,
                summary=form.cleaned_data["summary"],
                next_steps=form.cleaned_data["next_steps"],
                acting_user=request.user,
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Uppföljningen är publicerad för invånarna."))
            return redirect(found)
    return None


def _render_follow_up(request, found: FollowUp, commitments, bound, publish_form, errors):
    statuses = {s.commitment_id: s for s in children(found, "statuses").order_by()}
    rows = [_row(request.user, found, c, statuses.get(c.pk), bound) for c in commitments]
    can_edit = may_edit(request.user, found.promise.agreement)
    if publish_form is None and can_edit and not found.is_published:
        publish_form = PublishForm(
            initial={"summary": found.summary, "next_steps": found.next_steps}
        )
    refused = (
        bool(errors)
        or any(f.errors for f in bound.values())
        or bool(publish_form and publish_form.errors)
    )
    context = {
        "promise": found.promise,
        "follow_up": found,
        "period": period_words(found.first_day, found.last_day),
        "columns": columns_of(rows),
        "missing": sum(1 for row in rows if row.status is None),
        "publish_form": publish_form if can_edit else None,
        "public_url": reverse("public_promises:follow_up", args=[found.pk]),
        "errors": errors,
    }
    return render(request, "promises/follow_up.html", context, status=400 if refused else 200)


def _row(user, found: FollowUp, commitment: Commitment, status, bound) -> CommitmentRow:
    if status is not None:
        lines = status_lines(status, threshold=None)
    else:
        lines = figure_lines(computed_figures(commitment, found))
    form = bound.get(commitment.pk)
    if form is None and not found.is_published and may_report_for(user, commitment):
        form = StatusForm(
            initial=StatusForm.initial_for(status),
            commitment=commitment,
            prefix=f"c{commitment.pk}",
        )
    return CommitmentRow(
        commitment, status, target_text(commitment), indicator_text(commitment), lines, form
    )
