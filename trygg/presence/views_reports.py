"""The staff page of a shift's report: the counts, the interventions, the note and what the
group observed (the events the reader may see, each linked to its own page)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from trygg.events.models import Event
from trygg.organisations.access import access_for
from trygg.presence.models import Shift, ShiftReport


@require_GET
@login_required
def report_detail(request, pk: int):
    shifts = Shift.objects.visible_to(request.user).select_related(
        "group__organisation", "area", "municipality"
    )
    shift = get_object_or_404(shifts.defer("area__geometry", "municipality__geometry"), pk=pk)
    report = ShiftReport.objects.filter(shift=shift).select_related("reported_by").first()
    if report is None:
        raise Http404
    events = (
        Event.objects.visible_to(request.user)
        .filter(shift_observation__report=report)
        .select_related("category", "area")
        .order_by("occurred_from", "pk")
    )
    context = {
        "shift": shift,
        "report": report,
        "events": list(events),
        "can_report": access_for(request.user).can_report_for(shift.group.organisation),
    }
    return render(request, "presence/report.html", context)
