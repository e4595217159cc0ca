"""The citizen dialogues API: the dialogues, one with its counts and quotes, and a period's
summary beside the events (the same plain data as the summary page, `dialogue_summary.py`).

Read-only: dialogues are written on the pages. A dialogue is visible to the staff of its
municipality's organisations and of the organisations present (404 for anyone else, as for
events); the summary to the staff of the municipality. Nothing names a person: the quotes are
scrubbed and say nothing of who said them, and who entered a dialogue is not shown.
"""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from trygg.citizens.actions import dialogues as dialogue_actions
from trygg.citizens.actions.dialogues import visible_dialogues
from trygg.citizens.dialogue_summary import summarise
from trygg.citizens.models import Dialogue
from trygg.core.api_errors import FieldErrorsOut, MessageOut
from trygg.core.resolve import Resolver
from trygg.measures.schemas import NamedRef, OrganisationRef, named, organisation_ref
from trygg.organisations.access import access_for
from trygg.organisations.shards import own_first_or_404, prefetch_links
from trygg.places.lookups import MUNICIPALITY

router = Router(tags=["medborgardialoger"])

ERRORS = {401: MessageOut, 403: MessageOut, 422: FieldErrorsOut}
NOT_FOUND = {404: MessageOut}


# --- shapes ----------------------------------------------------------------------------------


class DialogueFilters(Schema):
    municipality: str | None = Field(None, description="Kommunkod, t.ex. 1780.")
    start: dt.date | None = Field(None, description="Första dagen (ÅÅÅÅ-MM-DD), ingår.")
    end: dt.date | None = Field(None, description="Sista dagen (ÅÅÅÅ-MM-DD), ingår.")
    limit: int = Field(100, ge=1, le=1000)
    offset: int = Field(0, ge=0)


class DialogueOut(Schema):
    id: int
    municipality: str = Field(..., description="Kommunkod.")
    held_on: dt.date
    place: NamedRef | None = Field(None, description="En av kommunens platser, om den är känd.")
    place_name: str = Field(..., description="Platsens namn när den inte är en känd plats.")
    area: NamedRef | None
    organisations: list[OrganisationRef] = Field(..., description="På plats.")
    visitors: int | None = Field(None, description="Antal besökare, om någon räknade.")


class DialogueListOut(Schema):
    count: int
    items: list[DialogueOut]


class MentionOut(Schema):
    theme: str
    theme_label: str
    area: NamedRef | None = Field(None, description="null: kommunen i stort.")
    count: int = Field(..., description="Hur många som tog upp temat om området.")


class QuoteOut(Schema):
    id: int
    theme: str
    area: NamedRef | None
    text: str


class DialogueDetailOut(DialogueOut):
    mentions: list[MentionOut]
    quotes: list[QuoteOut]


class SummaryFilters(Schema):
    municipality: str = Field(..., description="Kommunkod, t.ex. 1780.")
    start: dt.date = Field(..., description="Första dagen (ÅÅÅÅ-MM-DD), ingår.")
    end: dt.date = Field(..., description="Sista dagen (ÅÅÅÅ-MM-DD), ingår.")


class AreaColumnOut(Schema):
    key: str = Field(..., description="Områdets id, eller 'hela' för kommunen i stort.")
    name: str


class SummaryQuoteOut(Schema):
    text: str
    area: str
    held_on: str
    dialogue: int


class SummaryThemeOut(Schema):
    theme: str
    label: str
    rank: int | None = Field(None, description="1 = oftast upptaget; null: inte upptaget.")
    mentions: int = Field(..., description="Antal gånger temat togs upp (det folk sa).")
    mentions_by_area: dict[str, int]
    compared: bool = Field(..., description="false: temat jämförs inte med händelser.")
    categories: list[str] = Field(..., description="Kategorikoder temat jämförs med.")
    events: int | None = Field(
        None, description="Synliga, räknade händelser i temats kategorier i dialogernas områden."
    )
    events_by_area: dict[str, int] | None
    quotes: list[SummaryQuoteOut]


class SummaryDialogueOut(Schema):
    id: int
    held_on: str
    place: str
    area: str
    organisations: list[str]
    visitors: int | None


class SummaryMunicipalityOut(Schema):
    code: str
    name: str


class SummaryOut(Schema):
    municipality: SummaryMunicipalityOut
    start: str
    end: str
    dialogues: list[SummaryDialogueOut]
    visitors: int
    visitors_counted: int = Field(..., description="Dialoger där besökarna räknades.")
    areas: list[AreaColumnOut]
    mentions_total: int
    themes: list[SummaryThemeOut]
    ranking: list[str] = Field(..., description="De upptagna temana, oftast först.")


def dialogue_item(dialogue: Dialogue) -> dict:
    """One dialogue, its organisations present read with `prefetch_links` (those of a page at
    once, the link rows naming the municipalities)."""
    if "organisations" not in getattr(dialogue, "_prefetched_objects_cache", {}):
        prefetch_links([dialogue], "organisations")
    return {
        "id": dialogue.pk,
        "municipality": dialogue.municipality.code,
        "held_on": dialogue.held_on,
        "place": named(dialogue.place),
        "place_name": dialogue.place_name,
        "area": named(dialogue.area),
        "organisations": [organisation_ref(org) for org in dialogue.organisations.all()],
        "visitors": dialogue.visitors,
    }


def dialogue_detail(dialogue: Dialogue) -> dict:
    mentions = dialogue_actions.mentions_of(dialogue).select_related("area").defer("area__geometry")
    quotes = dialogue_actions.quotes_of(dialogue).select_related("area").defer("area__geometry")
    return dialogue_item(dialogue) | {
        "mentions": [
            {
                "theme": m.theme,
                "theme_label": m.get_theme_display(),
                "area": named(m.area),
                "count": m.count,
            }
            for m in mentions
        ],
        "quotes": [
            {"id": q.pk, "theme": q.theme, "area": named(q.area), "text": q.text} for q in quotes
        ],
    }


def _dialogues(user):
    return (
        visible_dialogues(user)
        .select_related("municipality", "place", "area")
        .defer("municipality__geometry", "area__geometry")
    )


# --- endpoints -------------------------------------------------------------------------------


@router.get(
    "/dialogues",
    response={200: DialogueListOut, **ERRORS},
    summary="Medborgardialoger du får se",
    description="Dialoger i kommunerna där du arbetar och de din organisation var med på, "
    "senaste först.",
)
def list_dialogues(request, filters: Query[DialogueFilters]):
    dialogues = _dialogues(request.auth)
    lookups = Resolver()
    if filters.municipality is not None:
        municipality = lookups.get(MUNICIPALITY, filters.municipality, "municipality")
        dialogues = dialogues.filter(municipality=municipality)
    if filters.start and filters.end and filters.start > filters.end:
        lookups.fail("end", _("Perioden måste börja före den slutar."))
    lookups.check()
    if filters.start:
        dialogues = dialogues.filter(held_on__gte=filters.start)
    if filters.end:
        dialogues = dialogues.filter(held_on__lte=filters.end)
    dialogues = dialogues.order_by("-held_on", "-pk")
    page = prefetch_links(
        list(dialogues[filters.offset : filters.offset + filters.limit]), "organisations"
    )
    return {"count": dialogues.count(), "items": [dialogue_item(d) for d in page]}


@router.get(
    "/dialogues/summary",
    response={200: SummaryOut, **NOT_FOUND, **ERRORS},
    summary="En periods dialoger bredvid händelserna",
    description="Per tema: hur många som tog upp det (totalt och per område) bredvid de "
    "händelser du får se i temats kategorier i samma områden och period, citaten och temana i "
    "ordning efter hur ofta de togs upp. Det folk sa, inte ett urval: en jämförelse av oro, "
    "ingen statistik.",
)
def dialogue_summary(request, filters: Query[SummaryFilters]):
    lookups = Resolver()
    municipality = lookups.get(MUNICIPALITY, filters.municipality, "municipality")
    if filters.start > filters.end:
        lookups.fail("end", _("Perioden måste börja före den slutar."))
    lookups.check()
    if not access_for(request.auth).can_view(municipality.pk):
        raise Http404
    return summarise(municipality, filters.start, filters.end, request.auth)


@router.get(
    "/dialogues/{dialogue_id}",
    response={200: DialogueDetailOut, **NOT_FOUND, **ERRORS},
    summary="En medborgardialog",
    description="Dag, plats, område, organisationer på plats, antal per tema och område, och "
    "citaten (aldrig vem som sa vad).",
)
def get_dialogue(request, dialogue_id: int):
    dialogue = own_first_or_404(request.auth, _dialogues(request.auth), pk=dialogue_id)
    return dialogue_detail(dialogue)
