"""What residents read under /oppen/loften/: a municipality's promise as adopted, its
history, and its published follow-ups.

Everything here is read from `PromiseVersion.snapshot`, never from the working copy: a
commitment being drafted, an edit waiting for the next revision, the evidence, the cause
analysis and the staff's notes never reach these pages. A promise without an adopted version
is not public at all. A follow-up is public once published, and it reads the commitments'
words from the version in force at the end of its period (the words that were followed up),
the statuses and figures as they were kept when recorded, and counts of events with small
counts suppressed (`figures.figure_lines` with the threshold)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from trygg.organisations.shards import children
from trygg.places.models import Municipality
from trygg.promises.figures import figure_lines, number, period_words
from trygg.promises.models import (
    Agreement,
    Column,
    CommitmentState,
    CommitmentStatus,
    FollowUp,
    Promise,
    PromiseVersion,
)

# --- which promises are public ---------------------------------------------------------------


# Promises and their agreements and versions are sharded by municipality (decision 0038):
# each query below names the municipality of every sharded table it reads, or reads one table
# alone, and the agreement (with its municipality, a shared table) is read by a query of its
# own rather than joined to the promise.


def adopted_promises(municipality_id: int) -> QuerySet[Promise]:
    """The municipality's promises with at least one adopted version: the only ones
    residents see (the agreements are attached by `with_agreements`)."""
    versions = PromiseVersion.objects.filter(municipality_id=municipality_id)
    return Promise.objects.filter(
        municipality_id=municipality_id, pk__in=versions.values("promise_id")
    )


def adopted_promise(pk: int, municipality_id: int | None = None) -> Promise | None:
    """The promise `pk` with its agreement and municipality, when it has an adopted version;
    else None. A public address names no municipality: then the promise is looked up by its
    key alone, and everything after in its municipality."""
    rows = Promise.objects.filter(pk=pk)
    if municipality_id is not None:
        rows = rows.filter(municipality_id=municipality_id)
    promise = rows.first()
    if promise is None:
        return None
    versions = PromiseVersion.objects.filter(municipality_id=promise.municipality_id)
    if not versions.filter(promise=promise).exists():
        return None
    return with_agreements([promise])[0]


def with_agreements(promises: list[Promise]) -> list[Promise]:
    """`promises` with their agreements and the agreements' municipalities (without the
    geometry) loaded, by one query naming the promises' municipalities."""
    wanted = {p.agreement_id for p in promises}
    if not wanted:
        return promises
    agreements = (
        Agreement.objects.filter(
            municipality_id__in={p.municipality_id for p in promises}, pk__in=wanted
        )
        .select_related("municipality")
        .defer("municipality__geometry")
    )
    found = {a.pk: a for a in agreements}
    for promise in promises:
        promise.agreement = found[promise.agreement_id]
    return promises


def municipalities_with_promises() -> QuerySet[Municipality]:
    # A version names its promise's municipality, which is its agreement's. Without the
    # versions' default order, which would join the promises to sort.
    versions = PromiseVersion.objects.order_by()
    ids = set(versions.values_list("municipality_id", flat=True).distinct())
    return Municipality.objects.filter(pk__in=ids).only("pk", "code", "name").order_by("name")


def current_promise(municipality: Municipality, today: dt.date) -> Promise | None:
    """The adopted promise in force today; else the next to start; else the latest ended."""
    promises = list(adopted_promises(municipality.pk))
    promises.sort(key=lambda p: (p.start, p.pk))
    in_force = [p for p in promises if p.start <= today <= p.end]
    coming = [p for p in promises if p.start > today]
    if in_force:
        chosen = in_force[-1]
    elif coming:
        chosen = coming[0]
    elif promises:
        chosen = promises[-1]
    else:
        return None
    return with_agreements([chosen])[0]


@dataclass(frozen=True)
class OtherPromise:
    pk: int
    title: str
    period: str


def other_promises(municipality: Municipality, shown_pk: int) -> list[OtherPromise]:
    """The municipality's other adopted promises, named as their latest version has it."""
    others = []
    for promise in adopted_promises(municipality.pk):
        version = promise.current_version()
        if promise.pk == shown_pk or version is None:
            continue
        first, last = (dt.date.fromisoformat(version.snapshot[k]) for k in ("start", "end"))
        others.append(
            OtherPromise(promise.pk, version.snapshot["title"], period_words(first, last))
        )
    return others


@dataclass(frozen=True)
class FollowUpLink:
    pk: int
    period: str
    published_on: dt.date | None  # never None: only published ones are listed


def published_follow_ups(promise: Promise) -> list[FollowUpLink]:
    """The promise's published follow-ups, the latest period first."""
    found = children(promise, "follow_ups").filter(published_on__isnull=False)
    found = found.order_by("-first_day")
    return [
        FollowUpLink(f.pk, period_words(f.first_day, f.last_day), f.published_on) for f in found
    ]


# --- the promise as adopted ----------------------------------------------------------------


@dataclass(frozen=True)
class PublicCommitment:
    id: int
    column: str
    text: str
    owner: str = ""
    target: str = ""
    indicator: str = ""

    @classmethod
    def of(cls, data: dict[str, Any]) -> PublicCommitment:
        return cls(
            id=data["id"],
            column=data["column"],
            text=data["text"],
            owner=data.get("owner", ""),
            target=data.get("target", ""),
            indicator=data.get("indicator", ""),
        )


@dataclass(frozen=True)
class PublicColumn:
    code: str
    label: str
    items: list  # PublicCommitment, or PublicStatus on a follow-up


@dataclass(frozen=True)
class PublicVersion:
    number: int
    adopted_on: dt.date
    adopted_by: str
    changes: str
    removed: list[dict[str, str]]

    @property
    def is_revision(self) -> bool:
        return self.number > 1


@dataclass
class PublicPromise:
    pk: int
    municipality: Municipality
    version: PublicVersion
    is_latest: bool
    title: str
    focus: str
    start: dt.date
    end: dt.date
    problems: list[str]
    columns: list[PublicColumn]
    history: list[PublicVersion]  # newest first
    follow_ups: list[FollowUpLink] = field(default_factory=list)

    @property
    def period(self) -> str:
        return period_words(self.start, self.end)


def _version(version: PromiseVersion) -> PublicVersion:
    removed = [
        {
            "text": item.get("text", ""),
            "reason": item.get("reason", ""),
            "measures": item.get("measures", ""),
        }
        for item in version.snapshot.get("removed", [])
    ]
    return PublicVersion(
        version.number, version.adopted_on, version.adopted_by, version.changes, removed
    )


def columns_of(items: list, column_of=lambda item: item.column) -> list[PublicColumn]:
    """The three columns in the order a medborgarlöfte is printed, empty ones left out."""
    columns = []
    for code, label in Column.choices:
        mine = [item for item in items if column_of(item) == code]
        if mine:
            columns.append(PublicColumn(code, str(label), mine))
    return columns


def public_promise(promise: Promise, number: int | None = None) -> PublicPromise | None:
    """The promise as adopted in its latest version (or version `number`), with every
    version's date and changes and its published follow-ups; None when there is no such
    adopted version."""
    versions = list(children(promise, "versions").order_by("number"))
    if not versions:
        return None
    chosen = (
        versions[-1] if number is None else next((v for v in versions if v.number == number), None)
    )
    if chosen is None:
        return None
    snapshot = chosen.snapshot
    commitments = [PublicCommitment.of(data) for data in snapshot.get("commitments", [])]
    return PublicPromise(
        pk=promise.pk,
        municipality=promise.agreement.municipality,
        version=_version(chosen),
        is_latest=chosen is versions[-1],
        title=snapshot.get("title", ""),
        focus=snapshot.get("focus", ""),
        start=dt.date.fromisoformat(snapshot["start"]),
        end=dt.date.fromisoformat(snapshot["end"]),
        problems=list(snapshot.get("problems", [])),
        columns=columns_of(commitments),
        history=[_version(v) for v in reversed(versions)],
        follow_ups=published_follow_ups(promise),
    )


# --- a published follow-up -----------------------------------------------------------------


@dataclass(frozen=True)
class PublicStatus:
    commitment: PublicCommitment
    state: str
    state_label: str
    reason: str
    lines: list[str]

    @property
    def column(self) -> str:
        return self.commitment.column


@dataclass
class PublicFollowUp:
    pk: int
    promise_pk: int
    municipality: Municipality
    title: str  # the promise's, as adopted in the version followed up
    first_day: dt.date
    last_day: dt.date
    published_on: dt.date
    summary: str
    next_steps: str
    columns: list[PublicColumn]
    counts: list[tuple[str, int]]  # (state label, how many), in the states' order

    @property
    def period(self) -> str:
        return period_words(self.first_day, self.last_day)


def words_followed(follow_up: FollowUp) -> tuple[str, dict[int, PublicCommitment]]:
    """The promise's title and each commitment's words as adopted in the versions in force
    up to the period's end (the latest version that has the commitment wins)."""
    versions = PromiseVersion.objects.filter(
        municipality_id=follow_up.municipality_id,
        promise_id=follow_up.promise_id,
        adopted_on__lte=follow_up.last_day,
    )
    title, words = "", {}
    for version in versions.order_by("number"):
        title = version.snapshot.get("title", title)
        for data in version.snapshot.get("commitments", []):
            words[data["id"]] = PublicCommitment.of(data)
        for data in version.snapshot.get("removed", []):
            words.setdefault(data["id"], PublicCommitment.of(data))
    return title, words


def public_follow_up(follow_up: FollowUp, *, threshold: int) -> PublicFollowUp:
    """A published follow-up as residents read it (the caller checks it is published)."""
    assert follow_up.published_on is not None  # noqa: S101 -- the views ask for published ones
    title, words = words_followed(follow_up)
    statuses = []
    rows = CommitmentStatus.objects.filter(
        municipality_id=follow_up.municipality_id, follow_up=follow_up
    ).order_by("commitment_id")
    for row in rows:
        commitment = words.get(row.commitment_id)
        if commitment is None:  # never adopted by the period's end: not the public's
            continue
        statuses.append(
            PublicStatus(
                commitment,
                row.state,
                str(CommitmentState(row.state).label),
                row.reason,
                status_lines(row, threshold=threshold),
            )
        )
    order = {c.id: i for i, c in enumerate(words.values())}
    statuses.sort(key=lambda s: order[s.commitment.id])
    tally = Counter(s.state for s in statuses)
    counts = [(str(label), tally[code]) for code, label in CommitmentState.choices if tally[code]]
    return PublicFollowUp(
        pk=follow_up.pk,
        promise_pk=follow_up.promise_id,
        municipality=follow_up.promise.agreement.municipality,
        title=title,
        first_day=follow_up.first_day,
        last_day=follow_up.last_day,
        published_on=follow_up.published_on,
        summary=follow_up.summary,
        next_steps=follow_up.next_steps,
        columns=columns_of(statuses),
        counts=counts,
    )


def status_lines(row: CommitmentStatus, *, threshold: int | None) -> list[str]:
    """The indicator's value at the follow-up in words: computed figures as kept, or a value
    entered by hand with its source."""
    if row.computed:
        return figure_lines(row.computed, threshold=threshold)
    if row.value is not None:
        line = _("Under perioden: %(value)s.") % {"value": number(row.value)}
        if row.value_source:
            line += " " + _("Källa: %(source)s.") % {"source": row.value_source}
        return [line]
    return []
