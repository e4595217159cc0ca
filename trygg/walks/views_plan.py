"""The planning pages: the walks list, a walk's page (the hub), planning it, its route and
stops, who is invited, the participants as counts, and the municipality's checklists.
Parse, check, call an action, render."""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from trygg.core.forms import add_action_errors
from trygg.events.models import Event
from trygg.organisations.access import access_for
from trygg.organisations.models import Organisation
from trygg.situation.access import chosen_municipality
from trygg.walks.actions import plans, templates
from trygg.walks.actions.findings import capturing_organisation
from trygg.walks.forms_plan import (
    InvitationForm,
    ParticipantsForm,
    RouteForm,
    TemplateForm,
    WalkForm,
    item_formset,
    places_for,
    stop_formset,
)
from trygg.walks.in_municipality import children, count_by_walk, read_previous
from trygg.walks.invitations import suggest_invitations
from trygg.walks.models import PARTICIPANT_GROUPS, ChecklistTemplate, Finding, Walk


def _walk_for(request, pk: int) -> Walk:
    walks = Walk.objects.visible_to(request.user).select_related(
        "municipality", "organisation", "area", "template"
    )
    walk = get_object_or_404(walks, pk=pk)
    # The earlier walk read apart, naming the municipality: an outer join to a second
    # sharded walk would be refused by Citus.
    read_previous(walk)
    return walk


def _planned_by_user(request, pk: int) -> Walk:
    """A walk the user may see and plan (its municipality's coordinators); 403 otherwise."""
    walk = _walk_for(request, pk)
    if not access_for(request.user).can_coordinate(walk.municipality_id):
        raise PermissionDenied(_("Bara samordnare i kommunen kan planera vandringen."))
    return walk


def _coordinated_municipality(request):
    municipality = chosen_municipality(request)
    if municipality is None or not access_for(request.user).can_coordinate(municipality.pk):
        raise PermissionDenied(_("Bara samordnare i kommunen kan planera trygghetsvandringar."))
    return municipality


# --- the list and a walk's page ---------------------------------------------------------------


@require_GET
@login_required
def walk_list(request):
    walks = Walk.objects.visible_to(request.user).select_related("municipality", "area")
    upcoming = list(walks.filter(status=Walk.Status.PLANNED).order_by("walk_at", "pk"))
    held = list(walks.exclude(status=Walk.Status.PLANNED).order_by("-walk_at", "-pk"))
    # The findings counted in a query of their own naming the walks' municipalities: an
    # outer join from walks to findings across municipalities is refused by Citus.
    counts = count_by_walk(Finding, upcoming + held)
    for walk in upcoming + held:
        walk.findings_count = counts.get(walk.pk, 0)
    municipality = chosen_municipality(request)
    access = access_for(request.user)
    context = {
        "upcoming": upcoming,
        "held": held,
        "municipality": municipality,
        "can_plan": municipality is not None and access.can_coordinate(municipality.pk),
        # An invited organisation may see walks in another municipality than its own.
        "several_municipalities": walks.values("municipality_id").distinct().count() > 1,
    }
    return render(request, "walks/list.html", context)


@require_GET
@login_required
def walk_detail(request, pk: int):
    walk = _walk_for(request, pk)
    stops = list(children(walk, "stops").select_related("place"))
    # The walk's municipality named for the event and its finding, so that sharded (Citus)
    # the query goes to the walk's shard.
    findings = Event.objects.visible_to(request.user).filter(
        municipality_id=walk.municipality_id,
        walk_finding__walk=walk,
        walk_finding__municipality_id=walk.municipality_id,
    )
    context = {
        "walk": walk,
        "stops": stops,
        "invitations": children(walk, "invitations").select_related("organisation"),
        "participants": walk.participant_counts(),
        "participants_total": _participants_total(walk),
        "findings_count": children(walk, "findings").count(),
        "later_walks": children(walk, "later_walks").visible_to(request.user).order_by("walk_at"),
        "can_plan": access_for(request.user).can_coordinate(walk.municipality_id),
        "answering": answering_organisations(walk, request.user),
        "can_capture": may_capture(walk, request.user),
        "map_config": _map_config(walk, stops, findings),
    }
    return render(request, "walks/detail.html", context)


def may_capture(walk: Walk, user) -> bool:
    """Whether the reader may register findings on the walk's field page."""
    try:
        capturing_organisation(walk, user)
    except PermissionDenied:
        return False
    return True


def answering_organisations(walk: Walk, user):
    """The reader's organisations that answer for findings on this walk, once the protocol is
    out: each gets a link to its own answer page."""
    if not children(walk, "protocols").exists():
        return Organisation.objects.none()
    ids = access_for(user).reporting_organisation_ids()
    return Organisation.objects.filter(
        pk__in=ids,
        walk_findings__walk=walk,
        walk_findings__municipality_id=walk.municipality_id,
    ).distinct()


def _participants_total(walk: Walk) -> int | None:
    """Everyone counted once: the groups overlap (a young woman is young and a woman), so
    the total is women + men where both are given."""
    if walk.participants_women is None and walk.participants_men is None:
        return None
    return (walk.participants_women or 0) + (walk.participants_men or 0)


def _map_config(walk: Walk, stops, findings=None, places=None) -> dict:
    """What plan_map.js draws: the base map, the line, the numbered stops, the findings."""
    config = {
        "boundariesUrl": reverse("events:boundaries"),
        "tilesUrl": settings.TRYGG_MAP_TILES_URL,
        "tilesAttribution": settings.TRYGG_MAP_TILES_ATTRIBUTION,
        "fitTo": "areas",
        "fitArea": walk.area_id,
        "route": walk.route,
        "stops": [{"order": s.order, "name": s.name, "lat": s.lat, "lon": s.lon} for s in stops],
        "texts": {
            "stop": _("Stopp {n}: {name}"),
            "finding": _("Iakttagelse {n}"),
            "routePoints": _("Antal punkter i rutten: {n}."),
            "noRoute": _("Ingen rutt är ritad."),
            "stopAdded": _("Stopp {n} är placerat på kartan. Ge det ett namn i listan."),
            "pointAdded": _("Punkt {n} är lagd till rutten."),
            "tooMany": _("Rutten kan ha högst {max} punkter."),
            "noRows": _("Listan har inga fler rader: spara först för att lägga till fler."),
        },
        "maxRoutePoints": plans.MAX_ROUTE_POINTS,
    }
    if findings is not None:
        config["findings"] = [
            {"number": n, "lat": lat, "lon": lon}
            for n, lat, lon in findings.values_list("walk_finding__number", "lat", "lon")
        ]
    if places is not None:
        config["places"] = {str(p.pk): [p.lat, p.lon] for p in places}
    return config


# --- planning ---------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def walk_new(request):
    municipality = _coordinated_municipality(request)
    initial = {}
    previous_pk = request.GET.get("samma_rutt", "")
    if previous_pk.isdigit():
        previous = get_object_or_404(
            Walk.objects.visible_to(request.user).filter(municipality=municipality),
            pk=int(previous_pk),
        )
        initial = WalkForm.initial_from_previous(previous)
    form = WalkForm(request.POST or None, municipality=municipality, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            walk = plans.plan_walk(municipality, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Vandringen är planerad. Lägg in rutt och stopp."))
            return redirect(walk)
    return _render_form(request, form, municipality, None)


@require_http_methods(["GET", "POST"])
@login_required
def walk_edit(request, pk: int):
    walk = _planned_by_user(request, pk)
    form = WalkForm(
        request.POST or None,
        municipality=walk.municipality,
        walk=walk,
        initial=WalkForm.initial_from(walk),
    )
    if request.method == "POST" and form.is_valid():
        try:
            plans.update_walk(
                Walk.objects.get(pk=walk.pk), acting_user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Ändringarna är sparade."))
            return redirect(walk)
    return _render_form(request, form, walk.municipality, walk)


def _render_form(request, form, municipality, walk):
    # The suggestion for the förmöte as typed (when it parsed) or as stored.
    cleaned = getattr(form, "cleaned_data", None)
    premeeting = cleaned.get("premeeting_at") if cleaned else form.initial.get("premeeting_at")
    context = {
        "form": form,
        "municipality": municipality,
        "walk": walk,
        "date_config": {
            "gapDays": plans.SUGGESTED_GAP.days,
            "texts": {"filled": _("Föreslaget datum ifyllt: {fields}. Ändra om det behövs.")},
        },
        "suggested": plans.suggested_dates(premeeting, None, None) if premeeting else None,
    }
    return render(request, "walks/form.html", context, status=400 if form.errors else 200)


@require_POST
@login_required
def walk_mark_walked(request, pk: int):
    walk = _planned_by_user(request, pk)
    try:
        plans.mark_walked(walk, acting_user=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Vandringen är markerad som genomförd."))
    return redirect(walk)


@require_http_methods(["GET", "POST"])
@login_required
def walk_stops(request, pk: int):
    walk = _planned_by_user(request, pk)
    data = request.POST if request.method == "POST" else None
    formset = stop_formset(walk, data)
    route_form = RouteForm(data, initial={"route": _route_json(walk.route)})
    errors: list[str] = []
    if data is not None and formset.is_valid() and route_form.is_valid():
        try:
            plans.save_route(
                walk,
                formset.stops(),
                route=route_form.cleaned_data["route"],
                acting_user=request.user,
            )
        except ValidationError as error:
            errors = _route_errors_on_forms(error, formset, route_form)
        else:
            messages.success(request, _("Rutt och stopp är sparade."))
            return redirect(walk)
    places = list(places_for(walk))
    context = {
        "walk": walk,
        "formset": formset,
        "route_form": route_form,
        "route_forms": [route_form],
        "errors": errors + list(formset.non_form_errors()),
        "has_errors": bool(errors or formset.total_error_count() or route_form.errors),
        "map_config": _map_config(walk, children(walk, "stops"), places=places)
        | {"route": _shown_route(walk, route_form)},
    }
    status = 400 if context["has_errors"] else 200
    return render(request, "walks/stops.html", context, status=status)


def _shown_route(walk: Walk, route_form: RouteForm):
    """The line as posted when the page comes back with errors: a drawn route is not lost."""
    if route_form.is_bound and route_form.is_valid():
        return route_form.cleaned_data["route"]
    return walk.route


def _route_json(route) -> str:
    return json.dumps(route) if route else ""


def _route_errors_on_forms(error: ValidationError, formset, route_form) -> list[str]:
    """Put `stops.<n>.<field>` on row n's field and `route` on the route; the rest is
    returned to show above the list."""
    rows = formset.kept_forms()
    general = []
    for key, texts in error.message_dict.items():
        parts = key.split(".")
        if len(parts) == 3 and parts[0] == "stops" and 0 < int(parts[1]) <= len(rows):
            rows[int(parts[1]) - 1].add_error(parts[2], texts)
        elif key == "route":
            route_form.add_error("route", texts)
        else:
            general.extend(texts)
    return general


@require_http_methods(["GET", "POST"])
@login_required
def walk_invitations(request, pk: int):
    walk = _planned_by_user(request, pk)
    suggestions = suggest_invitations(walk)
    form = InvitationForm(request.POST or None, walk=walk, suggestions=suggestions)
    if request.method == "POST" and form.is_valid():
        try:
            plans.set_invitations(walk, form.organisations(), acting_user=request.user)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Inbjudningarna är sparade."))
            return redirect(walk)
    context = {
        "walk": walk,
        "form": form,
        "suggested_rows": _suggested_rows(form, suggestions),
        "invited": children(walk, "invitations").select_related("organisation"),
    }
    return render(request, "walks/invitations.html", context, status=400 if form.errors else 200)


def _suggested_rows(form, suggestions) -> list:
    """(checkbox, suggestion) in the suggestions' order: managers first, then the rules."""
    boxes = {int(str(box.data["value"])): box for box in form["suggested"]}
    return [(boxes[s.organisation.pk], s) for s in suggestions if s.organisation.pk in boxes]


@require_http_methods(["GET", "POST"])
@login_required
def walk_participants(request, pk: int):
    walk = _planned_by_user(request, pk)
    initial = {column: getattr(walk, column) for column, _label in PARTICIPANT_GROUPS}
    form = ParticipantsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            plans.set_participants(walk, form.cleaned_data, acting_user=request.user)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Deltagarna är sparade."))
            return redirect(walk)
    context = {"walk": walk, "form": form}
    return render(request, "walks/participants.html", context, status=400 if form.errors else 200)


# --- checklists -------------------------------------------------------------------------------


@require_GET
@login_required
def template_list(request):
    municipality = _coordinated_municipality(request)
    rows = templates.templates_for(municipality).annotate(
        item_count=Count("items", distinct=True), walk_count=Count("walks", distinct=True)
    )
    context = {
        "municipality": municipality,
        "national": rows.filter(municipality__isnull=True).order_by("name"),
        "own": rows.filter(municipality=municipality)
        .select_related("copied_from")
        .order_by("-is_active", "name"),
    }
    return render(request, "walks/templates.html", context)


def _template_for(request, pk: int):
    """(template, municipality): a national seed for the user's chosen municipality, or a
    municipality's own checklist for its coordinators."""
    template = get_object_or_404(ChecklistTemplate.objects.select_related("copied_from"), pk=pk)
    if template.municipality_id is None:
        return template, _coordinated_municipality(request)
    if not access_for(request.user).can_coordinate(template.municipality_id):
        raise PermissionDenied(_("Bara samordnare i kommunen kan ändra kommunens checklistor."))
    return template, template.municipality


@require_http_methods(["GET", "POST"])
@login_required
def template_edit(request, pk: int):
    """A national seed is shown read-only (with its copy button); the municipality's own
    checklist is edited here."""
    template, municipality = _template_for(request, pk)
    editable = template.municipality_id is not None
    data = request.POST if request.method == "POST" and editable else None
    form = TemplateForm(data, initial={"name": template.name, "is_active": template.is_active})
    formset = item_formset(template, data)
    errors: list[str] = []
    if data is not None and form.is_valid() and formset.is_valid():
        try:
            templates.edit_template(
                template,
                acting_user=request.user,
                name=form.cleaned_data["name"],
                is_active=form.cleaned_data["is_active"],
                items=formset.items(),
            )
        except ValidationError as error:
            errors = _item_errors_on_forms(error, form, formset)
        else:
            messages.success(request, _("Checklistan är sparad."))
            return redirect("walks:template", pk=template.pk)
    context = {
        "template": template,
        "municipality": municipality,
        "editable": editable,
        "form": form,
        "form_list": [form],
        "formset": formset,
        "errors": errors + list(formset.non_form_errors()),
        "has_errors": bool(errors or form.errors or formset.total_error_count()),
    }
    status = 400 if context["has_errors"] else 200
    return render(request, "walks/template_form.html", context, status=status)


def _item_errors_on_forms(error: ValidationError, form, formset) -> list[str]:
    """Put `items.<n>.<field>` on item n's field and the name on the name; the rest is
    returned to show above the list."""
    rows = formset.kept_forms()
    general = []
    for key, texts in error.message_dict.items():
        parts = key.split(".")
        if len(parts) == 3 and parts[0] == "items" and 0 < int(parts[1]) <= len(rows):
            rows[int(parts[1]) - 1].add_error(parts[2], texts)
        elif key in form.fields:
            form.add_error(key, texts)
        else:
            general.extend(texts)
    return general


@require_POST
@login_required
def template_copy(request, pk: int):
    source, municipality = _template_for(request, pk)
    copy = templates.copy_template(source, municipality, acting_user=request.user)
    messages.success(request, _("Checklistan är kopierad till kommunen. Nu kan du ändra den."))
    return redirect("walks:template", pk=copy.pk)
