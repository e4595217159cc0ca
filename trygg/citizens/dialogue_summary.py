"""A period's citizen dialogues side by side with the events of the same areas: per theme what
people raised (in total and per area) beside the events reported in the theme's categories
(`dialogue_themes.py`), the quotes, and the themes ranked by how often they were raised. The
input a medborgarlöfte is built from (issue 12, point 7; the promises build on it).

Mentions are what the people who came said, not a sample of the residents; events are what
was reported. Side by side they compare concerns, they are not a statistic.

An area's events are those assigned to it or to an area under it, and, for a current district,
those in older versions of it (`places.queries.district_map`, as the lägesbild counts
districts). Only events the reader may see count (`Event.objects.visible_to`), and only those
the statistics count (`events.daily_counts.counted`).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import Any

from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trygg.citizens.dialogue_themes import THEME_CATEGORY_CODES, theme_category_ids
from trygg.citizens.models import Dialogue, DialogueMention, DialogueQuote, Theme
from trygg.core.periods import midnight
from trygg.events.daily_counts import counted
from trygg.events.models import Event
from trygg.organisations.shards import joined_in_municipality
from trygg.places.models import Area, Municipality
from trygg.places.queries import district_map

# The column for mentions about the municipality as a whole (no area); its events are all of
# the municipality's.
WHOLE = "hela"


def period_dialogues(municipality: Municipality, start: dt.date, end: dt.date):
    """The municipality's dialogues held from `start` to `end`, both days included."""
    return Dialogue.objects.filter(
        municipality=municipality, held_on__gte=start, held_on__lte=end
    ).order_by("held_on", "pk")


def summarise(municipality: Municipality, start: dt.date, end: dt.date, user) -> dict[str, Any]:
    """The summary as plain data (dates as ISO text, areas keyed by id as text or WHOLE)."""
    dialogues = list(
        period_dialogues(municipality, start, end)
        .select_related("place", "area")
        .prefetch_related("organisations")
    )
    ids = [d.pk for d in dialogues]
    mentions = list(_mentions(municipality, ids).values_list("theme", "area_id", "count"))
    quotes = _quotes(municipality, ids)
    area_ids = {d.area_id for d in dialogues} | {a for _t, a, _n in mentions}
    area_ids |= {q.area_id for q in quotes}
    areas = _columns(municipality, area_ids)
    events = _event_counts(municipality, start, end, user, areas)
    themes = _theme_rows(mentions, quotes, events, areas)
    return {
        "municipality": {"code": municipality.code, "name": municipality.name},
        "start": start.isoformat(),
        "end": end.isoformat(),
        "dialogues": [_dialogue_item(d) for d in dialogues],
        "visitors": sum(d.visitors or 0 for d in dialogues),
        "visitors_counted": sum(1 for d in dialogues if d.visitors is not None),
        "areas": [{"key": key, "name": name} for key, name, _cover in areas],
        "mentions_total": sum(n for _t, _a, n in mentions),
        "themes": themes,
        "ranking": [row["theme"] for row in themes if row["rank"] is not None],
    }


def _mentions(municipality: Municipality, dialogue_ids: list[int]):
    # Named in the municipality: one shard on Citus.
    return DialogueMention.objects.filter(municipality=municipality, dialogue_id__in=dialogue_ids)


def _quotes(municipality: Municipality, dialogue_ids: list[int]) -> list[DialogueQuote]:
    """The dialogues' quotes in the order they were held, their dialogues joined in the
    municipality too: Citus refuses joining them on the id alone."""
    return list(
        DialogueQuote.objects.filter(
            municipality=municipality,
            dialogue_id__in=dialogue_ids,
            **joined_in_municipality("dialogue"),
        )
        .select_related("area", "dialogue")
        .order_by("dialogue__held_on", "pk")
    )


def _dialogue_item(dialogue: Dialogue) -> dict[str, Any]:
    return {
        "id": dialogue.pk,
        "held_on": dialogue.held_on.isoformat(),
        "place": dialogue.place_name or (dialogue.place.name if dialogue.place else ""),
        "area": dialogue.area.name if dialogue.area else "",
        "organisations": sorted(org.name for org in dialogue.organisations.all()),
        "visitors": dialogue.visitors,
    }


Column = tuple[str, str, frozenset[int] | None]  # key, name, the event areas it covers


def _columns(municipality: Municipality, area_ids: set[int | None]) -> list[Column]:
    """The areas the dialogues name, by name, then the municipality as a whole if a mention
    or quote named no area. Each with the ids of the event areas it covers."""
    named = list(
        Area.objects.filter(pk__in=[a for a in area_ids if a is not None])
        .defer("geometry")
        .order_by("name", "pk")
    )
    to_district = district_map(municipality) if named else {}
    columns: list[Column] = []
    for area in named:
        columns.append((str(area.pk), area.name, _cover(area, to_district)))
    if None in area_ids:
        columns.append((WHOLE, _("Hela kommunen / inget särskilt område"), None))
    return columns


def _cover(area: Area, to_district: dict[int, int]) -> frozenset[int]:
    """The ids of the areas a mention or event counts in `area` by: it, the areas under it
    and, for a current district, its older versions."""
    in_district = {pk for pk, district in to_district.items() if district == area.pk}
    return frozenset(area.descendant_ids()) | in_district


def _event_counts(
    municipality: Municipality, start: dt.date, end: dt.date, user, columns: list[Column]
) -> dict[str, dict[str, int]]:
    """Theme -> column key -> events, plus "total": the events in all the named areas
    together (each event once, even where areas overlap), or the whole municipality when the
    dialogues named no area."""
    categories = theme_category_ids()
    wanted = set().union(*categories.values())
    rows = (
        counted(Event.objects.visible_to(user))
        .filter(
            municipality=municipality,
            occurred_from__gte=midnight(start),
            occurred_from__lt=midnight(end + dt.timedelta(days=1)),
            category_id__in=wanted,
        )
        .values_list("area_id", "category_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    by_area_category = Counter({(area, category): n for area, category, n in rows})
    named_cover = frozenset().union(*(cover for _k, _n, cover in columns if cover is not None))
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    for theme, category_ids in categories.items():
        if not category_ids:
            continue
        in_theme = {
            area: n for (area, category), n in by_area_category.items() if category in category_ids
        }
        for key, _name, cover in columns:
            counts[theme][key] = sum(n for a, n in in_theme.items() if cover is None or a in cover)
        counts[theme]["total"] = sum(
            n for a, n in in_theme.items() if not named_cover or a in named_cover
        )
    return counts


def _theme_rows(mentions, quotes, events, columns: list[Column]) -> list[dict[str, Any]]:
    """One row per theme, most raised first (ranked 1, 2, …; ties share a rank), then the
    themes nobody raised in the order of the list."""
    per_area: dict[str, Counter[str]] = defaultdict(Counter)
    for theme, area, n in mentions:
        per_area[theme][WHOLE if area is None else str(area)] += n
    keys = [key for key, _name, _cover in columns]
    rows: list[dict[str, Any]] = []
    for theme in Theme:
        compared = bool(THEME_CATEGORY_CODES[theme])
        rows.append(
            {
                "theme": theme.value,
                "label": str(theme.label),
                "mentions": sum(per_area[theme].values()),
                "mentions_by_area": {key: per_area[theme][key] for key in keys},
                "compared": compared,
                "categories": list(THEME_CATEGORY_CODES[theme]),
                "events": events[theme]["total"] if compared else None,
                "events_by_area": {key: events[theme][key] for key in keys} if compared else None,
                "quotes": [_quote_item(q) for q in quotes if q.theme == theme],
            }
        )
    order = {str(theme.value): i for i, theme in enumerate(Theme)}
    rows.sort(key=lambda row: (-int(row["mentions"]), order[str(row["theme"])]))
    _rank(rows)
    return rows


def _rank(rows: list[dict[str, Any]]) -> None:
    """Competition ranking (1, 2, 2, 4) of the themes raised at all; None for the rest."""
    previous, rank = None, 0
    for position, row in enumerate(rows, start=1):
        if not row["mentions"]:
            row["rank"] = None
            continue
        if row["mentions"] != previous:
            rank, previous = position, row["mentions"]
        row["rank"] = rank


def _quote_item(quote: DialogueQuote) -> dict[str, Any]:
    return {
        "text": quote.text,
        "area": quote.area.name if quote.area else "",
        "held_on": quote.dialogue.held_on.isoformat(),
        "dialogue": quote.dialogue_id,
    }


# --- a problem area's evidence ---------------------------------------------------------------

EVIDENCE_HEADING = gettext_lazy("Medborgardialogerna")


def area_themes(
    municipality: Municipality,
    areas: list[Area],
    categories: list,
    start: dt.date,
    end: dt.date,
) -> dict[str, Any] | None:
    """What residents raised about these areas (none: anywhere in the municipality) at the
    dialogues held from `start` to `end`, both days included: the dialogues, the themes by how
    often they were raised (marked where the theme is compared with one of `categories`, event
    categories) and the quotes. None when no dialogue in the period was held in the areas or
    raised anything about them. Registered for the promises' evidence page from
    CitizensConfig.ready (`situation.evidence_sections`)."""
    dialogues = list(
        period_dialogues(municipality, start, end)
        .select_related("place", "area")
        .prefetch_related("organisations")
    )
    ids = [d.pk for d in dialogues]
    mentions = list(
        _mentions(municipality, ids).values_list("dialogue_id", "theme", "area_id", "count")
    )
    quotes = _quotes(municipality, ids)
    if areas:
        to_district = district_map(municipality)
        cover = frozenset().union(*(_cover(area, to_district) for area in areas))
        mentions = [m for m in mentions if m[2] in cover]
        quotes = [q for q in quotes if q.area_id in cover]
        about = {m[0] for m in mentions} | {q.dialogue_id for q in quotes}
        dialogues = [d for d in dialogues if d.pk in about or d.area_id in cover]
    if not dialogues:
        return None
    related = _related_themes(categories)
    raised: Counter[str] = Counter()
    for _dialogue, theme, _area, n in mentions:
        raised[theme] += n
    rows: list[dict[str, Any]] = [
        {
            "theme": theme.value,
            "label": str(theme.label),
            "mentions": raised[theme],
            "related": theme.value in related,
            "quotes": [_quote_item(q) for q in quotes if q.theme == theme],
        }
        for theme in Theme
        if raised[theme] or any(q.theme == theme for q in quotes)
    ]
    order = {str(theme.value): i for i, theme in enumerate(Theme)}
    rows.sort(key=lambda row: (-int(row["mentions"]), order[str(row["theme"])]))
    _rank(rows)
    return {
        "start": start.isoformat(),
        "end": end.isoformat(),
        "whole_municipality": not areas,
        "dialogues": [_dialogue_item(d) for d in dialogues],
        "mentions_total": sum(raised.values()),
        "themes": rows,
    }


def _related_themes(categories: list) -> set[str]:
    """The themes compared with one of these event categories (or one above or below it)."""
    if not categories:
        return set()
    chosen = {pk for category in categories for pk in category.descendant_ids()}
    # Two subtrees meet only where one holds the other, and then both hold its top.
    return {str(theme) for theme, ids in theme_category_ids().items() if ids & chosen}
