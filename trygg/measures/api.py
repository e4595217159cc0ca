"""The measures API: measures (list, read, create, change, comment), the responsibility rules
and the routing suggestion, so that other systems can read assignments and write status.

Reading goes through `Measure.objects.visible_to(user)` and, for linked events, through
`Event.objects.visible_to(user)`; every write goes through the actions in
trygg.measures.actions, which check permission, scrub free text, audit and queue the e-mails.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Query, Router

from trygg.core.api_errors import FieldErrorsOut, MessageOut
from trygg.core.resolve import Resolver
from trygg.events.lookups import CATEGORY
from trygg.events.models import Event
from trygg.events.schemas import parse_moment
from trygg.measures import access, one_shard
from trygg.measures.actions import (
    assign_measure,
    comment_on_measure,
    create_measure,
    delete_rule,
    save_rule,
    set_measure_status,
    update_measure,
)
from trygg.measures.models import Measure, MeasureEntry, ResponsibilityRule, Status
from trygg.measures.routing import Reason, suggest
from trygg.measures.schemas import (
    CommentIn,
    EntryOut,
    MeasureDetailOut,
    MeasureFilters,
    MeasureIn,
    MeasureListOut,
    MeasurePatch,
    RuleIn,
    RuleListOut,
    RuleOut,
    RulePatch,
    SuggestionOut,
    body_openapi,
    entry_item,
    measure_item,
    named,
    organisation_ref,
    parse_body,
    refused_by_field,
    rule_item,
)
from trygg.organisations.access import access_for, can_view
from trygg.organisations.lookups import ORGANISATION
from trygg.organisations.shards import own_first_or_404, prefetch_in_municipalities
from trygg.places.index import locate_one
from trygg.places.lookups import AREA, MUNICIPALITY, PLACE
from trygg.places.models import Area
from trygg.places.queries import nearest_places

router = Router(tags=["åtgärder"])

ERRORS = {401: MessageOut, 403: MessageOut, 422: FieldErrorsOut}
NOT_FOUND = {404: MessageOut}
# A position this close to a named place is taken to be at it (GPS on a phone is about 10 m).
PLACE_SNAP_M = 50
PATCH_EDITS = ("title", "description", "kind", "category", "place", "area", "due", "cost")


# --- reading measures ---------------------------------------------------------------------


def _with_related(measures):
    """What every item shows from the shared tables (category, place, area, municipality,
    responsible), joined. The meeting decision and the linked events the user may see are
    read for the page by `_items`, naming its municipalities: the decision would be an outer
    join between sharded tables, and a prefetch of the events joins their link table on the
    event alone, both of which Citus refuses."""
    return measures.select_related(
        "category", "place", "area", "municipality", "responsible"
    ).defer("municipality__geometry", "area__geometry")


def _items(request, measures) -> list[dict[str, Any]]:
    """The items, each with its meeting decision and the linked events the caller may see
    (an internal police event must not show even as an id)."""
    measures = prefetch_in_municipalities(measures, "decision")
    events = one_shard.visible_event_ids(measures, Event.objects.visible_to(request.auth))
    return [
        measure_item(
            measure,
            event_ids=events[measure.pk],
            url=request.build_absolute_uri(measure.get_absolute_url()),
        )
        for measure in measures
    ]


def _detail(request, measure_id: int) -> dict[str, Any]:
    visible = _with_related(Measure.objects.visible_to(request.auth))
    measure = own_first_or_404(request.auth, visible, pk=measure_id)
    entries = MeasureEntry.objects.filter(measure=measure).select_related("organisation")
    # In the measure's municipality, so that Citus reads its shard alone.
    timeline = [entry_item(e) for e in entries.filter(municipality_id=measure.municipality_id)]
    return {**_items(request, [measure])[0], "timeline": timeline}


def _visible_measure(user, measure_id: int) -> Measure:
    # 404, not 403, for measures you may not see, as for events.
    return own_first_or_404(user, Measure.objects.visible_to(user), pk=measure_id)


@router.get(
    "/measures",
    response={200: MeasureListOut, **ERRORS},
    summary="Åtgärder du får se",
    description="Sorterade efter när de ska vara klara (utan datum sist). Med updated_since kan "
    "ett annat system hämta det som ändrats sedan förra gången (även nya kommentarer).",
)
def list_measures(request, filters: Query[MeasureFilters]):
    lookups = Resolver()
    f = filters
    rule = _place_rule(lookups, f.municipality, f.responsible, f.place, f.category)
    rule &= _status_rule(lookups, f.status)
    rule &= _time_rule(lookups, f.due_before, f.due_after, f.updated_since)
    area = lookups.get(AREA, f.area, "area")
    lookups.check()
    measures = Measure.objects.visible_to(request.auth).filter(rule)
    if area is not None:
        # The same rule as the measures page: an area covers its sub-areas.
        measures = measures.in_area(area)
    if f.overdue is not None:
        overdue_ids = Measure.objects.overdue().values("pk")
        measures = measures.overdue() if f.overdue else measures.exclude(pk__in=overdue_ids)
    ordered = measures.order_by(F("due").asc(nulls_last=True), "pk")
    page = _with_related(ordered)[f.offset : f.offset + f.limit]
    return {"count": measures.count(), "items": _items(request, page)}


def _place_rule(lookups: Resolver, municipality, responsible, place, category) -> Q:
    """The filters naming rows (kommunkod, organisation, place, category) as one Q."""
    rule = Q()
    if municipality is not None:
        found_municipality = lookups.get(MUNICIPALITY, municipality, "municipality")
        rule &= Q(municipality=found_municipality)
    if responsible is not None:
        rule &= Q(responsible=lookups.get(ORGANISATION, responsible, "responsible"))
    if place is not None:
        rule &= Q(place=lookups.get(PLACE, place, "place"))
    if category is not None:
        found_category = lookups.get(CATEGORY, category, "category")
        rule &= Q(category_id__in=found_category.descendant_ids() if found_category else [])
    return rule


def _status_rule(lookups: Resolver, status: list[str] | None) -> Q:
    if not status:
        return Q()
    wanted = {part.strip() for value in status for part in value.split(",") if part.strip()}
    _check_statuses(lookups, wanted)
    return Q(status__in=wanted)


def _check_statuses(lookups: Resolver, statuses: set[str]) -> None:
    if statuses - set(Status.values):
        message = _("Välj bland: %(choices)s.") % {"choices": ", ".join(Status.values)}
        lookups.fail("status", message)


def _time_rule(lookups: Resolver, due_before, due_after, updated_since) -> Q:
    rule = Q()
    if due_before is not None:
        rule &= Q(due__lte=due_before)
    if due_after is not None:
        rule &= Q(due__gte=due_after)
    if updated_since is not None:
        moment = parse_moment(updated_since)
        if moment is None:
            lookups.fail("updated_since", _("Ange ett datum eller en tidpunkt (ISO 8601)."))
        else:
            # A comment is news for a polling system too, though it does not touch the measure.
            # Correlated on the municipality too, so that Citus runs it beside each measure.
            newer_entry = MeasureEntry.objects.filter(
                municipality_id=OuterRef("municipality_id"),
                measure=OuterRef("pk"),
                created_at__gte=moment,
            )
            rule &= Q(updated_at__gte=moment) | Q(Exists(newer_entry))
    return rule


@router.get(
    "/measures/{measure_id}",
    response={200: MeasureDetailOut, **NOT_FOUND, **ERRORS},
    summary="En åtgärd med sin logg",
    description="Loggen visar vilken organisation som skrev, aldrig vilken person.",
)
def get_measure(request, measure_id: int):
    return _detail(request, measure_id)


# --- writing measures ---------------------------------------------------------------------


@router.post(
    "/measures",
    response={201: MeasureDetailOut, **ERRORS},
    summary="Lägg till en åtgärd",
    description="Samordnare kan lägga åtgärder med status proposed, agreed eller in_progress; "
    "andra som rapporterar i kommunen kan bara föreslå (proposed). Den ansvariga "
    "organisationen får e-post.",
    openapi_extra=body_openapi(MeasureIn),
)
def post_measure(request):
    data = parse_body(request.body, MeasureIn)
    lookups = Resolver()
    municipality = lookups.get(MUNICIPALITY, data.municipality, "municipality")
    fields = _resolved_edits(lookups, data, {"category", "place", "area"})
    responsible = lookups.get(ORGANISATION, data.responsible, "responsible")
    events = _linked_events(lookups, request.auth, data.event_ids)
    _check_statuses(lookups, {data.status})
    lookups.check()
    assert municipality is not None  # noqa: S101 -- a required field: lookups.check() raised
    with refused_by_field({"events": "event_ids"}):
        measure = create_measure(
            municipality,
            acting_user=request.auth,
            title=data.title,
            status=data.status,
            responsible=responsible,
            events=events,
            description=data.description,
            kind=data.kind,
            due=data.due,
            cost=data.cost,
            **fields,
        )
    return 201, _detail(request, measure.pk)


def _linked_events(lookups: Resolver, user, ids: list[int]) -> list[Event]:
    # Unknown and invisible read the same: whether a hidden event exists is not yours to know.
    found = list(Event.objects.visible_to(user).filter(pk__in=set(ids)))
    if len(found) != len(set(ids)):
        lookups.fail("event_ids", _("Någon av händelserna finns inte eller syns inte för dig."))
    return found


# The fields of a measure or a rule that name rows, and how each is looked up.
REFERENCES = {"category": CATEGORY, "place": PLACE, "area": AREA, "organisation": ORGANISATION}


def _resolved_edits(lookups: Resolver, data, names: set[str]) -> dict[str, Any]:
    """The edits among `names` with codes and ids turned into rows."""
    return {
        name: lookups.get(REFERENCES[name], getattr(data, name), name)
        if name in REFERENCES
        else getattr(data, name)
        for name in names
    }


@router.patch(
    "/measures/{measure_id}",
    response={200: MeasureDetailOut, **NOT_FOUND, **ERRORS},
    summary="Ändra en åtgärd eller dess status",
    description="Bara fälten som skickas ändras, allt eller inget. Ansvarig organisation kan "
    "flytta status beslutad → pågår → klar; att besluta, avbryta (med reason), flytta ansvaret "
    "och ändra övrigt är samordnarnas. En status som redan gäller ändrar ingenting.",
    openapi_extra=body_openapi(MeasurePatch),
)
def patch_measure(request, measure_id: int):
    data = parse_body(request.body, MeasurePatch)
    measure = _visible_measure(request.auth, measure_id)
    given = data.model_fields_set
    lookups = Resolver()
    if not given:
        lookups.fail("body", _("Ange minst ett fält att ändra."))
    if "reason" in given and "status" not in given:
        lookups.fail("reason", _("Ett skäl hör till en ändrad status."))
    if data.status is not None:
        _check_statuses(lookups, {data.status})
    edits = _resolved_edits(lookups, data, given & set(PATCH_EDITS))
    responsible = lookups.get(ORGANISATION, data.responsible, "responsible")
    lookups.check()
    with refused_by_field(), transaction.atomic():  # one change refused: none of them stays
        _apply_patch(measure, request.auth, data, edits, responsible)
    return _detail(request, measure.pk)


def _apply_patch(measure: Measure, user, data: MeasurePatch, edits, responsible) -> None:
    """Each change through its action: the edits, then the owner, then the status (so that
    a new owner can be given and the measure decided in one call)."""
    if edits:
        update_measure(measure, acting_user=user, **edits)
    if responsible is not None:
        assign_measure(measure, responsible, acting_user=user)
    if data.status is None:
        return
    if data.status == measure.status:
        # A system sending its state again is not an error, as long as it may send it.
        if not access.can_update_status(user, measure):
            raise PermissionDenied(_("Bara ansvarig organisation och samordnare kan ändra status."))
        return
    set_measure_status(measure, data.status, acting_user=user, reason=data.reason)


@router.post(
    "/measures/{measure_id}/comments",
    response={201: EntryOut, **NOT_FOUND, **ERRORS},
    summary="Kommentera en åtgärd",
    description="Kommentaren rensas från personuppgifter och visas i åtgärdens logg med din "
    "organisation.",
    openapi_extra=body_openapi(CommentIn),
)
def post_comment(request, measure_id: int):
    data = parse_body(request.body, CommentIn)
    measure = _visible_measure(request.auth, measure_id)
    with refused_by_field():
        entry = comment_on_measure(measure, data.text, acting_user=request.auth)
    entry = MeasureEntry.objects.select_related("organisation").get(pk=entry.pk)
    return 201, entry_item(entry)


# --- responsibility rules -----------------------------------------------------------------


def _visible_rules(user):
    rules = ResponsibilityRule.objects.select_related(
        "municipality", "organisation", "category", "area", "place"
    ).defer("municipality__geometry", "area__geometry")
    acc = access_for(user)
    return rules if acc.is_superuser else rules.filter(municipality_id__in=acc.municipality_ids)


@router.get(
    "/responsibility-rules",
    response={200: RuleListOut, **ERRORS},
    summary="Ansvarsreglerna",
    description="Vem som ansvarar för vad var, i de kommuner där du arbetar. Starkast först.",
    tags=["ansvarsregler"],
)
def list_rules(request, municipality: str | None = Query(None, description="Kommunkod.")):
    rules = _visible_rules(request.auth)
    if municipality is not None:
        lookups = Resolver()
        rules = rules.filter(municipality=lookups.get(MUNICIPALITY, municipality, "municipality"))
        lookups.check()
    items = [rule_item(rule) for rule in rules]
    return {"count": len(items), "items": items}


@router.post(
    "/responsibility-rules",
    response={201: RuleOut, **ERRORS},
    summary="Lägg till en ansvarsregel",
    description="Bara administratörer i kommunen.",
    tags=["ansvarsregler"],
    openapi_extra=body_openapi(RuleIn),
)
def post_rule(request):
    data = parse_body(request.body, RuleIn)
    lookups = Resolver()
    municipality = lookups.get(MUNICIPALITY, data.municipality, "municipality")
    lookups.check()
    assert municipality is not None  # noqa: S101 -- a required field: lookups.check() raised
    _check_may_edit_rules(request.auth, municipality.pk)
    rule = ResponsibilityRule(municipality=municipality)
    _fill_rule(rule, data, data.model_fields_set)
    return 201, rule_item(_save(rule, request.auth))


@router.patch(
    "/responsibility-rules/{rule_id}",
    response={200: RuleOut, **NOT_FOUND, **ERRORS},
    summary="Ändra en ansvarsregel",
    description="Bara fälten som skickas ändras. Bara administratörer i kommunen.",
    tags=["ansvarsregler"],
    openapi_extra=body_openapi(RulePatch),
)
def patch_rule(request, rule_id: int):
    data = parse_body(request.body, RulePatch)
    rule = get_object_or_404(_visible_rules(request.auth), pk=rule_id)
    _check_may_edit_rules(request.auth, rule.municipality_id)
    _fill_rule(rule, data, data.model_fields_set)
    return rule_item(_save(rule, request.auth))


@router.delete(
    "/responsibility-rules/{rule_id}",
    response={204: None, **NOT_FOUND, **ERRORS},
    summary="Ta bort en ansvarsregel",
    description="Bara administratörer i kommunen.",
    tags=["ansvarsregler"],
)
def delete_rule_endpoint(request, rule_id: int):
    rule = get_object_or_404(_visible_rules(request.auth), pk=rule_id)
    delete_rule(rule, acting_user=request.auth)
    return 204, None


def _check_may_edit_rules(user, municipality_id: int) -> None:
    # Before the codes are looked up: someone who may not edit learns nothing from a 422.
    if not access.can_edit_rules(user, municipality_id):
        raise PermissionDenied(_("Bara administratörer kan ändra ansvarsreglerna."))


def _fill_rule(rule: ResponsibilityRule, data: RuleIn | RulePatch, given: set[str]) -> None:
    lookups = Resolver()
    for name, value in _resolved_edits(lookups, data, given - {"municipality"}).items():
        setattr(rule, name, value)
    lookups.check()


def _save(rule: ResponsibilityRule, user) -> ResponsibilityRule:
    with refused_by_field():
        save_rule(rule, acting_user=user)
    return _visible_rules(user).get(pk=rule.pk)


# --- routing ------------------------------------------------------------------------------

REASON_LABELS = {
    Reason.RULE: gettext_lazy("enligt en ansvarsregel"),
    Reason.MANAGER: gettext_lazy("platsens förvaltare (ingen regel passar)"),
    Reason.COORDINATOR: gettext_lazy("samordnande organisation (ingen regel passar)"),
    Reason.NONE: gettext_lazy("ingen ansvarig hittades"),
}


@router.get(
    "/responsible",
    response={200: SuggestionOut, **ERRORS},
    summary="Vem ansvarar? Förslag enligt ansvarsreglerna",
    description="Ange kategori och var: place (id), area (id) eller lat och lon. En position "
    f"ger området den ligger i och den namngivna plats som ligger inom {PLACE_SNAP_M} m, om "
    "någon. Passar ingen regel föreslås platsens förvaltare, annars kommunens samordnare.",
    tags=["ansvarsregler"],
)
def responsible_for(
    request,
    municipality: str = Query(..., description="Kommunkod, t.ex. 1780."),
    category: str | None = Query(None, description="Kategorins kod eller namn."),
    place: int | None = Query(None, description="Platsens id."),
    area: int | None = Query(None, description="Områdets id."),
    lat: float | None = Query(None, ge=-90, le=90, description="Latitud (WGS84)."),
    lon: float | None = Query(None, ge=-180, le=180, description="Longitud (WGS84)."),
):
    lookups = Resolver()
    found = lookups.get(MUNICIPALITY, municipality, "municipality")
    lookups.check()
    assert found is not None  # noqa: S101 -- a required field: lookups.check() raised
    # Before the rest is looked up: someone who may not see the municipality learns nothing.
    if not can_view(request.auth, found.pk):
        raise PermissionDenied(_("Du arbetar inte i den kommunen."))
    where = {
        "category": lookups.get(CATEGORY, category, "category"),
        "place": lookups.get(PLACE, place, "place", within=found.pk),
        "area": lookups.get(AREA, area, "area", within=found.pk),
    }
    lookups.check()
    if (lat is None) != (lon is None):
        lookups.fail("lon" if lon is None else "lat", _("Ange både lat och lon."))
    if lat is not None and lon is not None:
        where |= _at_position(lookups, found.pk, lat, lon, where)
    lookups.check()
    suggestion = suggest(found.pk, **where)
    rule = suggestion.rule
    return {
        "organisation": organisation_ref(suggestion.organisation),
        "reason": str(suggestion.reason),
        "reason_label": str(REASON_LABELS[suggestion.reason]),
        "rule": {"id": rule.pk, "description": rule.describe()} if rule else None,
        "area": named(where["area"] or (where["place"].area if where["place"] else None)),
        "place": named(where["place"]),
    }


def _at_position(lookups: Resolver, municipality_id: int, lat, lon, where: dict) -> dict:
    """The area the point lies in (as events get theirs) and the named place at it, unless
    the request named them itself."""
    _x, _y, found_municipality, area_id = locate_one(lon, lat)
    if found_municipality != municipality_id:
        lookups.fail("lat", _("Positionen ligger utanför kommunen."))
        return {}
    near = nearest_places(lat, lon, [municipality_id], radius_m=PLACE_SNAP_M, limit=1)
    place = where["place"] or (near[0] if near else None)
    area = where["area"]
    if area is None and area_id is not None and (place is None or place.area_id is None):
        area = Area.objects.defer("geometry").get(pk=area_id)
    return {"place": place, "area": area}
