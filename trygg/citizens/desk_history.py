"""A Trygghetscenter case's history, for those who may see the case: recorded at the desk, sent
to a partner, sent back by a partner with its reason, closed with its note.

Read from the case's audit rows, so it holds what the actions wrote and nothing else. Like the
case itself it names organisations, never the staff member: the audit rows' actor is left out.
Rows are read in the order they were written (primary key): the rows of one action can share
a timestamp, and a reason or a closing note belongs to the step written just before it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from trygg.citizens.models import DeskCase
from trygg.core.models import AuditEntry
from trygg.organisations.models import Organisation

RECORDED, SENT, RETURNED, CLOSED = "recorded", "sent", "returned", "closed"
LABELS = {
    RECORDED: _("förd vid disken"),
    SENT: _("skickad till en partner"),
    RETURNED: _("skickad tillbaka till disken"),
    CLOSED: _("avslutad"),
}
# The field whose row carries a step's words, by the step it belongs to.
TEXT_OF = {"return_reason": RETURNED, "closing_note": CLOSED}


@dataclass
class Step:
    at: dt.datetime
    kind: str
    # Who acted, where known from the rows: the recording organisation, the returning partner.
    by_id: int | None = None
    # Where the case went: the partner it was given to (None on recording: settled at the desk).
    to_id: int | None = None
    text: str = ""
    by: Organisation | None = None
    to: Organisation | None = None

    @property
    def label(self) -> str:
        return str(LABELS[self.kind])


def _recorded(row: AuditEntry) -> Step:
    new = row.new if isinstance(row.new, dict) else {}
    # The demo writes its cases' rows with the columns' names (taken_by_id).
    taken_by = new.get("taken_by", new.get("taken_by_id"))
    return Step(row.at, RECORDED, by_id=new.get("recorded_by_organisation"), to_id=taken_by)


def _step(row: AuditEntry, steps: list[Step]) -> None:
    """Turn one audit row into a step, or add it to the step before; other rows say nothing
    a reader of the case needs (returned_by repeats the partner, a topic is not changed)."""
    if row.action == AuditEntry.Action.CREATE:
        steps.append(_recorded(row))
    elif row.field == "taken_by" and row.new is None:
        steps.append(Step(row.at, RETURNED, by_id=row.old))
    elif row.field == "taken_by":
        steps.append(Step(row.at, SENT, to_id=row.new))
    elif row.field == "state" and row.new == DeskCase.State.CLOSED:
        steps.append(Step(row.at, CLOSED))
    elif row.field in TEXT_OF and steps and steps[-1].kind == TEXT_OF[row.field]:
        steps[-1].text = str(row.new or "")


def case_history(case: DeskCase) -> list[Step]:
    """The case's steps, oldest first, with their organisations (two queries)."""
    rows = (
        AuditEntry.objects.filter(object_type="citizens.deskcase", object_id=str(case.pk))
        .exclude(action=AuditEntry.Action.READ)
        .order_by("pk")
    )
    steps: list[Step] = []
    for row in rows:
        _step(row, steps)
    ids = {pk for step in steps for pk in (step.by_id, step.to_id) if isinstance(pk, int)}
    organisations = Organisation.objects.in_bulk(ids)
    for step in steps:
        step.by = organisations.get(step.by_id) if step.by_id else None
        step.to = organisations.get(step.to_id) if step.to_id else None
    return steps
