"""Published walks for everyone, no login (issue 11, item 7): /oppen/vandringar/.

What a published walk shows: its route and stops, its findings counted by kind and as points
at the positions captured (findings are places, not people: the issue says so), each with its
note, the answers of those responsible and the status of the measures that followed, and
photos only once a moderator approved them. Never who captured a finding, nor the
participants (a handful of people in one group on one evening is too few to publish).

Suppression: the public summary hides small counts because a count of events can point at a
person (a victim, a reporter). A walk's counts are of findings, each about a place, and each
is on the page as a point anyway: hiding "2 klotter" beside two klotter points hides nothing.
So the counts by kind are shown exactly. A finding whose event its owner kept to its own
organisation (`Visibility.ORGANISATION`) is left out altogether, as on every shared output.

The coordinators publish and unpublish (`actions.publish`): the two POST views at the end.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from trygg.organisations.ownership import Visibility
from trygg.places.models import Municipality
from trygg.walks.actions.publish import publish_walk, unpublish_walk
from trygg.walks.in_municipality import answers_prefetch, children, stop_prefetch, walk_findings
from trygg.walks.models import Finding, FindingPhoto, Walk


def public_findings(walk: Walk):
    """The findings a published walk shows: all but those kept to their owner's organisation."""
    # Every query names the walk's municipality, the optional stop and measure read apart,
    # so that sharded (Citus) each goes to the walk's shard.
    municipality_id = walk.municipality_id
    photos = FindingPhoto.objects.filter(
        municipality_id=municipality_id, review=FindingPhoto.Review.APPROVED
    )
    return (
        walk_findings(walk)
        .exclude(event__visibility=Visibility.ORGANISATION)
        .select_related("event__category", "responsible")
        .prefetch_related(
            stop_prefetch(municipality_id),
            Prefetch("photos", queryset=photos, to_attr="public_photos"),
            answers_prefetch(municipality_id, organisation=True, measure=True),
        )
        .order_by("number")
    )


def _count_public_findings(walks: list[Walk]) -> None:
    """Set `n_findings` on each walk: its findings not kept to their owner's organisation.
    Counted by one query per municipality that names it for the finding and its event (a
    join across municipalities, or an outer join from the walks, is refused by Citus)."""
    by_municipality: dict[int, list[int]] = {}
    for walk in walks:
        by_municipality.setdefault(walk.municipality_id, []).append(walk.pk)
    counts: dict[int, int] = {}
    for municipality_id, walk_ids in by_municipality.items():
        rows = (
            Finding.objects.filter(
                municipality_id=municipality_id,
                event__municipality_id=municipality_id,
                walk_id__in=walk_ids,
            )
            .exclude(event__visibility=Visibility.ORGANISATION)
            .values("walk_id")
            .annotate(n=Count("pk"))
            .order_by()
        )
        counts.update({row["walk_id"]: row["n"] for row in rows})
    for walk in walks:
        walk.n_findings = counts.get(walk.pk, 0)  # type: ignore[attr-defined]


# --- the list ------------------------------------------------------------------------------


@require_GET
def public_walks(request):
    """Published walks, per municipality (`?kommun=1780` for one)."""
    walks = (
        Walk.objects.published()
        .select_related("municipality", "area")
        .defer("municipality__geometry", "area__geometry")
        .order_by("municipality__name", "-walk_at", "-pk")
    )
    code = request.GET.get("kommun", "").strip()
    municipality = None
    if code:
        municipality = Municipality.objects.filter(code=code).only("pk", "code", "name").first()
        if municipality is None:
            error = _("Det finns ingen kommun med kommunkoden %(code)s.") % {"code": code}
            return render(
                request, "walks/public_list.html", {"groups": [], "error": error}, status=404
            )
        walks = walks.filter(municipality=municipality)
    walk_list = list(walks)
    _count_public_findings(walk_list)
    groups: dict[Municipality, list[Walk]] = {}
    for walk in walk_list:
        groups.setdefault(walk.municipality, []).append(walk)
    context = {"groups": list(groups.items()), "municipality": municipality}
    return render(request, "walks/public_list.html", context)


# --- one walk ------------------------------------------------------------------------------


def finding_row(finding: Finding) -> dict[str, Any]:
    event = finding.event
    return {
        "number": finding.number,
        "category": event.category.name,
        "category_code": event.category.code,
        "note": event.description,
        "lat": event.lat,
        "lon": event.lon,
        "stop": finding.stop.name if finding.stop else "",
        "responsible": finding.responsible.name if finding.responsible else "",
        "answers": list(finding.answers.all()),
        # Set by public_findings' Prefetch(to_attr=): approved photos only.
        "photos": [
            reverse("walks:photo", args=[photo.pk])
            for photo in finding.public_photos  # type: ignore[attr-defined]
        ],
    }


def by_kind(rows: list[dict[str, Any]]) -> list[tuple[str, int]]:
    """(category, number of findings), most first: exact counts (see the module docstring)."""
    counts = Counter(row["category"] for row in rows)
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def map_config(walk: Walk, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """What the page's map draws: the route, the stops, the findings and the area's outline."""
    return {
        "tilesUrl": settings.TRYGG_MAP_TILES_URL,
        "tilesAttribution": settings.TRYGG_MAP_TILES_ATTRIBUTION,
        "route": walk.route,
        "area": walk.area.geometry if walk.area else None,
        "stops": [
            {"order": s.order, "name": s.name, "lat": s.lat, "lon": s.lon}
            for s in children(walk, "stops")
        ],
        "findings": [
            {"number": r["number"], "category": r["category"], "lat": r["lat"], "lon": r["lon"]}
            for r in rows
        ],
        "texts": {
            "stop": _("Stopp %(n)s"),
            "finding": _("Iakttagelse %(n)s"),
        },
    }


@require_GET
def public_walk(request, pk: int):
    """One published walk; an unpublished one is 404, as if it did not exist."""
    walk = get_object_or_404(
        Walk.objects.published().select_related("municipality", "area", "template"), pk=pk
    )
    rows = [finding_row(finding) for finding in public_findings(walk)]
    context = {
        "walk": walk,
        "stops": list(children(walk, "stops")),
        "findings": rows,
        "kinds": by_kind(rows),
        "map_config": map_config(walk, rows),
    }
    return render(request, "walks/public_walk.html", context)


# --- publishing (coordinators) -------------------------------------------------------------


def _back(request, walk: Walk):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return redirect(target)
    return redirect("public_walk", pk=walk.pk) if walk.published_at else redirect("public_walks")


@require_POST
@login_required
def publish(request, pk: int):
    walk = get_object_or_404(Walk.objects.visible_to(request.user), pk=pk)
    try:
        walk = publish_walk(walk, acting_user=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Vandringen är publicerad på de öppna sidorna."))
    return _back(request, walk)


@require_POST
@login_required
def unpublish(request, pk: int):
    walk = get_object_or_404(Walk.objects.visible_to(request.user), pk=pk)
    walk = unpublish_walk(walk, acting_user=request.user)
    messages.success(request, _("Vandringen visas inte längre på de öppna sidorna."))
    return _back(request, walk)
