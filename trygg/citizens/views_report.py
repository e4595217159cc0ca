"""The public report page (no login) and following a report by its link (issue 12, points 1,
2 and 8). Every page works without JavaScript: the map, geolocation, the place search and the
"nearby" list are shortcuts to the same form fields and the same server checks."""

from __future__ import annotations

import secrets

import shapely.geometry
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.timesince import timesince
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from trygg.citizens import throttle
from trygg.citizens.actions.reports import add_me_too, by_token, nearby_open, submit_report
from trygg.citizens.categories import BY_CODE, RESIDENT_CATEGORIES
from trygg.citizens.forms import ResidentReportForm
from trygg.citizens.models import CitizenReport, Moderation
from trygg.citizens.receiving import receiving_municipalities
from trygg.citizens.status import status_lines
from trygg.core.photos import MAX_SIDE
from trygg.events.queries import boundaries_geojson
from trygg.places.models import Municipality, Place

# The token goes to the receipt in a signed cookie, sent only to the receipt's address and
# deleted when the receipt has shown it: it is never stored on the server, which keeps only its
# hash (decision 0018), and a report writes no session row.
RECEIPT_COOKIE = "trygg_kvitto"
RECEIPT_SALT = "trygg.citizens.receipt"
RECEIPT_MAX_AGE_S = 15 * 60
PLACE_SEARCH_LIMIT = 10
# Which form field shows an error the action names.
ERROR_FIELDS = {"position": "lat", "category": "category", "description": "description"}


@require_http_methods(["GET", "POST"])
def report_page(request):
    if request.method == "GET":
        form = ResidentReportForm(initial={"kommun": request.GET.get("kommun", "")})
        return _render(request, form)
    form = ResidentReportForm(request.POST, request.FILES)
    if throttle.over_limit(request):
        return _render(request, form, throttled=True, status=429)
    checking = request.POST.get("step") == "check"
    if form.is_spam():
        # Looks accepted, stores nothing: a robot learns nothing from the answer.
        throttle.count_post(request)
        return _to_receipt(secrets.token_urlsafe(24))
    if not form.is_valid():
        return _render(request, form, status=400)
    if checking:
        data = form.report_input()
        found = _nearby_for(data.category_code, data.lat, data.lon)
        return _render(request, form, nearby=found, checked=True)
    throttle.count_post(request)
    try:
        _report, token = submit_report(form.report_input(), municipality=form.municipality)
    except ValidationError as error:
        for key, messages in error.message_dict.items():
            for message in messages:
                form.add_error(ERROR_FIELDS.get(key, key if key in form.fields else None), message)
        return _render(request, form, status=400)
    return _to_receipt(token)


def _to_receipt(token: str) -> HttpResponse:
    response = redirect("citizens:receipt")
    response.set_signed_cookie(
        RECEIPT_COOKIE,
        token,
        salt=RECEIPT_SALT,
        max_age=RECEIPT_MAX_AGE_S,
        path=reverse("citizens:receipt"),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response


def _render(request, form, *, throttled=False, nearby=None, checked=False, status=200):
    context = {
        "form": form,
        "categories": RESIDENT_CATEGORIES,
        "throttled": throttled,
        "nearby": nearby or [],
        "checked": checked,
        "report_config": _config(form),
    }
    return render(request, "citizens/report.html", context, status=status)


def _config(form) -> dict:
    municipality = form.municipality
    return {
        "boundariesUrl": reverse("citizens:boundaries")
        + (f"?kommun={municipality.code}" if municipality else ""),
        "placesUrl": reverse("citizens:places"),
        "nearbyUrl": reverse("citizens:nearby"),
        "tilesUrl": settings.TRYGG_MAP_TILES_URL,
        "tilesAttribution": settings.TRYGG_MAP_TILES_ATTRIBUTION,
        "fitTo": "municipality",
        # Photos are made smaller on the phone to the size the server keeps (core/photos.py).
        "photoSide": MAX_SIDE,
        "photoQuality": 0.85,
        "texts": {
            "locating": _("Hämtar din position …"),
            "located": _("Position hämtad (noggrannhet ungefär {accuracy} meter)."),
            "chosen": _("Position vald på kartan."),
            "noGeolocation": _(
                "Webbläsaren kan inte dela din position. Tryck på kartan eller välj en plats."
            ),
            "nearbyNone": _("Ingen har rapporterat samma sak här de senaste 30 dagarna."),
            "placesNone": _("Ingen plats matchar."),
        },
    }


@require_GET
def receipt(request):
    token = request.get_signed_cookie(
        RECEIPT_COOKIE, default=None, salt=RECEIPT_SALT, max_age=RECEIPT_MAX_AGE_S
    )
    link = request.build_absolute_uri(reverse("citizens:track", args=[token])) if token else None
    report = by_token(token) if token else None  # None after the honeypot's look-alike receipt
    # Its municipality's code, for the link to the public map (the outline is not needed).
    municipality = (
        Municipality.objects.filter(pk=report.municipality_id).values_list("code", flat=True)[0]
        if report is not None
        else ""
    )
    response = render(
        request, "citizens/receipt.html", {"link": link, "municipality": municipality}
    )
    # Shown once: the cookie is gone, and the page with the secret is kept by no cache.
    response.delete_cookie(RECEIPT_COOKIE, path=reverse("citizens:receipt"), samesite="Lax")
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_GET
def track(request, token: str):
    report = by_token(token)
    if report is None:
        raise Http404
    context = {
        "report": report,
        "category": BY_CODE.get(report.resident_category),
        "lines": status_lines(report),
        "published": report.moderation == Moderation.PUBLISHED,
    }
    response = render(request, "citizens/track.html", context)
    # The link is the secret: keep it out of shared caches and referrers.
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


def _nearby_for(category_code: str, lat: float, lon: float) -> list[dict]:
    """What a resident may see of the open reports near theirs: kind, age, state, and the text
    only once a moderator has published it."""
    rows = []
    for report in nearby_open(category_code, lat, lon):
        category = BY_CODE.get(report.resident_category)
        published = report.moderation == Moderation.PUBLISHED
        rows.append(
            {
                "id": report.pk,
                "category": str(category.label) if category else report.resident_category,
                "ago": _("för %(time)s sedan") % {"time": timesince(report.created_at)},
                "status": str(report.get_moderation_display()),
                "text": report.event.description if published else "",
                "me_too": report.me_too,
                "me_too_url": reverse("citizens:me_too", args=[report.pk]),
            }
        )
    return rows


@require_GET
def nearby(request):
    """JSON for the page's script: the open reports of the chosen kind within 50 m."""
    category = request.GET.get("category", "")
    try:
        lat = float(request.GET["lat"].replace(",", "."))
        lon = float(request.GET["lon"].replace(",", "."))
    except (KeyError, ValueError):
        return JsonResponse({"error": _("Ange lat och lon.")}, status=400)
    if category not in BY_CODE:
        return JsonResponse({"error": _("Välj vad det gäller.")}, status=400)

    return JsonResponse({"reports": _nearby_for(category, lat, lon)})


@require_POST
def me_too(request, pk: int):
    """ "Jag har också sett det här": a count on an open report, never a new row."""
    if throttle.over_limit(request):
        return render(request, "citizens/nearby.html", {"throttled": True}, status=429)
    report = get_object_or_404(CitizenReport, pk=pk)
    if not report.is_open:
        raise Http404
    throttle.count_post(request)
    add_me_too(report)
    return render(request, "citizens/nearby.html", {"report": report})


@require_GET
def places(request):
    """Named places of a municipality whose name contains the query, as JSON."""
    municipality = receiving_municipalities().filter(code=request.GET.get("kommun", "")).first()
    query = request.GET.get("q", "").strip()
    if municipality is None or len(query) < 2:
        return JsonResponse({"places": []})
    found = Place.objects.filter(municipality=municipality, name__icontains=query).order_by("name")[
        :PLACE_SEARCH_LIMIT
    ]
    return JsonResponse(
        {"places": [{"id": p.pk, "name": p.name, "lat": p.lat, "lon": p.lon} for p in found]}
    )


@require_GET
def boundaries(request):
    """The outlines of the municipalities that take reports (or the one chosen): the public
    map's own base layer, no tile server needed."""
    municipalities = receiving_municipalities()
    code = request.GET.get("kommun")
    if code:
        municipalities = municipalities.filter(code=code)
    geojson = boundaries_geojson(list(municipalities.values_list("pk", flat=True)))
    for feature in geojson["features"]:
        feature["geometry"] = compact_outline(feature["geometry"])
    response = JsonResponse(
        geojson, content_type="application/geo+json", json_dumps_params={"separators": (",", ":")}
    )
    response["Cache-Control"] = "public, max-age=300"
    return response


# Outlines to about a metre and a half, drawn on a phone: half the bytes of the stored
# vertices at double precision (the report page's first load has a budget of 300 KB, issue 12;
# Karlstad's outline and districts went from 155 to 70 KB).
OUTLINE_TOLERANCE_DEG = 0.00002
OUTLINE_DECIMALS = 5


def compact_outline(geometry: dict) -> dict:
    simpler = shapely.geometry.mapping(
        shapely.geometry.shape(geometry).simplify(OUTLINE_TOLERANCE_DEG, preserve_topology=True)
    )

    def walk(coordinates):
        if coordinates and isinstance(coordinates[0], int | float):
            return [round(value, OUTLINE_DECIMALS) for value in coordinates]
        return [walk(part) for part in coordinates]

    return {"type": simpler["type"], "coordinates": walk(simpler["coordinates"])}
