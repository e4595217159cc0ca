"""The residents' reports in the API for staff (issue 12, point 9): list and read them, see who
the responsibility rules suggest, and moderate them through the same actions as the pages.

Visibility is the events' rule: a report is listed only if its event is in
`Event.objects.visible_to(user)` (a pending or hidden report's event is kept to the
municipality's coordinating organisation; a published one is shared with the partners), and
whoever moderates a municipality's reports (`actions.moderation.may_moderate`) sees all of
them, pending ones included. A report you may not see answers 404, as for events; moderating
one you may see but not moderate answers 403. The resident's address for status mails, the
tracking link and the Open311 client never leave the citizens app (`schemas.report_item`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Query, Router

from trygg.citizens.actions import moderation
from trygg.citizens.categories import BY_CODE
from trygg.citizens.models import CitizenReport, Moderation, ReportPhoto
from trygg.citizens.schemas import (
    CitizenReportFilters,
    CitizenReportListOut,
    CitizenReportOut,
    CloseIn,
    CorrectIn,
    DuplicateIn,
    HideIn,
    PhotoReviewIn,
    RouteIn,
    report_item,
)
from trygg.core.api_errors import FieldErrors, FieldErrorsOut, MessageOut, field_error
from trygg.core.periods import midnight
from trygg.core.resolve import Resolver
from trygg.measures.api import REASON_LABELS
from trygg.measures.schemas import (
    SuggestionOut,
    body_openapi,
    named,
    organisation_ref,
    parse_body,
    refused_by_field,
)
from trygg.organisations.access import access_for
from trygg.organisations.lookups import ORGANISATION
from trygg.organisations.ownership import visible_rule
from trygg.organisations.shards import (
    joined_in_municipality,
    own_first_or_404,
    prefetch_in_municipalities,
)
from trygg.places.lookups import MUNICIPALITY

router = Router(tags=["invånarnas rapporter"])

ERRORS = {401: MessageOut, 403: MessageOut, 422: FieldErrorsOut}
NOT_FOUND = {404: MessageOut}
MODERATED = {200: CitizenReportOut, **NOT_FOUND, **ERRORS}
MODERATOR_ONLY = "Kommunens samordnare och de granskare kommunen utsett."
# A position the moderation action could not use is answered on the field that was sent.
RENAMED = {"position": "lat"}


# --- who sees what --------------------------------------------------------------------------


@dataclass(frozen=True)
class Viewer:
    """What one request may see of reports, worked out once (not per report)."""

    is_superuser: bool
    moderated: frozenset[int]  # municipalities whose reports the user moderates

    @classmethod
    def of(cls, user) -> Viewer:
        access = access_for(user)
        return cls(access.is_superuser, moderation.moderated_municipality_ids(user))

    def moderates(self, municipality_id: int) -> bool:
        # The rule of `moderation.may_moderate`, with the named moderators read once.
        return self.is_superuser or municipality_id in self.moderated


def visible_reports(user, viewer: Viewer | None = None):
    """The reports `user` may see, with everything an item shows loaded but the photos
    (`_photos`). The event is joined on the municipality too (a report's event is always in
    its municipality), so that Citus joins them shard by shard."""
    viewer = viewer or Viewer.of(user)
    reports = (
        CitizenReport.objects.filter(**joined_in_municipality("event"))
        .select_related(
            "event__category", "event__area", "event__place", "routed_to", "municipality"
        )
        .defer("event__area__geometry", "municipality__geometry")
    )
    if viewer.is_superuser:
        return reports
    # The events' rule on the joined event, not a subquery over every event the user sees.
    rule = visible_rule(access_for(user), "event__")
    if viewer.moderated:
        rule |= Q(municipality_id__in=viewer.moderated)
    return reports.filter(rule)


def _photos_prefetch() -> Prefetch:
    return Prefetch("photos", queryset=ReportPhoto.objects.order_by("pk"))


def _photos(report: CitizenReport) -> list[ReportPhoto]:
    """The report's photos by id, read in the report's municipality (nothing is read again
    when its page read them)."""
    prefetch_in_municipalities([report], _photos_prefetch())
    return list(report.photos.all())


def _visible_photos(report: CitizenReport, viewer: Viewer) -> list[ReportPhoto]:
    """The rule of the photo view (`views_photos.may_see_photo`): the moderators see every
    photo, others an approved photo of a published report only."""
    photos = _photos(report)
    if viewer.moderates(report.municipality_id):
        return photos
    if report.moderation != Moderation.PUBLISHED:
        return []
    return [photo for photo in photos if photo.review == ReportPhoto.Review.APPROVED]


def _photo_url(request) -> Callable[[ReportPhoto], str]:
    return lambda photo: request.build_absolute_uri(reverse("citizens:photo", args=[photo.pk]))


def _item(request, report: CitizenReport, viewer: Viewer) -> dict:
    return report_item(
        report,
        moderates=viewer.moderates(report.municipality_id),
        photos=_visible_photos(report, viewer),
        photo_url=_photo_url(request),
    )


def _visible_report(user, report_id: int, viewer: Viewer | None = None) -> CitizenReport:
    # 404, not 403, for reports you may not see: whether they exist is not yours to know.
    # Photos are not prefetched here: that query names only the reports' ids, which Citus
    # sends to every shard; `_photos` reads them naming the report's municipality.
    return own_first_or_404(user, visible_reports(user, viewer), pk=report_id)


def _moderated_report(user, report_id: int) -> CitizenReport:
    """The report, if `user` may see it (404) and moderate it (403): checked before the body
    is read, so that someone who may not moderate learns nothing from its checks."""
    report = _visible_report(user, report_id)
    moderation.check_may_moderate(user, report)
    return report


# --- reading --------------------------------------------------------------------------------


@router.get(
    "/citizen-reports",
    response={200: CitizenReportListOut, **ERRORS},
    summary="Invånares rapporter du får se",
    description="Senaste först. Du ser en rapport om du får se dess händelse (publicerade "
    "rapporter delas med samverkansparterna i kommunen); den som granskar kommunens rapporter "
    "ser alla, också de som väntar på granskning.",
)
def list_reports(request, filters: Query[CitizenReportFilters]):
    viewer = Viewer.of(request.auth)
    reports = visible_reports(request.auth, viewer).filter(_filter_rule(filters))
    reports = reports.order_by("-created_at", "-pk")
    page = prefetch_in_municipalities(
        reports[filters.offset : filters.offset + filters.limit], _photos_prefetch()
    )
    return {"count": reports.count(), "items": [_item(request, r, viewer) for r in page]}


def _filter_rule(filters: CitizenReportFilters) -> Q:
    """The filters as one Q, or 422 naming every parameter that is wrong."""
    lookups = Resolver()
    rule = Q()
    if filters.municipality is not None:
        rule &= Q(municipality=lookups.get(MUNICIPALITY, filters.municipality, "municipality"))
    states = {p.strip() for v in filters.moderation or [] for p in v.split(",") if p.strip()}
    if states - set(Moderation.values):
        choices = ", ".join(Moderation.values)
        lookups.fail("moderation", _("Välj bland: %(choices)s.") % {"choices": choices})
    elif states:
        rule &= Q(moderation__in=states)
    if filters.state is not None:
        rule &= Q(closed_at__isnull=filters.state == "open")
    if filters.category is not None:
        if filters.category not in BY_CODE:
            choices = ", ".join(BY_CODE)
            lookups.fail("category", _("Välj bland: %(choices)s.") % {"choices": choices})
        rule &= Q(resident_category=filters.category)
    if filters.routed_to is not None:
        rule &= Q(routed_to=lookups.get(ORGANISATION, filters.routed_to, "routed_to"))
    if filters.created_from is not None:
        rule &= Q(created_at__gte=midnight(filters.created_from))
    if filters.created_to is not None:
        rule &= Q(created_at__lt=midnight(filters.created_to + dt.timedelta(days=1)))
    if (
        filters.created_from is not None
        and filters.created_to is not None
        and filters.created_to < filters.created_from
    ):
        lookups.fail("created_to", _("Slutdatumet ligger före startdatumet."))
    lookups.check()
    return rule


@router.get(
    "/citizen-reports/{report_id}",
    response={200: CitizenReportOut, **NOT_FOUND, **ERRORS},
    summary="En invånares rapport",
)
def get_report(request, report_id: int):
    viewer = Viewer.of(request.auth)
    return _item(request, _visible_report(request.auth, report_id, viewer), viewer)


@router.get(
    "/citizen-reports/{report_id}/routing",
    response={200: SuggestionOut, **NOT_FOUND, **ERRORS},
    summary="Vem ska rapporten skickas till? Förslag enligt ansvarsreglerna",
    description="Förslaget som granskaren bekräftar eller byter (POST …/route), med skälet: "
    "en ansvarsregel, platsens förvaltare eller kommunens samordnande organisation.",
)
def get_routing(request, report_id: int):
    report = _visible_report(request.auth, report_id)
    suggestion = moderation.routing_suggestion(report)
    rule = suggestion.rule
    event = report.event
    return {
        "organisation": organisation_ref(suggestion.organisation),
        "reason": str(suggestion.reason),
        "reason_label": str(REASON_LABELS[suggestion.reason]),
        "rule": {"id": rule.pk, "description": rule.describe()} if rule else None,
        "area": named(event.area),
        "place": named(event.place),
    }


# --- moderating -----------------------------------------------------------------------------


def _done(request, report_id: int) -> tuple[int, dict]:
    """The report as it is now, read again (the action may have changed its event too)."""
    viewer = Viewer.of(request.auth)
    return 200, _item(request, _visible_report(request.auth, report_id, viewer), viewer)


def _write(action: Callable[[], object]) -> None:
    """Run a moderation action; its refusals become 422 on the fields sent."""
    with refused_by_field(RENAMED):
        action()


@router.post(
    "/citizen-reports/{report_id}/publish",
    response=MODERATED,
    summary="Publicera en rapport för samverkansparterna",
    description=MODERATOR_ONLY,
)
def publish(request, report_id: int):
    report = _moderated_report(request.auth, report_id)
    _write(lambda: moderation.publish(report, acting_user=request.auth))
    return _done(request, report_id)


@router.post(
    "/citizen-reports/{report_id}/hide",
    response=MODERATED,
    summary="Dölj en rapport, med skäl",
    description=MODERATOR_ONLY + " Skälet syns i beskedet till den som rapporterade.",
    openapi_extra=body_openapi(HideIn),
)
def hide(request, report_id: int):
    report = _moderated_report(request.auth, report_id)
    data = parse_body(request.body, HideIn)
    _write(lambda: moderation.hide(report, reason=data.reason, acting_user=request.auth))
    return _done(request, report_id)


@router.post(
    "/citizen-reports/{report_id}/duplicate",
    response=MODERATED,
    summary="Markera en rapport som dubblett av en annan",
    description=MODERATOR_ONLY + " Originalet är en öppen rapport i samma kommun; dess "
    "räknare för fler som sett samma ökar.",
    openapi_extra=body_openapi(DuplicateIn),
)
def duplicate(request, report_id: int):
    report = _moderated_report(request.auth, report_id)
    data = parse_body(request.body, DuplicateIn)
    original = visible_reports(request.auth).filter(pk=data.original).first()
    if original is None:
        raise FieldErrors([field_error("original", _("Okänd rapport."))])
    _write(lambda: moderation.mark_duplicate(report, original=original, acting_user=request.auth))
    return _done(request, report_id)


@router.post(
    "/citizen-reports/{report_id}/correct",
    response=MODERATED,
    summary="Rätta kategori eller position",
    description=MODERATOR_ONLY + " En ny position läggs i område och plats på nytt, inom "
    "samma kommun.",
    openapi_extra=body_openapi(CorrectIn),
)
def correct(request, report_id: int):
    report = _moderated_report(request.auth, report_id)
    data = parse_body(request.body, CorrectIn)
    lookups = Resolver()
    if (data.lat is None) != (data.lon is None):
        lookups.fail("lon" if data.lon is None else "lat", _("Ange både lat och lon."))
    elif data.category is None and data.lat is None:
        lookups.fail("body", _("Ange category, eller lat och lon, eller alla tre."))
    lookups.check()
    _write(
        lambda: moderation.correct(
            report,
            category_code=data.category,
            lat=data.lat,
            lon=data.lon,
            acting_user=request.auth,
        )
    )
    return _done(request, report_id)


@router.post(
    "/citizen-reports/{report_id}/route",
    response=MODERATED,
    summary="Skicka rapporten till den organisation som ansvarar",
    description=MODERATOR_ONLY + " En organisation i rapportens kommun; förslaget finns "
    "under …/routing.",
    openapi_extra=body_openapi(RouteIn),
)
def route(request, report_id: int):
    report = _moderated_report(request.auth, report_id)
    data = parse_body(request.body, RouteIn)
    lookups = Resolver()
    organisation = lookups.get(
        ORGANISATION, data.organisation, "organisation", within=report.municipality_id
    )
    lookups.check()
    _write(lambda: moderation.route(report, organisation=organisation, acting_user=request.auth))
    return _done(request, report_id)


@router.post(
    "/citizen-reports/{report_id}/close",
    response=MODERATED,
    summary="Avsluta en rapport med utfall och besked",
    description=MODERATOR_ONLY + " Utfall: fixed, not_ours eller no_action. Beskedet syns "
    "för den som rapporterade.",
    openapi_extra=body_openapi(CloseIn),
)
def close(request, report_id: int):
    report = _moderated_report(request.auth, report_id)
    data = parse_body(request.body, CloseIn)
    _write(
        lambda: moderation.close(
            report, outcome=data.outcome, note=data.note, acting_user=request.auth
        )
    )
    return _done(request, report_id)


@router.post(
    "/citizen-reports/{report_id}/photos/{photo_id}/review",
    response=MODERATED,
    summary="Granska ett foto: godkänn för publicering eller inte",
    description=MODERATOR_ONLY + " review: approved eller rejected. Ett foto är privat tills "
    "det godkänts.",
    openapi_extra=body_openapi(PhotoReviewIn),
)
def review_photo(request, report_id: int, photo_id: int):
    report = _moderated_report(request.auth, report_id)
    photo = next((p for p in _photos(report) if p.pk == photo_id), None)
    if photo is None:
        return 404, {"detail": _("Hittades inte.")}
    data = parse_body(request.body, PhotoReviewIn)
    choices = (ReportPhoto.Review.APPROVED, ReportPhoto.Review.REJECTED)
    if data.review not in choices:
        message = _("Välj bland: %(choices)s.") % {"choices": ", ".join(choices)}
        raise FieldErrors([field_error("review", message)])
    approve = data.review == ReportPhoto.Review.APPROVED
    _write(lambda: moderation.review_photo(photo, approve=approve, acting_user=request.auth))
    return _done(request, report_id)
