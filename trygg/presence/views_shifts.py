"""Planning pages: one shift, a series, a shift's page, changing and cancelling it, marking it
held. The form parses, the action checks and writes; a clash with another group is shown as a
warning after saving, never a refusal."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from trygg.core.forms import add_action_errors
from trygg.organisations.access import access_for
from trygg.organisations.shards import children, joined_in_municipality
from trygg.presence.access import may_plan_any, may_plan_for
from trygg.presence.actions.series import plan_series
from trygg.presence.actions.shifts import cancel_shift, mark_held, plan_shift, update_shift
from trygg.presence.calendar import clashes_among, clashes_for
from trygg.presence.forms import CancelForm, SeriesForm, ShiftForm
from trygg.presence.guards import guard_warning
from trygg.presence.models import PresenceGroup, Shift, ShiftReport, ShiftSeries
from trygg.situation.access import chosen_municipality

# The action names times as the model does; the form asks for a day and two times.
SHIFT_FIELDS = {"starts_at": "start_time", "ends_at": "end_time"}


def renamed(error: ValidationError, names: dict[str, str]) -> ValidationError:
    if not hasattr(error, "error_dict"):
        return error
    return ValidationError({names.get(k, k): v for k, v in error.message_dict.items()})


def _planning_municipality(request):
    municipality = chosen_municipality(request)
    if municipality is None or not may_plan_any(request.user, municipality.pk):
        raise PermissionDenied(_("Du planerar inte pass för någon grupp i kommunen."))
    return municipality


def _visible_shift(request, pk: int) -> Shift:
    # The shift alone with the shared tables (its municipality is not known before it is read);
    # its group and series then in queries naming that municipality. Joined, the sharded tables
    # over several municipalities (and the outer join to the series) are refused by Citus.
    shifts = Shift.objects.visible_to(request.user).select_related("area", "municipality")
    shift = get_object_or_404(shifts.defer("area__geometry", "municipality__geometry"), pk=pk)
    municipality_id = shift.municipality_id
    shift.group = PresenceGroup.objects.select_related("organisation").get(
        pk=shift.group_id, municipality_id=municipality_id
    )
    if shift.series_id is not None:
        shift.series = ShiftSeries.objects.get(pk=shift.series_id, municipality_id=municipality_id)
    return shift


def _planned_by_user(request, pk: int) -> Shift:
    shift = _visible_shift(request, pk)
    if not may_plan_for(request.user, shift.municipality_id, shift.group.organisation_id):
        raise PermissionDenied(
            _("Bara gruppens organisation och kommunens samordnare kan ändra passet.")
        )
    return shift


def series_shifts(series) -> list[Shift]:
    """A series' shifts with their groups and areas, read in the series' municipality and the
    groups joined there too: one shard on Citus, which refuses joining them on ids alone."""
    return list(
        children(series, "shifts")
        .filter(**joined_in_municipality("group"))
        .select_related("group", "area")
    )


def warn_about_clashes(request, clashes: list[Shift]) -> None:
    for other in clashes:
        start, end = timezone.localtime(other.starts_at), timezone.localtime(other.ends_at)
        message = _(
            "Obs! %(group)s har också ett pass i %(area)s %(day)s kl. %(start)s–%(end)s."
        ) % {
            "group": other.group.name,
            "area": other.area.name,
            "day": f"{start:%Y-%m-%d}",
            "start": f"{start:%H:%M}",
            "end": f"{end:%H:%M}",
        }
        messages.warning(request, message)


@require_http_methods(["GET", "POST"])
@login_required
def shift_new(request):
    municipality = _planning_municipality(request)
    initial = {"group": request.GET.get("grupp"), "day": request.GET.get("dag")}
    form = ShiftForm(
        request.POST or None, municipality=municipality, user=request.user, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            shift = plan_shift(
                municipality,
                form.cleaned_data["group"],
                form.shift_input(),
                acting_user=request.user,
            )
        except ValidationError as error:
            add_action_errors(form, renamed(error, SHIFT_FIELDS))
        else:
            messages.success(request, _("Passet är planerat."))
            warn_about_clashes(request, clashes_for(shift))
            return redirect(shift)
    status = 400 if form.is_bound else 200
    context = {"form": form, "municipality": municipality, "shift": None}
    return render(request, "presence/shift_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def series_new(request):
    municipality = _planning_municipality(request)
    initial = {"group": request.GET.get("grupp"), "weekdays": [5, 6], "weeks": 4}
    form = SeriesForm(
        request.POST or None, municipality=municipality, user=request.user, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            series = plan_series(
                municipality,
                form.cleaned_data["group"],
                form.series_input(),
                acting_user=request.user,
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            shifts = series_shifts(series)
            messages.success(request, _("%(n)s pass är planerade.") % {"n": len(shifts)})
            clashing = [pk for pk, found in clashes_among(shifts).items() if found]
            if clashing:
                message = _(
                    "Obs! %(n)s av passen sammanfaller med en annan grupps pass i samma område."
                )
                messages.warning(request, message % {"n": len(clashing)})
            return redirect(series.group)
    status = 400 if form.is_bound else 200
    context = {"form": form, "municipality": municipality}
    return render(request, "presence/series_form.html", context, status=status)


@require_GET
@login_required
def shift_detail(request, pk: int):
    shift = _visible_shift(request, pk)
    context = {
        "shift": shift,
        "clashes": clashes_for(shift),
        "guard_warning": guard_warning(shift),
        "can_plan": may_plan_for(request.user, shift.municipality_id, shift.group.organisation_id),
        "has_started": shift.starts_at <= timezone.now(),
        "report": ShiftReport.objects.filter(
            shift=shift, municipality_id=shift.municipality_id
        ).first(),
        "can_report": access_for(request.user).can_report_for(shift.group.organisation),
    }
    return render(request, "presence/shift.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def shift_edit(request, pk: int):
    shift = _planned_by_user(request, pk)
    if not shift.is_planned:
        raise Http404
    form = ShiftForm(
        request.POST or None,
        municipality=shift.municipality,
        user=request.user,
        shift=shift,
        initial=ShiftForm.initial_from(shift),
    )
    if request.method == "POST" and form.is_valid():
        try:
            updated = update_shift(shift, form.shift_input(), acting_user=request.user)
        except ValidationError as error:
            add_action_errors(form, renamed(error, SHIFT_FIELDS))
        else:
            messages.success(request, _("Ändringarna är sparade."))
            warn_about_clashes(request, clashes_for(updated))
            return redirect(shift)
    status = 400 if form.is_bound else 200
    context = {"form": form, "municipality": shift.municipality, "shift": shift}
    return render(request, "presence/shift_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def shift_cancel(request, pk: int):
    shift = _planned_by_user(request, pk)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            cancel_shift(shift, form.cleaned_data["reason"], acting_user=request.user)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Passet är inställt."))
            return redirect(shift)
    status = 400 if form.is_bound else 200
    return render(
        request, "presence/shift_cancel.html", {"shift": shift, "form": form}, status=status
    )


@require_POST
@login_required
def shift_held(request, pk: int):
    shift = _planned_by_user(request, pk)
    try:
        mark_held(shift, acting_user=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Passet är markerat som genomfört."))
    return redirect(shift)
