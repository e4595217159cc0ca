"""The situation page, its hotspot layer and the meeting packs. Parse, check, call, render."""

from __future__ import annotations

import datetime as dt
from typing import cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from trygg.core.pdf import pdf_response
from trygg.events.views import map_config_for
from trygg.organisations.shards import find_visible
from trygg.organisations.tenancy import chosen_municipality_id
from trygg.situation import actions, charts, hotspot_layer, picture
from trygg.situation.access import can_edit
from trygg.situation.forms import PrioritiesForm, SituationForm
from trygg.situation.models import MeetingPack


@require_GET
@login_required
def situation_page(request):
    form = SituationForm(request.GET, user=request.user, preferred=chosen_municipality_id(request))
    scope = form.scope()
    if scope is None:
        return render(request, "situation/no_municipality.html", status=403)
    period = form.period()
    data, picture_key = picture.build_cached(scope, period)
    query = _query_for(form, period)
    context = {
        "form": form,
        "scope": scope,
        "picture": data,
        # Drawn only when the page's cached figures have expired (see page.html).
        "charts": SimpleLazyObject(lambda: chart_context(data)),
        "picture_key": picture_key,
        "computed_at": dt.datetime.fromisoformat(data["generated_at"]),
        "picture_seconds": settings.TRYGG_PICTURE_CACHE_SECONDS,
        "query": query,
        "can_edit": can_edit(request.user, scope.municipality.pk),
        "map_config": _map_config(scope, period, query),
    }
    return render(request, "situation/page.html", context)


def chart_context(data: dict) -> dict:
    hotspots = data.get("hotspots")
    return {
        "hotspots": charts.hotspot_map(hotspots),
        "hotspot_summary": hotspot_layer.summary(hotspots) if hotspots else "",
        "trend": charts.trend_chart(data["trend"]),
        "months": charts.month_chart(data["months"]),
        "month_names": charts.month_names(),
        "weekdays": list(
            zip(charts.weekday_names(), charts.heat_levels(data["hour_weekday"]), strict=True)
        ),
    }


def _query_for(form: SituationForm, period) -> str:
    """The page's parameters with the period spelled out, for links to the map and packs."""
    query = cast(QueryDict, form.data).copy()  # the form is bound to request.GET
    scope = form.scope()
    if scope is None:  # the page has answered 403 before linking anywhere
        raise ValueError("No municipality to link to.")
    query["kommun"] = str(scope.municipality.pk)
    query.setlist("typ", [str(period.kind)])
    return query.urlencode()


def _map_config(scope, period, query: str) -> dict:
    filters = {
        "fran": period.start.isoformat(),
        "till": period.last_day.isoformat(),
        "omrade": scope.area.pk if scope.area else "",
        "kategori": scope.category.pk if scope.category else "",
        "kalla": scope.source or "",
    }
    config = map_config_for(filters, fit_area=scope.area.pk if scope.area else None)
    config["hotspotsUrl"] = f"{reverse('situation:hotspots')}?{query}"
    return config


@require_GET
@login_required
def hotspots(request):
    """Gi* hot and cold spots for the page's scope as GeoJSON cells (only significant ones)."""
    form = SituationForm(request.GET, user=request.user, preferred=chosen_municipality_id(request))
    scope = form.scope()
    if scope is None:
        return JsonResponse({"error": _("Du arbetar inte i någon kommun.")}, status=403)
    return JsonResponse(hotspot_layer.geojson(scope, form.period()))


# --- meeting packs -------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def packs(request):
    """GET: the municipality's kept packs. POST: make the pack of the page's scope and period."""
    form = SituationForm(
        request.GET if request.method == "GET" else request.POST,
        user=request.user,
        preferred=chosen_municipality_id(request),
    )
    scope = form.scope()
    if scope is None:
        return render(request, "situation/no_municipality.html", status=403)
    if request.method == "POST":
        if not can_edit(request.user, scope.municipality.pk):
            raise PermissionDenied(_("Bara samordnare i kommunen kan göra mötesunderlag."))
        pack = actions.create_meeting_pack(scope, form.period(), acting_user=request.user)
        messages.success(request, _("Mötesunderlaget är skapat och sparat."))
        return redirect(pack)
    kept = MeetingPack.objects.filter(municipality=scope.municipality).select_related("area")
    context = {"form": form, "scope": scope, "packs": kept[:200]}
    return render(request, "situation/packs.html", context)


def _pack_for(request, pk: int) -> MeetingPack:
    packs = MeetingPack.objects.select_related("municipality", "area")
    return find_visible(request.user, packs, pk, _("Mötesunderlaget hör till en annan kommun."))


@require_http_methods(["GET", "POST"])
@login_required
def pack_detail(request, pk: int):
    pack = _pack_for(request, pk)
    editable = can_edit(request.user, pack.municipality_id)
    form = PrioritiesForm(initial={"priorities": pack.priorities})
    if request.method == "POST":
        if not editable:
            raise PermissionDenied(_("Bara samordnare i kommunen kan skriva prioriteringar."))
        form = PrioritiesForm(request.POST)
        if form.is_valid():
            actions.set_pack_priorities(
                pack, form.cleaned_data["priorities"], acting_user=request.user
            )
            messages.success(request, _("Prioriteringarna är sparade."))
            return redirect(pack)
    context = {
        "pack": pack,
        "picture": pack.content,
        "charts": chart_context(pack.content),
        "form": form,
        "can_edit": editable,
    }
    return render(request, "situation/pack.html", context, status=400 if form.errors else 200)


@require_GET
@login_required
def pack_pdf(request, pk: int):
    pack = _pack_for(request, pk)
    context = {"pack": pack, "picture": pack.content, "charts": chart_context(pack.content)}
    name = f"motesunderlag-{pack.pk}.pdf"
    return pdf_response(request, "situation/pack_pdf.html", context, filename=name)
