"""The event API: report events (one or a list), list and read the events a user may see.

Reading always goes through `Event.objects.visible_to(user)`; writing through `report_event`
(scrubbing, audit, permission). A list of reports is all or nothing: every item is checked
before anything is written, and the writes share one transaction.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pydantic
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import JsonResponse
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.responses import NinjaJSONEncoder

from trygg.core.api_errors import (
    FieldErrors,
    FieldErrorsOut,
    MessageOut,
    field_error,
    field_name,
    swedish_message,
)
from trygg.core.privacy import holds_identifier
from trygg.core.resolve import Resolver
from trygg.events.actions import check_event_fields, record_read, report_event
from trygg.events.importers.common import EXTERNAL_ID_PERSONAL
from trygg.events.lookups import CATEGORY, REPORTABLE_CATEGORY
from trygg.events.models import Category, Event, Source
from trygg.events.schemas import (
    MAX_ITEMS_PER_POST,
    CategoryListOut,
    EventIn,
    EventListOut,
    EventOut,
    EventPostOut,
    parse_moment,
    request_body_openapi,
)
from trygg.organisations.access import access_for
from trygg.organisations.lookups import ORGANISATION
from trygg.organisations.models import Organisation
from trygg.organisations.shards import own_first_or_404
from trygg.places.index import municipality_ids
from trygg.places.lookups import AREA, MUNICIPALITY, PLACE
from trygg.places.models import Place

router = Router(tags=["händelser"])

ERRORS = {401: MessageOut, 403: MessageOut, 422: FieldErrorsOut}
MAX_LIMIT = 1000


# --- reading ------------------------------------------------------------------------------


@router.get("/events", response={200: EventListOut, **ERRORS}, summary="Händelser du får se")
def list_events(
    request,
    date_from: str | None = Query(None, alias="from", description="Från och med (datum/tid)."),
    date_to: str | None = Query(
        None, alias="to", description="Ett datum: till och med den dagen; en tidpunkt: före den."
    ),
    category: str | None = Query(
        None, description="Kategorins kod eller namn; underkategorier ingår."
    ),
    area: int | None = Query(None, description="Områdets id; delområden ingår."),
    municipality: str | None = Query(None, description="Kommunkod, t.ex. 1780."),
    source: str | None = Query(None, description="/".join(Source.values)),
    external_id: str | None = None,
    limit: int = Query(100, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0),
):
    resolver = Resolver()
    rule = _filter_rule(resolver, date_from, date_to, municipality, source, external_id)
    found_area = resolver.get(AREA, area, "area")
    found_category = resolver.get(CATEGORY, category, "category")
    resolver.check()
    events = Event.objects.visible_to(request.auth).filter(rule)
    if found_area is not None:
        events = events.in_area(found_area)
    if found_category is not None:
        events = events.in_category(found_category)
    page = events.with_related().order_by("-occurred_from", "-id")[offset : offset + limit]
    items = [EventOut.of(event) for event in page]
    # Sent as built: EventOut.of is the one place items are shaped (a test holds it to the
    # schema), and checking 1000 items again would take a third of the request's time.
    return JsonResponse({"count": events.count(), "items": items}, encoder=NinjaJSONEncoder)


def _filter_rule(resolver: Resolver, date_from, date_to, municipality, source, external_id):
    """The query's filters as one Q; each problem is noted on its parameter."""
    rule = Q()
    for name, value, end, lookup in (
        ("from", date_from, False, "occurred_from__gte"),
        ("to", date_to, True, "occurred_from__lt"),
    ):
        if value is None:
            continue
        moment = parse_moment(value, end=end)
        if moment is None:
            resolver.fail(name, _("Ange ett datum eller en tidpunkt (ISO 8601)."))
        else:
            rule &= Q(**{lookup: moment})
    if municipality is not None:
        rule &= Q(municipality=resolver.get(MUNICIPALITY, municipality, "municipality"))
    if source is not None:
        if source not in Source.values:
            message = _("Välj ett av: %(choices)s.") % {"choices": ", ".join(Source.values)}
            resolver.fail("source", message)
        rule &= Q(source=source)
    if external_id is not None:
        rule &= Q(external_id=external_id)
    return rule


@router.get(
    "/events/{event_id}",
    response={200: EventOut, 404: MessageOut, **ERRORS},
    summary="En händelse",
)
def get_event(request, event_id: int):
    # 404, not 403, for events you may not see: whether they exist is not yours to know either.
    visible = Event.objects.visible_to(request.auth).with_related()
    event = own_first_or_404(request.auth, visible, pk=event_id)
    record_read(event, acting_user=request.auth)
    return EventOut.of(event)


@router.get("/categories", response={200: CategoryListOut, **ERRORS}, summary="Kategorierna")
def list_categories(request):
    items = [
        {
            "code": category.code,
            "name": category.name,
            "parent": category.parent.code if category.parent_id else None,
            "is_active": category.is_active,
        }
        for category in Category.objects.select_related("parent")
    ]
    return {"count": len(items), "items": items}


# --- reporting ----------------------------------------------------------------------------


@router.post(
    "/events",
    response={201: EventPostOut | list[EventPostOut], 200: EventPostOut | list[EventPostOut]}
    | ERRORS,
    summary="Rapportera en händelse eller en lista av händelser",
    description=f"Ett objekt eller en lista (högst {MAX_ITEMS_PER_POST}). En lista sparas helt "
    "eller inte alls. 201 om något skapades; 200 om allt redan fanns (samma external_id).",
    openapi_extra=request_body_openapi(),
)
def post_events(request):
    many, items, parse_errors = _parse_body(request.body)
    # A concurrent re-send of the same external_id can win the race to the unique constraint:
    # then everything is rolled back and checked again, and the second pass finds its event.
    for attempt in range(2):
        reports = _Lookups(request.auth, items).check_all(many, parse_errors)
        try:
            results = _write(request.auth, reports, many)
            break
        except IntegrityError:
            if attempt:
                raise
    # Read back in their municipalities: one shard on Citus, where ids alone ask every one.
    stored = (
        Event.objects.with_related()
        .filter(municipality_id__in={municipality for _pk, municipality, _new in results})
        .in_bulk([pk for pk, _municipality, _new in results])
    )
    payload = [{**EventOut.of(stored[pk]), "created": new} for pk, _m, new in results]
    status = 201 if any(new for _pk, _m, new in results) else 200
    return status, payload if many else payload[0]


def _parse_body(body: bytes) -> tuple[bool, list[tuple[int, EventIn | None]], list[dict]]:
    """The items of the body and their problems, each item parsed alone so that one answer
    can list every problem (the parseable items are still looked up)."""
    try:
        data = json.loads(body or b"null")
    except (ValueError, UnicodeDecodeError):
        raise FieldErrors([field_error("body", _("Ogiltig JSON."))]) from None
    many = isinstance(data, list)
    if not many and not isinstance(data, dict):
        raise FieldErrors([field_error("body", _("Skicka ett objekt eller en lista av objekt."))])
    raw = data if many else [data]
    if not raw or len(raw) > MAX_ITEMS_PER_POST:
        message = _("Skicka mellan 1 och %(n)s händelser.") % {"n": MAX_ITEMS_PER_POST}
        raise FieldErrors([field_error("body", message)])
    items: list[tuple[int, EventIn | None]] = []
    errors: list[dict] = []
    for index, item in enumerate(raw):
        try:
            items.append((index, EventIn.model_validate(item)))
        except pydantic.ValidationError as exc:
            items.append((index, None))
            for error in exc.errors(include_url=False):
                message = swedish_message(error)
                errors.append(field_error(field_name(error["loc"]), message, _at(index, many)))
    return many, items, errors


def _at(index: int, many: bool) -> int | None:
    return index if many else None


@dataclass
class _Report:
    index: int
    data: EventIn
    category: Category | None = None
    organisation: Organisation | None = None
    place: Place | None = None
    existing: Event | None = None


class _Lookups:
    """What a batch of reports refers to, read in a few queries (not a few per item)."""

    def __init__(self, user, items: list[tuple[int, EventIn | None]]):
        self.access = access_for(user)
        self.items = items
        data = [item for _index, item in items if item is not None]
        self.resolver = Resolver()
        self.resolver.preload(REPORTABLE_CATEGORY, {item.category for item in data})
        self.resolver.preload(ORGANISATION, {item.organisation for item in data})
        self.resolver.preload(PLACE, {item.place for item in data})
        self.own = list(
            Organisation.objects.filter(pk__in=self.access.reporting_organisation_ids())
        )
        given = [(index, item) for index, item in items if item is not None]
        # Each item's municipality by its position: where its event would be stored.
        found = municipality_ids([i.lon for _n, i in given], [i.lat for _n, i in given])
        self.municipalities = dict(zip((index for index, _item in given), found, strict=True))
        self.existing = _existing(given, self.municipalities)

    def check_all(self, many: bool, parse_errors: list[dict]) -> list[_Report]:
        """Every item resolved, or 403 for the first one the user may not report, or 422
        with all problems (index and field)."""
        reports: list[_Report] = []
        seen: dict[str, int] = {}
        for index, item in self.items:
            if item is None:
                continue
            report = _Report(index, item)
            self._resolve(report, _at(index, many))
            for field, message in self._check_external_id(report, seen):
                self.resolver.fail(field, message, _at(index, many))
            reports.append(report)
        refusals = ((r, self._forbidden(r)) for r in reports)
        forbidden = next(((r, why) for r, why in refusals if why), None)
        if forbidden is not None:
            refused, why = forbidden
            raise _Forbidden(why, _at(refused.index, many))
        errors = parse_errors + self.resolver.errors
        if errors:
            # Times and positions are otherwise checked once, by report_event while writing
            # (locating a point costs queries); here they complete the list of problems.
            for report in reports:
                problems = _position_problems(report, check_event_fields(**_when_where(report)))
                errors += [field_error(f, m, _at(report.index, many)) for f, m in problems]
            raise FieldErrors(sorted(errors, key=lambda error: error.get("index", 0)))
        return reports

    def _resolve(self, report: _Report, index: int | None) -> None:
        item, resolver = report.data, self.resolver
        report.category = resolver.get(REPORTABLE_CATEGORY, item.category, "category", index=index)
        if item.organisation is not None:
            report.organisation = resolver.get(
                ORGANISATION, item.organisation, "organisation", index=index
            )
        else:
            report.organisation = self._own_organisation(index)
        report.place = resolver.get(PLACE, item.place, "place", index=index)

    def _own_organisation(self, index: int | None) -> Organisation | None:
        if len(self.own) == 1:
            return self.own[0]
        if self.own:
            codes = ", ".join(sorted(o.code for o in self.own))
            message = _("Ange organisation: du rapporterar för flera (%(codes)s).")
            self.resolver.fail("organisation", message % {"codes": codes}, index)
        return None  # with no organisation at all: answered 403 by _forbidden

    def _check_external_id(self, report: _Report, seen: dict) -> list[tuple[str, str]]:
        external_id = report.data.external_id
        if external_id is None:
            return []
        if holds_identifier(external_id):
            return [("external_id", str(EXTERNAL_ID_PERSONAL))]
        if external_id in seen:
            message = _("Samma external_id som händelse %(i)s i listan.") % {"i": seen[external_id]}
            return [("external_id", message)]
        seen[external_id] = report.index
        existing = self.existing.get((external_id, self.municipalities.get(report.index)))
        if existing is None or report.organisation is None:
            return []
        if existing.organisation_id != report.organisation.pk:
            # The key is shared by all partners: never hand out another organisation's event.
            return [("external_id", _("Id:t används redan av en annan organisation."))]
        report.existing = existing
        return []

    def _forbidden(self, report: _Report) -> str | None:
        if report.data.organisation is None and not self.own:
            return _("Du har ingen organisation som du får rapportera för.")
        organisation = report.organisation
        if organisation is not None and not self.access.can_report_for(organisation):
            return _("Du får inte rapportera för %(org)s.") % {"org": organisation.name}
        return None


def _existing(items, municipalities: dict[int, int | None]) -> dict[tuple[str, int | None], Event]:
    """The partners' events already stored under the items' external ids, by (id,
    municipality): the key is unique within a municipality, where each item's position puts
    its event. Read in those municipalities, so that Citus asks their shards alone."""
    keys = {item.external_id for _index, item in items if item.external_id}
    places = {municipalities[index] for index, item in items if item.external_id}
    places.discard(None)
    if not keys or not places:
        return {}
    stored = Event.objects.filter(
        municipality_id__in=places, source=Source.PARTNER, external_id__in=keys
    )
    return {(event.external_id, event.municipality_id): event for event in stored}


def _when_where(report: _Report) -> dict:
    item = report.data
    return {
        "occurred_from": item.occurred_from,
        "occurred_to": item.occurred_to,
        "lat": item.lat,
        "lon": item.lon,
    }


def _position_problems(report: _Report, checked: dict) -> list[tuple[str, str]]:
    """check_event_fields' problems, and a place in another municipality than the point."""
    problems = [(field, str(message)) for field, message in checked["errors"].items()]
    municipality_id = checked["position"][2]
    if report.place and municipality_id and report.place.municipality_id != municipality_id:
        problems.append(("place", _("Platsen ligger i en annan kommun än positionen.")))
    return problems


class _Forbidden(PermissionDenied):
    def __init__(self, message: str, index: int | None):
        super().__init__(message)
        self.index = index


def _write(user, reports: list[_Report], many: bool) -> list[tuple[int, int, bool]]:
    """Store the new reports in one transaction: (event id, its municipality's id, created)
    in the order given.
    Any problem found while writing rolls the whole list back (422 naming every one)."""
    results, errors = [], []
    with transaction.atomic():
        for report in reports:
            if report.existing is not None:
                results.append((report.existing.pk, report.existing.municipality_id, False))
                continue
            try:
                event = report_event(
                    acting_user=user,
                    organisation=report.organisation,
                    category=report.category,
                    description=report.data.description,
                    visibility=report.data.visibility,
                    place=report.place,
                    source=Source.PARTNER,
                    external_id=report.data.external_id,
                    **_when_where(report),
                )
            except ValidationError as exc:
                problems = [(f, m) for f, messages in exc.message_dict.items() for m in messages]
            else:
                checked = {"errors": {}, "position": (None, None, event.municipality_id, None)}
                problems = _position_problems(report, checked)
                results.append((event.pk, event.municipality_id, True))
            errors += [field_error(f, m, _at(report.index, many)) for f, m in problems]
        if errors:
            raise FieldErrors(errors)  # inside the transaction: nothing stays written
    return results
