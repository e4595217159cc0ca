"""GeoReport v2 endpoints (wiki.open311.org/GeoReport_v2), every one as `.json` and `.xml`.

- The jurisdiction_id is the kommunkod; a municipality that does not take residents' reports
  (no coordinating organisation) is not a jurisdiction: 404 as for an unknown code.
- POST requests: the client's api_key (403 if wrong or absent), then the key's hourly ceiling
  (429 with Retry-After; citizens/throttle.py: every keyed POST counts, a bad one too, so a
  client stuck retrying a bad request is stopped as well), then service_code (400), then
  lat/long (400; address_string alone is not supported: Trygg places reports by position).
  media_url is ignored: Trygg never fetches anything a client points at. The personal fields
  are dropped, except `email`, which is kept apart for status mails as on the web form. The
  report is stored at once, so the answer carries its id, never a token.
- GET requests lists only published (moderated) reports, positions on a 100 m grid (the
  precision of the public map: a report is about a place, the grid keeps it from pointing at a
  door), photos only once approved. Extension: `page` (from 1) and `page_size` (at most 1,000).
"""

from __future__ import annotations

import datetime as dt
import math

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from trygg.citizens import throttle
from trygg.citizens.actions.reports import ReportInput, submit_report
from trygg.citizens.categories import BY_CODE, RESIDENT_CATEGORIES
from trygg.citizens.grid import on_grid
from trygg.citizens.models import (
    Channel,
    CitizenReport,
    Moderation,
    Open311Client,
    ReportPhoto,
)
from trygg.citizens.open311.keys import client_for
from trygg.citizens.open311.render import error, respond
from trygg.events.models import Category
from trygg.measures.routing import coordinating_organisation
from trygg.organisations.shards import joined_in_municipality
from trygg.places.models import Municipality

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# The day this endpoint's behaviour last changed, as discovery's `changeset` asks.
CHANGESET = "2026-12-02T00:00:00Z"
DEFAULT_DAYS = 90
MAX_REQUESTS = 1000
MAX_DESCRIPTION = 4000


class Refused(Exception):
    """An answer in the spec's error format: raised where the problem is found. `headers`
    go on the answer as well (Retry-After on a 429)."""

    def __init__(self, status: int, *descriptions: str, headers: dict[str, str] | None = None):
        super().__init__(status, descriptions)
        self.status, self.descriptions = status, descriptions
        self.headers = headers or {}


def _answer(view):
    """Run `view(request, fmt, …)`, turning Refused into the spec's error list."""

    def wrapped(request, fmt: str, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, fmt, *args, **kwargs)
        except Refused as refused:
            response = error(fmt, refused.status, *refused.descriptions)
            for name, value in refused.headers.items():
                response[name] = value
            return response

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def utc(moment: dt.datetime | None) -> str | None:
    """W3C datetime in UTC with `Z`, as the spec's examples."""
    if moment is None:
        return None
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def jurisdiction(params) -> Municipality:
    code = (params.get("jurisdiction_id") or "").strip()
    if not code:
        raise Refused(400, _("jurisdiction_id saknas: ange kommunkoden, till exempel 1780."))
    municipality = Municipality.objects.defer("geometry").filter(code=code).first()
    if municipality is None or coordinating_organisation(municipality.pk) is None:
        raise Refused(404, _("Kommunen %(code)s tar inte emot rapporter här.") % {"code": code})
    return municipality


# --- discovery and services ----------------------------------------------------------------


@require_GET
@_answer
def discovery(request, fmt: str):
    """Where the endpoint is and what it speaks; no jurisdiction needed."""
    url = request.build_absolute_uri(reverse("open311:discovery", kwargs={"fmt": "json"}))
    return respond(
        fmt,
        "discovery",
        {
            "changeset": CHANGESET,
            "contact": _("Kontakta kommunens samordnare för brottsförebyggande arbete."),
            "key_service": _("API-nycklar delas ut av kommunen (en per klientapplikation)."),
            "endpoints": [
                {
                    "specification": SPECIFICATION,
                    "url": url.rsplit("/", 1)[0],
                    "changeset": CHANGESET,
                    "type": "production",
                    "formats": ["text/xml", "application/json"],
                }
            ],
        },
    )


def _service(resident, categories: dict[str, Category]) -> dict:
    category = categories.get(resident.est_code)
    group = category.parent.name_sv if category and category.parent else ""
    return {
        "service_code": resident.code,
        "service_name": str(resident.label),
        "description": str(resident.hint),
        "metadata": False,
        "type": "realtime",
        "keywords": category.name_sv if category else "",
        "group": group,
    }


def _categories() -> dict[str, Category]:
    codes = [resident.est_code for resident in RESIDENT_CATEGORIES]
    return {c.code: c for c in Category.objects.filter(code__in=codes).select_related("parent")}


@require_GET
@_answer
def services(request, fmt: str):
    jurisdiction(request.GET)
    categories = _categories()
    return respond(
        fmt, "services", [_service(resident, categories) for resident in RESIDENT_CATEGORIES]
    )


@require_GET
@_answer
def service_definition(request, fmt: str, code: str):
    """Every service has metadata false; the definition is still answered, with no attributes,
    so a client that asks anyway gets a valid (empty) definition instead of an error."""
    jurisdiction(request.GET)
    if code not in BY_CODE:
        raise Refused(404, _("Tjänsten %(code)s finns inte.") % {"code": code})
    return respond(fmt, "service_definition", {"service_code": code, "attributes": []})


# --- requests ------------------------------------------------------------------------------


@csrf_exempt  # A client application, not a browser session: the api_key authenticates.
@require_http_methods(["GET", "POST"])
@_answer
def requests(request, fmt: str):
    if request.method == "POST":
        return _create(request, fmt)
    return _list(request, fmt)


def _number(params, name: str) -> float | None:
    raw = (params.get(name) or "").strip()
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        raise Refused(400, _("%(name)s är inte ett tal.") % {"name": name}) from None
    if not math.isfinite(value):
        raise Refused(400, _("%(name)s är inte ett tal.") % {"name": name})
    return value


def _count_against_ceiling(client: Open311Client) -> None:
    """Refuse (429, nothing stored) once the key has used up the hour; count this request."""
    if throttle.key_over_limit(client):
        ceiling = throttle.key_limit(client)
        sent = ngettext(
            "Klienten har skickat %(n)s förfrågan den här timmen, så många som den får.",
            "Klienten har skickat %(n)s förfrågningar den här timmen, så många som den får.",
            ceiling,
        ) % {"n": ceiling}
        later = _("Försök igen nästa timme. Inget har sparats.")
        raise Refused(
            429,
            f"{sent} {later}",
            headers={"Retry-After": str(throttle.seconds_to_next_hour())},
        )
    throttle.count_key_post(client)


def _create(request, fmt: str) -> HttpResponse:
    params = request.POST
    municipality = jurisdiction(params)
    client = client_for(params.get("api_key", ""), municipality)
    if client is None:
        raise Refused(403, _("api_key saknas eller gäller inte för den här kommunen."))
    _count_against_ceiling(client)
    code = (params.get("service_code") or "").strip()
    if not code:
        raise Refused(400, _("service_code saknas."))
    if code not in BY_CODE:
        raise Refused(400, _("Tjänsten %(code)s finns inte.") % {"code": code})
    lat, lon = _number(params, "lat"), _number(params, "long")
    if lat is None or lon is None:
        if params.get("address_string") or params.get("address_id"):
            raise Refused(400, _("Ange lat och long: adresser stöds inte, bara en position."))
        raise Refused(400, _("lat och long saknas."))
    description = params.get("description", "")
    if len(description) > MAX_DESCRIPTION:
        raise Refused(400, _("description får vara högst 4000 tecken."))
    # first_name, last_name, phone, device_id, account_id and media_url are not read at all.
    data = ReportInput(
        lat=lat,
        lon=lon,
        category_code=code,
        description=description,
        email=(params.get("email") or "").strip(),
        channel=Channel.OPEN311,
    )
    try:
        report, _token = submit_report(data, municipality)
    except ValidationError as invalid:
        raise Refused(400, *invalid.messages) from None
    notice = _("Tack! Rapporten granskas innan den visas offentligt.")
    body = [{"service_request_id": str(report.pk), "service_notice": notice, "account_id": None}]
    # 200, not 201: the spec's examples and the clients that check for exactly 200 expect it.
    return respond(fmt, "service_requests", body)


def _moment(params, name: str) -> dt.datetime | None:
    raw = (params.get(name) or "").strip()
    if not raw:
        return None
    moment = parse_datetime(raw.replace(" ", "+"))  # a '+' in a query string arrives as ' '
    if moment is None:
        raise Refused(
            400, _("%(name)s ska vara en tidpunkt som 2026-05-01T00:00:00Z.") % {"name": name}
        )
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, dt.UTC)
    return moment


def _page(params, name: str, default: int, highest: int | None = None) -> int:
    raw = (params.get(name) or "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1 or (highest is not None and int(raw) > highest):
        limit = f"1–{highest}" if highest else "≥ 1"
        raise Refused(
            400, _("%(name)s ska vara ett heltal %(limit)s.") % {"name": name, "limit": limit}
        )
    return int(raw)


def published(municipality: Municipality):
    """Only what a moderator published: nothing pending, hidden or marked duplicate. The
    events and photos are named in the municipality too, so that Citus reads its one shard
    (and joins the events there, where it refuses a join on their id alone)."""
    photos = ReportPhoto.objects.filter(
        municipality=municipality, review=ReportPhoto.Review.APPROVED
    )
    return (
        CitizenReport.objects.filter(
            municipality=municipality,
            moderation=Moderation.PUBLISHED,
            **joined_in_municipality("event"),
        )
        .select_related("event__place", "routed_to")
        .prefetch_related(Prefetch("photos", queryset=photos, to_attr="public_photos"))
        .order_by("-created_at", "-pk")
    )


def _filtered(params, municipality: Municipality):
    reports = published(municipality)
    ids = [part.strip() for part in (params.get("service_request_id") or "").split(",")]
    ids = [part for part in ids if part]
    if ids:
        # The spec: a list of ids overrides every other filter.
        if not all(part.isdigit() for part in ids):
            raise Refused(400, _("service_request_id ska vara tal, skilda åt med komma."))
        return reports.filter(pk__in=[int(part) for part in ids])
    codes = [part.strip() for part in (params.get("service_code") or "").split(",") if part.strip()]
    if codes:
        reports = reports.filter(resident_category__in=codes)
    start, end = _moment(params, "start_date"), _moment(params, "end_date")
    if start is None and end is None:
        start = timezone.now() - dt.timedelta(days=DEFAULT_DAYS)
    elif start is not None and end is not None and end - start > dt.timedelta(days=DEFAULT_DAYS):
        raise Refused(400, _("start_date och end_date får ligga högst 90 dagar isär."))
    if start is not None:
        reports = reports.filter(created_at__gte=start)
    if end is not None:
        reports = reports.filter(created_at__lte=end)
    statuses = {part.strip() for part in (params.get("status") or "").split(",") if part.strip()}
    if statuses - {"open", "closed"}:
        raise Refused(400, _("status kan vara open eller closed."))
    if statuses == {"open"}:
        reports = reports.filter(closed_at__isnull=True)
    elif statuses == {"closed"}:
        reports = reports.filter(closed_at__isnull=False)
    return reports


def _list(request, fmt: str) -> HttpResponse:
    params = request.GET
    municipality = jurisdiction(params)
    reports = _filtered(params, municipality)
    size = _page(params, "page_size", MAX_REQUESTS, MAX_REQUESTS)
    page = _page(params, "page", 1)
    chosen = reports[(page - 1) * size : page * size]
    return respond(fmt, "service_requests", [_as_request(request, r) for r in chosen])


@require_GET
@_answer
def request_detail(request, fmt: str, pk: int):
    municipality = jurisdiction(request.GET)
    report = published(municipality).filter(pk=pk).first()
    if report is None:
        raise Refused(404, _("Rapporten %(id)s finns inte eller är inte publicerad.") % {"id": pk})
    return respond(fmt, "service_requests", [_as_request(request, report)])


@require_GET
@_answer
def token(request, fmt: str, token: str):
    """Tokens are not used: a POST answers with the report's id at once."""
    jurisdiction(request.GET)
    raise Refused(404, _("Trygg använder inga tokens: svaret på POST innehåller rapportens id."))


def _as_request(request, report: CitizenReport) -> dict:
    event = report.event
    lat, lon = on_grid(event.lat, event.lon)
    moments = [m for m in (report.moderated_at, report.routed_at, report.closed_at) if m]
    photos = getattr(report, "public_photos", [])
    media = (
        request.build_absolute_uri(reverse("open311:photo", args=[photos[0].pk]))
        if photos
        else None
    )
    resident = BY_CODE.get(report.resident_category)
    return {
        "service_request_id": str(report.pk),
        "status": "open" if report.closed_at is None else "closed",
        "status_notes": report.closing_note if report.closed_at else "",
        "service_name": str(resident.label) if resident else "",
        "service_code": report.resident_category,
        "description": event.description,
        "agency_responsible": report.routed_to.name if report.routed_to else "",
        "service_notice": "",
        "requested_datetime": utc(report.created_at),
        "updated_datetime": utc(max(moments, default=report.created_at)),
        "expected_datetime": None,
        "address": event.place.name if event.place else "",
        "address_id": None,
        "zipcode": None,
        "lat": lat,
        "long": lon,
        "media_url": media,
    }


@require_GET
def photo(request, pk: int):
    """An approved photo of a published report: what media_url points at, nothing else."""
    # The address names no municipality: joined on it as well as the report's id, which
    # Citus does shard by shard (it refuses the join on the id alone).
    found = get_object_or_404(
        ReportPhoto.objects.select_related("report").filter(**joined_in_municipality("report")),
        pk=pk,
        review=ReportPhoto.Review.APPROVED,
        report__moderation=Moderation.PUBLISHED,
    )
    if not found.image:
        raise Http404
    return FileResponse(found.image.open("rb"), content_type="image/jpeg")
