"""The event pages: list, map (and its JSON), reporting form, detail. Parse, check, call, render."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from trygg.core.forms import add_action_errors
from trygg.core.models import AuditEntry
from trygg.events import queries, retention
from trygg.events.actions import record_read, report_event, review_event
from trygg.events.forms import (
    EventFilterForm,
    ReportForm,
    RetentionForm,
    ReviewForm,
    place_label,
)
from trygg.events.models import Event
from trygg.events.queries import visible_events
from trygg.organisations.access import WRITE_ROLES, access_for
from trygg.organisations.shards import own_first_or_404
from trygg.organisations.tenancy import chosen_municipality_id, first_choice
from trygg.places.models import Municipality
from trygg.places.queries import nearest_places


def _filter_form(request) -> EventFilterForm:
    return EventFilterForm(request.GET, user=request.user, chosen=chosen_municipality_id(request))


@require_GET
@login_required
def event_list(request):
    form = _filter_form(request)
    filters = form.filters()
    page = Paginator(queries.event_list(request.user, filters), queries.PAGE_SIZE).get_page(
        request.GET.get("sida")
    )
    return render(request, "events/list.html", {"form": form, "filters": filters, "page": page})


@require_GET
@login_required
def event_map(request):
    form = _filter_form(request)
    filters = form.filters()
    total = visible_events(request.user, filters).count()
    query = form.data.copy()
    query.pop("sida", None)
    map_config = map_config_for(query, fit_area=filters.area.pk if filters.area else None)
    context = {"form": form, "filters": filters, "total": total, "map_config": map_config}
    return render(request, "events/map.html", context)


def map_config_for(filters, *, fit_area: int | None) -> dict:
    """The event map's settings for a set of filters (a QueryDict or a plain dict of the
    list's parameters); the situation page shows the same map."""
    query = filters.urlencode() if hasattr(filters, "urlencode") else urlencode(filters)
    return _base_map_config() | {
        "dataUrl": f"{reverse('events:map_data')}?{query}",
        "fitArea": fit_area,
        "texts": {
            "loading": _("Hämtar händelser …"),
            "error": _("Kunde inte hämta händelser till kartan. Försök igen."),
            "empty": _("Inga händelser i den här delen av kartan."),
            "cells": _("Kartan visar {total} händelser i {cells} rutor om {size} meter."),
            "points": _("Kartan visar {total} enskilda händelser."),
            "cellTitle": _("{n} händelser här – välj för att zooma in"),
            "source": _("Källa"),
            "generated": _("Genererad (demo)"),
            "open": _("Visa händelsen"),
        },
    }


def _base_map_config() -> dict:
    return {
        "boundariesUrl": reverse("events:boundaries"),
        "tilesUrl": settings.TRYGG_MAP_TILES_URL,
        "tilesAttribution": settings.TRYGG_MAP_TILES_ATTRIBUTION,
    }


@require_GET
@login_required
def map_data(request):
    """Grid cells (or, close up, single points) of the visible events in the map's view."""
    filters = _filter_form(request).filters()
    try:
        zoom = min(max(int(request.GET.get("zoom", 10)), 0), 22)
        bbox = queries.parse_bbox(request.GET["bbox"]) if request.GET.get("bbox") else None
    except ValueError:
        return JsonResponse({"error": _("Ogiltig kartvy (bbox eller zoom).")}, status=400)
    data = queries.map_data(visible_events(request.user, filters), zoom=zoom, bbox=bbox)
    return JsonResponse(data)


@require_GET
@login_required
def boundaries(request):
    """The user's municipalities and their current districts: the map's own base layer."""
    geojson = queries.boundaries_geojson(queries.user_municipality_ids(request.user))
    response = JsonResponse(geojson, content_type="application/geo+json")
    response["Cache-Control"] = "private, max-age=300"
    return response


@require_GET
@login_required
def places_near(request):
    """The five nearest named places within 500 m, for the reporting form."""
    try:
        lat = float(request.GET["lat"].replace(",", "."))
        lon = float(request.GET["lon"].replace(",", "."))
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise ValueError
    except (KeyError, ValueError):
        return JsonResponse({"error": _("Ange lat och lon som tal.")}, status=400)
    places = nearest_places(lat, lon, access_for(request.user).municipality_ids)
    return JsonResponse(
        {
            "places": [
                {
                    "id": place.pk,
                    "name": place.name,
                    "kind": place.get_kind_display(),
                    "distance_m": round(place.distance_m),
                    "label": place_label(place),
                }
                for place in places
            ]
        }
    )


@require_http_methods(["GET", "POST"])
@login_required
def report(request):
    if not access_for(request.user).reporting_organisation_ids():
        return render(request, "events/report_forbidden.html", status=403)
    if request.method != "POST":
        return _render_report(request, ReportForm(user=request.user))
    form = ReportForm(request.POST, request.FILES, user=request.user)
    if form.is_valid():
        try:
            event = report_event(acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            # A photo the action cannot read is the photo field's error.
            photo = getattr(error, "code", None) == "photo"
            add_action_errors(form, error, non_field="photo" if photo else None)
        else:
            messages.success(request, _("Tack! Händelsen är rapporterad."))
            if event.was_scrubbed:
                messages.info(request, _("Personuppgifter togs bort ur beskrivningen."))
            return redirect("events:detail", pk=event.pk)
    return _render_report(request, form, status=400)


def _render_report(request, form, status=200):
    report_config = _base_map_config() | {
        "fitTo": "areas",
        "placesUrl": reverse("events:places_near"),
        "texts": {
            "matches": _("{n} kategorier matchar."),
            "oneMatch": _("1 kategori matchar och är vald."),
            "locating": _("Hämtar din position …"),
            "located": _("Position hämtad (noggrannhet ungefär {accuracy} meter)."),
            "chosen": _("Position vald på kartan."),
            "noGeolocation": _(
                "Webbläsaren kan inte dela din position här. Tryck på kartan eller skriv in "
                "latitud och longitud."
            ),
            "geolocationDenied": _(
                "Du har inte gett tillåtelse att dela din position. Tryck på kartan i stället."
            ),
            "geolocationFailed": _("Kunde inte hämta din position. Tryck på kartan i stället."),
            "noPlace": _("Ingen särskild plats"),
            "noPlaces": _("Inga namngivna platser inom 500 m."),
            "onePlace": _("1 namngiven plats inom 500 m."),
            "places": _("{n} namngivna platser inom 500 m."),
            "placesFailed": _("Kunde inte hämta platser i närheten."),
        },
    }
    context = {"form": form, "report_config": report_config}
    return render(request, "events/report.html", context, status=status)


@require_GET
@login_required
def event_detail(request, pk: int):
    # Looked for in the user's own municipalities first, so the usual read is one shard.
    event = own_first_or_404(
        request.user,
        Event.objects.visible_to(request.user).select_related(
            "category__parent", "place", "area", "municipality", "organisation"
        ),
        pk=pk,
    )
    record_read(event, acting_user=request.user)
    history = review_form = None
    if event.municipality_id and access_for(request.user).can_coordinate(event.municipality_id):
        history = _history(event)
        review_form = ReviewForm(initial={"status": event.status, "flagged": event.flagged})
    point_map_config = _base_map_config() | {
        "lat": event.lat,
        "lon": event.lon,
        "precision": event.precision_m,
    }
    context = {
        "event": event,
        "history": history,
        "review_form": review_form,
        "point_map_config": point_map_config,
        # The measures taken on it (the measures app links events; events do not know it).
        "measures": _measures_of(event, request.user),
        # Reports for an organisation there, so may propose a measure.
        "can_act": access_for(request.user).has_role_in(event.municipality_id, WRITE_ROLES),
    }
    return render(request, "events/detail.html", context)


def _measures_of(event: Event, user):
    """The measures taken on the event that the user sees. Through a link-table subquery
    that names the municipality, of the measures too: `event.measures` would join the link
    table without it, and Citus could not send that to one shard."""
    links = Event.measures.through.objects.filter(
        municipality_id=event.municipality_id, event_id=event.pk
    )
    return (
        event.measures.model.objects.visible_to(user)
        .filter(municipality_id=event.municipality_id, pk__in=links.values("measure_id"))
        .select_related("responsible")
    )


@require_POST
@login_required
def event_review(request, pk: int):
    event = own_first_or_404(request.user, Event.objects.visible_to(request.user), pk=pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Granskningen kunde inte sparas: välj en giltig status."))
        return redirect("events:detail", pk=pk)
    review_event(
        event,
        status=form.cleaned_data["status"],
        flagged=form.cleaned_data["flagged"],
        acting_user=request.user,
    )
    messages.success(request, _("Granskningen är sparad."))
    return redirect("events:detail", pk=pk)


def _history(event: Event) -> list[dict]:
    """The event's audit rows with Swedish field names, oldest first."""
    labels = {
        "category_id": _("Kategori"),
        "occurred_from": _("Inträffade"),
        "occurred_to": _("Till"),
        "lat": _("Latitud"),
        "lon": _("Longitud"),
        "municipality_id": _("Kommun"),
        "area_id": _("Område"),
        "place_id": _("Plats"),
        "organisation_id": _("Organisation"),
        "source": _("Källa"),
        "external_id": _("Externt id"),
        "visibility": _("Synlighet"),
        "status": _("Status"),
        "was_scrubbed": _("Personuppgifter borttagna"),
    }
    # The changes only: read rows are for the audit log (admin), not the event's story.
    entries = AuditEntry.objects.filter(
        object_type="events.event", object_id=str(event.pk)
    ).exclude(action=AuditEntry.Action.READ)
    return [
        {
            "entry": entry,
            "field": labels.get(entry.field, entry.field),
            "values": [(labels.get(k, k), v) for k, v in entry.new.items()]
            if isinstance(entry.new, dict)
            else None,
        }
        for entry in entries.select_related("actor").order_by("at", "pk")
    ]


@require_GET
@login_required
def event_photo(request, pk: int):
    """The photo, only to users who may see the event (media files are not served openly)."""
    event = own_first_or_404(request.user, Event.objects.visible_to(request.user), pk=pk)
    if not event.photo:
        raise Http404
    response = FileResponse(event.photo.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response


def _retention_municipality(request) -> Municipality:
    """`?kommun=<id>` among the municipalities the user coordinates, else the one chosen in the
    header's switcher or the first of them;
    403 for anyone who coordinates none, or asks for one they do not coordinate."""
    mine = sorted(access_for(request.user).coordinated_municipality_ids)
    if request.user.is_superuser and not mine:
        mine = list(Municipality.objects.order_by("pk").values_list("pk", flat=True)[:1])
    chosen = request.POST.get("kommun") or request.GET.get("kommun") or first_choice(request, mine)
    try:
        if chosen is not None and access_for(request.user).can_coordinate(int(chosen)):
            return get_object_or_404(Municipality, pk=int(chosen))
    except ValueError:
        pass
    raise PermissionDenied(_("Bara kommunens samordnare kan ändra hur länge händelser sparas."))


@require_http_methods(["GET", "POST"])
@login_required
def retention_settings(request):
    """How long the municipality's events keep free text and exact position (gallring)."""
    municipality = _retention_municipality(request)
    text_months, position_months = retention.limits_for(municipality.pk)
    initial = {"text_months": text_months, "position_months": position_months}
    form = RetentionForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            retention.set_policy(municipality, **form.cleaned_data, acting_user=request.user)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Gallringsreglerna är sparade."))
            return redirect(f"{reverse('events:retention')}?kommun={municipality.pk}")
    context = {"form": form, "municipality": municipality}
    return render(request, "events/retention.html", context, status=400 if form.errors else 200)
