"""The promises API's follow-ups (issue 14, point 7): each period with its counts by state,
a follow-up with every commitment's status; opening one, recording a status, publishing.

The parties and the municipality's coordinators open and publish (`may_edit`); a status is
also the commitment's owner's to record (`may_report_for`): 403 with the reason for anyone
else. The rules are the actions' and the follow-up pages' (`actions.follow_ups`); see api.py.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router

from trygg.core.api_errors import FieldErrors, field_error
from trygg.measures.schemas import body_openapi
from trygg.organisations.shards import children, joined_in_municipality, own_first_or_404
from trygg.promises.access import check_may_edit
from trygg.promises.actions.follow_ups import (
    commitments_followed,
    open_follow_up,
    publish_follow_up,
    record_status,
)
from trygg.promises.api_scope import (
    ERRORS,
    NOT_FOUND,
    absolute_url,
    body_and_row,
    follow_ups_for,
    promises_for,
    refused_by_field,
)
from trygg.promises.figures import not_ended_text
from trygg.promises.models import Commitment, CommitmentStatus, FollowUp
from trygg.promises.schemas import column_order
from trygg.promises.schemas_follow_ups import (
    FollowUpDetailOut,
    FollowUpIn,
    FollowUpListOut,
    PublishIn,
    StatusIn,
    StatusOut,
    commitment_ref,
    follow_up_item,
    status_item,
)

router = Router(tags=["medborgarlöften"])

ONE = {200: FollowUpDetailOut, **NOT_FOUND, **ERRORS}


def _state_counts(follow_ups: list[FollowUp]) -> dict[int, dict[str, int]]:
    """{follow-up id: {state: commitments}}, naming the follow-ups' municipalities."""
    rows = (
        CommitmentStatus.objects.filter(
            municipality_id__in={f.municipality_id for f in follow_ups},
            follow_up_id__in=[f.pk for f in follow_ups],
        )
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
    promise = own_first_or_404(request.auth, promises_for(request.auth), pk=promise_id)
    follow_ups = list(children(promise, "follow_ups").order_by("first_day"))
    counts = _state_counts(follow_ups)
    items = [follow_up_item(f, counts.get(f.pk, {}), absolute_url(request, f)) for f in follow_ups]
    return {"count": len(items), "items": items}


@router.post(
    "/promises/{promise_id}/follow-ups",
    response={201: FollowUpDetailOut, **NOT_FOUND, **ERRORS},
    summary="Starta en uppföljning",
    description="För en av överenskommelsens perioder (tertial, halvår eller år, inom löftets "
    "period) som är slut, i ett antaget löfte; varje period följs upp en gång. Svaret är "
    "uppföljningen med de åtaganden som ska ha status. Överenskommelsens parter och "
    "kommunens samordnare.",
    openapi_extra=body_openapi(FollowUpIn),
)
def post_follow_up(request, promise_id: int):
    data, promise = body_and_row(request, FollowUpIn, promises_for(request.auth), promise_id)
    check_may_edit(request.auth, promise.agreement)
    # As on the page: a period still running is not followed up (the action takes any).
    not_ended = not_ended_text(data.last_day, timezone.localdate())
    if not_ended:
        raise FieldErrors([field_error("last_day", not_ended)])
    with refused_by_field():
        follow_up = open_follow_up(
            promise, first_day=data.first_day, last_day=data.last_day, acting_user=request.auth
        )
    return 201, _detail(request, follow_up)


def _detail(request, follow_up: FollowUp) -> dict[str, Any]:
    # In the follow-up's municipality, the commitment joined on it too: one shard on Citus.
    statuses = list(
        children(follow_up, "statuses")
        .filter(**joined_in_municipality("commitment"))
        .select_related("commitment__owner")
        .order_by("commitment__sort_order", "commitment_id")
    )
    statuses.sort(key=lambda s: column_order(s.commitment))
    followed = sorted(commitments_followed(follow_up), key=column_order)
    recorded = {s.commitment_id for s in statuses}
    counts = _state_counts([follow_up]).get(follow_up.pk, {})
    return follow_up_item(follow_up, counts, absolute_url(request, follow_up)) | {
        "summary": follow_up.summary,
        "next_steps": follow_up.next_steps,
        "statuses": [status_item(s) for s in statuses],
        "missing": [commitment_ref(c) for c in followed if c.pk not in recorded],
    }


@router.get(
    "/follow-ups/{follow_up_id}",
    response=ONE,
    summary="En uppföljning",
    description="Varje åtagandes status med indikatorns värde (beräknat när statusen fördes "
    "in, eller infört med källa), sammanfattningen, vad som händer nu, och de åtaganden som "
    "ännu saknar status.",
)
def get_follow_up(request, follow_up_id: int):
    follow_up = own_first_or_404(request.auth, follow_ups_for(request.auth), pk=follow_up_id)
    return _detail(request, follow_up)


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
    data, follow_up = body_and_row(request, StatusIn, follow_ups_for(request.auth), follow_up_id)
    # Each read names the follow-up's municipality: one shard on Citus, and no join of
    # sharded tables on their ids alone (which it refuses).
    commitment = Commitment.objects.filter(
        municipality_id=follow_up.municipality_id,
        promise_id=follow_up.promise_id,
        pk=data.commitment,
    ).first()
    if commitment is None:
        message = _("Åtagandet finns inte i löftet.")
        raise FieldErrors([field_error("commitment", message)])
    existed = children(follow_up, "statuses").filter(commitment=commitment).exists()
    with refused_by_field():
        status = record_status(
            follow_up,
            commitment,
            acting_user=request.auth,
            **data.model_dump(exclude={"commitment"}),
        )
    status = (
        CommitmentStatus.objects.filter(
            municipality_id=status.municipality_id, **joined_in_municipality("commitment")
        )
        .select_related("commitment__owner")
        .get(pk=status.pk)
    )
    return (200 if existed else 201), status_item(status)


@router.post(
    "/follow-ups/{follow_up_id}/publish",
    response=ONE,
    summary="Publicera en uppföljning",
    description="För invånarna, när varje åtagande har sin status och next_steps är skrivet; "
    "tidigast när perioden är slut. Sedan ändras uppföljningen inte. Överenskommelsens "
    "parter och kommunens samordnare.",
    openapi_extra=body_openapi(PublishIn),
)
def post_publish(request, follow_up_id: int):
    rows = follow_ups_for(request.auth)
    data, follow_up = body_and_row(request, PublishIn, rows, follow_up_id)
    check_may_edit(request.auth, follow_up.promise.agreement)
    with refused_by_field():
        publish_follow_up(
            follow_up,
            summary=data.summary,
            next_steps=data.next_steps,
            published_on=data.published_on,
            acting_user=request.auth,
        )
    return _detail(request, follow_up)
