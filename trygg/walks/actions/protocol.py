"""Sending the walk's protocol, and the revised protocol after the follow-up meeting.

Each send keeps a `ProtocolVersion` (number n+1) with the protocol's data as it was, so every
earlier version stays readable, and queues one `WalkNotice` per responsible organisation for
the worker (`walks.notices`), keyed by the version: a second queueing of the same version adds
nothing, and the worker sends each row once.

Who hears about a revision: an organisation is mailed the new version only if something of its
own changed since the version before: a finding routed to it or away from it, a finding's
text, category or place, or an answer on one of its findings (its own answers included, so it
gets the protocol in which its commitments are written down). An organisation whose findings
read exactly as before gets no second copy of the same list, and one left with no findings
gets none (there is nothing for it to answer; its re-routed findings went to someone else,
who is told)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from trygg.core.audit import record_changes, record_created
from trygg.core.fields import free_text
from trygg.organisations.access import access_for
from trygg.walks.actions.review import unconfirmed
from trygg.walks.in_municipality import children
from trygg.walks.models import ProtocolVersion, Walk, WalkNotice
from trygg.walks.protocol import findings_by_organisation, protocol_data


def check_may_send(walk: Walk, user) -> None:
    if not access_for(user).can_coordinate(walk.municipality_id):
        raise PermissionDenied(_("Bara samordnare i kommunen kan skicka protokollet."))


@transaction.atomic
def send_protocol(walk: Walk, *, acting_user, note: str = "") -> ProtocolVersion:
    """Keep the protocol as it stands as a new version and queue its e-mails. Refused while a
    finding waits for a confirmed responsible organisation (nothing is routed unseen)."""
    check_may_send(walk, acting_user)
    # One sender at a time: two clicks must not both become version n+1.
    walk = Walk.objects.select_for_update().get(pk=walk.pk, municipality_id=walk.municipality_id)
    _check_ready(walk)
    text = free_text(note, ProtocolVersion._meta.get_field("note")).text
    previous = children(walk, "protocols").order_by("-number").first()
    data = protocol_data(walk)
    version = ProtocolVersion.objects.create(
        walk=walk,
        number=previous.number + 1 if previous else 1,
        data=data,
        note=text,
        created_by=acting_user,
        created_at=timezone.now(),
    )
    record_created(acting_user, version, ["walk_id", "number", "note"])
    _move_status(walk, acting_user)
    _queue_notices(walk, version, previous)
    return version


@transaction.atomic
def revise_protocol(walk: Walk, *, acting_user, note: str) -> ProtocolVersion:
    """A revised protocol (after the follow-up meeting, with the managers' answers): a new
    version with a note of what changed; the earlier ones stay as they were."""
    check_may_send(walk, acting_user)
    if not children(walk, "protocols").exists():
        raise ValidationError({"note": _("Protokollet har inte skickats än: skicka det först.")})
    if not free_text(note).text:
        raise ValidationError({"note": _("Skriv vad som har ändrats sedan förra versionen.")})
    return send_protocol(walk, acting_user=acting_user, note=note)


def _check_ready(walk: Walk) -> None:
    if walk.walk_at > timezone.now():
        raise ValidationError({"walk": _("Vandringen har inte genomförts än.")})
    waiting = list(unconfirmed(walk).order_by("number").values_list("number", flat=True))
    if waiting:
        numbers = ", ".join(str(n) for n in waiting)
        raise ValidationError(
            {
                "responsible": ngettext(
                    "Bekräfta vem som ansvarar för iakttagelse %(numbers)s innan protokollet "
                    "skickas.",
                    "Bekräfta vem som ansvarar för iakttagelserna %(numbers)s innan protokollet "
                    "skickas.",
                    len(waiting),
                )
                % {"numbers": numbers}
            }
        )


def _move_status(walk: Walk, acting_user) -> None:
    """Sent; followed up once the follow-up meeting has been held."""
    held = walk.followup_at is not None and walk.followup_at <= timezone.now()
    status = Walk.Status.FOLLOWED_UP if held and children(walk, "protocols").count() > 1 else None
    status = status or Walk.Status.PROTOCOL_SENT
    if walk.status == status:
        return
    old = walk.status
    walk.status = status
    walk.save(update_fields=["status", "updated_at"])
    record_changes(acting_user, walk, {"status": (old, status)})


def _queue_notices(walk: Walk, version: ProtocolVersion, previous: ProtocolVersion | None):
    now = findings_by_organisation(version.data)
    before = findings_by_organisation(previous.data) if previous else {}
    told = [
        organisation_id
        for organisation_id, findings in now.items()
        if previous is None or fingerprint(findings) != fingerprint(before.get(organisation_id))
    ]
    # ignore_conflicts: the unique (walk, kind, organisation, key) keeps it to one row each.
    WalkNotice.objects.bulk_create(
        [
            WalkNotice(
                walk=walk,
                kind=WalkNotice.Kind.PROTOCOL,
                organisation_id=organisation_id,
                key=f"v{version.number}",
            )
            for organisation_id in sorted(told)
        ],
        ignore_conflicts=True,
    )


def fingerprint(findings: list[dict] | None) -> list[tuple]:
    """What an organisation reads about its own findings in a version (not the moderation of
    photos or a measure's later progress: those are not news to it)."""
    rows = []
    for f in findings or []:
        answer = f["answer"] or {}
        rows.append(
            (
                f["number"],
                f["category"],
                f["note"],
                f["place"],
                answer.get("kind", ""),
                answer.get("text", ""),
                answer.get("due", ""),
            )
        )
    return sorted(rows)
