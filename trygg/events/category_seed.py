"""Seed data for the category tree and the mapping from the police feed's event types.

The checklist part (``is_checklist=True``) is the EST reporting checklist as used by the main
commercial EST tool's public deployments (see the project's DOMAIN.md, "EST in practice"):
skadegörelse, otrygghetsskapande samling av personer, annat otrygghetsskapande eller
ordningsstörande, otrygg plats and arrangemang, plus the additions other municipalities use
(motorburen ordningsstörning, bränder i fordon).

The ``polis`` subtree holds a few groups for police feed types that have no EST category.
``POLICE_TYPE_CATEGORY`` covers all 97 types seen in the polisen.se events feed 2022–2026
(shared/data/polisen_events_2022-2026.json.gz beside the repository); a type the feed gains
later falls back to ``UNKNOWN_POLICE_TYPE_CATEGORY``.

Pure Python on purpose: used from a data migration and from the demo loader, so no Django
model may be imported here.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TypeAlias

# (code, name_sv, name_en, is_checklist, children)
CategoryEntry: TypeAlias = tuple[str, str, str, bool, tuple["CategoryEntry", ...]]


def _est(code: str, sv: str, en: str, *children: CategoryEntry) -> CategoryEntry:
    return (code, sv, en, True, children)


def _police(code: str, sv: str, en: str, *children: CategoryEntry) -> CategoryEntry:
    return (code, sv, en, False, children)


def _own(code: str, sv: str, en: str, *children: CategoryEntry) -> CategoryEntry:
    """A category of Trygg's own, outside the checklist."""
    return (code, sv, en, False, children)


CATEGORY_TREE: tuple[CategoryEntry, ...] = (
    _est(
        "skadegorelse",
        "Skadegörelse",
        "Vandalism",
        _est("skadegorelse.klotter", "Klotter", "Graffiti"),
        _est("skadegorelse.glaskross", "Glaskross", "Smashed glass"),
        _est("skadegorelse.brand", "Brand / anlagd brand", "Fire / arson"),
        _est("skadegorelse.brand_fordon", "Brand i fordon", "Vehicle fire"),
        _est("skadegorelse.annan", "Annan skadegörelse", "Other vandalism"),
    ),
    _est(
        "samling",
        "Otrygghetsskapande samling av personer",
        "Gathering of people causing insecurity",
        _est("samling.trapphus", "I trapphus", "In a stairwell"),
        _est("samling.kallare_vind", "I källare eller på vind", "In a cellar or attic"),
        _est("samling.kopcentrum", "I köpcentrum eller butik", "In a shopping centre or shop"),
        _est("samling.garage", "I garage eller på parkering", "In a garage or car park"),
        _est("samling.utomhus", "Utomhus", "Outdoors"),
    ),
    _est(
        "ordning",
        "Annat otrygghetsskapande eller ordningsstörande",
        "Other disorder or behaviour causing insecurity",
        _est("ordning.brak", "Bråk", "Brawl"),
        _est("ordning.vald", "Våld", "Violence"),
        _est("ordning.inbrott", "Inbrott", "Burglary"),
        _est("ordning.ran", "Rån", "Robbery"),
        _est("ordning.drog", "Misstänkt droghantering", "Suspected drug dealing"),
        _est("ordning.olovligt_boende", "Olovligt boende", "Unauthorised living on premises"),
        # Mopeds, A-traktorer and cars driven to disturb: a category of its own in several
        # municipalities (DOMAIN.md).
        _est(
            "ordning.motorburen",
            "Motorburen ordningsstörning",
            "Disorder involving motor vehicles",
        ),
        _est("ordning.olovlig_trafik", "Olovlig trafik", "Unauthorised traffic"),
        _est("ordning.stenupplag", "Stenupplag / kastmaterial", "Stone piles / throwable material"),
        _est("ordning.annat", "Annat ordningsstörande", "Other disorder"),
    ),
    _est(
        "otrygg_plats",
        "Otrygg plats",
        "Place that feels unsafe",
        _est("otrygg_plats.belysning", "Bristande belysning", "Poor lighting"),
        _est("otrygg_plats.skymd_sikt", "Skymd sikt / buskage", "Blocked view / overgrown bushes"),
        _est("otrygg_plats.odsligt", "Ödsligt / mörkt", "Deserted / dark"),
        _est("otrygg_plats.nedskrapning", "Nedskräpning", "Littering"),
    ),
    # No leaves: reporters note an event (a match, a festival, a school leaving party) as such.
    _est("arrangemang", "Arrangemang", "Organised event"),
    # What a joint bar inspection (krogtillsyn) finds at a licensed premise: not on the EST
    # checklist, recorded by the inspection page (source "inspection").
    _own(
        "krog",
        "Krogtillsyn",
        "Licensed premises inspection",
        _own("krog.overservering", "Överservering", "Overserving"),
        _own(
            "krog.alkoholservering",
            "Brister i ansvarsfull alkoholservering",
            "Shortcomings in responsible alcohol service",
        ),
        _own("krog.narkotika", "Narkotika på serveringsstället", "Drugs at the premises"),
        _own("krog.ordning", "Ordningsproblem på serveringsstället", "Disorder at the premises"),
    ),
    _police(
        "polis",
        "Övriga polishändelser",
        "Other police events",
        _police("polis.trafik", "Trafik", "Traffic"),
        _police("polis.brott_person", "Brott mot person", "Offences against the person"),
        _police("polis.stold", "Stöld och bedrägeri", "Theft and fraud"),
        _police(
            "polis.vapen",
            "Skjutningar, sprängningar och vapen",
            "Shootings, explosions and weapons",
        ),
        _police("polis.olycka", "Bränder, olyckor och räddning", "Fires, accidents and rescue"),
        # Press-office notices and updates on earlier events: not incidents in their own right.
        _police("polis.meddelande", "Information och uppdateringar", "Notices and updates"),
        _police("polis.sammanfattning", "Sammanfattningar", "Summaries"),
        _police("polis.ovrigt", "Övrigt", "Other"),
    ),
)

UNKNOWN_POLICE_TYPE_CATEGORY = "polis.ovrigt"
SUMMARY_CATEGORY = "polis.sammanfattning"

# Summaries of a shift, night, day or week list many incidents at once: the importer keeps
# them out of the event log.
POLICE_SUMMARY_TYPES: frozenset[str] = frozenset(
    {
        "Sammanfattning dag",
        "Sammanfattning dygn",
        "Sammanfattning eftermiddag",
        "Sammanfattning helg",
        "Sammanfattning kväll",
        "Sammanfattning kväll och natt",
        "Sammanfattning natt",
        "Sammanfattning vecka",
    }
)

# Keys are the feed's exact strings, including its quirks (a trailing space in one).
POLICE_TYPE_CATEGORY: dict[str, str] = {
    # --- EST: skadegörelse
    "Skadegörelse": "skadegorelse.annan",
    "Mordbrand": "skadegorelse.brand",
    # The feed's "Brand" is any fire the police attend: in 2022–2026 about a third of the
    # summaries name a home or house and only ~3 % mention arson, so counting them as EST
    # "anlagd brand" would flood the checklist with accidental house fires. Deliberate fires
    # arrive as "Mordbrand" or "Skadegörelse".
    "Brand": "polis.olycka",
    # --- EST: annat otrygghetsskapande eller ordningsstörande
    "Bråk": "ordning.brak",
    "Misshandel": "ordning.vald",
    "Misshandel, grov": "ordning.vald",
    "Våld/hot mot tjänsteman": "ordning.vald",
    "Inbrott": "ordning.inbrott",
    "Inbrott, försök": "ordning.inbrott",
    # Summaries are break-ins into cellars, firms and homes, not thefts from open places.
    "Stöld/inbrott": "ordning.inbrott",
    # Alarms: most summaries describe an actual break-in in progress at a shop, school or home.
    "Larm Inbrott": "ordning.inbrott",
    "Rån": "ordning.ran",
    "Rån väpnat": "ordning.ran",
    "Rån övrigt": "ordning.ran",
    "Rån, försök": "ordning.ran",
    "Narkotikabrott": "ordning.drog",
    "Fylleri": "ordning.annat",
    "Fylleri/LOB": "ordning.annat",
    "Ofredande/förargelse": "ordning.annat",
    "Ordningslagen": "ordning.annat",
    # Youths on school roofs, people in cellars or on closed sites.
    "Olaga intrång": "ordning.annat",
    # Fireworks in stairwells, at sports grounds, loud bangs in a neighbourhood.
    "Smällar": "ordning.annat",
    # Stones thrown at ambulances, fire engines blocked: disorder at a place.
    "Sabotage mot blåljusverksamhet": "ordning.annat",
    # Hold-up alarms from shops, pharmacies and restaurants: a threat or fight at the place,
    # seldom a confirmed robbery.
    "Larm Överfall": "ordning.annat",
    # --- polis: trafik
    "Trafikolycka": "polis.trafik",
    "Trafikolycka, personskada": "polis.trafik",
    "Trafikolycka, singel": "polis.trafik",
    "Trafikolycka, smitning från": "polis.trafik",
    "Trafikolycka, vilt": "polis.trafik",
    "Trafikbrott": "polis.trafik",
    "Trafikkontroll": "polis.trafik",
    "Trafikhinder": "polis.trafik",
    "Rattfylleri": "polis.trafik",
    # Driving without a licence, found at checks: about a driver, not disorder at a place.
    "Olovlig körning": "polis.trafik",
    # --- polis: brott mot person. Lethal and sexual violence stays out of the EST "Våld"
    # leaf: mostly indoors or within relationships, and handled by the police, not by EST.
    "Mord/dråp": "polis.brott_person",
    "Mord/dråp, försök": "polis.brott_person",
    "Olaga hot": "polis.brott_person",
    "Olaga frihetsberövande/människorov": "polis.brott_person",
    "Sexualbrott": "polis.brott_person",
    "Sedlighetsbrott": "polis.brott_person",
    "Våldtäkt": "polis.brott_person",
    "Våldtäkt, försök": "polis.brott_person",
    "Hemfridsbrott": "polis.brott_person",
    "Hets mot folkgrupp": "polis.brott_person",
    "Vållande till kroppsskada": "polis.brott_person",
    # --- polis: stöld och bedrägeri
    "Stöld": "polis.stold",
    "Stöld, försök": "polis.stold",
    "Motorfordon, stöld": "polis.stold",
    "Motorfordon, anträffat stulet": "polis.stold",
    "Anträffat gods": "polis.stold",
    "Häleri": "polis.stold",
    "Bedrägeri": "polis.stold",
    "Åldringsbrott": "polis.stold",
    "Förfalskningsbrott": "polis.stold",
    "Missbruk av urkund": "polis.stold",
    "Ekobrott": "polis.stold",
    # --- polis: skjutningar, sprängningar och vapen
    "Skottlossning": "polis.vapen",
    "Skottlossning, misstänkt": "polis.vapen",
    "Explosion": "polis.vapen",
    "Detonation": "polis.vapen",
    "Bombhot": "polis.vapen",
    "Farligt föremål, misstänkt": "polis.vapen",
    "Vapenlagen": "polis.vapen",
    "Knivlagen": "polis.vapen",
    # --- polis: bränder, olyckor och räddning
    "Brand automatlarm": "polis.olycka",
    "Arbetsplatsolycka": "polis.olycka",
    "Sjukdom/olycksfall": "polis.olycka",
    "Räddningsinsats": "polis.olycka",
    "Fjällräddning": "polis.olycka",
    "Försvunnen person": "polis.olycka",
    "Spridning smitta/kemikalier": "polis.olycka",
    "Varningslarm/haveri": "polis.olycka",
    # --- polis: meddelanden (mostly "the media centre is closed today"; updates repeat events
    # already in the feed)
    "Information": "polis.meddelande",
    "Uppdatering": "polis.meddelande",
    # --- polis: övrigt
    "Övrigt": "polis.ovrigt",
    "Anträffad död": "polis.ovrigt",
    "Efterlyst person": "polis.ovrigt",
    "Djur": "polis.ovrigt",
    "Upphittat föremål": "polis.ovrigt",
    "Kontroll": "polis.ovrigt",
    "Kontroll person/fordon": "polis.ovrigt",
    "Polisinsats/kommendering": "polis.ovrigt",
    "Alkohollagen": "polis.ovrigt",
    "Luftfartslagen": "polis.ovrigt",
    "Sjölagen": "polis.ovrigt",
    "Skyddslagen": "polis.ovrigt",
    "Utlänningslagen": "polis.ovrigt",
    "Miljöbrott": "polis.ovrigt",
    "Lagen om hundar och katter ": "polis.ovrigt",
    # --- polis: sammanfattningar
    **dict.fromkeys(POLICE_SUMMARY_TYPES, SUMMARY_CATEGORY),
}


def _normalise(police_type: str) -> str:
    return " ".join(police_type.split()).casefold()


_BY_NORMALISED_TYPE = {_normalise(t): code for t, code in POLICE_TYPE_CATEGORY.items()}


def police_category_code(police_type: str) -> str:
    """The category code for a police feed type; tolerant of case and stray spaces.

    A type the feed gains later lands in ``UNKNOWN_POLICE_TYPE_CATEGORY``, except a new kind of
    "Sammanfattning …", which is still a summary.
    """
    code = POLICE_TYPE_CATEGORY.get(police_type)
    if code is not None:
        return code
    key = _normalise(police_type)
    if key in _BY_NORMALISED_TYPE:
        return _BY_NORMALISED_TYPE[key]
    if key.startswith("sammanfattning"):
        return SUMMARY_CATEGORY
    return UNKNOWN_POLICE_TYPE_CATEGORY


def iter_categories() -> Iterator[tuple[str, str, str, str | None, bool, int]]:
    """Yield ``(code, name_sv, name_en, parent_code, is_checklist, sort_order)``, parents first.

    ``sort_order`` counts in tens among siblings, leaving room for a municipality's own
    categories in between.
    """
    stack: list[tuple[CategoryEntry, str | None, int]] = [
        (entry, None, (i + 1) * 10) for i, entry in enumerate(CATEGORY_TREE)
    ]
    stack.reverse()
    while stack:
        (code, name_sv, name_en, is_checklist, children), parent, order = stack.pop()
        yield code, name_sv, name_en, parent, is_checklist, order
        stack.extend(reversed([(child, code, (i + 1) * 10) for i, child in enumerate(children)]))
