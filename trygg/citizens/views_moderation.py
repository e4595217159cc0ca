"""The moderation queue (/rapportera/granska/) and one report's moderation page: for the
coordinators of the report's municipality and the moderators they named. Parse, check, call
an action in `actions/moderation.py`, render."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_POST

from trygg.citizens import forms_moderation as mforms
from trygg.citizens.actions import moderation
from trygg.citizens.models import CitizenReport, Moderation, ReportPhoto
from trygg.core.forms import add_action_errors
from trygg.events.models import Event
from trygg.organisations.access import access_for

# The queue's filters: the waiting reports first, the other states on request.
STATES = {
    "pending": gettext_lazy("Väntar på granskning"),
    "published": gettext_lazy("Publicerade, inte avslutade"),
    "closed": gettext_lazy("Avslutade"),
    "hidden": gettext_lazy("Dolda"),
    "duplicate": gettext_lazy("Dubbletter"),
}
QUEUE_LIMIT = 200
# Why the rules suggested an organisation (measures.routing.Reason).
REASONS = {
    "rule": gettext_lazy("enligt en ansvarsregel"),
    "manager": gettext_lazy("förvaltar platsen"),
    "coordinator": gettext_lazy("kommunens samordnande organisation"),
}


def moderated_reports(user):
    """The reports of the municipalities `user` moderates (403 for everyone else)."""
    return _with_events(CitizenReport.objects.all(), _moderated_ids(user))


def _moderated_ids(user) -> frozenset[int] | None:
    """The municipalities `user` moderates; None for a superuser (all); 403 for no one."""
    if access_for(user).is_superuser:
        return None
    municipalities = moderation.moderated_municipality_ids(user)
    if not municipalities:
        raise PermissionDenied(moderation.NOT_A_MODERATOR)
    return municipalities


def _in(rows, municipality_ids: frozenset[int] | None):
    return rows if municipality_ids is None else rows.filter(municipality_id__in=municipality_ids)


def _with_events(reports, municipality_ids: frozenset[int] | None):
    """The reports of `municipality_ids` (None: all) with their organisations and municipality
    (reference tables, joined) and their events (sharded, so read in one more query naming the
    same municipalities: Citus cannot join sharded tables of several municipalities)."""
    events = Event.objects.select_related("place", "area", "category")
    return (
        _in(reports, municipality_ids)
        .select_related("routed_to", "municipality")
        .prefetch_related(Prefetch("event", queryset=_in(events, municipality_ids)))
    )


def waited(report: CitizenReport, now) -> str:
    days = (now - report.created_at).days
    if days < 1:
        return _("väntat mindre än en dag")
    return ngettext("väntat %(n)s dag", "väntat %(n)s dagar", days) % {"n": days}


@require_GET
@login_required
def queue(request):
    municipality_ids = _moderated_ids(request.user)
    reports = _with_events(CitizenReport.objects.all(), municipality_ids)
    state = request.GET.get("visa", "pending")
    if state not in STATES:
        state = "pending"
    if state == "closed":
        reports = reports.filter(closed_at__isnull=False).order_by("-closed_at", "-pk")
    elif state == "published":
        reports = reports.filter(moderation=state, closed_at__isnull=True).order_by("created_at")
    else:
        reports = reports.filter(moderation=state, closed_at__isnull=True).order_by(
            "created_at", "pk"
        )
    now = timezone.now()
    rows = [
        {"report": r, "waited": waited(r, now), "photos": list(r.photos.all())}
        for r in reports.prefetch_related(
            Prefetch("photos", queryset=_in(ReportPhoto.objects.all(), municipality_ids))
        )[:QUEUE_LIMIT]
    ]
    context = {"rows": rows, "state": state, "states": STATES.items()}
    return render(request, "citizens/queue.html", context)


def report_for_moderation(request, pk: int) -> CitizenReport:
    report = get_object_or_404(moderated_reports(request.user), pk=pk)
    moderation.check_may_moderate(request.user, report)
    return report


@require_GET
@login_required
def moderate(request, pk: int):
    return _render(request, report_for_moderation(request, pk))


def _forms(report: CitizenReport, bound: dict) -> dict[str, forms.Form]:
    suggestion = moderation.routing_suggestion(report)
    route_initial = {"organisation": report.routed_to_id or _pk(suggestion.organisation)}
    made = {
        "hide": mforms.HideForm(prefix="dolj"),
        "duplicate": mforms.DuplicateForm(
            prefix="dubblett", candidates=moderation.duplicate_candidates(report)
        ),
        "correct": mforms.CorrectForm(
            prefix="ratta",
            initial={
                "category": report.resident_category,
                "lat": report.event.lat,
                "lon": report.event.lon,
            },
        ),
        "description": mforms.DescriptionForm(
            prefix="text", initial={"description": report.event.description}
        ),
        "route": mforms.RouteForm(
            prefix="skicka", municipality_id=report.municipality_id, initial=route_initial
        ),
        "close": mforms.CloseForm(prefix="avsluta"),
    }
    return made | {k: v for k, v in bound.items() if k in made}


def _render(request, report: CitizenReport, bound: dict | None = None, status: int = 200):
    bound = bound or {}
    suggestion = moderation.routing_suggestion(report)
    photos = [
        (photo, bound.get(("photo", photo.pk)) or mforms.PhotoReviewForm(prefix=f"foto-{photo.pk}"))
        for photo in report.photos.filter(municipality_id=report.municipality_id)
    ]
    context = {
        "report": report,
        "event": report.event,
        "waited": waited(report, timezone.now()),
        "forms": _forms(report, bound),
        "photos": photos,
        "suggestion": suggestion.organisation,
        "reason": REASONS.get(suggestion.reason, ""),
        "is_pending": report.moderation == Moderation.PENDING,
        "is_open": report.closed_at is None
        and report.moderation in (Moderation.PENDING, Moderation.PUBLISHED),
        "map_config": _map_config(report),
    }
    return render(request, "citizens/moderate.html", context, status=status)


def _map_config(report: CitizenReport) -> dict:
    """The moderation page's map: the exact position (staff only), and where a tap on it
    writes a corrected one (the correction form's fields, which work without the map)."""
    return {
        "lat": report.event.lat,
        "lon": report.event.lon,
        "precision": report.event.precision_m,
        "boundariesUrl": f"{reverse('citizens:boundaries')}?kommun={report.municipality.code}",
        "tilesUrl": settings.TRYGG_MAP_TILES_URL,
        "tilesAttribution": settings.TRYGG_MAP_TILES_ATTRIBUTION,
        "latField": "id_ratta-lat",
        "lonField": "id_ratta-lon",
        "texts": {
            "chosen": _("Ny position ifylld: {lat}, {lon}. Spara rättelsen för att byta läge."),
            "new": _("Ny position"),
        },
    }


def _submit(request, report, key, form: forms.Form, write: Callable[[dict], object], done):
    """Validate `form`, call `write`; back to the report, or the page again with errors."""
    if form.is_valid():
        try:
            write(form.cleaned_data)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("citizens:moderate", report.pk)
    return _render(request, report, {key: form}, status=400)


@require_POST
@login_required
def publish(request, pk: int):
    report = report_for_moderation(request, pk)
    try:
        moderation.publish(report, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Rapporten är publicerad för samverkansparterna."))
    return redirect("citizens:moderate", report.pk)


@require_POST
@login_required
def hide(request, pk: int):
    report = report_for_moderation(request, pk)

    def write(data):
        moderation.hide(report, reason=data["reason"], acting_user=request.user)

    form = mforms.HideForm(request.POST, prefix="dolj")
    return _submit(request, report, "hide", form, write, _("Rapporten är dold."))


@require_POST
@login_required
def duplicate(request, pk: int):
    report = report_for_moderation(request, pk)
    candidates = moderation.duplicate_candidates(report)
    form = mforms.DuplicateForm(request.POST, prefix="dubblett", candidates=candidates)

    def write(data):
        original = next(c for c in candidates if c.pk == data["original"])
        moderation.mark_duplicate(report, original=original, acting_user=request.user)

    done = _("Rapporten är markerad som dubblett.")
    return _submit(request, report, "duplicate", form, write, done)


@require_POST
@login_required
def correct(request, pk: int):
    report = report_for_moderation(request, pk)
    form = mforms.CorrectForm(request.POST, prefix="ratta")

    def write(data):
        moved = (data["lat"], data["lon"]) != (report.event.lat, report.event.lon)
        moderation.correct(
            report,
            category_code=data["category"],
            lat=data["lat"] if moved else None,
            lon=data["lon"] if moved else None,
            acting_user=request.user,
        )

    return _submit(request, report, "correct", form, write, _("Rättelsen är sparad."))


@require_POST
@login_required
def remove_text(request, pk: int):
    report = report_for_moderation(request, pk)
    form = mforms.DescriptionForm(request.POST, prefix="text")

    def write(data):
        moderation.remove_text(report, description=data["description"], acting_user=request.user)

    done = _("Beskrivningen är ändrad; den borttagna texten är inte sparad.")
    return _submit(request, report, "description", form, write, done)


@require_POST
@login_required
def route(request, pk: int):
    report = report_for_moderation(request, pk)
    form = mforms.RouteForm(request.POST, prefix="skicka", municipality_id=report.municipality_id)

    def write(data):
        moderation.route(report, organisation=data["organisation"], acting_user=request.user)

    return _submit(request, report, "route", form, write, _("Rapporten är skickad vidare."))


@require_POST
@login_required
def close(request, pk: int):
    report = report_for_moderation(request, pk)
    form = mforms.CloseForm(request.POST, prefix="avsluta")

    def write(data):
        moderation.close(
            report, outcome=data["outcome"], note=data["note"], acting_user=request.user
        )

    return _submit(request, report, "close", form, write, _("Rapporten är avslutad."))


@require_POST
@login_required
def photo_review(request, pk: int, photo_pk: int):
    report = report_for_moderation(request, pk)
    photo = report.photos.filter(municipality_id=report.municipality_id, pk=photo_pk).first()
    if photo is None:
        raise Http404
    form = mforms.PhotoReviewForm(request.POST, prefix=f"foto-{photo.pk}")

    def write(data):
        approve = data["review"] == photo.Review.APPROVED
        moderation.review_photo(photo, approve=approve, acting_user=request.user)

    done = _("Granskningen av fotot är sparad.")
    return _submit(request, report, ("photo", photo.pk), form, write, done)


def _pk(row) -> int | None:
    return row.pk if row is not None else None
