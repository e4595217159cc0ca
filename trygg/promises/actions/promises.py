"""Writing the medborgarlöfte: the promise, its commitments (the working copy), and adoption:
the first version, then revisions that say what changed and what happens to the open measures
of a commitment they remove."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from trygg.core.audit import record, record_changes, record_created
from trygg.events.models import Category
from trygg.measures.actions.measures import set_measure_status
from trygg.measures.models import Measure, Status
from trygg.measures.models.measure import OPEN_STATUSES
from trygg.organisations.models import Organisation
from trygg.organisations.shards import (
    add_links,
    children,
    linked,
    linked_ids,
    remove_links,
    set_links,
)
from trygg.places.models import Area
from trygg.promises.access import check_may_edit
from trygg.promises.actions.agreements import changed, check_period
from trygg.promises.models import (
    Agreement,
    Column,
    Commitment,
    MeasuresOnRemoval,
    Problem,
    Promise,
    PromiseVersion,
)
from trygg.promises.snapshot import snapshot_of
from trygg.promises.targets import TargetSpec, target_errors


def _period_errors(agreement: Agreement, start, end) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    check_period(start, end, errors)
    if start and end and (start < agreement.start or end > agreement.end):
        errors.setdefault("start", []).append(
            _("Löftet ska gälla inom överenskommelsens period (%(start)s–%(end)s).")
            % {"start": agreement.start, "end": agreement.end}
        )
    return errors


def _problem_errors(agreement: Agreement, problems: Sequence[Problem]) -> dict[str, list[str]]:
    if any(p.agreement_id != agreement.pk for p in problems):
        return {"problems": [_("Problemområdet hör till en annan överenskommelse.")]}
    return {}


@transaction.atomic
def create_promise(
    agreement: Agreement,
    *,
    title: str,
    start: dt.date,
    end: dt.date,
    focus: str = "",
    problems: Sequence[Problem] = (),
    acting_user,
) -> Promise:
    check_may_edit(acting_user, agreement)
    errors = _period_errors(agreement, start, end) | _problem_errors(agreement, problems)
    if not title.strip():
        errors["title"] = [_("Ge löftet en rubrik.")]
    if errors:
        raise ValidationError(errors)
    promise = Promise.objects.create(
        agreement=agreement,
        title=title.strip(),
        focus=focus.strip(),
        start=start,
        end=end,
        created_by=acting_user,
    )
    set_links(promise, "problems", problems)
    record_created(acting_user, promise, ["title", "focus", "start", "end"])
    return promise


@transaction.atomic
def update_promise(
    promise: Promise,
    *,
    title: str,
    focus: str,
    end: dt.date,
    problems: Sequence[Problem],
    acting_user,
) -> Promise:
    """The working copy's title, focus, end and problem areas; the public sees them when the
    next version is adopted. The start stays: the promise has started when it was adopted."""
    agreement = promise.agreement
    check_may_edit(acting_user, agreement)
    errors = _period_errors(agreement, promise.start, end) | _problem_errors(agreement, problems)
    if not title.strip():
        errors["title"] = [_("Ge löftet en rubrik.")]
    if errors:
        raise ValidationError(errors)
    old = {"title": promise.title, "focus": promise.focus, "end": promise.end}
    old_problems = sorted(linked_ids(promise, "problems"))
    promise.title, promise.focus, promise.end = title.strip(), focus.strip(), end
    promise.save()
    set_links(promise, "problems", problems)
    changes = changed(promise, old)
    if old_problems != sorted(p.pk for p in problems):
        changes["problems"] = (old_problems, sorted(p.pk for p in problems))
    record_changes(acting_user, promise, changes)
    return promise


# --- commitments --------------------------------------------------------------------------


@dataclass
class CommitmentInput:
    column: str
    text: str
    owner: Organisation | None
    indicator_kind: str = ""
    indicator_category: Category | None = None
    indicator_area: Area | None = None
    target_value: Decimal | None = None
    target_comparison: str = ""
    target_per: str = ""
    baseline_start: dt.date | None = None
    baseline_end: dt.date | None = None
    indicator_source: str = ""
    measures: Sequence[Measure] = field(default_factory=list)

    def spec(self) -> TargetSpec:
        return TargetSpec(
            indicator_kind=self.indicator_kind,
            category=self.indicator_category,
            area=self.indicator_area,
            target_value=self.target_value,
            target_comparison=self.target_comparison,
            target_per=self.target_per,
            baseline_start=self.baseline_start,
            baseline_end=self.baseline_end,
            indicator_source=self.indicator_source,
        )


FIELDS = (
    "column",
    "text",
    "owner",
    "indicator_kind",
    "indicator_category",
    "indicator_area",
    "target_value",
    "target_comparison",
    "target_per",
    "baseline_start",
    "baseline_end",
    "indicator_source",
)


def commitment_errors(promise: Promise, data: CommitmentInput) -> dict[str, list[str]]:
    """Every check before a commitment is kept, with Swedish messages by field."""
    municipality_id = promise.agreement.municipality_id
    errors = target_errors(data.spec(), promise_start=promise.start)
    if data.column not in Column.values:
        errors["column"] = [_("Välj vem som lovar: polisen, tillsammans eller kommunen.")]
    if not data.text.strip():
        errors["text"] = [_("Skriv vad som utlovas.")]
    if data.owner is None:
        errors["owner"] = [_("Varje åtagande behöver en ansvarig organisation.")]
    elif data.owner.municipality_id != municipality_id:
        errors["owner"] = [_("Den ansvariga organisationen hör inte till kommunen.")]
    if data.indicator_area is not None and data.indicator_area.municipality_id != municipality_id:
        errors["indicator_area"] = [_("Området ligger inte i kommunen.")]
    if any(m.municipality_id != municipality_id for m in data.measures):
        errors["measures"] = [_("Åtgärden hör till en annan kommun.")]
    return errors


@transaction.atomic
def add_commitment(promise: Promise, data: CommitmentInput, *, acting_user) -> Commitment:
    """A new commitment in the working copy; it is promised from the next adoption."""
    check_may_edit(acting_user, promise.agreement)
    errors = commitment_errors(promise, data)
    if errors:
        raise ValidationError(errors)
    last = (
        children(promise, "commitments").filter(column=data.column).aggregate(n=Max("sort_order"))
    )["n"]
    commitment = Commitment(promise=promise, sort_order=(last or 0) + 1)
    _apply(commitment, data)
    commitment.save()
    set_links(commitment, "measures", data.measures)
    record_created(acting_user, commitment, ["column", "text", "owner", "indicator_kind"])
    return commitment


@transaction.atomic
def update_commitment(commitment: Commitment, data: CommitmentInput, *, acting_user) -> Commitment:
    promise = commitment.promise
    check_may_edit(acting_user, promise.agreement)
    if commitment.is_removed:
        raise ValidationError({"text": [_("Åtagandet är borttaget i en tidigare revidering.")]})
    errors = commitment_errors(promise, data)
    if errors:
        raise ValidationError(errors)
    old = {name: getattr(commitment, name) for name in FIELDS}
    old_measures = sorted(linked_ids(commitment, "measures"))
    _apply(commitment, data)
    # Only the edited fields: a caller's copy loaded before an adoption must not write its
    # stale added_in or removal marks back.
    commitment.save(update_fields=list(FIELDS))
    set_links(commitment, "measures", data.measures)
    changes = changed(commitment, old)
    if old_measures != sorted(m.pk for m in data.measures):
        changes["measures"] = (old_measures, sorted(m.pk for m in data.measures))
    record_changes(acting_user, commitment, changes)
    return commitment


def _apply(commitment: Commitment, data: CommitmentInput) -> None:
    for name in FIELDS:
        value = getattr(data, name)
        setattr(commitment, name, value.strip() if isinstance(value, str) else value)


@transaction.atomic
def delete_draft_commitment(commitment: Commitment, *, acting_user) -> None:
    """A commitment never adopted goes without a trace in the promise; an adopted one is
    removed by a revision (mark_for_removal), so the history stays true. A draft that a
    removed commitment's measures are to move to stays until that move is changed: deleting
    it would leave them nowhere to go."""
    check_may_edit(acting_user, commitment.promise.agreement)
    if commitment.added_in_id is not None:
        raise ValidationError(
            {"text": [_("Åtagandet är antaget; ta bort det genom en revidering.")]}
        )
    sources = _moving_here(commitment)
    if sources:
        raise ValidationError({"text": [_moving_here_message(sources)]})
    record(acting_user, commitment, "delete", "text", commitment.text, None)
    commitment.delete()


def open_measures(commitment: Commitment):
    return linked(commitment, "measures").filter(status__in=OPEN_STATUSES)


def move_targets(commitment: Commitment):
    """The commitments the open measures of `commitment`, when it is removed, may move to:
    the promise's others that stay in it. Drafts count: a reworded commitment usually
    replaces the old one in the same revision, and the adoption that removes the one adopts
    the other. What keeps a target from vanishing before then: a draft chosen as a target
    cannot be deleted, nor an adopted one marked for removal, while the move is pending.
    The removal form offers exactly these; removal_errors accepts exactly these."""
    return (
        children(commitment.promise, "commitments")
        .filter(removed_in=None, removal_reason="")
        .exclude(pk=commitment.pk)
        .order_by("column", "sort_order", "pk")
    )


def _moving_here(commitment: Commitment) -> list[Commitment]:
    """The commitments marked for removal whose open measures are to move to `commitment`."""
    return list(
        Commitment.objects.filter(
            municipality_id=commitment.municipality_id,
            move_measures_to=commitment,
            measures_on_removal=MeasuresOnRemoval.MOVE,
            removed_in=None,
        )
        .exclude(removal_reason="")
        .exclude(pk=commitment.pk)
    )


def _moving_here_message(sources: Sequence[Commitment]) -> str:
    return _(
        "Åtgärderna från ”%(text)s” ska flyttas hit när revideringen antas. Välj ett annat "
        "åtagande för dem, eller behåll det åtagandet, först."
    ) % {"text": sources[0].text[:80]}


@transaction.atomic
def mark_for_removal(
    commitment: Commitment,
    *,
    reason: str,
    measures: str = "",
    move_to: Commitment | None = None,
    acting_user,
) -> Commitment:
    """Mark an adopted commitment to be removed by the next revision. If measures are still
    open under it, say what happens to them: moved to another commitment, cancelled, or
    continued without the promise."""
    check_may_edit(acting_user, commitment.promise.agreement)
    errors = removal_errors(commitment, reason=reason, measures=measures, move_to=move_to)
    if errors:
        raise ValidationError(errors)
    old = {
        "removal_reason": commitment.removal_reason,
        "measures_on_removal": commitment.measures_on_removal,
        "move_measures_to": commitment.move_measures_to_id,
    }
    commitment.removal_reason = reason.strip()
    commitment.measures_on_removal = measures
    commitment.move_measures_to = move_to if measures == MeasuresOnRemoval.MOVE else None
    commitment.save()
    new = {
        "removal_reason": commitment.removal_reason,
        "measures_on_removal": commitment.measures_on_removal,
        "move_measures_to": commitment.move_measures_to_id,
    }
    record_changes(acting_user, commitment, {k: (old[k], new[k]) for k in old if old[k] != new[k]})
    return commitment


def removal_errors(
    commitment: Commitment, *, reason: str, measures: str, move_to: Commitment | None
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if commitment.added_in_id is None:
        errors["removal_reason"] = [_("Åtagandet är inte antaget; ta bort det direkt.")]
    if commitment.is_removed:
        errors["removal_reason"] = [_("Åtagandet är redan borttaget.")]
    if not reason.strip():
        errors["removal_reason"] = [_("Skriv varför åtagandet tas bort.")]
    sources = _moving_here(commitment)
    if sources:
        errors.setdefault("removal_reason", []).append(_moving_here_message(sources))
    if measures and measures not in MeasuresOnRemoval.values:
        errors["measures_on_removal"] = [_("Okänt val för de öppna åtgärderna.")]
    count = open_measures(commitment).count()
    if count and not measures:
        errors["measures_on_removal"] = [
            _("%(n)s åtgärder under åtagandet är inte klara: säg vad som händer med dem.")
            % {"n": count}
        ]
    if measures == MeasuresOnRemoval.MOVE:
        if move_to is None:
            errors["move_measures_to"] = [_("Välj åtagandet åtgärderna flyttas till.")]
        elif not move_targets(commitment).filter(pk=move_to.pk).exists():
            errors["move_measures_to"] = [
                _("Åtgärderna kan bara flyttas till ett annat åtagande som finns kvar i löftet.")
            ]
    return errors


@transaction.atomic
def keep_commitment(commitment: Commitment, *, acting_user) -> Commitment:
    """Undo a mark for removal before the revision is adopted."""
    check_may_edit(acting_user, commitment.promise.agreement)
    if commitment.is_marked_for_removal:
        record_changes(acting_user, commitment, {"removal_reason": (commitment.removal_reason, "")})
        commitment.removal_reason, commitment.measures_on_removal = "", ""
        commitment.move_measures_to = None
        commitment.save()
    return commitment


# --- adoption -----------------------------------------------------------------------------


@transaction.atomic
def adopt(
    promise: Promise, *, adopted_on: dt.date, adopted_by: str, changes: str = "", acting_user
) -> PromiseVersion:
    """Adopt the working copy as the next version. The first adoption needs commitments; a
    revision needs a plain account of what changed, and removes the commitments marked for
    removal, doing with their open measures what was said."""
    check_may_edit(acting_user, promise.agreement)
    promise = Promise.objects.select_for_update().get(
        pk=promise.pk, municipality_id=promise.municipality_id
    )
    previous = promise.current_version()
    live = list(children(promise, "commitments").filter(removed_in=None))
    errors = _adoption_errors(promise, previous, live, adopted_on, adopted_by, changes)
    if errors:
        raise ValidationError(errors)
    version = PromiseVersion.objects.create(
        promise=promise,
        number=(previous.number + 1) if previous else 1,
        adopted_on=adopted_on,
        adopted_by=adopted_by.strip(),
        changes=changes.strip(),
        created_by=acting_user,
    )
    removed = [c for c in live if c.is_marked_for_removal]
    for commitment in removed:
        _remove(commitment, version, acting_user)
    Commitment.objects.filter(
        municipality_id=promise.municipality_id, promise=promise, added_in=None, removed_in=None
    ).update(added_in=version)
    version.snapshot = snapshot_of(promise, removed=removed)
    version.save(update_fields=["snapshot"])
    record_created(acting_user, version, ["number", "adopted_on", "adopted_by", "changes"])
    return version


def _adoption_errors(promise, previous, live, adopted_on, adopted_by, changes):
    errors: dict[str, list[str]] = {}
    staying = [c for c in live if not c.is_marked_for_removal]
    if not staying:
        errors["commitments"] = [_("Löftet behöver minst ett åtagande.")]
    if not adopted_by.strip():
        errors["adopted_by"] = [_("Ange vem som antog löftet.")]
    if not promise.start <= adopted_on <= promise.end and previous is not None:
        errors["adopted_on"] = [_("En revidering antas under löftets period.")]
    if previous is not None and adopted_on < previous.adopted_on:
        errors["adopted_on"] = [
            _("Datumet ligger före förra versionen (%(day)s).") % {"day": previous.adopted_on}
        ]
    if previous is not None and not changes.strip():
        errors["changes"] = [_("Beskriv för invånarna vad revideringen ändrar.")]
    for commitment in live:
        if commitment.is_marked_for_removal:
            problems = removal_errors(
                commitment,
                reason=commitment.removal_reason,
                measures=commitment.measures_on_removal,
                move_to=commitment.move_measures_to,
            )
            for messages in problems.values():
                errors.setdefault("commitments", []).extend(
                    f"{commitment.text[:60]}: {m}" for m in messages
                )
    return errors


def _remove(commitment: Commitment, version: PromiseVersion, acting_user) -> None:
    still_open = list(open_measures(commitment))
    if commitment.measures_on_removal == MeasuresOnRemoval.MOVE and still_open:
        target = commitment.move_measures_to
        assert target is not None  # noqa: S101 -- checked by removal_errors
        add_links(target, "measures", still_open)
        remove_links(commitment, "measures", still_open)
    elif commitment.measures_on_removal == MeasuresOnRemoval.CANCEL:
        for measure in still_open:
            set_measure_status(
                measure,
                Status.CANCELLED,
                acting_user=acting_user,
                reason=_("Åtagandet i medborgarlöftet togs bort: %(reason)s")
                % {"reason": commitment.removal_reason},
            )
    elif commitment.measures_on_removal == MeasuresOnRemoval.RELEASE:
        remove_links(commitment, "measures", still_open)
    commitment.removed_in = version
    commitment.save(update_fields=["removed_in"])
    record(acting_user, commitment, "update", "removed_in", None, version.pk)
