"""Ordningsvakter under /narvaro/ordningsvakter/: the municipality's guard areas (valid now
and expired), the form for a county decision, and the export of the guards' shift reports
for the police (CSV, a printable page, PDF). Parse, check, call the action, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from trygg.core.forms import add_action_errors
from trygg.core.pdf import pdf_response
from trygg.organisations.access import access_for
from trygg.organisations.shards import own_first_or_404
from trygg.presence.access import (
    check_may_manage_guard_areas,
    may_export_guard_reports,
    may_manage_guard_areas,
)
from trygg.presence.actions.guards import create_guard_area, end_guard_area, update_guard_area
from trygg.presence.forms_guards import EndGuardAreaForm, ExportForm, GuardAreaForm
from trygg.presence.guards import export_csv, guard_export
from trygg.presence.models import GroupKind, GuardArea, PresenceGroup
from trygg.situation.access import chosen_municipality


def _municipality(request):
    municipality = chosen_municipality(request)
    if municipality is None:
        raise PermissionDenied(_("Du arbetar inte i någon kommun i Trygg."))
    return municipality


def _guard_organisation_ids(municipality) -> set[int]:
    groups = PresenceGroup.objects.filter(municipality=municipality, kind=GroupKind.ORDER_GUARDS)
    return set(groups.values_list("organisation_id", flat=True))


def _may_export(request, municipality) -> bool:
    orgs = _guard_organisation_ids(municipality)
    return may_export_guard_reports(request.user, municipality.pk, orgs)


def _page(request, municipality, form=None, export_form=None, status=200):
    today = timezone.localdate()
    areas = list(
        GuardArea.objects.filter(municipality=municipality)
        .defer("geometry")
        .prefetch_related("areas")
    )
    can_manage = may_manage_guard_areas(request.user, municipality.pk)
    context = {
        "municipality": municipality,
        "here": "guards",
        "valid": [a for a in areas if a.is_valid_on(today) or a.valid_from > today],
        "expired": [a for a in areas if a.valid_to is not None and a.valid_to < today],
        "can_manage": can_manage,
        "can_export": _may_export(request, municipality),
        "form": form or (GuardAreaForm(municipality) if can_manage else None),
        "export_form": export_form or ExportForm(municipality),
    }
    return render(request, "presence/guards.html", context, status=status)


@require_GET
@login_required
def guards_page(request):
    return _page(request, _municipality(request))


@require_POST
@login_required
def guard_area_new(request):
    municipality = _municipality(request)
    check_may_manage_guard_areas(request.user, municipality.pk)
    form = GuardAreaForm(municipality, request.POST)
    if form.is_valid():
        try:
            guard_area = create_guard_area(municipality, form.to_input(), acting_user=request.user)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            saved = _("Ordningsvaktsområdet %(name)s är sparat.") % {"name": guard_area.name}
            messages.success(request, saved)
            return redirect(reverse("presence:guards") + f"?kommun={municipality.pk}")
    return _page(request, municipality, form=form, status=422)


def _guard_area(request, pk: int) -> GuardArea:
    """A guard area of a municipality the user works in (404 otherwise), for its coordinators."""
    guard_areas = GuardArea.objects.select_related("municipality")
    guard_area = own_first_or_404(request.user, guard_areas, pk=pk)
    if not access_for(request.user).can_view(guard_area.municipality_id):
        raise Http404
    check_may_manage_guard_areas(request.user, guard_area.municipality_id)
    return guard_area


def _edit_page(request, guard_area, form=None, end_form=None, status=200):
    municipality = guard_area.municipality
    context = {
        "municipality": municipality,
        "guard_area": guard_area,
        "form": form or GuardAreaForm(municipality, guard_area=guard_area),
        "end_form": end_form or EndGuardAreaForm(),
        "ended": guard_area.valid_to is not None and guard_area.valid_to < timezone.localdate(),
    }
    return render(request, "presence/guard_area_form.html", context, status=status)


def _back(guard_area) -> HttpResponse:
    return redirect(reverse("presence:guards") + f"?kommun={guard_area.municipality_id}")


@require_http_methods(["GET", "POST"])
@login_required
def guard_area_edit(request, pk: int):
    """Change a decision as entered: name, reference, dates, validity and areas (GET: the form)."""
    guard_area = _guard_area(request, pk)
    if request.method != "POST":
        return _edit_page(request, guard_area)
    form = GuardAreaForm(guard_area.municipality, request.POST, guard_area=guard_area)
    if form.is_valid():
        try:
            update_guard_area(guard_area, form.to_input(), acting_user=request.user)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            saved = _("Ändringarna i %(name)s är sparade.") % {"name": form.cleaned_data["name"]}
            messages.success(request, saved)
            return _back(guard_area)
    return _edit_page(request, guard_area, form=form, status=422)


@require_POST
@login_required
def guard_area_end(request, pk: int):
    """The decision stops applying after the given day; it stays among the expired ones."""
    guard_area = _guard_area(request, pk)
    form = EndGuardAreaForm(request.POST)
    if form.is_valid():
        try:
            end_guard_area(guard_area, form.cleaned_data["valid_to"], acting_user=request.user)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            ended = _("%(name)s gäller till och med %(day)s.") % {
                "name": guard_area.name,
                "day": form.cleaned_data["valid_to"].isoformat(),
            }
            messages.success(request, ended)
            return _back(guard_area)
    return _edit_page(request, guard_area, end_form=form, status=422)


@require_GET
@login_required
def guards_export(request):
    municipality = _municipality(request)
    if not _may_export(request, municipality):
        raise PermissionDenied(
            _("Bara kommunens samordnare och ordningsvakternas organisation kan ta ut rapporterna.")
        )
    form = ExportForm(municipality, request.GET)
    if not form.is_valid():
        return _page(request, municipality, export_form=form, status=422)
    data = form.cleaned_data
    export = guard_export(municipality, data["start"], data["end"], data["guard_area"])
    name = f"ordningsvakter-{municipality.code}-{data['start']}-{data['end']}"
    if data["format"] == "csv":
        response = HttpResponse(export_csv(export), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    context = {"export": export, "municipality": municipality}
    if data["format"] == "pdf":
        return pdf_response(request, "presence/guards_export.html", context, filename=f"{name}.pdf")
    return render(request, "presence/guards_export.html", context)
