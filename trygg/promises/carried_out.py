"""The commitments measures carry out, for the åtgärdsplan and the measure's page: promises
registers `commitments_for` in trygg.measures.carried_out from its AppConfig.ready (measures
sits below promises and may not import it)."""

from __future__ import annotations

from django.urls import reverse

from trygg.measures.carried_out import CarriedOut
from trygg.promises.models import Column, Commitment


def commitments_for(measure_ids: list[int]) -> dict[int, list[CarriedOut]]:
    """For each measure, the commitments it is linked to that no revision has removed."""
    links = (
        Commitment.measures.through.objects.filter(
            measure_id__in=measure_ids, commitment__removed_in=None
        )
        .select_related("commitment__promise")
        .order_by("commitment__promise__start", "commitment__column", "commitment__sort_order")
    )
    found: dict[int, list[CarriedOut]] = {}
    for link in links:
        commitment = link.commitment
        url = reverse("promises:promise", args=[commitment.promise_id])
        found.setdefault(link.measure_id, []).append(
            CarriedOut(
                text=commitment.text,
                heading=commitment.promise.title,
                column=str(Column(commitment.column).label),
                url=f"{url}#atagande-{commitment.pk}",
                adopted=commitment.added_in_id is not None,
            )
        )
    return found
