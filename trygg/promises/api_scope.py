"""What the promises API shows a user, shared by its routers (api.py, api_commitments.py,
api_follow_ups.py): the rows of the municipalities the user works in (`access.may_view` as a
filter; 404 for the rest, since whether another municipality has a promise in the making is
not theirs to know), the commitments as items, and the parts of every endpoint's answer."""

from __future__ import annotations

from typing import Any

from trygg.core.api_errors import FieldErrorsOut, MessageOut
from trygg.measures.models import Measure
from trygg.measures.schemas import parse_body, refused_by_field  # noqa: F401 -- shared with the promises API
from trygg.organisations.access import access_for
from trygg.organisations.shards import (
    joined_in_municipality,
    own_first_or_404,
    prefetch_in_municipalities,
    without_order_by,
)
from trygg.promises.models import Commitment, FollowUp, Promise
from trygg.promises.schemas import column_order, commitment_item

ERRORS = {401: MessageOut, 403: MessageOut, 422: FieldErrorsOut}
NOT_FOUND = {404: MessageOut}
CONFLICT = {409: FieldErrorsOut}


def _municipality_ids(user) -> frozenset[int] | None:
    """The municipalities whose promises the user reads; None: all (a superuser)."""
    access = access_for(user)
    return None if access.is_superuser else access.municipality_ids


def visible(queryset, user, path: str):
    """The rows of the municipalities the user may view; `path` leads to the municipality."""
    ids = _municipality_ids(user)
    return queryset if ids is None else queryset.filter(**{f"{path}__in": ids})


def absolute_url(request, obj) -> str:
    return request.build_absolute_uri(obj.get_absolute_url())


def body_and_row(request, schema, rows, pk: int):
    """The JSON body as `schema`, then the row (looked for in the user's own municipalities
    first): a body that cannot be used is refused (422) before anything is looked up (404)."""
    data = parse_body(request.body, schema)
    return data, own_first_or_404(request.auth, rows, pk=pk)


# Each row below is filtered on its own municipality (a promise's is its agreement's, a
# commitment's and a follow-up's their promise's), and the parents it shows are joined on the
# municipality too, so that Citus joins them shard by shard: one shard for a user of one
# municipality, where a join on the key alone is refused.


def promises_for(user):
    promises = (
        Promise.objects.filter(**joined_in_municipality("agreement"))
        .select_related("agreement__municipality")
        .defer("agreement__municipality__geometry")
    )
    return visible(promises, user, "municipality_id")


def commitments_for(user, commitments=None):
    """The commitments (of `commitments`, a queryset) with the shared tables they show; the
    versions that added and removed them are read by `commitment_items`. Ordered without the
    promise's own order (a join to the promises): `commitment_items` sorts them."""
    rows = Commitment.objects.all() if commitments is None else commitments
    rows = without_order_by(rows, "promise")
    rows = rows.select_related("owner", "indicator_category", "indicator_area").defer(
        "indicator_area__geometry"
    )
    return visible(rows, user, "municipality_id")


def follow_ups_for(user):
    follow_ups = FollowUp.objects.filter(
        **joined_in_municipality("promise", "promise__agreement")
    ).select_related("promise__agreement")
    return visible(follow_ups, user, "municipality_id")


def commitment_items(user, commitments) -> list[dict[str, Any]]:
    """The items, in the promise's order, with the versions that added and removed each (read
    apart: optional, so an outer join) and the linked measures the user may see, each read
    naming the commitments' municipalities (where their versions and measures lie)."""
    rows = sorted(
        prefetch_in_municipalities(commitments, "added_in", "removed_in"), key=column_order
    )
    municipalities = {c.municipality_id for c in rows}
    seen = Measure.objects.visible_to(user).filter(municipality_id__in=municipalities)
    links = Commitment.measures.through.objects.filter(
        municipality_id__in=municipalities,
        commitment_id__in=[c.pk for c in rows],
        measure_id__in=seen.values("pk"),
    ).order_by("measure_id")
    measures: dict[int, list[int]] = {}
    for commitment_id, measure_id in links.values_list("commitment_id", "measure_id"):
        measures.setdefault(commitment_id, []).append(measure_id)
    return [commitment_item(c, measures.get(c.pk, [])) for c in rows]


def commitment_detail(user, commitment_id: int) -> dict[str, Any]:
    commitment = own_first_or_404(user, commitments_for(user), pk=commitment_id)
    return commitment_items(user, [commitment])[0]
