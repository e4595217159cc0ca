"""Recording citizen dialogues (issue 12, point 7): the dialogue itself (day, place, area, who
was there), what people raised as counts per theme and area, and a few short quotes.

Who may: the municipality's coordinators, and the reporters and coordinators of the
organisations present (the community police officer who stood in the mobile police office
records it the same evening). Present may be any organisation of the municipality and any
police organisation: a lokalpolisområde is registered in one municipality but often serves
its neighbours too.

Every action checks everything before writing, writes in one transaction and leaves audit
rows. A quote's text is never copied into the audit log: a quote removed because it said too
much must be gone (FixMyStreet #2338), so the log says that a quote was added or removed, not
what it said."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trygg.citizens.models import (
    QUOTE_MAX_LENGTH,
    Dialogue,
    DialogueMention,
    DialogueOrganisation,
    DialogueQuote,
    Theme,
)
from trygg.core.audit import record, record_changes, record_created
from trygg.core.fields import free_text
from trygg.core.models import AuditEntry
from trygg.organisations.access import access_for
from trygg.organisations.models import Organisation
from trygg.organisations.shards import set_links
from trygg.places.models import Area, Municipality, Place

# More than a day at the mobile police office ever brings; anything above is a typing error.
MAX_COUNT = 9999
PLACE_NAME_MAX_LENGTH = 120

NOT_ALLOWED = gettext_lazy(
    "Bara kommunens samordnare och de organisationer som var på plats kan föra in en "
    "medborgardialog."
)

DIALOGUE_FIELDS = ("held_on", "place", "place_name", "area", "visitors")


@dataclass(frozen=True)
class MentionRow:
    """How many raised `theme` about `area` (None: the municipality as a whole)."""

    theme: str
    area: Area | None
    count: int


# --- who may ---------------------------------------------------------------------------------


def may_record(user, municipality_id: int, organisation_ids: Iterable[int]) -> bool:
    """A coordinator of the municipality, or a reporter or coordinator of an organisation
    present."""
    access = access_for(user)
    if access.can_coordinate(municipality_id):
        return True
    writers = set(access.reporting_organisation_ids())
    return any(pk in writers for pk in organisation_ids)


# --- a dialogue's rows ------------------------------------------------------------------------
# Each names the dialogue's municipality as well as the dialogue, so that Citus sends it to
# the one shard the dialogue lies on (a reverse relation names only the dialogue).


def mentions_of(dialogue: Dialogue):
    return DialogueMention.objects.filter(
        municipality_id=dialogue.municipality_id, dialogue=dialogue
    )


def quotes_of(dialogue: Dialogue):
    return DialogueQuote.objects.filter(municipality_id=dialogue.municipality_id, dialogue=dialogue)


def _present_links(dialogue: Dialogue):
    return DialogueOrganisation.objects.filter(
        municipality_id=dialogue.municipality_id, dialogue=dialogue
    )


def present_ids(dialogue: Dialogue) -> list[int]:
    """The organisations present, by id, from the link rows alone."""
    return list(_present_links(dialogue).values_list("organisation_id", flat=True))


def present_organisations(dialogue: Dialogue):
    """The organisations present, by name (the link rows, then the reference table)."""
    return Organisation.objects.filter(pk__in=present_ids(dialogue))


def may_edit(user, dialogue: Dialogue) -> bool:
    present = present_ids(dialogue)
    return may_record(user, dialogue.municipality_id, present)


def check_may_edit(user, dialogue: Dialogue) -> None:
    if not may_edit(user, dialogue):
        raise PermissionDenied(NOT_ALLOWED)


def visible_dialogues(user):
    """The dialogues `user` may read: those of the municipalities they work in, and those
    their organisation took part in (wherever they were)."""
    access = access_for(user)
    if access.is_superuser:
        return Dialogue.objects.all()
    if not access.is_authenticated:
        return Dialogue.objects.none()
    # The link rows are read in a query of their own (one table) rather than joined: sharded
    # by municipality (Citus), a join of the dialogues to their link rows on the dialogue alone
    # is refused. Naming the municipalities of those dialogues too keeps the dialogues' query
    # to the shards of those municipalities.
    present = DialogueOrganisation.objects.filter(organisation_id__in=list(access.organisation_ids))
    present_at = set(present.order_by().values_list("municipality_id", "dialogue_id"))
    municipality_ids = set(access.municipality_ids) | {m for m, _ in present_at}
    return Dialogue.objects.filter(municipality_id__in=municipality_ids).filter(
        Q(municipality_id__in=access.municipality_ids)
        | Q(pk__in={dialogue_id for _, dialogue_id in present_at})
    )


def visible_in(user, municipality_id: int):
    """`visible_dialogues` of one municipality: every query names it (the link rows too), so
    that Citus sends it to that municipality's shard."""
    access = access_for(user)
    dialogues = Dialogue.objects.filter(municipality_id=municipality_id)
    if access.is_superuser or municipality_id in access.municipality_ids:
        return dialogues
    if not access.is_authenticated:
        return Dialogue.objects.none()
    present = DialogueOrganisation.objects.filter(
        municipality_id=municipality_id, organisation_id__in=list(access.organisation_ids)
    ).values("dialogue_id")
    return dialogues.filter(pk__in=present)


def present_choices(municipality: Municipality):
    """The organisations that may be marked present: the municipality's and every police
    organisation."""
    return Organisation.objects.filter(
        Q(municipality=municipality) | Q(kind=Organisation.Kind.POLICE)
    ).order_by("name")


# --- the dialogue ----------------------------------------------------------------------------


@transaction.atomic
def record_dialogue(
    municipality: Municipality,
    *,
    acting_user,
    held_on: dt.date | None,
    organisations: Iterable[Organisation],
    place: Place | None = None,
    place_name: str = "",
    area: Area | None = None,
    visitors: int | None = None,
) -> Dialogue:
    """A dialogue held in `municipality`; mentions and quotes are added on its own page."""
    chosen = list(organisations)
    if not may_record(acting_user, municipality.pk, [org.pk for org in chosen]):
        raise PermissionDenied(NOT_ALLOWED)
    dialogue = Dialogue(municipality=municipality, created_by=acting_user)
    values = _checked(dialogue, held_on, place, place_name, area, visitors, chosen)
    for name, value in values.items():
        setattr(dialogue, name, value)
    dialogue.save()
    set_links(dialogue, "organisations", chosen)
    record_created(
        acting_user, dialogue, ["municipality_id", "held_on", "place_id", "area_id", "visitors"]
    )
    record(
        acting_user,
        dialogue,
        AuditEntry.Action.UPDATE,
        "organisations",
        None,
        _org_list(chosen),
    )
    return dialogue


@transaction.atomic
def update_dialogue(
    dialogue: Dialogue,
    *,
    acting_user,
    held_on: dt.date | None,
    organisations: Iterable[Organisation],
    place: Place | None = None,
    place_name: str = "",
    area: Area | None = None,
    visitors: int | None = None,
) -> Dialogue:
    """Change the dialogue's facts. Who may is decided before the change: a reporter cannot
    take their organisation off a dialogue and so lock out the others."""
    check_may_edit(acting_user, dialogue)
    chosen = list(organisations)
    values = _checked(dialogue, held_on, place, place_name, area, visitors, chosen)
    changes = {name: (getattr(dialogue, name), value) for name, value in values.items()}
    changes = {name: pair for name, pair in changes.items() if pair[0] != pair[1]}
    for name, (_old, value) in changes.items():
        setattr(dialogue, name, value)
    if changes:
        dialogue.save(update_fields=list(changes))
        record_changes(acting_user, dialogue, changes)
    before = list(present_organisations(dialogue))
    if {org.pk for org in before} != {org.pk for org in chosen}:
        set_links(dialogue, "organisations", chosen)
        record_changes(
            acting_user, dialogue, {"organisations": (_org_list(before), _org_list(chosen))}
        )
    return dialogue


@transaction.atomic
def delete_dialogue(dialogue: Dialogue, *, acting_user) -> None:
    """The dialogue with its mentions and quotes; the audit row keeps when and where."""
    check_may_edit(acting_user, dialogue)
    record(
        acting_user,
        dialogue,
        AuditEntry.Action.DELETE,
        "",
        f"{dialogue.municipality_id} {dialogue.held_on:%Y-%m-%d}",
        None,
    )
    dialogue.delete()


def _org_list(organisations: Iterable[Organisation]) -> str:
    return ",".join(sorted(org.code for org in organisations))


def _checked(
    dialogue: Dialogue,
    held_on: dt.date | None,
    place: Place | None,
    place_name: str,
    area: Area | None,
    visitors: int | None,
    organisations: list[Organisation],
) -> dict:
    """The fields to store, or a ValidationError naming every field that is wrong."""
    municipality_id = dialogue.municipality_id
    name = free_text(place_name).text
    errors: dict[str, str] = {}
    if held_on is None:
        errors["held_on"] = _("Ange vilken dag dialogen hölls.")
    elif held_on > timezone.localdate():
        errors["held_on"] = _("En dialog förs in när den har hållits: dagen kan inte ligga framåt.")
    if place is not None and place.municipality_id != municipality_id:
        errors["place"] = _("Välj en av kommunens platser.")
    if place is None and not name:
        errors["place_name"] = _("Välj en plats eller skriv platsens namn.")
    if len(name) > PLACE_NAME_MAX_LENGTH:
        errors["place_name"] = _("Platsens namn får vara högst %(n)s tecken.") % {
            "n": PLACE_NAME_MAX_LENGTH
        }
    area_error = _area_error(area, municipality_id, unchanged=area == dialogue.area)
    if area_error:
        errors["area"] = area_error
    if visitors is not None and not 0 <= visitors <= MAX_COUNT:
        errors["visitors"] = _("Ange ett heltal från 0 till %(max)s.") % {"max": MAX_COUNT}
    organisation_error = _organisation_error(organisations, municipality_id)
    if organisation_error:
        errors["organisations"] = organisation_error
    if errors:
        raise ValidationError(errors)
    return {
        "held_on": held_on,
        "place": place,
        "place_name": name,
        "area": area,
        "visitors": visitors,
    }


def _area_error(area: Area | None, municipality_id: int, *, unchanged: bool = False) -> str:
    """An area must be one of the municipality's, and current unless it was already chosen
    (a border redrawn since does not make an old dialogue invalid)."""
    if area is None:
        return ""
    if area.municipality_id != municipality_id or (area.valid_to is not None and not unchanged):
        return _("Välj ett av kommunens nuvarande områden.")
    return ""


def _organisation_error(organisations: list[Organisation], municipality_id: int) -> str:
    if not organisations:
        return _("Ange minst en organisation som var på plats.")
    for org in organisations:
        if org.municipality_id != municipality_id and org.kind != Organisation.Kind.POLICE:
            return _("Bara kommunens organisationer och polisen kan anges som på plats.")
    return ""


# --- what people raised ----------------------------------------------------------------------


@transaction.atomic
def set_mentions(dialogue: Dialogue, rows: Iterable[MentionRow], *, acting_user) -> Dialogue:
    """Replace all of the dialogue's theme × area counts with `rows` in one go. Rows for the
    same theme and area are added together: the table keeps one row per theme and area."""
    check_may_edit(acting_user, dialogue)
    merged: Counter[tuple[str, int | None]] = Counter()
    used = _used_area_ids(dialogue)
    errors: dict[str, str] = {}
    for row in rows:
        if row.theme not in Theme.values:
            errors["theme"] = _("Okänt tema: %(theme)s.") % {"theme": row.theme}
        area_error = _mention_area_error(row.area, dialogue, used)
        if area_error:
            errors["area"] = area_error
        if not isinstance(row.count, int) or not 1 <= row.count <= MAX_COUNT:
            errors["count"] = _("Ett antal är ett heltal från 1 till %(max)s.") % {"max": MAX_COUNT}
            continue
        merged[(row.theme, row.area.pk if row.area else None)] += row.count
    if any(n > MAX_COUNT for n in merged.values()):
        errors["count"] = _("Ett antal är ett heltal från 1 till %(max)s.") % {"max": MAX_COUNT}
    if errors:
        raise ValidationError(errors)
    before = _mention_text(mentions_of(dialogue).values_list("theme", "area_id", "count"))
    after = _mention_text((theme, area, n) for (theme, area), n in merged.items())
    if before == after:
        return dialogue
    mentions_of(dialogue).delete()
    DialogueMention.objects.bulk_create(
        DialogueMention(dialogue=dialogue, theme=theme, area_id=area, count=n)
        for (theme, area), n in sorted(merged.items(), key=_mention_order)
    )
    record_changes(acting_user, dialogue, {"mentions": (before, after)})
    return dialogue


def _mention_order(item) -> tuple:
    (theme, area), _n = item
    return (theme, area is not None, area or 0)


def _used_area_ids(dialogue: Dialogue) -> set[int | None]:
    """The areas the dialogue already names: still accepted after a border was redrawn."""
    mentioned = mentions_of(dialogue).values_list("area_id", flat=True)
    quoted = quotes_of(dialogue).values_list("area_id", flat=True)
    return {dialogue.area_id, *mentioned, *quoted}


def _mention_area_error(area: Area | None, dialogue: Dialogue, used: set[int | None]) -> str:
    """Any current area of the municipality, or one the dialogue already names."""
    if area is None:
        return ""
    return _area_error(area, dialogue.municipality_id, unchanged=area.pk in used)


def _mention_text(rows: Iterable[tuple[str, int | None, int]]) -> str:
    """The counts as one line for the audit log: "theme/area=n", no area as "-"."""
    return "; ".join(
        sorted(f"{theme}/{area if area is not None else '-'}={n}" for theme, area, n in rows)
    )


# --- quotes ----------------------------------------------------------------------------------


@transaction.atomic
def add_quote(
    dialogue: Dialogue, *, theme: str, text: str, area: Area | None = None, acting_user
) -> DialogueQuote:
    """A short quote, scrubbed of personal numbers, phones, e-mails and registrations."""
    check_may_edit(acting_user, dialogue)
    scrubbed = free_text(text)
    errors: dict[str, str] = {}
    if theme not in Theme.values:
        errors["theme"] = _("Välj ett tema.")
    area_error = _mention_area_error(area, dialogue, _used_area_ids(dialogue))
    if area_error:
        errors["area"] = area_error
    if not scrubbed.text:
        errors["text"] = _("Skriv citatet.")
    elif len(scrubbed.text) > QUOTE_MAX_LENGTH:
        errors["text"] = _("Ett citat får vara högst %(n)s tecken.") % {"n": QUOTE_MAX_LENGTH}
    if errors:
        raise ValidationError(errors)
    quote = DialogueQuote.objects.create(
        dialogue=dialogue, theme=theme, area=area, text=scrubbed.text
    )
    # What the quote is about and whether the scrubber removed something; never its words.
    record_created(acting_user, quote, ["dialogue_id", "theme", "area_id"])
    if scrubbed.was_scrubbed:
        record(acting_user, quote, AuditEntry.Action.UPDATE, "text", None, "uppgifter borttagna")
    quote.was_scrubbed = scrubbed.was_scrubbed  # type: ignore[attr-defined]
    return quote


@transaction.atomic
def remove_quote(quote: DialogueQuote, *, acting_user) -> None:
    """The quote is gone, from the audit log too: the row says a quote was removed."""
    check_may_edit(acting_user, quote.dialogue)
    record(acting_user, quote, AuditEntry.Action.DELETE, "dialogue", quote.dialogue_id, None)
    quote.delete()
