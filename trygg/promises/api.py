"""The promises API (issue 14, point 7): agreements with their parties, Brå's steps and the
ranked problems; promises with their adopted versions and the working copy, and adoption.
Commitments and indicators are in api_commitments.py, follow-ups in api_follow_ups.py; what a
user sees of them all in api_scope.py.

Everything is visible to the staff of the municipality's organisations (`access.may_view`),
404 for anyone else. Every write goes through the actions in trygg.promises.actions, which
check who may write (`may_edit`; `may_report_for` for a status: 403 with the reason),
validate with the same Swedish messages as the pages (422 by field, nothing written), scrub
free text and audit. Unknown fields in a body are refused (422).
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router

from trygg.core.api_errors import FieldErrors, field_error
from trygg.core.resolve import Resolver
from trygg.measures.schemas import body_openapi
from trygg.organisations.shards import children, own_first_or_404, prefetch_links
from trygg.places.lookups import MUNICIPALITY
from trygg.places.models import Area
from trygg.promises.access import check_may_edit
from trygg.promises.actions.promises import adopt
from trygg.promises.api_scope import (
    ERRORS,
    NOT_FOUND,
    absolute_url,
    body_and_row,
    commitment_items,
    commitments_for,
    promises_for,
    refused_by_field,
    visible,
)
from trygg.promises.models import Agreement
from trygg.promises.schemas import (
    AdoptIn,
    PromiseDetailOut,
    PromiseFilters,
    PromiseListOut,
    VersionOut,
    promise_item,
    version_item,
    version_ref,
)
from trygg.promises.schemas_agreements import (
    AgreementDetailOut,
    AgreementFilters,
    AgreementListOut,
    agreement_item,
    party_item,
    problem_item,
    promise_ref,
    step_item,
)

router = Router(tags=["medborgarlöften"])


def _in_municipality(rows, code: str | None, field: str):
    """The rows of the municipality with kommunkod `code` (all when None); 422 for a code
    that names none."""
    if code is None:
        return rows
    lookups = Resolver()
    municipality = lookups.get(MUNICIPALITY, code, "municipality")
    lookups.check()
    return rows.filter(**{field: municipality})


# --- agreements -------------------------------------------------------------------------------


def _agreements(user):
    agreements = Agreement.objects.select_related("municipality").defer("municipality__geometry")
    return visible(agreements, user, "municipality_id")


@router.get(
    "/agreements",
    response={200: AgreementListOut, **ERRORS},
    summary="Samverkansöverenskommelser",
    description="Överenskommelserna i kommunerna där du arbetar, senaste först.",
)
def list_agreements(request, filters: Query[AgreementFilters]):
    agreements = _in_municipality(_agreements(request.auth), filters.municipality, "municipality")
    items = [
        agreement_item(a, absolute_url(request, a)) for a in agreements.order_by("-start", "pk")
    ]
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
    # Every row below lies in the agreement's municipality: named on each table (the problems'
    # link rows too), so that Citus reads its shard alone.
    parties = parties.filter(municipality_id=agreement.municipality_id)
    problems = prefetch_links(list(children(agreement, "problems")), "categories")
    prefetch_links(problems, "areas", _areas())
    steps = sorted(children(agreement, "steps"), key=lambda s: s.position)
    promises = children(agreement, "promises").order_by("start", "pk")
    return agreement_item(agreement, absolute_url(request, agreement)) | {
        "parties": [party_item(p) for p in parties],
        "steps": [step_item(s) for s in steps],
        "problems": [problem_item(p) for p in problems],
        "promises": [promise_ref(p) for p in promises],
    }


def _areas():
    return Area.objects.defer("geometry").order_by("name", "pk")


# --- promises ---------------------------------------------------------------------------------


@router.get(
    "/promises",
    response={200: PromiseListOut, **ERRORS},
    summary="Medborgarlöften",
    description="Löftena i kommunerna där du arbetar, med den gällande versionen (null: inte "
    "antaget än).",
)
def list_promises(request, filters: Query[PromiseFilters]):
    promises = promises_for(request.auth)
    promises = _in_municipality(promises, filters.municipality, "agreement__municipality")
    if filters.agreement is not None:
        promises = promises.filter(agreement_id=filters.agreement)
    promises = prefetch_links(list(promises.order_by("-start", "pk")), "problems")
    items = [promise_item(p, p.current_version(), absolute_url(request, p)) for p in promises]
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
    promises = promises_for(request.auth)
    promise = own_first_or_404(request.auth, promises, pk=promise_id)
    versions = list(children(promise, "versions").order_by("number"))
    current = versions[-1] if versions else None
    live = commitments_for(request.auth, promise.commitments.filter(removed_in=None))
    prefetch_links([promise], "problems")
    return promise_item(promise, current, absolute_url(request, promise)) | {
        "current": version_item(current) if current else None,
        "versions": [version_ref(v) for v in versions],
        "commitments": commitment_items(request.auth, live),
    }


@router.get(
    "/promises/{promise_id}/versions",
    response={200: list[VersionOut], **NOT_FOUND, **ERRORS},
    summary="Löftets antagna versioner",
    description="Varje version som den antogs, äldst först: vem som antog den och när, vad "
    "revideringen ändrade och löftet i sin helhet (också de åtaganden den tog bort, med skäl).",
)
def list_versions(request, promise_id: int):
    promise = own_first_or_404(request.auth, promises_for(request.auth), pk=promise_id)
    return [version_item(v) for v in children(promise, "versions").order_by("number")]


@router.post(
    "/promises/{promise_id}/versions",
    response={201: VersionOut, **NOT_FOUND, **ERRORS},
    summary="Anta löftet eller en revidering",
    description="Arbetskopian blir löftets nästa version, precis som den är: utkasten antas, "
    "och de åtaganden som markerats för borttagning tas bort med det som sagts om deras "
    "åtgärder. Det är versionen invånarna ser. Första gången behöver löftet minst ett "
    "åtagande; en revidering antas under löftets period och behöver changes. "
    "Överenskommelsens parter och kommunens samordnare.",
    openapi_extra=body_openapi(AdoptIn),
)
def post_version(request, promise_id: int):
    data, promise = body_and_row(request, AdoptIn, promises_for(request.auth), promise_id)
    check_may_edit(request.auth, promise.agreement)
    if data.changes.strip() and promise.current_version() is None:
        # The page asks for changes only at a revision; residents would read them as one.
        message = _("Löftet antas första gången: det finns ingen tidigare version att ändra.")
        raise FieldErrors([field_error("changes", message)])
    with refused_by_field():
        version = adopt(
            promise,
            adopted_on=data.adopted_on,
            adopted_by=data.adopted_by,
            changes=data.changes,
            acting_user=request.auth,
        )
    return 201, version_item(version)
