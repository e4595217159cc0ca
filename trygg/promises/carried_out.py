"""The commitments measures carry out, for the åtgärdsplan and the measure's page: promises
registers `commitments_for` in trygg.measures.carried_out from its AppConfig.ready (measures
sits below promises and may not import it)."""

from __future__ import annotations

from django.urls import reverse

from trygg.measures.carried_out import CarriedOut
from trygg.promises.models import Column, Commitment, CommitmentMeasure, Promise


def commitments_for(measure_ids: list[int]) -> dict[int, list[CarriedOut]]:
    """For each measure, the commitments it is linked to that no revision has removed.

    The links, the commitments and their promises are read by a query of one table each, the
    last two naming the links' municipalities: a join of the link table to the commitments
    and promises would not go to one shard (the measures' municipality is not known here)."""
    links = list(
        CommitmentMeasure.objects.filter(measure_id__in=measure_ids).values_list(
            "pk", "measure_id", "commitment_id", "municipality_id"
        )
    )
    if not links:
        return {}
    municipalities = {m for _pk, _measure, _commitment, m in links}
    commitments = {
        c.pk: c
        for c in Commitment.objects.filter(
            municipality_id__in=municipalities,
            pk__in={c for _pk, _measure, c, _m in links},
            removed_in=None,
        ).order_by()
    }
    promises = {
        p.pk: p
        for p in Promise.objects.filter(
            municipality_id__in=municipalities,
            pk__in={c.promise_id for c in commitments.values()},
        ).order_by()
    }
    rows = []
    for pk, measure_id, commitment_id, _m in links:
        commitment = commitments.get(commitment_id)
        if commitment is None:
            continue
        commitment.promise = promises[commitment.promise_id]
        rows.append((measure_id, commitment, pk))
    # The order the joined query had: by the promise's start, then the commitment's place.
    rows.sort(key=lambda r: (r[1].promise.start, r[1].column, r[1].sort_order, r[2]))
    found: dict[int, list[CarriedOut]] = {}
    for measure_id, commitment, _pk in rows:
        url = reverse("promises:promise", args=[commitment.promise_id])
        found.setdefault(measure_id, []).append(
            CarriedOut(
                text=commitment.text,
                heading=commitment.promise.title,
                column=str(Column(commitment.column).label),
                url=f"{url}#atagande-{commitment.pk}",
                adopted=commitment.added_in_id is not None,
            )
        )
    return found
