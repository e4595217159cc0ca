"""The groups of a municipality: the list, a group's page with its coming and recent shifts,
setting a group up and changing it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from trygg.core.forms import add_action_errors
from trygg.presence.access import may_plan_any, may_plan_for
from trygg.presence.actions.groups import create_group, update_group
from trygg.presence.calendar import build_calendar
from trygg.presence.forms import GroupForm
from trygg.presence.models import PresenceGroup, Shift, ShiftState
from trygg.situation.access import chosen_municipality

# The group's page shows this many of its latest past shifts.
RECENT_SHIFTS = 10


def _visible_group(request, pk: int) -> PresenceGroup:
    groups = PresenceGroup.objects.visible_to(request.user).select_related(
        "organisation", "municipality"
    )
    return get_object_or_404(groups.defer("municipality__geometry"), pk=pk)


@require_GET
@login_required
def group_list(request):
    municipality = chosen_municipality(request)
    if municipality is None:
        return render(request, "presence/no_municipality.html", status=403)
    groups = list(
        PresenceGroup.objects.filter(municipality=municipality)
        .select_related("organisation")
        .order_by("-active", "name")
    )
    # Counted in a query of its own that names the municipality: Citus refuses the outer join
    # from the groups to their shifts.
    upcoming = dict(
        Shift.objects.filter(municipality=municipality, starts_at__gte=timezone.now())
        .exclude(state=ShiftState.CANCELLED)
        .order_by()
        .values("group")
        .annotate(n=Count("pk"))
        .values_list("group", "n")
    )
    for group in groups:
        group.upcoming = upcoming.get(group.pk, 0)
    context = {
        "municipality": municipality,
        "groups": groups,
        "can_plan": may_plan_any(request.user, municipality.pk),
    }
    return render(request, "presence/group_list.html", context)


@require_GET
@login_required
def group_detail(request, pk: int):
    group = _visible_group(request, pk)
    calendar = build_calendar(group.municipality, group=group)
    recent = group.shifts.filter(
        municipality_id=group.municipality_id, starts_at__lt=timezone.now()
    ).select_related("area")
    context = {
        "group": group,
        "days": [day for day in calendar.days if day.rows],
        "calendar": calendar,
        "recent": recent.defer("area__geometry").order_by("-starts_at")[:RECENT_SHIFTS],
        "can_plan": may_plan_for(request.user, group.municipality_id, group.organisation_id),
    }
    return render(request, "presence/group.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def group_new(request):
    municipality = chosen_municipality(request)
    if municipality is None or not may_plan_any(request.user, municipality.pk):
        raise PermissionDenied(_("Du kan inte lägga upp grupper i kommunen."))
    form = GroupForm(request.POST or None, municipality=municipality, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            group = create_group(
                municipality,
                form.cleaned_data["organisation"],
                form.group_input(),
                acting_user=request.user,
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Gruppen är upplagd. Planera dess pass."))
            return redirect(group)
    status = 400 if form.is_bound else 200
    context = {"form": form, "municipality": municipality, "group": None}
    return render(request, "presence/group_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def group_edit(request, pk: int):
    group = _visible_group(request, pk)
    if not may_plan_for(request.user, group.municipality_id, group.organisation_id):
        raise PermissionDenied(
            _("Bara organisationen själv och kommunens samordnare kan ändra gruppen.")
        )
    initial = {"kind": group.kind, "name": group.name, "active": group.active}
    form = GroupForm(
        request.POST or None,
        municipality=group.municipality,
        user=request.user,
        group=group,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            update_group(group, form.group_input(), acting_user=request.user)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Ändringarna är sparade."))
            return redirect(group)
    status = 400 if form.is_bound else 200
    context = {"form": form, "municipality": group.municipality, "group": group}
    return render(request, "presence/group_form.html", context, status=status)
