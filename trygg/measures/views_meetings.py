"""The EST meeting record: the municipality's meetings, a meeting's page with its priority list,
its decisions (each may become a measure in the same step) and the pack's flagged events.
Parse, check, call an action, render. Staff of the municipality read; coordinators write."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from trygg.core.forms import add_action_errors
from trygg.events.models import Event
from trygg.measures import access, one_shard, routing
from trygg.measures.actions import create_meeting, decide, set_meeting_priorities, update_meeting
from trygg.measures.forms_meetings import DecisionForm, MeetingForm, explain, priority_formset
from trygg.measures.models import Decision, Measure, Meeting, MeetingOrganisation
from trygg.organisations.access import can_view
from trygg.organisations.shards import own_first_or_404
from trygg.situation.access import chosen_municipality, situation_municipalities
from trygg.situation.models import MeetingPack

ONLY_COORDINATORS = gettext_lazy("Bara samordnare i kommunen kan föra EST-mötets protokoll.")


# --- the list and the meeting itself ---------------------------------------------------------


@require_GET
@login_required
def meetings(request):
    municipality = chosen_municipality(request)
    if municipality is None:
        return render(request, "measures/meeting_no_municipality.html", status=403)
    # Counted in subqueries and the packs read apart, each naming the municipality: joins to
    # the link table, the decisions and the (nullable) pack would span shards.
    in_municipality = {"municipality_id": municipality.pk}
    rows = list(
        Meeting.objects.filter(**in_municipality).annotate(
            organisation_count=one_shard.count_of(
                MeetingOrganisation.objects.filter(**in_municipality), "meeting"
            ),
            decision_count=one_shard.count_of(
                Decision.objects.filter(**in_municipality), "meeting"
            ),
        )[:200]
    )
    one_shard.load_in_municipality(rows, municipality.pk, "pack")
    context = {
        "municipality": municipality,
        "municipalities": situation_municipalities(request.user),
        "meetings": rows,
        "can_edit": access.can_coordinate(request.user, municipality.pk),
    }
    return render(request, "measures/meeting_list.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def meeting_create(request):
    """A new meeting; from a pack's page (?underlag=<pk>) with that pack chosen."""
    pack = _pack_from_query(request)
    municipality = pack.municipality if pack else chosen_municipality(request)
    if municipality is None:
        return render(request, "measures/meeting_no_municipality.html", status=403)
    _require_coordinator(request.user, municipality.pk)
    form = MeetingForm(request.POST or None, municipality=municipality)
    if pack is not None:
        form.fields["pack"].initial = pack.pk
    if request.method == "POST" and form.is_valid():
        try:
            meeting = create_meeting(municipality, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("EST-mötet är sparat. Skriv prioriteringar och beslut."))
            return redirect(meeting)
    context = {"form": form, "municipality": municipality, "meeting": None}
    return render(request, "measures/meeting_form.html", context, status=_status(form))


@require_GET
@login_required
def meeting(request, pk: int):
    meeting = _meeting_for(request, pk)
    editable = access.can_coordinate(request.user, meeting.municipality_id)
    decision_form = None
    if editable:
        flagged = flagged_events(meeting, request.user)
        decision_form = DecisionForm(meeting=meeting, events=flagged)
        _prefill_from_event(decision_form, flagged, request.GET.get("handelse"))
    return render_meeting(request, meeting, decision_form=decision_form)


@require_http_methods(["GET", "POST"])
@login_required
def meeting_edit(request, pk: int):
    meeting = _meeting_for(request, pk)
    _require_coordinator(request.user, meeting.municipality_id)
    form = MeetingForm.for_meeting(meeting, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            update_meeting(meeting, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Mötet är ändrat."))
            return redirect(meeting)
    context = {"form": form, "municipality": meeting.municipality, "meeting": meeting}
    return render(request, "measures/meeting_form.html", context, status=_status(form))


# --- writing during the meeting --------------------------------------------------------------


@require_POST
@login_required
def meeting_priorities(request, pk: int):
    """Replace the priority list with the rows of the form, in the order of their ranks."""
    meeting = _meeting_for(request, pk)
    _require_coordinator(request.user, meeting.municipality_id)
    formset = priority_formset(meeting, request.POST)
    if formset.is_valid():
        try:
            set_meeting_priorities(meeting, formset.rows(), acting_user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Prioriteringslistan är sparad."))
            return redirect(f"{meeting.get_absolute_url()}#prioriteringar")
    return render_meeting(request, meeting, priorities_form=formset, status=400)


@require_POST
@login_required
def meeting_decide(request, pk: int):
    """Write a decision (and its measure). The 'Föreslå ansvarig' button only shows the form
    again with the organisation the rules suggest; nothing is written then."""
    meeting = _meeting_for(request, pk)
    _require_coordinator(request.user, meeting.municipality_id)
    flagged = flagged_events(meeting, request.user)
    form = DecisionForm(request.POST, meeting=meeting, events=flagged)
    if request.POST.get("action") == "suggest":
        return render_meeting(request, meeting, decision_form=_suggested(form, meeting, flagged))
    if not form.is_valid():
        return render_meeting(request, meeting, decision_form=form, status=400)
    measure = form.measure()
    suggestion = None
    if measure is not None and measure["responsible"] is None:
        suggestion = _suggest(meeting, measure)
        measure["responsible"] = suggestion.organisation
    try:
        decision = decide(
            meeting, form.cleaned_data["text"], measure=measure, acting_user=request.user
        )
    except ValidationError as error:
        add_action_errors(form, error)
        return render_meeting(request, meeting, decision_form=form, status=400)
    messages.success(request, _decided_message(decision, suggestion))
    return redirect(f"{meeting.get_absolute_url()}#beslut")


def _suggested(form: DecisionForm, meeting: Meeting, flagged) -> DecisionForm:
    """The form as typed, unbound (no errors shown yet), with the suggestion filled in."""
    form.is_valid()  # only to read the category, place and area that are valid
    data = form.cleaned_data
    initial = {name: form.data.get(name) for name in form.fields if name != "events"}
    posted = cast(QueryDict, form.data)  # meeting_decide binds the form to request.POST
    initial |= {"becomes_measure": True, "events": posted.getlist("events")}
    suggested = DecisionForm(initial=initial, meeting=meeting, events=flagged)
    fields = {name: data.get(name) for name in ("category", "place", "area")}
    suggested.show_suggestion(_suggest(meeting, fields))
    return suggested


def _suggest(meeting: Meeting, fields: dict) -> routing.Suggestion:
    return routing.suggest(
        meeting.municipality_id,
        category=fields.get("category"),
        area=fields.get("area"),
        place=fields.get("place"),
    )


def _decided_message(decision: Decision, suggestion) -> str:
    measure = decision.measure
    if measure is None:
        return _("Beslutet är sparat.")
    text = _("Beslutet är sparat och åtgärden ”%(title)s” är beslutad med %(org)s som ansvarig.")
    text %= {"title": measure.title, "org": measure.responsible}
    if suggestion is not None:
        text = f"{text} {explain(suggestion)}"
    return text


def _prefill_from_event(form: DecisionForm, flagged: QuerySet[Event], raw_pk) -> None:
    """'Gör till beslut' on a flagged event: a measure at its place, in its category, with
    the organisation the rules suggest for it."""
    try:
        event = flagged.get(pk=int(raw_pk)) if raw_pk else None
    except (ValueError, Event.DoesNotExist):
        event = None
    if event is None:
        return
    where = event.place or event.area
    form.initial.update(
        {
            "becomes_measure": True,
            "title": f"{event.category.name}: {where}" if where else event.category.name,
            "category": event.category_id,
            "place": event.place_id,
            "area": event.area_id if event.place_id is None else None,
            "events": [event.pk],
        }
    )
    form.show_suggestion(routing.suggest_for_event(event))


# --- the page --------------------------------------------------------------------------------


def render_meeting(
    request, meeting: Meeting, *, priorities_form=None, decision_form=None, status: int = 200
) -> HttpResponse:
    editable = access.can_coordinate(request.user, meeting.municipality_id)
    flagged = flagged_events(meeting, request.user)
    if editable and priorities_form is None:
        priorities_form = priority_formset(meeting)
    if editable and decision_form is None:
        decision_form = DecisionForm(meeting=meeting, events=flagged)
    municipality_id = meeting.municipality_id
    # Every read names the meeting's municipality; the decisions' (nullable) measures and the
    # flagged events' measures are read apart rather than joined across shards.
    measures = Measure.objects.filter(municipality_id=municipality_id).select_related(
        "responsible", "place", "area"
    )
    decisions = meeting.decisions.filter(municipality_id=municipality_id).prefetch_related(
        Prefetch("measure", queryset=measures)
    )
    context = {
        "meeting": meeting,
        "organisations": one_shard.meeting_organisations(meeting).order_by("name"),
        "priorities": meeting.priorities.filter(municipality_id=municipality_id).select_related(
            "place", "area"
        ),
        "decisions": decisions,
        "flagged": one_shard.attach_measures(list(flagged), municipality_id)
        if meeting.pack_id
        else None,
        "can_edit": editable,
        "priorities_form": priorities_form if editable else None,
        "decision_form": decision_form if editable else None,
    }
    return render(request, "measures/meeting.html", context, status=status)


def flagged_events(meeting: Meeting, user) -> QuerySet[Event]:
    """The events the pack flagged for the meeting that this user may see."""
    flagged = (meeting.pack.content or {}).get("flagged", []) if meeting.pack else []
    ids = [row["id"] for row in flagged if isinstance(row, dict) and "id" in row]
    return (
        Event.objects.visible_to(user)
        .filter(pk__in=ids, municipality_id=meeting.municipality_id)
        .with_related()
        .order_by("occurred_from", "pk")
    )


# --- helpers ---------------------------------------------------------------------------------


def _meeting_for(request, pk: int) -> Meeting:
    meetings = Meeting.objects.select_related("municipality").defer("municipality__geometry")
    meeting = own_first_or_404(request.user, meetings, pk=pk)
    if not can_view(request.user, meeting.municipality_id):
        raise PermissionDenied(_("Mötet hör till en annan kommun."))
    # Read apart, naming the municipality: the pack is optional, an outer join across shards.
    one_shard.load_in_municipality([meeting], meeting.municipality_id, "pack")
    return meeting


def _require_coordinator(user, municipality_id: int) -> None:
    if not access.can_coordinate(user, municipality_id):
        raise PermissionDenied(ONLY_COORDINATORS)


def _pack_from_query(request) -> MeetingPack | None:
    raw = request.GET.get("underlag")
    if not raw:
        return None
    try:
        packs = MeetingPack.objects.select_related("municipality")
        pack = own_first_or_404(request.user, packs, pk=int(raw))
    except ValueError:
        return None
    if not can_view(request.user, pack.municipality_id):
        raise PermissionDenied(_("Mötesunderlaget hör till en annan kommun."))
    return pack


def _status(form) -> int:
    return 400 if form.is_bound and form.errors else 200
