"""The walk's protocol (page and PDF, as it stands now or as a kept version), sending it, and
the follow-up meeting's agenda (page and PDF). Every partner who may see the walk reads them;
its coordinators send. The page and the PDF render the same data with the same partial
templates (`walks/_protocol_*.html`)."""

from __future__ import annotations

import base64
import copy
import io

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from PIL import Image

from trygg.core.forms import add_action_errors
from trygg.core.pdf import pdf_response
from trygg.organisations.access import access_for
from trygg.walks.actions.protocol import revise_protocol, send_protocol
from trygg.walks.actions.review import unconfirmed
from trygg.walks.forms_answers import SendForm
from trygg.walks.in_municipality import children
from trygg.walks.models import FindingPhoto, Walk
from trygg.walks.protocol import agenda_data, map_figure, protocol_data

# Photos are embedded in the PDF at this size (the longest side, in pixels).
PDF_PHOTO_PX = 700


def walk_for(request, pk: int) -> Walk:
    """The walk, for those who may see it (partners in its municipality, invited ones)."""
    return get_object_or_404(
        Walk.objects.visible_to(request.user).select_related(
            "municipality", "organisation", "template", "area"
        ),
        pk=pk,
    )


# --- the protocol --------------------------------------------------------------------------


@require_GET
@login_required
def protocol_page(request, pk: int):
    walk = walk_for(request, pk)
    return _render_page(request, walk, protocol_data(walk))


@require_GET
@login_required
def protocol_version(request, pk: int, number: int):
    walk = walk_for(request, pk)
    version = get_object_or_404(children(walk, "protocols"), number=number)
    return _render_page(request, walk, version.data, version=version)


@require_GET
@login_required
def protocol_pdf(request, pk: int):
    walk = walk_for(request, pk)
    return _render_pdf(request, walk, protocol_data(walk))


@require_GET
@login_required
def protocol_version_pdf(request, pk: int, number: int):
    walk = walk_for(request, pk)
    version = get_object_or_404(children(walk, "protocols"), number=number)
    return _render_pdf(request, walk, version.data, version=version)


def _render_page(request, walk, data, *, version=None, form=None, status=200):
    coordinator = access_for(request.user).can_coordinate(walk.municipality_id)
    protocol = with_photo_sources(data, inline=False, municipality_id=walk.municipality_id)
    context = {
        "walk": walk,
        "protocol": protocol,
        "version": version,
        "versions": children(walk, "protocols")
        .order_by("-number")
        # The walk too: reached through the walk, each row is given it by its walk_id (a
        # deferred walk_id would be read back row by row, on every shard).
        .only("walk", "number", "note", "created_at"),
        "map_config": map_config(protocol),
        "can_send": coordinator and version is None,
        "send_form": form or SendForm(),
        "waiting": unconfirmed(walk).count() if coordinator else 0,
    }
    return render(request, "walks/protocol.html", context, status=status)


def _render_pdf(request, walk, data, *, version=None):
    protocol = with_photo_sources(data, inline=True, municipality_id=walk.municipality_id)
    context = {
        "walk": walk,
        "protocol": protocol,
        "version": version,
        "figure": map_figure(protocol),
    }
    suffix = f"-v{version.number}" if version else ""
    name = f"protokoll-trygghetsvandring-{walk.pk}{suffix}.pdf"
    return pdf_response(request, "walks/protocol_pdf.html", context, filename=name)


@require_POST
@login_required
def send(request, pk: int):
    """Send the protocol (the first time) or a revised one (a note required)."""
    walk = walk_for(request, pk)
    if not access_for(request.user).can_coordinate(walk.municipality_id):
        raise PermissionDenied(_("Bara samordnare i kommunen kan skicka protokollet."))
    form = SendForm(request.POST)
    if form.is_valid():
        note = form.cleaned_data["note"]
        try:
            if children(walk, "protocols").exists():
                version = revise_protocol(walk, acting_user=request.user, note=note)
            else:
                version = send_protocol(walk, acting_user=request.user, note=note)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(
                request,
                _("Version %(n)s av protokollet är sparad och skickas till de ansvariga.")
                % {"n": version.number},
            )
            return redirect("walks:protocol", walk.pk)
    return _render_page(request, walk, protocol_data(walk), form=form, status=400)


def with_photo_sources(data: dict, *, inline: bool, municipality_id: int) -> dict:
    """A copy of the protocol's data with each photo's `src`: the photo's address on the page,
    the image itself in the PDF (WeasyPrint cannot log in to fetch it). A photo deleted since
    a kept version was sent is left out."""
    data = copy.deepcopy(data)
    photo_ids = [p["id"] for f in data.get("findings", []) for p in f["photos"]]
    # The walk's municipality named, so that sharded (Citus) the query goes to its shard.
    photos = FindingPhoto.objects.filter(municipality_id=municipality_id)
    stored = photos.in_bulk(photo_ids) if inline else {}
    for finding in data.get("findings", []):
        kept = []
        for photo in finding["photos"]:
            if inline:
                source = stored.get(photo["id"])
                photo["src"] = _data_uri(source) if source else ""
            else:
                photo["src"] = reverse("walks:photo", args=[photo["id"]])
            if photo["src"]:
                kept.append(photo)
        finding["photos"] = kept
    return data


def _data_uri(photo: FindingPhoto) -> str:
    try:
        with photo.image.open("rb") as handle, Image.open(handle) as image:
            image.thumbnail((PDF_PHOTO_PX, PDF_PHOTO_PX))
            out = io.BytesIO()
            image.convert("RGB").save(out, format="JPEG", quality=80)
    except (OSError, ValueError):
        return ""  # the file is gone: the PDF goes out without it
    return "data:image/jpeg;base64," + base64.b64encode(out.getvalue()).decode("ascii")


def map_config(protocol: dict) -> dict:
    """What the page's Leaflet map draws: the route, the stops and the numbered findings."""
    return {
        "boundariesUrl": reverse("events:boundaries"),
        "tilesUrl": settings.TRYGG_MAP_TILES_URL,
        "tilesAttribution": settings.TRYGG_MAP_TILES_ATTRIBUTION,
        "route": protocol["route"],
        "stops": [
            {"label": s["order"], "name": s["name"], "lat": s["lat"], "lon": s["lon"]}
            for s in protocol["stops"]
        ],
        "findings": [
            {"label": f["number"], "name": f["category"], "lat": f["lat"], "lon": f["lon"]}
            for f in protocol["findings"]
        ],
        "texts": {"stop": _("Stopp"), "finding": _("Iakttagelse")},
    }


# --- the follow-up meeting's agenda ----------------------------------------------------------


@require_GET
@login_required
def agenda(request, pk: int):
    walk = walk_for(request, pk)
    context = {"walk": walk, "agenda": agenda_data(walk), "layout": "base.html", "pdf": False}
    return render(request, "walks/agenda.html", context)


@require_GET
@login_required
def agenda_pdf(request, pk: int):
    walk = walk_for(request, pk)
    context = {
        "walk": walk,
        "agenda": agenda_data(walk),
        "layout": "walks/_protocol_print.html",
        "pdf": True,
    }
    name = f"uppfoljningsmote-trygghetsvandring-{walk.pk}.pdf"
    return pdf_response(request, "walks/agenda.html", context, filename=name)
