"""The medborgarlöfte for everyone, no login: /oppen/loften/. Parse, find what is public,
render; what is public is decided in `public.py` (adopted versions, published follow-ups)."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from trygg.core.pdf import pdf_response
from trygg.places.models import Municipality
from trygg.promises.models import FollowUp
from trygg.promises.public import (
    adopted_promise,
    current_promise,
    municipalities_with_promises,
    other_promises,
    public_follow_up,
    public_promise,
)


@require_GET
def current(request):
    """`?kommun=1780`: the municipality's current promise; without it, the municipalities
    that have one."""
    code = request.GET.get("kommun", "").strip()
    if not code:
        context = {"municipalities": municipalities_with_promises()}
        return render(request, "promises/public_index.html", context)
    municipality = Municipality.objects.filter(code=code).only("pk", "code", "name").first()
    if municipality is None:
        context = {
            "municipalities": municipalities_with_promises(),
            "error": _("Det finns ingen kommun med kommunkoden %(code)s.") % {"code": code},
        }
        return render(request, "promises/public_index.html", context, status=404)
    promise = current_promise(municipality, timezone.localdate())
    shown = public_promise(promise) if promise is not None else None
    return _render_promise(request, municipality, shown)


def _adopted(pk: int):
    found = adopted_promise(pk)
    if found is None:
        raise Http404
    return found


@require_GET
def promise(request, pk: int):
    found = _adopted(pk)
    return _render_promise(request, found.agreement.municipality, public_promise(found))


@require_GET
def version(request, pk: int, number: int):
    found = _adopted(pk)
    shown = public_promise(found, number)
    if shown is None:
        raise Http404
    return _render_promise(request, found.agreement.municipality, shown)


def _render_promise(request, municipality, shown):
    others = other_promises(municipality, shown.pk) if shown is not None else []
    context = {"municipality": municipality, "promise": shown, "others": others}
    return render(request, "promises/public_promise.html", context)


def _published(pk: int) -> FollowUp:
    """A published follow-up of an adopted promise, or 404: an unpublished one is not there."""
    # The address names no municipality: the follow-up is looked up by its key alone, its
    # promise then in its municipality, so that no query joins two sharded tables.
    found = get_object_or_404(FollowUp.objects.filter(published_on__isnull=False), pk=pk)
    promise = adopted_promise(found.promise_id, found.municipality_id)
    if promise is None:
        raise Http404
    found.promise = promise
    return found


@require_GET
def follow_up(request, pk: int):
    shown = public_follow_up(_published(pk), threshold=settings.TRYGG_SUPPRESSION_THRESHOLD)
    context = {"follow_up": shown, "layout": "base.html", "pdf": False}
    return render(request, "promises/public_follow_up.html", context)


@require_GET
def follow_up_pdf(request, pk: int):
    shown = public_follow_up(_published(pk), threshold=settings.TRYGG_SUPPRESSION_THRESHOLD)
    context = {"follow_up": shown, "layout": "promises/public_print.html", "pdf": True}
    name = (
        f"uppfoljning-medborgarlofte-{shown.municipality.code}-"
        f"{shown.first_day:%Y%m%d}-{shown.last_day:%Y%m%d}.pdf"
    )
    return pdf_response(request, "promises/public_follow_up.html", context, filename=name)
