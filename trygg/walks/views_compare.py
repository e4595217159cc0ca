"""The comparison of a walk with the earlier walk on the same route (issue 11, item 6).

Visible like the walk: to those who may see both walks (`Walk.objects.visible_to`); findings
whose event the reader may not see are left out (`compare.comparison_data(user=)`)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from trygg.walks.compare import comparison_data
from trygg.walks.in_municipality import read_previous
from trygg.walks.models import Walk


@require_GET
@login_required
def compare(request, pk: int):
    visible = Walk.objects.visible_to(request.user)
    walk = get_object_or_404(visible.select_related("template"), pk=pk)
    # The earlier walk is in the same municipality: named, so that sharded (Citus) the queries
    # go to its shard (an outer join to a second walk would be refused).
    read_previous(walk)
    # A comparison shows the earlier walk's findings: only for those who may see that walk too.
    if (
        walk.previous is None
        or not visible.filter(municipality_id=walk.municipality_id, pk=walk.previous_id).exists()
    ):
        raise Http404
    context = {"walk": walk, "comparison": comparison_data(walk, user=request.user)}
    return render(request, "walks/compare.html", context)
