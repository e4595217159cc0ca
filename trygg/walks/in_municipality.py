"""Reading a walk's rows with its municipality named.

Walks, their stops, invitations, findings, scores, photos, answers and protocols all carry
the walk's `municipality_id`, and sharded by it (Citus) a query goes to one shard only when
every sharded table in it names that municipality: a reverse relation (`walk.findings`) says
only `walk_id = X`, so these helpers add the municipality to it."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, Prefetch


def same_municipality(row) -> dict:
    """The filter naming `row`'s municipality: `Finding.objects.filter(walk=walk,
    **same_municipality(walk))`."""
    return {"municipality_id": row.municipality_id}


def children(row, relation: str):
    """`row.<relation>` (a reverse relation) in `row`'s municipality, e.g.
    `children(walk, "findings")`: the same rows, sent to the one shard that holds them."""
    return getattr(row, relation).filter(municipality_id=row.municipality_id)


def read_previous(walk) -> None:
    """Read `walk.previous` (always in the walk's municipality, plans.py checks it) by a
    query that names the municipality, instead of an outer join to a second walk."""
    from trygg.walks.models import Walk

    if walk.previous_id is not None:
        walk.previous = Walk.objects.get(municipality_id=walk.municipality_id, pk=walk.previous_id)
    else:
        walk.previous = None


def count_by_walk(model, walks: Iterable) -> dict[int, int]:
    """{walk id: number of `model` rows (e.g. findings)} for `walks`, in one query on the
    model's own table that names the walks' municipalities (no join to the walks)."""
    walks = list(walks)
    if not walks:
        return {}
    rows = (
        model.objects.filter(
            municipality_id__in={walk.municipality_id for walk in walks},
            walk_id__in=[walk.pk for walk in walks],
        )
        .values("walk_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["walk_id"]: row["n"] for row in rows}


def walk_findings(walk):
    """The walk's findings with the municipality named for the finding and for its event
    (always the walk's), which most readers join (`routable()`, `select_related("event")`)."""
    from trygg.walks.models import Finding

    return Finding.objects.filter(
        walk=walk,
        municipality_id=walk.municipality_id,
        event__municipality_id=walk.municipality_id,
    )


# Prefetches of a finding's rows for findings of one municipality: each a query of its own
# that names the municipality (an optional stop or measure can then not become an outer join).


def stop_prefetch(municipality_id: int) -> Prefetch:
    from trygg.walks.models import WalkStop

    return Prefetch("stop", queryset=WalkStop.objects.filter(municipality_id=municipality_id))


def scores_prefetch(municipality_id: int) -> Prefetch:
    """The scores with their checklist items (a reference table, joined freely)."""
    from trygg.walks.models import FindingScore

    scores = FindingScore.objects.filter(municipality_id=municipality_id).select_related("item")
    return Prefetch("scores", queryset=scores)


def photos_prefetch(municipality_id: int) -> Prefetch:
    from trygg.walks.models import FindingPhoto

    return Prefetch("photos", queryset=FindingPhoto.objects.filter(municipality_id=municipality_id))


def answers_prefetch(municipality_id: int, *, organisation=False, measure=False) -> Prefetch:
    """The answers, with their organisation (a reference table) and their optional measure
    (opened in the walk's municipality) read apart."""
    from trygg.measures.models import Measure
    from trygg.walks.models import Answer

    answers = Answer.objects.filter(municipality_id=municipality_id)
    if organisation:
        answers = answers.select_related("organisation")
    if measure:
        measures = Measure.objects.filter(municipality_id=municipality_id)
        answers = answers.prefetch_related(Prefetch("measure", queryset=measures))
    return Prefetch("answers", queryset=answers)
