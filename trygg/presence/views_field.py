"""The shift report on the phone: a field page that keeps working with no network.

The same machinery as the safety walk's field page (core/offline.py, trygg/outbox.js): four
URLs under /narvaro/pass/<pk>/falt/ so that the service worker served from there controls
the page: the page, its manifest, its data as JSON and the worker. The group opens the page
when the shift starts, with network; at the end the report is written on the phone and sent
when the network is there. Only the group's own organisation reports (403 for anyone else)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from trygg.core import offline
from trygg.events.forms import category_choices
from trygg.events.models import Category
from trygg.organisations.shards import own_first_or_404
from trygg.presence.actions.reports import MAX_COUNT, check_may_report
from trygg.presence.models import AGE_BANDS, INTERVENTIONS, Shift

FIELD_ASSETS = (*offline.COMMON_ASSETS, "presence/report_field.js")


def field_shift(request, pk: int) -> Shift:
    """404 for a shift the user cannot see; 403 when they may not report it."""
    # Looked for first in the user's own municipalities.
    shift = own_first_or_404(
        request.user, Shift.objects.visible_to(request.user).with_group(), pk=pk
    )
    check_may_report(shift, request.user)
    return shift


def field_urls(shift: Shift) -> dict[str, str]:
    return {
        "page": reverse("presence:report_field", args=[shift.pk]),
        "data": reverse("presence:report_field_data", args=[shift.pk]),
        "manifest": reverse("presence:report_field_manifest", args=[shift.pk]),
        "serviceWorker": reverse("presence:report_field_sw", args=[shift.pk]),
        "report": reverse("api:post_shift_report", args=[shift.pk]),
    }


def categories() -> list[tuple[str, list[tuple[str, str]]]]:
    """The reportable categories by group, as (group, [(code, name)])."""
    codes = dict(Category.objects.values_list("pk", "code"))
    return [
        (group, [(codes[pk], name) for pk, name in options])
        for group, options in category_choices()
    ]


@require_GET
@login_required
def report_field(request, pk: int):
    shift = field_shift(request, pk)
    get_token(request)  # the CSRF cookie the page sends its report with
    config = {
        "shiftId": shift.pk,
        "urls": field_urls(shift),
        "csrfCookie": settings.CSRF_COOKIE_NAME,
        "maxCount": MAX_COUNT,
    }
    context = {
        "shift": shift,
        "age_bands": [(key, label) for key, _column, label in AGE_BANDS],
        "interventions": [(key, label) for key, _column, label in INTERVENTIONS],
        "category_groups": categories(),
        "field_config": config,
        "field_text": field_text(),
        "urls": config["urls"],
    }
    response = render(request, "presence/report_field.html", context)
    response["Cache-Control"] = offline.NO_STORE
    return response


def field_text() -> dict[str, str]:
    """What the page's script says; {n} and {item} are filled in."""
    return {
        "noneWaiting": _("Ingen rapport väntar på att skickas."),
        "waiting": _("Rapporten är sparad på telefonen och väntar på att skickas."),
        "sent": _("Rapporten är skickad."),
        "online": _("Uppkopplad"),
        "offline": _("Ingen uppkoppling – rapporten sparas på telefonen"),
        "sending": _("Skickar …"),
        "sendLater": _("Servern kunde inte nås. Telefonen försöker igen av sig själv."),
        "loginAgain": _("Du är inte längre inloggad. Logga in igen, så skickas rapporten."),
        "saved": _("Rapporten är sparad på telefonen."),
        "needCount": _("Ange ett heltal från 0 till {n} för ”{item}”."),
        "needCategory": _("Välj en kategori för iakttagelsen."),
        "observationAdded": _("Iakttagelsen är tillagd i rapporten."),
        "inArea": _("I passets område"),
        "atPosition": _("Vid din position (± {n} m)"),
        "locating": _("Hämtar din position …"),
        "noGps": _("Telefonens position gick inte att få. Iakttagelsen läggs i passets område."),
        "remove": _("Ta bort"),
        "correct": _("Rätta"),
        "confirmRemove": _("Ta bort rapporten från telefonen? Den går inte att få tillbaka."),
        "noStorage": _(
            "Telefonen kan inte spara rapporten här (privat läge?). Använd en vanlig flik."
        ),
    }


@require_GET
@login_required
def report_field_manifest(request, pk: int):
    shift = field_shift(request, pk)
    return offline.manifest(
        name=_("Passrapport: %(group)s") % {"group": shift.group.name},
        short_name=_("Passrapport"),
        start_url=reverse("presence:report_field", args=[shift.pk]),
    )


@require_GET
@login_required
def report_field_data(request, pk: int):
    """The shift as the page shows it offline, and a fresh CSRF token to send with (a page
    reloaded from the phone's cache carries an old one)."""
    shift = field_shift(request, pk)
    body = {
        "shift": {"id": shift.pk, "state": shift.state, "group": shift.group.name},
        "csrfToken": get_token(request),
        "serverTime": timezone.now().isoformat(),
    }
    response = JsonResponse(body)
    response["Cache-Control"] = offline.NO_STORE
    return response


@require_GET
@login_required
def report_field_sw(request, pk: int):
    shift = field_shift(request, pk)
    urls = field_urls(shift)
    return offline.service_worker(
        key=f"pass-{shift.pk}",
        page=urls["page"],
        data=urls["data"],
        manifest=urls["manifest"],
        assets=FIELD_ASSETS,
    )
