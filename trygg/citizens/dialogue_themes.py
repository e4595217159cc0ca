"""What each dialogue theme is compared with: the event categories (EST checklist and the
police feed's groups, `events/category_seed.py`) whose events count beside the theme's
mentions in the period summary (`dialogue_summary.py`).

A code names its whole subtree: "otrygg_plats" is every kind of unsafe place. The police
feed's types arrive already mapped (`POLICE_TYPE_CATEGORY`), so a theme can only be as sharp
as that mapping: where a police group mixes a theme with much else, it stays out rather than
drowning the theme in unrelated events.
"""

from __future__ import annotations

from trygg.citizens.models import Theme
from trygg.events.models import Category

THEME_CATEGORY_CODES: dict[str, tuple[str, ...]] = {
    # Assault, fights, threats and weapons in public: the EST violence leaves, and the police
    # groups for offences against the person and for shootings, explosions and knives.
    Theme.VIOLENCE: ("ordning.vald", "ordning.brak", "polis.brott_person", "polis.vapen"),
    # What makes a place feel unsafe: the whole EST "otrygg plats" subtree (lighting, bushes,
    # desolate, litter).
    Theme.UNSAFE_PLACES: ("otrygg_plats",),
    # Suspected dealing (EST) and the police's "Narkotikabrott", both in ordning.drog. The
    # feed's alcohol types are not here: "Rattfylleri" sits in polis.trafik beside every
    # traffic accident, "Fylleri" in ordning.annat beside all other disorder and
    # "Alkohollagen" in polis.ovrigt; counting those groups would be counting something else.
    Theme.DRUGS_ALCOHOL: ("ordning.drog",),
    # Graffiti, smashed glass, arson, vehicle fires and other damage: the EST subtree, which
    # also holds the feed's "Skadegörelse" and "Mordbrand".
    Theme.VANDALISM: ("skadegorelse",),
    # Gatherings that cause unease (EST "samling", every kind of place) and other disorder,
    # where the feed's "Ordningslagen", "Fylleri", "Ofredande" and "Smällar" land.
    Theme.DISORDER: ("ordning.annat", "samling"),
    # Traffic as residents raise it: the police's traffic group, unauthorised traffic and
    # motorburen ordningsstörning (mopeds and cars driven to disturb), which is buskörning.
    Theme.TRAFFIC: ("polis.trafik", "ordning.olovlig_trafik", "ordning.motorburen"),
    # Burglary and robbery (EST, also the feed's break-ins and robberies) and the police's
    # theft and fraud group.
    Theme.THEFT: ("ordning.inbrott", "ordning.ran", "polis.stold"),
    # Leisure, meeting places and young people's situation have no event category: events
    # would say nothing about them (and EST records places, never who was there).
    Theme.YOUTH: (),
    Theme.OTHER: (),
}


def theme_category_ids() -> dict[str, frozenset[int]]:
    """Each theme -> the ids of its categories and everything under them (empty: compared
    with nothing). One query for the whole tree."""
    rows = list(Category.objects.values_list("pk", "parent_id", "code"))
    by_code = {code: pk for pk, _parent, code in rows}
    children: dict[int, list[int]] = {}
    for pk, parent, _code in rows:
        if parent is not None:
            children.setdefault(parent, []).append(pk)
    return {
        theme: frozenset(
            pk for code in codes if code in by_code for pk in _subtree(children, by_code[code])
        )
        for theme, codes in THEME_CATEGORY_CODES.items()
    }


def _subtree(children: dict[int, list[int]], root: int) -> list[int]:
    found, frontier = [root], [root]
    while frontier:
        frontier = [c for pk in frontier for c in children.get(pk, []) if c not in found]
        found.extend(frontier)
    return found
