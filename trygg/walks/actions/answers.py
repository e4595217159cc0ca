"""A responsible organisation's answer to one of its findings (issue 11, item 5).

* will act: what and by when; opens a measure owned by the organisation, linked to the
  finding's event, place, area and category, so it is followed up like every other measure;
* already planned: optionally what and when;
* will not act: the reason is required;
* not ours: the reason is required, and the finding goes back to the coordinator (its
  responsible organisation is cleared) to be routed again from the review page.

An answer may be changed until the follow-up meeting begins; after that the meeting has
heard it, and changes go through the coordinator. Every check is made before anything is
written."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trygg.core.audit import record_changes, record_created
from trygg.core.fields import free_text
from trygg.measures.actions.measures import comment_on_measure, create_measure
from trygg.measures.models import Measure, Status
from trygg.organisations.access import WRITE_ROLES, access_for
from trygg.organisations.models import Organisation
from trygg.organisations.shards import parent
from trygg.walks.actions.review import routed
from trygg.walks.in_municipality import children, walk_findings
from trygg.walks.models import Answer, Finding

Kind = Answer.Kind
NEEDS_REASON = {
    Kind.WILL_NOT_ACT: gettext_lazy("Skriv varför ni inte kommer att åtgärda det."),
    Kind.NOT_OURS: gettext_lazy("Skriv varför det inte är ert ansvar, gärna vem som har det."),
}


def may_answer_for(user, organisation: Organisation) -> bool:
    """Members of the organisation who may write for it (reporters, coordinators, admins)."""
    access = access_for(user)
    return access.is_superuser or access.roles.get(organisation.pk) in WRITE_ROLES


def findings_to_answer(walk, organisation: Organisation):
    """The walk's findings this organisation answers for: confirmed, once the protocol is out."""
    if not children(walk, "protocols").exists():
        return Finding.objects.none()
    return routed(walk_findings(walk).filter(responsible=organisation))


@transaction.atomic
def answer_finding(
    finding: Finding,
    *,
    acting_user,
    kind: str,
    text: str = "",
    due: dt.date | None = None,
) -> Answer:
    """Store (or change) the responsible organisation's answer to `finding`."""
    organisation = _answering_organisation(finding, acting_user)
    cleaned = free_text(text).text
    _check_answer(finding, organisation, kind, cleaned, due)
    previous = Answer.objects.filter(finding=finding, organisation=organisation).first()
    if previous is None:
        answer = _create(finding, organisation, kind, cleaned, due, acting_user)
    else:
        answer = _change(previous, kind, cleaned, due, acting_user)
    if kind == Kind.NOT_OURS:
        _back_to_coordinator(finding, acting_user)
    return answer


def _answering_organisation(finding: Finding, user) -> Organisation:
    organisation = finding.responsible
    walk = parent(finding, "walk")
    # Among the walk's findings, named with its event in the walk's municipality (Citus).
    confirmed = routed(walk_findings(walk).filter(pk=finding.pk)).exists()
    if organisation is None or not confirmed or not children(walk, "protocols").exists():
        raise PermissionDenied(_("Iakttagelsen har inte skickats till någon organisation."))
    if not may_answer_for(user, organisation):
        raise PermissionDenied(
            _("Bara %(organisation)s kan svara på iakttagelsen.")
            % {"organisation": organisation.name}
        )
    return organisation


def _check_answer(finding, organisation, kind: str, text: str, due) -> None:
    errors: dict[str, str] = {}
    if kind not in Kind.values:
        errors["kind"] = _("Välj ett svar.")
    elif kind in NEEDS_REASON and not text:
        errors["text"] = str(NEEDS_REASON[Kind(kind)])
    elif kind == Kind.WILL_ACT:
        if not text:
            errors["text"] = _("Skriv vad ni kommer att göra.")
        if due is None:
            errors["due"] = _("Skriv när det ska vara klart.")
    if due is not None and due < timezone.localdate(finding.walk.walk_at):
        errors["due"] = _("Datumet ligger före vandringen.")
    followup = finding.walk.followup_at
    answered = Answer.objects.filter(finding=finding, organisation=organisation).exists()
    if answered and followup is not None and timezone.now() >= followup:
        errors["kind"] = _(
            "Uppföljningsmötet har redan hållits: kontakta samordnaren för att ändra svaret."
        )
    if errors:
        raise ValidationError(errors)


def _create(finding, organisation, kind, text, due, user) -> Answer:
    answer = Answer(
        finding=finding,
        organisation=organisation,
        kind=kind,
        text=text,
        due=due,
        answered_by=user,
        answered_at=timezone.now(),
    )
    if kind == Kind.WILL_ACT:
        answer.measure = _open_measure(finding, organisation, text, due, user)
    answer.save()
    record_created(user, answer, ["finding_id", "organisation_id", "kind", "text", "due"])
    return answer


def _change(answer: Answer, kind, text, due, user) -> Answer:
    before = {"kind": answer.kind, "text": answer.text, "due": answer.due}
    after = {"kind": kind, "text": text, "due": due}
    if before == after:
        return answer
    answer.kind, answer.text, answer.due = kind, text, due
    answer.answered_by = user
    answer.answered_at = timezone.now()
    measure = answer.measure
    if kind == Kind.WILL_ACT and measure is None:
        answer.measure = _open_measure(answer.finding, answer.organisation, text, due, user)
    elif measure is not None:
        # The measure is an ordinary one now, with its own timeline and owners' rights: the
        # changed answer is written there for all to see rather than rewriting the measure.
        _tell_measure(measure, answer, user)
    answer.save()
    changes = {name: (before[name], after[name]) for name in before}
    record_changes(user, answer, changes | {"measure": (measure, answer.measure)})
    return answer


def _open_measure(finding: Finding, organisation, text: str, due, user) -> Measure:
    """The measure a will-act answer opens, owned by the answering organisation.

    Its status: a manager committing to act on its own ground has decided, so the measure is
    `agreed` whenever the answerer may decide measures (`create_measure` lets coordinators and
    admins do that; an organisation's own coordinator is one). A reporter may not decide for
    the municipality's shared list (`create_measure` refuses anything but a proposal from
    them), so their commitment goes in as `proposed`, already owned and dated: the follow-up
    meeting's agenda shows it, and the coordinator agrees it there with one status change."""
    walk = finding.walk
    event = finding.event
    decides = access_for(user).can_coordinate(walk.municipality_id)
    title = Truncator(" ".join(text.split())).chars(120)
    return create_measure(
        walk.municipality,
        acting_user=user,
        title=f"{event.category.name}: {title}",
        status=Status.AGREED if decides else Status.PROPOSED,
        responsible=organisation,
        events=[event],
        description=_(
            "%(text)s\n\nSvar på iakttagelse %(number)s från trygghetsvandringen "
            "”%(walk)s” %(day)s."
        )
        % {
            "text": text,
            "number": finding.number,
            "walk": walk.title,
            "day": timezone.localdate(walk.walk_at).isoformat(),
        },
        category=event.category,
        place=event.place,
        area=event.area,
        due=due,
    )


def _tell_measure(measure: Measure, answer: Answer, user) -> None:
    text = _("Svaret från trygghetsvandringen ändrades: %(kind)s. %(text)s") % {
        "kind": answer.get_kind_display(),
        "text": answer.text,
    }
    comment_on_measure(measure, text.strip(), acting_user=user)


def _back_to_coordinator(finding: Finding, user) -> None:
    """Not ours: the finding is no longer routed; the coordinator sees it again on the review
    page (with this answer beside it) and routes it to someone else."""
    old = finding.responsible
    finding.responsible = None
    finding.responsible_confirmed_by = None
    finding.responsible_confirmed_at = None
    finding.save(
        update_fields=["responsible", "responsible_confirmed_by", "responsible_confirmed_at"]
    )
    record_changes(user, finding, {"responsible": (old, None)})
