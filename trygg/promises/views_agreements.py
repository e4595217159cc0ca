"""Pages of the samverkansöverenskommelse and the medborgarlöfte under /loften/: the list, the
agreement with Brå's steps, its candidate problems and the partners' ranking, and the promise
with its commitments in three columns, its adoption and revisions. Parse, check who may,
call an action, render; a form with an error comes back with its message (400) and nothing
is written."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from trygg.core.forms import add_action_errors
from trygg.organisations.access import access_for
from trygg.organisations.models import Organisation
from trygg.organisations.shards import (
    children,
    find_visible,
    in_municipality,
    linked,
    prefetch_links,
)
from trygg.promises import access
from trygg.promises.actions.agreements import create_agreement, mark_step
from trygg.promises.actions.problems import add_problem, rank_problems
from trygg.promises.actions.promises import (
    add_commitment,
    adopt,
    create_promise,
    delete_draft_commitment,
    keep_commitment,
    mark_for_removal,
    open_measures,
    update_commitment,
    update_promise,
)
from trygg.promises.forms import (
    AgreementForm,
    PartyForm,
    ProblemForm,
    PromiseForm,
    RankForm,
    StepForm,
)
from trygg.promises.forms_commitments import AdoptForm, CommitmentForm, RemovalForm
from trygg.promises.models import (
    STEP_ORDER,
    Agreement,
    AgreementParty,
    Column,
    Commitment,
    PartyRole,
    ProcessStep,
    Promise,
    PromiseVersion,
)
from trygg.promises.public import with_agreements
from trygg.promises.working_copy import columns, live_commitments, pending
from trygg.situation.access import chosen_municipality

# The party rows of a new agreement: the two Brå requires, and room for two others.
PARTY_ROWS = [
    ("kommun", PartyRole.MUNICIPALITY),
    ("polis", PartyRole.POLICE),
    ("part-1", PartyRole.OTHER),
    ("part-2", PartyRole.OTHER),
]

# --- finding things and checking who may ---------------------------------------------------


def _municipality_or_403(request):
    municipality = chosen_municipality(request)
    if municipality is None:
        raise PermissionDenied(_("Du är inte med i någon organisation i en kommun."))
    return municipality


def _agreement_for(request, pk: int, *, edit: bool = False) -> Agreement:
    agreement = find_visible(
        request.user,
        Agreement.objects.select_related("municipality"),
        pk,
        _("Överenskommelsen hör till en annan kommun."),
    )
    if edit:
        access.check_may_edit(request.user, agreement)
    return agreement


def _promise_for(request, pk: int, *, edit: bool = False) -> Promise:
    # The agreement is read apart, in the promise's municipality: joined, Citus would not
    # send the query to one shard.
    promise = find_visible(
        request.user, Promise.objects.all(), pk, _("Löftet hör till en annan kommun.")
    )
    with_agreements([promise])
    if edit:
        access.check_may_edit(request.user, promise.agreement)
    return promise


def _commitment_for(request, pk: int, commitment_pk: int) -> tuple[Promise, Commitment]:
    promise = _promise_for(request, pk, edit=True)
    commitment = get_object_or_404(
        children(promise, "commitments").select_related("owner"),
        pk=commitment_pk,
        removed_in=None,
    )
    commitment.promise = promise
    return promise, commitment


def _submit(
    request,
    form: forms.Form,
    write: Callable[[dict], object],
    done: str,
    next_url: str,
    again: Callable[[forms.Form], object],
):
    """Validate `form`, call `write` with its data and go to `next_url`; on an error call
    `again` with the form, which renders the page with its messages (400)."""
    if form.is_valid():
        try:
            write(form.cleaned_data)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, done)
            return redirect(next_url)
    return again(form)


def _status(*forms_: forms.Form) -> int:
    return 400 if any(f.is_bound and f.errors for f in forms_) else 200


# --- the list and a new agreement ------------------------------------------------------------


@require_GET
@login_required
def index(request):
    municipality = _municipality_or_403(request)
    # Each prefetch names the municipality, so that Citus sends it to one shard.
    m = municipality.pk
    agreements = (
        Agreement.objects.filter(municipality=municipality)
        .prefetch_related(
            Prefetch("parties", queryset=in_municipality(AgreementParty, m, "agreement")),
            "parties__organisation",
            Prefetch("promises", queryset=in_municipality(Promise, m, "agreement")),
            Prefetch("promises__versions", queryset=in_municipality(PromiseVersion, m, "promise")),
            Prefetch("steps", queryset=in_municipality(ProcessStep, m, "agreement")),
        )
        .order_by("-start", "pk")
    )
    context = {
        "municipality": municipality,
        "agreements": agreements,
        "can_set_up": access.may_set_up(request.user, municipality.pk),
    }
    return render(request, "promises/agreement_list.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def agreement_create(request):
    municipality = _municipality_or_403(request)
    access.check_may_set_up(request.user, municipality.pk)
    data = request.POST if request.method == "POST" else None
    form = AgreementForm(data)
    parties = [
        PartyForm(
            data,
            prefix=prefix,
            municipality=municipality,
            role=role,
            initial=_party_initial(request.user, municipality, role),
        )
        for prefix, role in PARTY_ROWS
    ]
    if data is not None and form.is_valid() and all(p.is_valid() for p in parties):
        chosen = [party for p in parties if (party := p.party()) is not None]
        try:
            agreement = create_agreement(
                municipality, acting_user=request.user, parties=chosen, **form.cleaned_data
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(
                request,
                _("Överenskommelsen är upplagd. Bocka av stegen i processen när de är klara."),
            )
            return redirect(agreement)
    context = {
        "municipality": municipality,
        "form": form,
        "party_forms": list(zip((role for _p, role in PARTY_ROWS), parties, strict=True)),
        "has_errors": bool(form.errors) or any(p.errors for p in parties),
    }
    status = _status(form, *parties)
    return render(request, "promises/agreement_form.html", context, status=status)


def _party_initial(user, municipality, role: str) -> dict:
    """The coordinator's own organisation for the municipality's row, and the police
    organisation when the municipality has one."""
    organisations = Organisation.objects.filter(municipality=municipality)
    if role == PartyRole.MUNICIPALITY:
        own = organisations.filter(pk__in=access_for(user).organisation_ids).exclude(
            kind=Organisation.Kind.POLICE
        )
        first = own.order_by("name").first()
        return {"organisation": first.pk} if first else {}
    if role == PartyRole.POLICE:
        police = list(organisations.filter(kind=Organisation.Kind.POLICE)[:2])
        return {"organisation": police[0].pk} if len(police) == 1 else {}
    return {}


# --- the agreement page ------------------------------------------------------------------------


@require_GET
@login_required
def agreement(request, pk: int):
    return _render_agreement(request, _agreement_for(request, pk))


def _render_agreement(request, agreement: Agreement, bound: dict | None = None, status=200):
    """The agreement; for its parties with their forms, `bound` replacing the one just posted
    (keys: ("step", code), "problem", "rank")."""
    bound = bound or {}
    steps = sorted(children(agreement, "steps"), key=lambda s: STEP_ORDER.index(s.step))
    problems = list(children(agreement, "problems"))
    prefetch_links(problems, "categories")
    prefetch_links(problems, "areas")
    editable = access.may_edit(request.user, agreement)
    rows = [
        (step, bound.get(("step", step.step)) or _step_form(step) if editable else None)
        for step in steps
    ]
    context = {
        "agreement": agreement,
        "parties": children(agreement, "parties").select_related("organisation"),
        "steps": rows,
        "steps_done": sum(1 for s in steps if s.done_on),
        "problems": problems,
        "promises": children(agreement, "promises")
        .prefetch_related(
            Prefetch(
                "versions",
                queryset=in_municipality(PromiseVersion, agreement.municipality_id, "promise"),
            )
        )
        .order_by("-start", "pk"),
        "can_edit": editable,
    }
    if editable:
        context |= {
            "problem_form": bound.get("problem")
            or ProblemForm(prefix="problem", agreement=agreement),
            "rank_form": bound.get("rank") or RankForm(prefix="prio", problems=problems),
        }
    return render(request, "promises/agreement.html", context, status=status)


def _step_form(step) -> StepForm:
    return StepForm(
        prefix=f"steg-{step.step}", initial={"done_on": step.done_on, "note": step.note}
    )


@require_POST
@login_required
def step_mark(request, pk: int, step: str):
    agreement = _agreement_for(request, pk, edit=True)
    if step not in STEP_ORDER:
        raise Http404
    reopen = "oppna" in request.POST
    form = StepForm(request.POST, prefix=f"steg-{step}", reopen=reopen)

    def write(data: dict):
        return mark_step(
            agreement, step, done_on=data["done_on"], note=data["note"], acting_user=request.user
        )

    return _submit(
        request,
        form,
        write,
        _("Steget är öppnat igen.") if reopen else _("Steget är sparat."),
        f"{agreement.get_absolute_url()}#steg-{step}",
        lambda bad: _render_agreement(request, agreement, {("step", step): bad}, status=400),
    )


@require_POST
@login_required
def problem_add(request, pk: int):
    agreement = _agreement_for(request, pk, edit=True)
    form = ProblemForm(request.POST, prefix="problem", agreement=agreement)

    def write(data: dict):
        return add_problem(
            agreement,
            title=data["title"],
            categories=list(data["categories"]),
            areas=list(data["areas"]),
            notes=data["notes"],
            acting_user=request.user,
        )

    return _submit(
        request,
        form,
        write,
        _("Problemområdet är tillagt. Öppna det för att se underlaget."),
        f"{agreement.get_absolute_url()}#problem",
        lambda bad: _render_agreement(request, agreement, {"problem": bad}, status=400),
    )


@require_POST
@login_required
def problems_rank(request, pk: int):
    agreement = _agreement_for(request, pk, edit=True)
    problems = list(children(agreement, "problems"))
    form = RankForm(request.POST, prefix="prio", problems=problems)
    return _submit(
        request,
        form,
        lambda _data: rank_problems(agreement, form.prioritised(), acting_user=request.user),
        _("Prioriteringen är sparad."),
        f"{agreement.get_absolute_url()}#problem",
        lambda bad: _render_agreement(request, agreement, {"rank": bad}, status=400),
    )


# --- a new promise and the promise's own fields ------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def promise_create(request, pk: int):
    agreement = _agreement_for(request, pk, edit=True)
    initial = {
        "start": agreement.start,
        "end": agreement.end,
        "problems": list(
            children(agreement, "problems").filter(rank__isnull=False).values_list("pk", flat=True)
        ),
    }
    form = PromiseForm(request.POST or None, agreement=agreement, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            promise = create_promise(agreement, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Löftet är skapat. Lägg till åtagandena."))
            return redirect(promise)
    context = {"agreement": agreement, "promise": None, "form": form}
    return render(request, "promises/promise_form.html", context, status=_status(form))


@require_http_methods(["GET", "POST"])
@login_required
def promise_edit(request, pk: int):
    promise = _promise_for(request, pk, edit=True)
    agreement = promise.agreement
    form = PromiseForm(
        request.POST or None,
        agreement=agreement,
        promise=promise,
        initial=PromiseForm.initial_for(promise),
    )
    if request.method == "POST" and form.is_valid():
        try:
            update_promise(promise, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Löftet är sparat. Ändringen syns när den antas."))
            return redirect(promise)
    context = {"agreement": agreement, "promise": promise, "form": form}
    return render(request, "promises/promise_form.html", context, status=_status(form))


# --- the promise page ----------------------------------------------------------------------------


@require_GET
@login_required
def promise(request, pk: int):
    return _render_promise(request, _promise_for(request, pk))


def _render_promise(
    request, promise: Promise, adopt_form: forms.Form | None = None, status=200, error=""
):
    live = live_commitments(promise)
    state = pending(promise, live)
    editable = access.may_edit(request.user, promise.agreement)
    versions = list(children(promise, "versions").order_by("-number"))
    context = {
        "promise": promise,
        "agreement": promise.agreement,
        "problems": linked(promise, "problems"),
        "columns": columns(live, state),
        "pending": state,
        "current": versions[0] if versions else None,
        "versions": versions,
        "can_edit": editable,
        "error": error,
    }
    if editable:
        context["adopt_form"] = adopt_form or _adopt_form(state.version)
    return render(request, "promises/promise.html", context, status=status)


def _adopt_form(previous) -> AdoptForm:
    initial = {"adopted_on": timezone.localdate()}
    if previous is not None:
        initial["adopted_by"] = previous.adopted_by
    return AdoptForm(prefix="anta", revision=previous is not None, initial=initial)


@require_POST
@login_required
def promise_adopt(request, pk: int):
    promise = _promise_for(request, pk, edit=True)
    previous = promise.current_version()
    form = AdoptForm(request.POST, prefix="anta", revision=previous is not None)

    def write(data: dict):
        return adopt(
            promise,
            adopted_on=data["adopted_on"],
            adopted_by=data["adopted_by"],
            changes=data.get("changes", ""),
            acting_user=request.user,
        )

    done = (
        _("Revideringen är antagen. Den öppna sidan visar nu den nya versionen.")
        if previous
        else _("Löftet är antaget. Den öppna sidan visar det nu.")
    )
    return _submit(
        request,
        form,
        write,
        done,
        f"{promise.get_absolute_url()}#versioner",
        lambda bad: _render_promise(request, promise, adopt_form=bad, status=400),
    )


# --- commitments -----------------------------------------------------------------------------


def _render_commitment_form(request, promise, form, commitment=None, status=200):
    context = {
        "promise": promise,
        "agreement": promise.agreement,
        "commitment": commitment,
        "form": form,
    }
    return render(request, "promises/commitment_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def commitment_create(request, pk: int):
    promise = _promise_for(request, pk, edit=True)
    chosen = request.GET.get("kolumn", "")
    initial = {"column": chosen} if chosen in Column.values else {}
    form = CommitmentForm(request.POST or None, promise=promise, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            commitment = add_commitment(promise, form.commitment_input(), acting_user=request.user)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Åtagandet är tillagt. Det ingår i löftet när det antas."))
            return redirect(f"{promise.get_absolute_url()}#atagande-{commitment.pk}")
    return _render_commitment_form(request, promise, form, status=_status(form))


@require_http_methods(["GET", "POST"])
@login_required
def commitment_edit(request, pk: int, commitment_pk: int):
    promise, commitment = _commitment_for(request, pk, commitment_pk)
    form = CommitmentForm(
        request.POST or None,
        promise=promise,
        commitment=commitment,
        initial=CommitmentForm.initial_for(commitment),
    )
    if request.method == "POST" and form.is_valid():
        try:
            update_commitment(commitment, form.commitment_input(), acting_user=request.user)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Åtagandet är sparat."))
            return redirect(f"{promise.get_absolute_url()}#atagande-{commitment.pk}")
    return _render_commitment_form(request, promise, form, commitment, status=_status(form))


@require_POST
@login_required
def commitment_delete(request, pk: int, commitment_pk: int):
    promise, commitment = _commitment_for(request, pk, commitment_pk)
    try:
        delete_draft_commitment(commitment, acting_user=request.user)
    except ValidationError as error:
        return _render_promise(request, promise, status=400, error=" ".join(error.messages))
    messages.success(request, _("Utkastet till åtagande är borttaget."))
    return redirect(f"{promise.get_absolute_url()}#ataganden")


@require_http_methods(["GET", "POST"])
@login_required
def commitment_remove(request, pk: int, commitment_pk: int):
    """Mark an adopted commitment to go with the next revision, saying why and what happens
    to its measures that are not done."""
    promise, commitment = _commitment_for(request, pk, commitment_pk)
    initial = {
        "removal_reason": commitment.removal_reason,
        "measures_on_removal": commitment.measures_on_removal,
        "move_measures_to": commitment.move_measures_to_id,
    }
    form = RemovalForm(request.POST or None, commitment=commitment, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            mark_for_removal(
                commitment,
                reason=data["removal_reason"],
                measures=data["measures_on_removal"],
                move_to=data["move_measures_to"],
                acting_user=request.user,
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(
                request,
                _("Åtagandet tas bort när nästa revidering antas. Fram till dess gäller det."),
            )
            return redirect(f"{promise.get_absolute_url()}#atagande-{commitment.pk}")
    context = {
        "promise": promise,
        "agreement": promise.agreement,
        "commitment": commitment,
        "open_measures": open_measures(commitment).order_by("title", "pk"),
        "form": form,
    }
    return render(request, "promises/commitment_removal.html", context, status=_status(form))


@require_POST
@login_required
def commitment_keep(request, pk: int, commitment_pk: int):
    promise, commitment = _commitment_for(request, pk, commitment_pk)
    keep_commitment(commitment, acting_user=request.user)
    messages.success(request, _("Åtagandet behålls."))
    return redirect(f"{promise.get_absolute_url()}#atagande-{commitment.pk}")
