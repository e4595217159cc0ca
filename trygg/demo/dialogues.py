"""The four citizen dialogues of spring 2023 behind Karlstad's medborgarlöfte (issue 12, point 10).

Seed 003 (Karlstads kommun, 30 June 2023): "Under våren besökte lokalpolisområde Karlstad
tillsammans med Karlstads kommun fyra olika delar av kommunen med det mobila poliskontoret och
genomförde medborgardialoger." The promise names three problem areas: violence in public
places, unsafe environments, and drug- and alcohol-related crime. The demo's four stops are
Kronoparken, the city centre (Stora torget in Tingvallastaden), Våxnäs and Rud, between March
and May 2023; what people raised, counted as themes × districts, puts those three on top, and a
few short quotes per dialogue say it in residents' words (never who said it).

Dialogues are written through the dialogues' own actions (`citizens.actions.dialogues`), as
the police's community officer (present at every stop) would enter them. Idempotent: a
dialogue already there (same day and place) is left as it is. The dates are history, not
relative to today.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model

from trygg.citizens.actions import dialogues
from trygg.citizens.actions.dialogues import MentionRow
from trygg.citizens.models import Dialogue, Theme
from trygg.demo import world
from trygg.demo.loader import Counts
from trygg.organisations.models import Organisation
from trygg.places.models import Area, Place

PRESENT = (world.KOMMUNLEDNING, world.POLISEN)
RECORDED_BY = "kommunpolis"
# The medborgarlöfte 2023–2027's problem areas, in its order.
PROMISE_THEMES = (Theme.VIOLENCE, Theme.UNSAFE_PLACES, Theme.DRUGS_ALCOHOL)


@dataclass(frozen=True)
class DialogueSpec:
    held_on: dt.date
    place: str  # slug in world.NAMED_PLACES
    visitors: int
    mentions: tuple[tuple[str, str | None, int], ...]  # theme, district (None: nowhere), count
    quotes: tuple[tuple[str, str | None, str], ...]  # theme, district, text


V, U, D = Theme.VIOLENCE, Theme.UNSAFE_PLACES, Theme.DRUGS_ALCOHOL

# fmt: off
DIALOGUES: tuple[DialogueSpec, ...] = (
    DialogueSpec(
        dt.date(2023, 3, 22), "kronoparken-centrum", 64,
        ((U, "Kronoparken", 12), (D, "Kronoparken", 10), (V, "Kronoparken", 9),
         (Theme.YOUTH, "Kronoparken", 6), (Theme.TRAFFIC, "Kronoparken", 5),
         (Theme.VANDALISM, "Kronoparken", 4), (V, "Tingvallastaden", 3),
         (Theme.THEFT, "Kronoparken", 2)),
        ((U, "Kronoparken", "Jag går inte genom gångtunneln vid centrum när det är mörkt."),
         (D, "Kronoparken", "Man ser att det langas bakom centrum på kvällarna."),
         (V, "Kronoparken", "Det har varit bråk vid busshållplatsen flera helger i rad."),
         (Theme.YOUTH, "Kronoparken", "Fritidsgården borde vara öppen fler kvällar."),
         (Theme.TRAFFIC, "Kronoparken", "Mopederna kör på gångvägarna hela sommaren.")),
    ),
    DialogueSpec(
        dt.date(2023, 4, 13), "stora-torget", 112,
        ((V, "Tingvallastaden", 21), (D, "Tingvallastaden", 14), (U, "Tingvallastaden", 11),
         (Theme.DISORDER, "Tingvallastaden", 9), (Theme.THEFT, None, 4),
         (Theme.OTHER, None, 3)),
        ((V, "Tingvallastaden", "Efter stängningsdags blir det slagsmål på gågatan."),
         (D, "Tingvallastaden", "Det dricks mycket i parken redan på eftermiddagen."),
         (U, "Tingvallastaden", "Resecentrum känns otryggt sent på kvällen."),
         (Theme.DISORDER, "Tingvallastaden",
          "Folk skriker och slår sönder saker på lördagsnätterna."),
         (Theme.OTHER, None, "Fler poliser till fots skulle göra skillnad.")),
    ),
    DialogueSpec(
        dt.date(2023, 4, 26), "vaxnas-centrum", 48,
        ((U, "Våxnäs", 10), (Theme.TRAFFIC, "Våxnäs", 8), (D, "Våxnäs", 6), (V, "Våxnäs", 5),
         (Theme.VANDALISM, "Våxnäs", 5), (V, "Tingvallastaden", 4), (Theme.THEFT, "Våxnäs", 4)),
        ((U, "Våxnäs", "Det är mörkt på cykelvägen mot stan, lamporna sitter för glest."),
         (Theme.TRAFFIC, "Våxnäs", "Bilarna kör alldeles för fort förbi skolan."),
         (D, "Våxnäs", "Ungdomar dricker vid lekplatsen på helgerna."),
         (V, "Tingvallastaden", "Mina barn vågar inte gå hem från stan på natten.")),
    ),
    DialogueSpec(
        dt.date(2023, 5, 17), "rud-centrum", 57,
        ((D, "Rud", 9), (U, "Rud", 8), (Theme.YOUTH, "Rud", 7), (V, "Rud", 6),
         (Theme.VANDALISM, "Rud", 6), (Theme.TRAFFIC, "Rud", 4), (Theme.DISORDER, "Rud", 3)),
        ((D, "Rud", "Alla vet var man köper, det sker öppet vid torget."),
         (Theme.YOUTH, "Rud", "Ungdomarna har ingenstans att ta vägen på kvällarna."),
         (U, "Rud", "Buskarna vid gångvägen är så höga att man inte ser något."),
         (Theme.VANDALISM, "Rud", "Klottret på skolan kommer tillbaka direkt."),
         (V, "Rud", "Det har varit flera hot och bråk här i vinter.")),
    ),
)
# fmt: on


# --- through the dialogues' own actions ----------------------------------------------------


def _record_dialogue(municipality, *, acting_user, held_on, place, organisations, visitors,
                     mentions, quotes) -> Dialogue:  # fmt: skip
    """A dialogue with its counts (one row per theme and district) and quotes, through the
    same actions as the pages: the same checks, scrubbing and history."""
    dialogue = dialogues.record_dialogue(
        municipality,
        acting_user=acting_user,
        held_on=held_on,
        organisations=organisations,
        place=place,
        area=place.area,
        visitors=visitors,
    )
    dialogues.set_mentions(
        dialogue,
        [MentionRow(theme=theme, area=area, count=count) for theme, area, count in mentions],
        acting_user=acting_user,
    )
    for theme, area, text in quotes:
        dialogues.add_quote(dialogue, theme=theme, area=area, text=text, acting_user=acting_user)
    return dialogue


def load_dialogues(municipality) -> Counts:
    counts = Counts()
    districts = {a.name: a for a in Area.objects.current().filter(municipality=municipality)}
    places = {p.external_id: p for p in Place.objects.filter(municipality=municipality)}
    present = list(Organisation.objects.filter(code__in=PRESENT))
    user = get_user_model().objects.filter(username=RECORDED_BY).first()
    for spec in DIALOGUES:
        place = places[f"demo-plats:{spec.place}"]
        held = Dialogue.objects.filter(municipality=municipality, held_on=spec.held_on, place=place)
        counts.add(not held.exists())
        if held.exists():
            continue
        _record_dialogue(
            municipality,
            acting_user=user,
            held_on=spec.held_on,
            place=place,
            organisations=present,
            visitors=spec.visitors,
            mentions=[(t, districts[a] if a else None, n) for t, a, n in spec.mentions],
            quotes=[(t, districts[a] if a else None, text) for t, a, text in spec.quotes],
        )
    return counts
