"""The promises API's commitments (issue 14, point 7): the working copy's commitments read,
added, changed, a draft deleted and an adopted one marked for removal (or kept); the
indicator kinds and a commitment's indicator over a period.

Writes are the parties' and the municipality's coordinators' (`may_edit`: 403 with the
reason), through the same actions as the promise's page; see api.py.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from ninja import Query, Router

from trygg.core.api_errors import FieldErrors, field_error
from trygg.core.resolve import Resolver
from trygg.events.lookups import CATEGORY
from trygg.measures import indicators
from trygg.measures.models import Measure
from trygg.measures.schemas import body_openapi
from trygg.organisations.lookups import ORGANISATION
from trygg.organisations.shards import linked, own_first_or_404
from trygg.places.lookups import AREA
from trygg.promises.actions.promises import (
    CommitmentInput,
    add_commitment,
    delete_draft_commitment,
    keep_commitment,
    mark_for_removal,
    update_commitment,
)
from trygg.promises.api_scope import (
    CONFLICT,
    ERRORS,
    NOT_FOUND,
    body_and_row,
    commitment_detail,
    commitment_items,
    commitments_for,
    promises_for,
    refused_by_field,
)
from trygg.promises.models import Commitment
from trygg.promises.progress import is_computed, target_progress, value_for
from trygg.promises.schemas import (
    CommitmentIn,
    CommitmentListOut,
    CommitmentOut,
    CommitmentPatch,
    IndicatorKindOut,
    IndicatorOut,
    PeriodFilters,
    RemovalIn,
    indicator_item,
    kind_item,
)

router = Router(tags=["medborgarlöften"])

ONE = {200: CommitmentOut, **NOT_FOUND, **ERRORS}
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


def _commitment(user, commitment_id: int) -> Commitment:
    return own_first_or_404(user, commitments_for(user), pk=commitment_id)


@router.get(
    "/promises/{promise_id}/commitments",
    response={200: CommitmentListOut, **NOT_FOUND, **ERRORS},
    summary="Ett löftes åtaganden (arbetskopian)",
    description="I löftets ordning: polisen, tillsammans, kommunen. added_in null är ett "
    "utkast till nästa version; med include_removed även de som en revidering tagit bort.",
)
def list_commitments(request, promise_id: int, include_removed: bool = False):
    promise = own_first_or_404(request.auth, promises_for(request.auth), pk=promise_id)
    commitments = promise.commitments.all()
    if not include_removed:
        commitments = commitments.filter(removed_in=None)
    items = commitment_items(request.auth, commitments_for(request.auth, commitments))
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
    data, promise = body_and_row(request, CommitmentIn, promises_for(request.auth), promise_id)
    values = _resolved(request.auth, data, data.model_fields_set | {"measure_ids"})
    with refused_by_field(RENAMED):
        commitment = add_commitment(promise, CommitmentInput(**values), acting_user=request.auth)
    return 201, commitment_detail(request.auth, commitment.pk)


@router.get("/commitments/{commitment_id}", response=ONE, summary="Ett åtagande")
def get_commitment(request, commitment_id: int):
    return commitment_detail(request.auth, commitment_id)


@router.patch(
    "/commitments/{commitment_id}",
    response=ONE,
    summary="Ändra ett åtagande",
    description="Bara fälten som skickas ändras; resten står kvar. Ändringen syns för "
    "invånarna när nästa version antas. Samma kontroller som när det läggs till.",
    openapi_extra=body_openapi(CommitmentPatch),
)
def patch_commitment(request, commitment_id: int):
    data, commitment = _body_and_commitment(request, CommitmentPatch, commitment_id)
    given = data.model_fields_set
    if not given:
        raise FieldErrors([field_error("body", _("Ange minst ett fält att ändra."))])
    current = _current_values(commitment)
    return _update(request.auth, commitment, current | _resolved(request.auth, data, given))


@router.put(
    "/commitments/{commitment_id}",
    response=ONE,
    summary="Ersätt ett åtagande",
    description="Hela åtagandet som vid POST: fält som inte skickas blir tomma (och "
    "measure_ids en tom lista).",
    openapi_extra=body_openapi(CommitmentIn),
)
def put_commitment(request, commitment_id: int):
    data, commitment = _body_and_commitment(request, CommitmentIn, commitment_id)
    every = set(CommitmentIn.model_fields)
    return _update(request.auth, commitment, _resolved(request.auth, data, every))


def _body_and_commitment(request, schema, commitment_id: int):
    return body_and_row(request, schema, commitments_for(request.auth), commitment_id)


def _update(user, commitment: Commitment, values: dict[str, Any]) -> dict[str, Any]:
    with refused_by_field(RENAMED):
        update_commitment(commitment, CommitmentInput(**values), acting_user=user)
    return commitment_detail(user, commitment.pk)


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


def _current_values(commitment: Commitment) -> dict[str, Any]:
    values = {name: getattr(commitment, name) for name in PLAIN_FIELDS}
    return values | {
        "owner": commitment.owner,
        "indicator_category": commitment.indicator_category,
        "indicator_area": commitment.indicator_area,
        # Measures the user cannot see stay linked: a change never drops them unseen.
        "measures": list(linked(commitment, "measures")),  # in its municipality (Citus)
    }


# --- removing ---------------------------------------------------------------------------------


@router.delete(
    "/commitments/{commitment_id}",
    response={204: None, **NOT_FOUND, **CONFLICT, **ERRORS},
    summary="Ta bort ett utkast till åtagande",
    description="Bara ett åtagande som aldrig antagits (added_in null) tas bort direkt, utan "
    "spår i löftet. Ett antaget åtagande tas bort genom en revidering (PUT "
    "/commitments/{id}/removal): 409.",
)
def delete_commitment(request, commitment_id: int):
    commitment = _commitment(request.auth, commitment_id)
    # The action names its text; what stands in the way is that the commitment is adopted.
    with refused_by_field({"text": "added_in"}, status=409):
        delete_draft_commitment(commitment, acting_user=request.auth)
    return 204, None


@router.put(
    "/commitments/{commitment_id}/removal",
    response=ONE,
    summary="Ta bort ett åtagande vid nästa revidering",
    description="Ett antaget åtagande gäller tills nästa revidering antas och tas bort då, "
    "med skälet för invånarna. Har det åtgärder som inte är klara säger measures_on_removal "
    "vad som händer med dem. Skickas igen för att ändra skälet eller valet.",
    openapi_extra=body_openapi(RemovalIn),
)
def put_removal(request, commitment_id: int):
    data, commitment = _body_and_commitment(request, RemovalIn, commitment_id)
    move_to = _move_target(commitment, data.move_measures_to)
    with refused_by_field():
        mark_for_removal(
            commitment,
            reason=data.removal_reason,
            measures=data.measures_on_removal,
            move_to=move_to,
            acting_user=request.auth,
        )
    return commitment_detail(request.auth, commitment.pk)


def _move_target(commitment: Commitment, target_id: int | None) -> Commitment | None:
    """The commitment the open measures move to, among the promise's; the action checks
    that it stays in the promise."""
    if target_id is None:
        return None
    target = commitment.promise.commitments.filter(pk=target_id).first()
    if target is None:
        message = _("Åtagandet finns inte i löftet.")
        raise FieldErrors([field_error("move_measures_to", message)])
    return target


@router.delete(
    "/commitments/{commitment_id}/removal",
    response={**ONE, **CONFLICT},
    summary="Behåll ett åtagande",
    description="Ångrar en markering för borttagning innan revideringen antas; åtagandet "
    "gäller vidare. Ett åtagande som inte är markerat lämnas som det är. 409 för ett som en "
    "antagen revidering redan tagit bort.",
)
def delete_removal(request, commitment_id: int):
    commitment = _commitment(request.auth, commitment_id)
    # The action checks who may (403) and leaves a removed commitment as it is.
    keep_commitment(commitment, acting_user=request.auth)
    if commitment.is_removed:
        message = _("Åtagandet är redan borttaget i en antagen revidering.")
        raise FieldErrors([field_error("removed_in", message)], status=409)
    return commitment_detail(request.auth, commitment.pk)


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
    response={200: IndicatorOut, **NOT_FOUND, **CONFLICT, **ERRORS},
    summary="Ett åtagandes indikator för en period",
    description="Räknat ur Trygg nu: värdet för perioden, jämförelsen med jämförelseperioden "
    "(exakt test av två Poissontal; 'too_few' när talen är för små för att säga något) och "
    "läget mot målet i målets eget fönster. 409 för ett åtagande utan beräknad indikator.",
)
def get_indicator(request, commitment_id: int, period: Query[PeriodFilters]):
    commitment = _commitment(request.auth, commitment_id)
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
