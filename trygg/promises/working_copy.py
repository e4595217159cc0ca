"""The promise as its staff page shows it: the working copy's commitments in their three
columns, each with its target and indicator in words, and what in the working copy is not yet
adopted, measured against the current version's snapshot (what residents see)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import translation
from django.utils.translation import gettext as _

from trygg.measures.models import Measure
from trygg.measures.models.measure import OPEN_STATUSES
from trygg.organisations.shards import children, linked, prefetch_links
from trygg.promises.models import Column, Commitment, Promise, PromiseVersion
from trygg.promises.snapshot import commitment_data, indicator_text, target_text


@dataclass(frozen=True)
class Pending:
    """What the next adoption would change, against `version` (None: never adopted)."""

    version: PromiseVersion | None
    new: frozenset[int] = frozenset()
    changed: frozenset[int] = frozenset()
    removing: frozenset[int] = frozenset()
    fields: tuple[str, ...] = ()  # the promise's own fields changed since, in words

    @property
    def any(self) -> bool:
        return bool(self.new or self.changed or self.removing or self.fields)


@dataclass
class CommitmentRow:
    commitment: Commitment
    target: str
    indicator: str
    measures: list[Measure] = field(default_factory=list)
    state: str = ""  # "new", "changed", "removing" or "" (as adopted)


@dataclass
class ColumnBlock:
    column: str
    label: str
    rows: list[CommitmentRow]


def live_commitments(promise: Promise) -> list[Commitment]:
    """The working copy: every commitment no revision has removed, in the promise's order."""
    rows = list(
        children(promise, "commitments")
        .filter(removed_in=None)
        .select_related("owner", "indicator_category", "indicator_area")
        .order_by("column", "sort_order", "pk")
    )
    # The measures and the commitment measures move to are read apart, naming the
    # municipality: a join through the link table or an outer join to another commitment
    # would not go to one shard.
    prefetch_links(rows, "measures")
    moves = {c.move_measures_to_id for c in rows} - {None} - {c.pk for c in rows}
    known = {c.pk: c for c in rows}
    if moves:
        others = Commitment.objects.filter(municipality_id=promise.municipality_id, pk__in=moves)
        known |= {c.pk: c for c in others}
    field = Commitment._meta.get_field("move_measures_to")
    for commitment in rows:
        target = commitment.move_measures_to_id
        field.set_cached_value(commitment, known.get(target) if target is not None else None)
    return rows


def pending(promise: Promise, live: list[Commitment]) -> Pending:
    version = promise.current_version()
    if version is None:
        return Pending(None, new=frozenset(c.pk for c in live))
    snapshot = version.snapshot
    adopted = {c["id"]: c for c in snapshot.get("commitments", [])}
    with translation.override("sv"):  # the snapshot's words are Swedish
        new = frozenset(c.pk for c in live if c.pk not in adopted)
        changed = frozenset(
            c.pk
            for c in live
            if c.pk in adopted and _compared(commitment_data(c)) != _compared(adopted[c.pk])
        )
    removing = frozenset(c.pk for c in live if c.is_marked_for_removal)
    fields = []
    if promise.title != snapshot.get("title"):
        fields.append(_("rubriken"))
    if promise.focus != snapshot.get("focus"):
        fields.append(_("inriktningen"))
    if promise.end.isoformat() != snapshot.get("end"):
        fields.append(_("slutdatumet"))
    if sorted(p.title for p in linked(promise, "problems")) != sorted(snapshot.get("problems", [])):
        fields.append(_("problemområdena"))
    return Pending(version, new, changed - removing, removing, tuple(fields))


def _compared(data: dict) -> dict:
    keys = ("column", "text", "owner", "target", "indicator")
    return {key: data.get(key) for key in keys}


def columns(live: list[Commitment], state: Pending) -> list[ColumnBlock]:
    """The three columns in the order a promise is printed, each possibly empty."""
    blocks = {code: ColumnBlock(code, str(label), []) for code, label in Column.choices}
    for commitment in live:
        if commitment.pk in state.removing:
            mark = "removing"
        elif commitment.pk in state.new:
            mark = "new"
        elif commitment.pk in state.changed:
            mark = "changed"
        else:
            mark = ""
        blocks[commitment.column].rows.append(
            CommitmentRow(
                commitment,
                target_text(commitment),
                indicator_text(commitment),
                sorted(commitment.measures.all(), key=measure_order),
                mark,
            )
        )
    return list(blocks.values())


def measure_order(measure: Measure) -> tuple:
    """Open measures first, then the latest first: a commitment carried out month by month
    shows what is under way and what was done last, not the months in alphabetical order."""
    latest = measure.done_on or measure.due or measure.created_at.date()
    return (measure.status not in OPEN_STATUSES, -latest.toordinal(), measure.pk)
