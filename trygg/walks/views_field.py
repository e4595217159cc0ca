"""The walk in the field: a phone page that keeps working with no network.

Four URLs under /vandringar/<pk>/falt/, so that the service worker served from there controls
the page: the page itself, its web app manifest, the walk's data as JSON (route, stops,
checklist, categories, boundaries) and the service worker script. Each is for a participant
who may capture findings on the walk (`capturing_organisation`); anyone else gets 403.

The service worker's cache is named after a hash of the files it keeps, so a deploy that
changes any of them makes a new worker that replaces the old cache.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET
from shapely import set_precision
from shapely.geometry import mapping, shape

from trygg.core import offline
from trygg.events.forms import NOT_REPORTABLE
from trygg.events.models import Category
from trygg.walks.actions.findings import MAX_PHOTOS, capturing_organisation, photo_max_bytes
from trygg.walks.in_municipality import children
from trygg.walks.models import Walk

# What the page needs besides its HTML and data and the files every field page keeps
# (core/offline.py): kept on the device by the service worker.
FIELD_ASSETS = (
    *offline.COMMON_ASSETS,
    "js_lib_leaflet/leaflet.css",
    "js_lib_leaflet/leaflet.js",
    "trygg/photos.js",
    "walks/field.js",
)
# Boundaries on a phone: ~50 m detail is plenty to see where the area ends, and a
# municipality's outline shrinks from hundreds of kilobytes to a few.
SIMPLIFY_DEGREES = 0.0005
COORDINATE_GRID = 1e-5


def field_walk(request, pk: int) -> tuple[Walk, str]:
    """The walk and the name of the organisation the user captures for; 404 for a walk they
    cannot see, PermissionDenied (403) when they may not capture on it."""
    walks = Walk.objects.visible_to(request.user).select_related("template", "area", "municipality")
    walk = get_object_or_404(walks, pk=pk)
    organisation = capturing_organisation(walk, request.user)
    return walk, organisation.name


def field_urls(walk: Walk) -> dict[str, str]:
    return {
        "page": reverse("walks:field", args=[walk.pk]),
        "data": reverse("walks:field_data", args=[walk.pk]),
        "manifest": reverse("walks:field_manifest", args=[walk.pk]),
        "serviceWorker": reverse("walks:field_service_worker", args=[walk.pk]),
        "findings": reverse("api:post_walk_finding", args=[walk.pk]),
    }


@require_GET
@login_required
def field(request, pk: int):
    walk, organisation_name = field_walk(request, pk)
    get_token(request)  # the CSRF cookie the page sends its findings with
    config = {
        "walkId": walk.pk,
        "urls": field_urls(walk),
        "scaleMax": walk.template.scale_max,
        "maxPhotos": MAX_PHOTOS,
        "photoMaxBytes": photo_max_bytes(),
        "tilesUrl": settings.TRYGG_MAP_TILES_URL,
        "csrfCookie": settings.CSRF_COOKIE_NAME,
    }
    context = {
        "walk": walk,
        "organisation_name": organisation_name,
        "items": list(walk.template.items.all()),
        "scale": list(range((walk.template.scale_max or 0) + 1)),
        "category_groups": est_category_groups(),
        "stops": list(children(walk, "stops")),
        "field_config": config,
        "field_text": field_text(),
        "urls": config["urls"],
    }
    response = render(request, "walks/field.html", context)
    response["Cache-Control"] = offline.NO_STORE
    return response


def field_text() -> dict[str, str]:
    """What the page's script says, in the page's language; {n} and {item} are filled in."""
    return {
        "noneWaiting": _("Inga iakttagelser väntar på att skickas."),
        "oneWaiting": ngettext(
            "{n} iakttagelse väntar på att skickas.", "{n} iakttagelser väntar på att skickas.", 1
        ),
        "manyWaiting": ngettext(
            "{n} iakttagelse väntar på att skickas.", "{n} iakttagelser väntar på att skickas.", 2
        ),
        "online": _("Uppkopplad"),
        "offline": _("Ingen uppkoppling – iakttagelserna sparas på telefonen"),
        "sending": _("Skickar …"),
        "sent": _("Alla iakttagelser är skickade."),
        "sendLater": _("Servern kunde inte nås. Telefonen försöker igen av sig själv."),
        "loginAgain": _("Du är inte längre inloggad. Logga in igen, så skickas iakttagelserna."),
        "saved": _("Iakttagelsen är sparad på telefonen."),
        "refusedTitle": _("Iakttagelse från {time}"),
        "correct": _("Rätta"),
        "remove": _("Ta bort"),
        "confirmRemove": _("Ta bort iakttagelsen från telefonen? Den går inte att få tillbaka."),
        "needPosition": _(
            "Välj var iakttagelsen gjordes: tryck på kartan eller använd din position."
        ),
        "needCategory": _("Välj en kategori."),
        "needItem": _("Välj minst en punkt i checklistan."),
        "needScore": _("Ge poäng för ”{item}”."),
        "tooManyPhotos": _("Högst {n} foton per iakttagelse."),
        "notAnImage": _("”{item}” är inte en bild."),
        "locating": _("Hämtar din position …"),
        "located": _("Position vald (± {n} m)."),
        "tapped": _("Position vald på kartan."),
        "noGps": _("Telefonens position gick inte att få. Tryck på kartan i stället."),
        "removePhoto": _("Ta bort foto {n}"),
        "noStorage": _(
            "Telefonen kan inte spara iakttagelser här (privat läge?). Använd en vanlig flik."
        ),
    }


@require_GET
@login_required
def field_manifest(request, pk: int):
    walk, _organisation = field_walk(request, pk)
    return offline.manifest(
        name=_("Trygghetsvandring: %(title)s") % {"title": walk.title},
        short_name=_("Vandring"),
        start_url=reverse("walks:field", args=[walk.pk]),
    )


@require_GET
@login_required
def field_data(request, pk: int):
    walk, organisation_name = field_walk(request, pk)
    response = JsonResponse(walk_data(request, walk, organisation_name))
    response["Cache-Control"] = offline.NO_STORE
    return response


def walk_data(request, walk: Walk, organisation_name: str) -> dict:
    """Everything the page shows offline, and the CSRF token to send findings with (a page
    reloaded from the device's cache carries an old one; this is fetched fresh when online)."""
    template = walk.template
    return {
        "walk": {
            "id": walk.pk,
            "title": walk.title,
            "walkAt": walk.walk_at.isoformat(),
            "light": walk.light,
            "meetingPlace": walk.meeting_place,
        },
        "organisation": organisation_name,
        "template": {
            "name": template.name,
            "kind": template.kind,
            "scaleMax": template.scale_max,
            "items": [
                {"code": item.code, "label": item.display_label, "help": item.help_text}
                for item in template.items.all()
            ],
        },
        "route": walk.route,
        "stops": [
            {"id": s.pk, "number": s.order, "name": s.name, "lat": s.lat, "lon": s.lon}
            for s in children(walk, "stops")
        ],
        "categories": [
            {"code": code, "name": name, "group": group}
            for group, options in est_category_groups()
            for code, name in options
        ],
        "boundaries": boundaries(walk),
        "csrfToken": get_token(request),
        # The phone's clock may be wrong: the page sends its times shifted by the difference.
        "serverTime": timezone.now().isoformat(),
        "urls": field_urls(walk),
    }


def est_category_groups() -> list[tuple[str, list[tuple[str, str]]]]:
    """The EST checklist's reportable categories, grouped under their parent, as
    (group name, [(code, name)])."""
    leaves = (
        Category.objects.active()
        .leaves()
        .exclude(code__in=NOT_REPORTABLE)
        .select_related("parent")
        .order_by("sort_order", "code")
    )
    groups: dict[int, tuple[tuple, str, list]] = {}
    for leaf in leaves:
        head = leaf.parent or leaf  # a top-level leaf (arrangemang) is its own group
        if not head.is_checklist:
            continue
        groups.setdefault(head.pk, ((head.sort_order, head.code), head.name, []))[2].append(
            (leaf.code, leaf.name)
        )
    return [(name, options) for _key, name, options in sorted(groups.values())]


def boundaries(walk: Walk) -> dict:
    """The municipality's outline and the walk's area, simplified, as a FeatureCollection."""
    features = []
    municipality = walk.municipality
    if municipality.geometry:
        features.append(_feature(municipality.geometry, "municipality", municipality.name))
    if walk.area is not None and walk.area.geometry:
        features.append(_feature(walk.area.geometry, "area", walk.area.name))
    return {"type": "FeatureCollection", "features": features}


def _feature(geometry: dict, kind: str, name: str) -> dict:
    simple = shape(geometry).simplify(SIMPLIFY_DEGREES, preserve_topology=True)
    simple = set_precision(simple, COORDINATE_GRID)
    return {
        "type": "Feature",
        "geometry": mapping(simple),
        "properties": {"kind": kind, "name": name},
    }


@require_GET
@login_required
def field_service_worker(request, pk: int):
    walk, _organisation = field_walk(request, pk)
    urls = field_urls(walk)
    return offline.service_worker(
        key=str(walk.pk),
        page=urls["page"],
        data=urls["data"],
        manifest=urls["manifest"],
        assets=FIELD_ASSETS,
    )


def asset_version() -> str:
    """The version the walk's field page cache is named after."""
    return offline.asset_version(FIELD_ASSETS)
