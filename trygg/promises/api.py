"""The promises API (issue 14, point 7): agreements with their parties, Brå's steps and the
ranked problems; promises with their adopted versions and the working copy; commitments
(read, create, change); the indicator kinds and a commitment's indicator over a period;
follow-ups with each commitment's status.

Everything is visible to the staff of the municipality's organisations (`access.may_view`),
404 for anyone else. Every write goes through the actions in trygg.promises.actions, which
check who may write (`may_edit` for commitments, `may_report_for` for a status: 403 with the
reason), validate with the same Swedish messages as the pages (422 by field, nothing
written), scrub free text and audit. Unknown fields in a body are refused (422).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router

from trygg.core.api_errors import FieldErrors, FieldErrorsOut, MessageOut, field_error
from trygg.core.resolve import Resolver
from trygg.events.lookups import CATEGORY
from trygg.measures import indicators
from trygg.measures.models import Measure
from trygg.measures.schemas import action_errors, body_openapi, parse_body
from trygg.organisations.access import access_for
from trygg.organisations.lookups import ORGANISATION
from trygg.places.lookups import AREA, MUNICIPALITY
from trygg.places.models import Area
from trygg.promises.actions.follow_ups import commitments_followed, record_status
from trygg.promises.actions.promises import CommitmentInput, add_commitment, update_commitment
from trygg.promises.models import Agreement, Commitment, CommitmentStatus, FollowUp, Promise
from trygg.promises.progress import is_computed, target_progress, value_for
from trygg.promises.schemas import (
    AgreementDetailOut,
    AgreementFilters,
    AgreementListOut,
    CommitmentIn,
    CommitmentListOut,
    CommitmentOut,
    CommitmentPatch,
    FollowUpDetailOut,
    FollowUpListOut,
    IndicatorKindOut,
    IndicatorOut,
    PeriodFilters,
    PromiseDetailOut,
    PromiseFilters,
    PromiseListOut,
    StatusIn,
    StatusOut,
    VersionOut,
    agreement_item,
    column_order,
    commitment_item,
    commitment_ref,
    follow_up_item,
    indicator_item,
    kind_item,
    party_item,
    problem_item,
    promise_item,
    promise_ref,
    status_item,
    step_item,
    version_item,
    version_ref,
)

router = Router(tags=["medborgarlöften"])

ERRORS = {401: MessageOut, 403: MessageOut, 422: FieldErrorsOut}
NOT_FOUND = {404: MessageOut}
NOT_COMPUTED = {409: FieldErrorsOut}
# A commitment's indicator is counted over at most this many days in one call.
MAX_PERIOD_DAYS = 366 * 10
# The fields of a commitment that the API names as the model does (the rest are resolved).
PLAIN_FIELDS = (
    "column",
    "text",
    "indicator_kind",
    "indicator_source",
    "target_value",
    "target_comparison",
    "target_per",
    "baseline_start",
    "baseline_end",
)
RENAMED = {"measures": "measure_ids"}


def _municipality_ids(user) -> frozenset[int] | None:
    """The municipalities whose promises the user reads; None: all (a superuser)."""
    access = access_for(user)
    return None if access.is_superuser else access.municipality_ids


def _visible(queryset, user, path: str):
    """The rows of the municipalities the user may view (access.may_view, as a filter): 404
    for the rest, since whether another municipality has a promise in the making is not
    theirs to know."""
    ids = _municipality_ids(user)
    return queryset if ids is None else queryset.filter(**{f"{path}__in": ids})


def _url(request, obj) -> str:
    return request.build_absolute_uri(obj.get_absolute_url())


# --- agreements -------------------------------------------------------------------------------


def _agreements(user):
    agreements = Agreement.objects.select_related("municipality").defer("municipality__geometry")
    return _visible(agreements, user, "municipality_id")


@router.get(
    "/agreements",
    response={200: AgreementListOut, **ERRORS},
    summary="Samverkansöverenskommelser",
    description="Överenskommelserna i kommunerna där du arbetar, senaste först.",
)
def list_agreements(request, filters: Query[AgreementFilters]):
    agreements = _agreements(request.auth)
    if filters.municipality is not None:
        lookups = Resolver()
        municipality = lookups.get(MUNICIPALITY, filters.municipality, "municipality")
        lookups.check()
        agreements = agreements.filter(municipality=municipality)
    items = [agreement_item(a, _url(request, a)) for a in agreements.order_by("-start", "pk")]
    return {"count": len(items), "items": items}


@router.get(
    "/agreements/{agreement_id}",
    response={200: AgreementDetailOut, **NOT_FOUND, **ERRORS},
    summary="En samverkansöverenskommelse",
    description="Parterna (med organet som beslutade och när), stegen i Brås process med "
    "datum, problemområdena med prioritet och orsaksanalys, och löftena.",
)
def get_agreement(request, agreement_id: int):
    agreement = get_object_or_404(_agreements(request.auth), pk=agreement_id)
    parties = agreement.parties.select_related("organisation")
    problems = agreement.problems.prefetch_related(
        "categories", Prefetch("areas", queryset=_areas())
    )
    steps = sorted(agreement.steps.all(), key=lambda s: s.position)
    return agreement_item(agreement, _url(request, agreement)) | {
        "parties": [party_item(p) for p in parties],
        "steps": [step_item(s) for s in steps],
        "problems": [problem_item(p) for p in problems],
        "promises": [promise_ref(p) for p in agreement.promises.order_by("start", "pk")],
    }


def _areas():
    return Area.objects.defer("geometry").order_by("name", "pk")


# --- promises ---------------------------------------------------------------------------------


def _promises(user):
    promises = Promise.objects.select_related("agreement__municipality").defer(
        "agreement__municipality__geometry"
    )
    return _visible(promises, user, "agreement__municipality_id")


@router.get(
    "/promises",
    response={200: PromiseListOut, **ERRORS},
    summary="Medborgarlöften",
    description="Löftena i kommunerna där du arbetar, med den gällande versionen (null: inte "
    "antaget än).",
)
def list_promises(request, filters: Query[PromiseFilters]):
    promises = _promises(request.auth).prefetch_related("problems")
    if filters.municipality is not None:
        lookups = Resolver()
        municipality = lookups.get(MUNICIPALITY, filters.municipality, "municipality")
        lookups.check()
        promises = promises.filter(agreement__municipality=municipality)
    if filters.agreement is not None:
        promises = promises.filter(agreement_id=filters.agreement)
    promises = promises.order_by("-start", "pk")
    items = [promise_item(p, p.current_version(), _url(request, p)) for p in promises]
    return {"count": len(items), "items": items}


@router.get(
    "/promises/{promise_id}",
    response={200: PromiseDetailOut, **NOT_FOUND, **ERRORS},
    summary="Ett medborgarlöfte",
    description="Den gällande versionen precis som den antogs (det invånarna ser), alla "
    "versioner med vad som ändrades, och arbetskopians åtaganden (också utkast och de som "
    "markerats för borttagning) för personalen.",
)
def get_promise(request, promise_id: int):
    promise = get_object_or_404(_promises(request.auth).prefetch_related("problems"), pk=promise_id)
    versions = list(promise.versions.order_by("number"))
    current = versions[-1] if versions else None
    live = _commitments(request.auth, promise.commitments.filter(removed_in=None))
    return promise_item(promise, current, _url(request, promise)) | {
        "current": version_item(current) if current else None,
        "versions": [version_ref(v) for v in versions],
        "commitments": _commitment_items(request.auth, live),
    }


@router.get(
    "/promises/{promise_id}/versions",
    response={200: list[VersionOut], **NOT_FOUND, **ERRORS},
    summary="Löftets antagna versioner",
    description="Varje version som den antogs, äldst först: vem som antog den och när, vad "
    "revideringen ändrade och löftet i sin helhet (också de åtaganden den tog bort, med skäl).",
)
def list_versions(request, promise_id: int):
    promise = get_object_or_404(_promises(request.auth), pk=promise_id)
    return [version_item(v) for v in promise.versions.order_by("number")]


# --- commitments ------------------------------------------------------------------------------


def _commitments(user, commitments=None):
    rows = Commitment.objects.all() if commitments is None else commitments
    rows = rows.select_related(
        "owner", "indicator_category", "indicator_area", "added_in", "removed_in"
    ).defer("indicator_area__geometry")
    return _visible(rows, user, "promise__agreement__municipality_id")


def _commitment_items(user, commitments) -> list[dict[str, Any]]:
    """The items, in the promise's order, with the linked measures the user may see."""
    rows = sorted(commitments, key=column_order)
    visible = Measure.objects.visible_to(user).values("pk")
    links = Commitment.measures.through.objects.filter(
        commitment_id__in=[c.pk for c in rows], measure_id__in=visible
    ).order_by("measure_id")
    measures: dict[int, list[int]] = {}
    for commitment_id, measure_id in links.values_list("commitment_id", "measure_id"):
        measures.setdefault(commitment_id, []).append(measure_id)
    return [commitment_item(c, measures.get(c.pk, [])) for c in rows]


def _commitment_detail(user, commitment_id: int) -> dict[str, Any]:
    commitment = get_object_or_404(_commitments(user), pk=commitment_id)
    return _commitment_items(user, [commitment])[0]


@router.get(
    "/promises/{promise_id}/commitments",
    response={200: CommitmentListOut, **NOT_FOUND, **ERRORS},
    summary="Ett löftes åtaganden (arbetskopian)",
    description="I löftets ordning: polisen, tillsammans, kommunen. added_in null är ett "
    "utkast till nästa version; med include_removed även de som en revidering tagit bort.",
)
def list_commitments(request, promise_id: int, include_removed: bool = False):
    promise = get_object_or_404(_promises(request.auth), pk=promise_id)
    commitments = promise.commitments.all()
    if not include_removed:
        commitments = commitments.filter(removed_in=None)
    items = _commitment_items(request.auth, _commitments(request.auth, commitments))
    return {"count": len(items), "items": items}


@router.post(
    "/promises/{promise_id}/commitments",
    response={201: CommitmentOut, **NOT_FOUND, **ERRORS},
    summary="Lägg till ett åtagande",
    description="Ett nytt åtagande i arbetskopian; det utlovas från nästa antagna version. "
    "Överenskommelsens parter och kommunens samordnare. Samma kontroller som på sidan: "
    "ansvarig organisation i kommunen, ett mål som indikatorn kan mäta, en källa för ett "
    "värde som förs in för hand.",
    openapi_extra=body_openapi(CommitmentIn),
)
def post_commitment(request, promise_id: int):
    data = parse_body(request.body, CommitmentIn)
    promise = get_object_or_404(_promises(request.auth), pk=promise_id)
    values = _resolved(request.auth, data, data.model_fields_set | {"measure_ids"})
    try:
        commitment = add_commitment(promise, CommitmentInput(**values), acting_user=request.auth)
    except ValidationError as exc:
        raise action_errors(exc, RENAMED) from None
    return 201, _commitment_detail(request.auth, commitment.pk)


@router.get(
    "/commitments/{commitment_id}",
    response={200: CommitmentOut, **NOT_FOUND, **ERRORS},
    summary="Ett åtagande",
)
def get_commitment(request, commitment_id: int):
    return _commitment_detail(request.auth, commitment_id)


@router.patch(
    "/commitments/{commitment_id}",
    response={200: CommitmentOut, **NOT_FOUND, **ERRORS},
    summary="Ändra ett åtagande",
    description="Bara fälten som skickas ändras; resten står kvar. Ändringen syns för "
    "invånarna när nästa version antas. Samma kontroller som när det läggs till.",
    openapi_extra=body_openapi(CommitmentPatch),
)
def patch_commitment(request, commitment_id: int):
    data = parse_body(request.body, CommitmentPatch)
    commitment = get_object_or_404(_commitments(request.auth), pk=commitment_id)
    given = data.model_fields_set
    if not given:
        raise FieldErrors([field_error("body", _("Ange minst ett fält att ändra."))])
    current = _current_values(request.auth, commitment)
    return _update(request.auth, commitment, current | _resolved(request.auth, data, given))


@router.put(
    "/commitments/{commitment_id}",
    response={200: CommitmentOut, **NOT_FOUND, **ERRORS},
    summary="Ersätt ett åtagande",
    description="Hela åtagandet som vid POST: fält som inte skickas blir tomma (och "
    "measure_ids en tom lista).",
    openapi_extra=body_openapi(CommitmentIn),
)
def put_commitment(request, commitment_id: int):
    data = parse_body(request.body, CommitmentIn)
    commitment = get_object_or_404(_commitments(request.auth), pk=commitment_id)
    every = set(CommitmentIn.model_fields)
    return _update(request.auth, commitment, _resolved(request.auth, data, every))


def _update(user, commitment: Commitment, values: dict[str, Any]) -> dict[str, Any]:
    try:
        update_commitment(commitment, CommitmentInput(**values), acting_user=user)
    except ValidationError as exc:
        raise action_errors(exc, RENAMED) from None
    return _commitment_detail(user, commitment.pk)


def _resolved(user, data, names: set[str]) -> dict[str, Any]:
    """CommitmentInput's values for the fields in `names`, with codes and ids as rows: 422
    for any that names nothing (before the action checks the rest)."""
    lookups = Resolver()
    values: dict[str, Any] = {name: getattr(data, name) for name in PLAIN_FIELDS if name in names}
    if "owner" in names:
        values["owner"] = lookups.get(ORGANISATION, data.owner, "owner")
    if "indicator_category" in names:
        category = lookups.get(CATEGORY, data.indicator_category, "indicator_category")
        values["indicator_category"] = category
    if "indicator_area" in names:
        values["indicator_area"] = lookups.get(AREA, data.indicator_area, "indicator_area")
    if "measure_ids" in names:
        values["measures"] = _measures(lookups, user, data.measure_ids or [])
    lookups.check()
    return values


def _measures(lookups: Resolver, user, ids: list[int]) -> list[Measure]:
    # Unknown and invisible read the same, as for the events of a measure.
    found = list(Measure.objects.visible_to(user).filter(pk__in=set(ids)))
    if len(found) != len(set(ids)):
        lookups.fail("measure_ids", _("Någon av åtgärderna finns inte eller syns inte för dig."))
    return found


def _current_values(user, commitment: Commitment) -> dict[str, Any]:
    values = {name: getattr(commitment, name) for name in PLAIN_FIELDS}
    return values | {
        "owner": commitment.owner,
        "indicator_category": commitment.indicator_category,
        "indicator_area": commitment.indicator_area,
        # Measures the user cannot see stay linked: a change never drops them unseen.
        "measures": list(commitment.measures.all()),
    }


# --- indicators -------------------------------------------------------------------------------


@router.get(
    "/indicators",
    response={200: list[IndicatorKindOut], **ERRORS},
    summary="Indikatorsorterna",
    description="Det ett åtagande kan följas med ur Trygg: om sorten räknas per kategori och "
    "område och om den kan jämföras med en tidigare period. Dessutom 'entered': ett värde "
    "som förs in för hand vid uppföljningen, med sin källa.",
)
def list_indicators(request):
    return [kind_item(k) for k in sorted(indicators.registered(), key=lambda k: k.key)]


@router.get(
    "/commitments/{commitment_id}/indicator",
    response={200: IndicatorOut, **NOT_FOUND, **NOT_COMPUTED, **ERRORS},
    summary="Ett åtagandes indikator för en period",
    description="Räknat ur Trygg nu: värdet för perioden, jämförelsen med jämförelseperioden "
    "(exakt test av två Poissontal; 'too_few' när talen är för små för att säga något) och "
    "läget mot målet i målets eget fönster. 409 för ett åtagande utan beräknad indikator.",
)
def get_indicator(request, commitment_id: int, period: Query[PeriodFilters]):
    commitment = get_object_or_404(_commitments(request.auth), pk=commitment_id)
    if period.end < period.start:
        raise FieldErrors([field_error("end", _("Perioden måste börja före den slutar."))])
    if (period.end - period.start).days >= MAX_PERIOD_DAYS:
        raise FieldErrors([field_error("end", _("Perioden får vara högst tio år."))])
    if not is_computed(commitment):
        message = _("Åtagandet följs inte med en indikator som räknas ur Trygg.")
        raise FieldErrors([field_error("indicator_kind", message)], status=409)
    value = value_for(commitment, period.start, period.end)
    assert value is not None  # noqa: S101 -- a computed indicator
    progress = target_progress(commitment, period.start, period.end)
    return indicator_item(commitment, period.start, period.end, value, progress)


# --- follow-ups -------------------------------------------------------------------------------


def _follow_ups(user):
    follow_ups = FollowUp.objects.select_related("promise__agreement")
    return _visible(follow_ups, user, "promise__agreement__municipality_id")


def _state_counts(follow_up_ids: list[int]) -> dict[int, dict[str, int]]:
    rows = (
        CommitmentStatus.objects.filter(follow_up_id__in=follow_up_ids)
        .values_list("follow_up_id", "state")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts: dict[int, dict[str, int]] = {}
    for follow_up_id, state, n in rows:
        counts.setdefault(follow_up_id, {})[state] = n
    return counts


@router.get(
    "/promises/{promise_id}/follow-ups",
    response={200: FollowUpListOut, **NOT_FOUND, **ERRORS},
    summary="Ett löftes uppföljningar",
    description="Varje uppföljd period, äldst först, med antal åtaganden per status och om "
    "den är publicerad.",
)
def list_follow_ups(request, promise_id: int):
    promise = get_object_or_404(_promises(request.auth), pk=promise_id)
    follow_ups = list(promise.follow_ups.order_by("first_day"))
    counts = _state_counts([f.pk for f in follow_ups])
    items = [follow_up_item(f, counts.get(f.pk, {}), _url(request, f)) for f in follow_ups]
    return {"count": len(items), "items": items}


def _follow_up_detail(request, follow_up: FollowUp) -> dict[str, Any]:
    statuses = list(
        follow_up.statuses.select_related("commitment__owner").order_by(
            "commitment__sort_order", "commitment_id"
        )
    )
    statuses.sort(key=lambda s: column_order(s.commitment))
    followed = sorted(commitments_followed(follow_up), key=column_order)
    recorded = {s.commitment_id for s in statuses}
    counts = _state_counts([follow_up.pk]).get(follow_up.pk, {})
    return follow_up_item(follow_up, counts, _url(request, follow_up)) | {
        "summary": follow_up.summary,
        "next_steps": follow_up.next_steps,
        "statuses": [status_item(s) for s in statuses],
        "missing": [commitment_ref(c) for c in followed if c.pk not in recorded],
    }


@router.get(
    "/follow-ups/{follow_up_id}",
    response={200: FollowUpDetailOut, **NOT_FOUND, **ERRORS},
    summary="En uppföljning",
    description="Varje åtagandes status med indikatorns värde (beräknat när statusen fördes "
    "in, eller infört med källa), sammanfattningen, vad som händer nu, och de åtaganden som "
    "ännu saknar status.",
)
def get_follow_up(request, follow_up_id: int):
    return _follow_up_detail(request, get_object_or_404(_follow_ups(request.auth), pk=follow_up_id))


@router.post(
    "/follow-ups/{follow_up_id}/statuses",
    response={200: StatusOut, 201: StatusOut, **NOT_FOUND, **ERRORS},
    summary="För in ett åtagandes status",
    description="Den ansvariga organisationen, överenskommelsens parter och samordnarna. En "
    "beräknad indikator räknas fram nu och sparas med statusen; ett värde som förs in för "
    "hand behöver sin källa; dropped behöver ett skäl. 201 för en ny status, 200 när en "
    "tidigare ersätts. En publicerad uppföljning ändras inte.",
    openapi_extra=body_openapi(StatusIn),
)
def post_status(request, follow_up_id: int):
    data = parse_body(request.body, StatusIn)
    follow_up = get_object_or_404(_follow_ups(request.auth), pk=follow_up_id)
    commitment = follow_up.promise.commitments.filter(pk=data.commitment).first()
    if commitment is None:
        message = _("Åtagandet finns inte i löftet.")
        raise FieldErrors([field_error("commitment", message)])
    existed = follow_up.statuses.filter(commitment=commitment).exists()
    try:
        status = record_status(
            follow_up,
            commitment,
            state=data.state,
            reason=data.reason,
            value=data.value,
            value_source=data.value_source,
            note=data.note,
            acting_user=request.auth,
        )
    except ValidationError as exc:
        raise action_errors(exc, {}) from None
    status = CommitmentStatus.objects.select_related("commitment__owner").get(pk=status.pk)
    return (200 if existed else 201), status_item(status)
