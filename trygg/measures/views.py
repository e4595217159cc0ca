"""The measure pages: the municipality's list, an organisation's own measures, one measure with
its timeline, and the forms that move it on. Parse, check, call an action, render."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import F
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from trygg.core.forms import add_action_errors
from trygg.events.models import Event
from trygg.measures import access, actions, carried_out, one_shard, routing
from trygg.measures.forms import (
    AssignForm,
    CommentForm,
    MeasureFilterForm,
    MeasureForm,
    NewMeasureForm,
    StatusForm,
)
from trygg.measures.models import Decision, Measure, Status
from trygg.measures.models.measure import OPEN_STATUSES
from trygg.organisations.access import access_for
from trygg.organisations.shards import own_first_or_404
from trygg.situation.access import chosen_municipality

PAGE_SIZE = 50
DUE_SOON_DAYS = 7


def _list_related(measures):
    return measures.select_related("responsible", "place", "area", "category").order_by(
        F("due").asc(nulls_last=True), "pk"
    )


@require_GET
@login_required
def measure_list(request):
    municipality = chosen_municipality(request)
    if municipality is None:
        raise PermissionDenied(_("Du hör inte till någon organisation i en kommun."))
    form = MeasureFilterForm(request.GET, municipality=municipality)
    base = Measure.objects.visible_to(request.user).filter(municipality=municipality)
    page = Paginator(_list_related(form.apply(base)), PAGE_SIZE).get_page(request.GET.get("sida"))
    context = {
        "municipality": municipality,
        "form": form,
        "page": page,
        "summary": _summary(base),
        "can_coordinate": access.can_coordinate(request.user, municipality.pk),
        "can_contribute": access.can_contribute(request.user, municipality.pk),
        "today": timezone.localdate(),
    }
    return render(request, "measures/list.html", context)


def _summary(measures) -> dict:
    today = timezone.localdate()
    return {
        "open": measures.open().count(),
        "overdue": measures.overdue(today).count(),
        "due_soon": measures.due_within(today, today + dt.timedelta(days=DUE_SOON_DAYS)).count(),
        "done": measures.filter(status=Status.DONE).count(),
    }


@require_GET
@login_required
def own_measures(request):
    """What the user's organisations are responsible for: open ones by due date, then the
    latest finished ones."""
    user_access = access_for(request.user)
    organisation_ids = user_access.organisation_ids
    # A measure's owner is an organisation of its municipality: naming those municipalities
    # changes nothing but lets Citus read only their shards.
    municipality_ids = {user_access.municipality_of[org] for org in organisation_ids}
    mine = Measure.objects.filter(
        municipality_id__in=municipality_ids, responsible_id__in=organisation_ids
    )
    context = {
        "open": _list_related(mine.open()),
        "finished": mine.exclude(status__in=OPEN_STATUSES)
        .select_related("responsible", "place", "area")
        .order_by("-updated_at")[:20],
        "today": timezone.localdate(),
        "has_organisation": bool(organisation_ids),
    }
    return render(request, "measures/own.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def measure_create(request):
    municipality = chosen_municipality(request)
    if municipality is None or not access.can_contribute(request.user, municipality.pk):
        raise PermissionDenied(_("Du kan inte lägga åtgärder i den här kommunen."))
    coordinator = access.can_coordinate(request.user, municipality.pk)
    events = _events_from(request, municipality)
    saving = request.method == "POST" and "forslag" not in request.POST
    # "Föreslå ansvarig" posts the form only to show the rules' answer: nothing is checked
    # or saved, the values come back as they were typed.
    initial = request.POST.dict() if request.method == "POST" else _initial_from(events)
    form = NewMeasureForm(
        request.POST if saving else None,
        municipality=municipality,
        coordinator=coordinator,
        initial=initial,
    )
    suggestion = _suggestion_for(form, municipality)
    if saving and form.is_valid():
        measure = _create(request, form, municipality, coordinator, suggestion)
        if measure is not None:
            messages.success(request, _("Åtgärden är sparad."))
            return redirect(measure)
    context = {
        "form": form,
        "municipality": municipality,
        "events": events,
        "suggestion": suggestion,
        "coordinator": coordinator,
    }
    return render(request, "measures/form.html", context, status=400 if form.errors else 200)


def _create(request, form, municipality, coordinator: bool, suggestion):
    data = dict(form.cleaned_data)
    event_ids = data.pop("events", [])
    responsible = data.pop("responsible", None)
    status = data.pop("status", Status.PROPOSED)
    if responsible is None and coordinator:
        # Left to the rules: the coordinator sees the suggestion on the form before saving.
        responsible = suggestion.organisation
    events = Event.objects.filter(pk__in=event_ids)
    try:
        return actions.create_measure(
            municipality,
            acting_user=request.user,
            status=status,
            responsible=responsible,
            events=events,
            **data,
        )
    except ValidationError as error:
        add_action_errors(form, error)
        return None


def _events_from(request, municipality) -> list[Event]:
    """The events a measure is being made from (`?handelser=1,2`), as far as the user sees them."""
    raw = request.GET.get("handelser") or request.POST.get("events") or ""
    ids = [int(part) for part in raw.split(",") if part.strip().isdigit()]
    if not ids:
        return []
    return list(
        Event.objects.visible_to(request.user)
        .filter(pk__in=ids, municipality=municipality)
        .select_related("category", "place", "area")
    )


def _initial_from(events: list[Event]) -> dict:
    if not events:
        return {}
    first = events[0]
    return {
        "events": ",".join(str(e.pk) for e in events),
        "category": first.category_id,
        "place": first.place_id,
        "area": first.area_id,
        "title": f"{first.category.name}: {first.place or first.area or ''}".rstrip(": "),
    }


def _suggestion_for(form, municipality) -> routing.Suggestion:
    """The rules' answer for what the form says so far (bound data or initial values)."""
    values = {}
    for name in ("category", "place", "area"):
        field = form.fields[name]
        raw = form[name].value()
        try:
            values[name] = field.clean(raw) if raw not in (None, "") else None
        except ValidationError:
            values[name] = None
    return routing.suggest(municipality.pk, **values)


def _measure_for(request, pk: int) -> Measure:
    measures = Measure.objects.visible_to(request.user).select_related(
        "municipality", "responsible", "place", "area", "category"
    )
    measure = own_first_or_404(request.user, measures, pk=pk)
    # Read apart, naming the municipality: a join to the nullable plan problem would be an
    # outer join between sharded tables.
    one_shard.load_problem([measure], measure.municipality_id)
    return measure


@require_GET
@login_required
def measure_detail(request, pk: int):
    measure = _measure_for(request, pk)
    return _render_detail(request, measure)


def _render_detail(request, measure: Measure, status: int = 200, **bound_forms):
    """The measure page; `bound_forms` are forms that came back with errors."""
    linked = one_shard.linked_events(measure)
    visible = list(
        one_shard.linked_events(measure, Event.objects.visible_to(request.user))
        .select_related("category", "place", "organisation")
        .order_by("-occurred_from")[:100]
    )
    context = {
        "measure": measure,
        "entries": measure.entries.filter(municipality_id=measure.municipality_id).select_related(
            "organisation"
        ),
        "events": visible,
        "hidden_events": linked.count() - len(visible),
        "decision": _decision_of(measure),
        "can_edit": measure.is_open
        and access.can_coordinate(request.user, measure.municipality_id),
        "suggestion": None
        if measure.responsible_id
        else routing.suggest(
            measure.municipality_id,
            category=measure.category,
            area=measure.area,
            place=measure.place,
        ),
        "today": timezone.localdate(),
        "carries_out": carried_out.for_measures([measure.pk]).get(measure.pk, []),
    }
    context.update(_detail_forms(request.user, measure) | bound_forms)
    return render(request, "measures/detail.html", context, status=status)


def _decision_of(measure: Measure) -> Decision | None:
    """The meeting decision behind the measure, if any (`measure.decision`, with the
    municipality named)."""
    municipality_id = measure.municipality_id
    return (
        Decision.objects.filter(
            municipality_id=municipality_id, meeting__municipality_id=municipality_id
        )
        .select_related("meeting")
        .filter(measure_id=measure.pk)
        .first()
    )


def _detail_forms(user, measure: Measure) -> dict:
    """The forms this user may use on this measure (None for those they may not)."""
    coordinator = access.can_coordinate(user, measure.municipality_id)
    can_status = measure.is_open and access.can_update_status(user, measure)
    assign = coordinator and measure.is_open
    return {
        "status_form": StatusForm(measure=measure) if can_status else None,
        "assign_form": AssignForm(
            municipality=measure.municipality, initial={"responsible": measure.responsible_id}
        )
        if assign
        else None,
        "comment_form": CommentForm() if access.can_comment(user, measure) else None,
    }


@require_http_methods(["GET", "POST"])
@login_required
def measure_edit(request, pk: int):
    measure = _measure_for(request, pk)
    if not access.can_coordinate(request.user, measure.municipality_id):
        raise PermissionDenied(_("Bara samordnare i kommunen kan ändra åtgärden."))
    form = MeasureForm(request.POST or None, instance=measure, municipality=measure.municipality)
    if request.method == "POST" and form.is_valid():
        changed = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            actions.update_measure(
                Measure.objects.get(pk=measure.pk), acting_user=request.user, **changed
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Ändringarna är sparade."))
            return redirect(measure)
    context = {"form": form, "measure": measure, "municipality": measure.municipality}
    return render(request, "measures/edit.html", context, status=400 if form.errors else 200)


@require_POST
@login_required
def measure_status(request, pk: int):
    measure = _measure_for(request, pk)
    if not access.can_update_status(request.user, measure):
        raise PermissionDenied(_("Bara ansvarig organisation och samordnare kan ändra status."))
    form = StatusForm(request.POST, measure=measure)
    if form.is_valid():
        try:
            actions.set_measure_status(
                measure,
                form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
                acting_user=request.user,
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(
                request,
                _("Status är ändrad till %(status)s.") % {"status": measure.get_status_display()},
            )
            return redirect(measure)
    return _render_detail(request, _measure_for(request, pk), 400, status_form=form)


@require_POST
@login_required
def measure_assign(request, pk: int):
    measure = _measure_for(request, pk)
    if not access.can_coordinate(request.user, measure.municipality_id):
        raise PermissionDenied(_("Bara samordnare i kommunen kan fördela åtgärder."))
    form = AssignForm(request.POST, municipality=measure.municipality)
    if form.is_valid():
        try:
            actions.assign_measure(
                measure, form.cleaned_data["responsible"], acting_user=request.user
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Ansvaret är fördelat och organisationen får besked."))
            return redirect(measure)
    return _render_detail(request, _measure_for(request, pk), 400, assign_form=form)


@require_POST
@login_required
def measure_comment(request, pk: int):
    measure = _measure_for(request, pk)
    if not access.can_comment(request.user, measure):
        raise PermissionDenied(_("Du kan inte kommentera den här åtgärden."))
    form = CommentForm(request.POST)
    if form.is_valid():
        actions.comment_on_measure(measure, form.cleaned_data["text"], acting_user=request.user)
        messages.success(request, _("Kommentaren är sparad."))
        return redirect(measure)
    return _render_detail(request, measure, 400, comment_form=form)
