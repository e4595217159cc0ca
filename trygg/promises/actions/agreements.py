"""Writing the samverkansöverenskommelse: the agreement with its parties, and Brå's steps."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from trygg.core.audit import record_changes, record_created
from trygg.organisations.models import Organisation
from trygg.organisations.shards import children
from trygg.places.models import Municipality
from trygg.promises.access import check_may_edit, check_may_set_up
from trygg.promises.models import (
    STEP_ORDER,
    Agreement,
    AgreementParty,
    FollowUpInterval,
    PartyRole,
    ProcessStep,
)


@dataclass(frozen=True)
class PartyInput:
    organisation: Organisation
    role: str
    adopted_by: str
    decided_on: dt.date


def check_period(start: dt.date | None, end: dt.date | None, errors: dict, field: str = "end"):
    if start and end and end < start:
        errors.setdefault(field, []).append(_("Slutdatum kan inte ligga före startdatum."))


@transaction.atomic
def create_agreement(
    municipality: Municipality,
    *,
    title: str,
    start: dt.date,
    end: dt.date,
    parties: list[PartyInput],
    follow_up_interval: str = FollowUpInterval.TERTIAL,
    acting_user,
) -> Agreement:
    """The agreement, its parties and one open row per step of the process."""
    check_may_set_up(acting_user, municipality.pk)
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = [_("Ge överenskommelsen en benämning.")]
    check_period(start, end, errors)
    if follow_up_interval not in FollowUpInterval.values:
        errors["follow_up_interval"] = [_("Välj hur ofta löftet följs upp.")]
    errors.update(_party_errors(municipality, parties))
    if errors:
        raise ValidationError(errors)
    agreement = Agreement.objects.create(
        municipality=municipality,
        title=title.strip(),
        start=start,
        end=end,
        follow_up_interval=follow_up_interval,
        created_by=acting_user,
    )
    for party in parties:
        AgreementParty.objects.create(
            agreement=agreement,
            organisation=party.organisation,
            role=party.role,
            adopted_by=party.adopted_by.strip(),
            decided_on=party.decided_on,
        )
    ProcessStep.objects.bulk_create(ProcessStep(agreement=agreement, step=s) for s in STEP_ORDER)
    record_created(acting_user, agreement, ["title", "start", "end", "follow_up_interval"])
    return agreement


def _party_errors(municipality: Municipality, parties: list[PartyInput]) -> dict[str, list[str]]:
    """The municipality and the local police area must both be there; nobody twice; each
    with the body that adopted the agreement and the date."""
    problems: list[str] = []
    roles = {party.role for party in parties}
    if PartyRole.MUNICIPALITY not in roles or PartyRole.POLICE not in roles:
        problems.append(_("Både kommunen och lokalpolisområdet ska vara parter."))
    seen: set[int] = set()
    for party in parties:
        name = party.organisation.name
        if party.role not in PartyRole.values:
            problems.append(_("Okänd roll för %(name)s.") % {"name": name})
        if party.organisation.municipality_id != municipality.pk:
            problems.append(_("%(name)s hör inte till kommunen.") % {"name": name})
        if party.organisation.pk in seen:
            problems.append(_("%(name)s står med två gånger.") % {"name": name})
        if not party.adopted_by.strip():
            problems.append(_("Ange vilket organ som beslutade för %(name)s.") % {"name": name})
        if party.role == PartyRole.POLICE and not party.organisation.is_police:
            problems.append(_("%(name)s är inte en polisorganisation.") % {"name": name})
        seen.add(party.organisation.pk)
    return {"parties": problems} if problems else {}


@transaction.atomic
def mark_step(
    agreement: Agreement, step: str, *, done_on: dt.date | None, note: str = "", acting_user
) -> ProcessStep:
    """Tick a step of the process off (with its date), or open it again (done_on None)."""
    check_may_edit(acting_user, agreement)
    row = children(agreement, "steps").filter(step=step).order_by("pk").first()
    if row is None:
        raise ValidationError({"step": _("Okänt steg i processen.")})
    old = {"done_on": row.done_on, "note": row.note}
    row.done_on, row.note = done_on, note.strip()
    row.save()
    record_changes(acting_user, row, changed(row, old))
    return row


def changed(obj, old: dict) -> dict:
    """(old, new) for the fields in `old` whose saved value differs: the new value is read
    after the save, so a scrubbed text is audited as stored."""
    return {
        name: (value, getattr(obj, name))
        for name, value in old.items()
        if getattr(obj, name) != value
    }
