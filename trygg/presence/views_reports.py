"""The staff page of a shift's report: the counts, the interventions, the note and what the
group observed (the events the reader may see, each linked to its own page)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from trygg.events.models import Event
from trygg.organisations.access import access_for
from trygg.organisations.shards import own_first_or_404
from trygg.presence.models import Shift, ShiftReport


@require_GET
@login_required
def report_detail(request, pk: int):
    # Every sharded table named in the shift's municipality: one shard on Citus, which
    # refuses joins on ids alone.
    shift = own_first_or_404(
        request.user, Shift.objects.visible_to(request.user).with_group(), pk=pk
    )
    municipality_id = shift.municipality_id
    reports = ShiftReport.objects.filter(municipality_id=municipality_id, shift=shift)
    report = reports.select_related("reported_by").first()
    if report is None:
        raise Http404
    events = (
        Event.objects.visible_to(request.user)
        .filter(
            municipality_id=municipality_id,
            shift_observation__municipality_id=municipality_id,
            shift_observation__report=report,
        )
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
