"""The annual lägesbild under lag (2023:196) om kommuners ansvar för brottsförebyggande arbete.

The law asks for a mapping of crime and disorder (extent, distribution, development), other
relevant information and an analysis of causes. Trygg generates the mapping from the events
(six sections below, as plain JSON-ready data kept in a version) and the coordinator writes
the rest (WRITTEN_SECTIONS). The document goes to the municipal board and the partners, so it
counts only events every partner in the municipality may see (`Scope.shared_only`), and it
says so.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from dataclasses import replace
from typing import Any

from django.db.models import Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trygg.analysis.counts import CountComparison, compare_counts, control_fdr
from trygg.core.periods import MONTHS_SV, Kind, Period, custom, time_range, year_period
from trygg.events.categories import CategoryTree
from trygg.events.models import Source
from trygg.places.models import Municipality, Place
from trygg.places.queries import current_districts, district_map
from trygg.situation import annual_sections, counts, hotspot_layer, picture
from trygg.situation.charts import weekday_names
from trygg.situation.scope import Scope

YEARS_BACK = 5
TOP_PLACES = 10
EVENING_HOURS = set(range(18, 24)) | set(range(0, 6))

# The document's order: the summary first, then the generated mapping, then the analysis.
GENERATED_SECTIONS = (
    ("categories", gettext_lazy("Omfattning och fördelning per kategori")),
    ("areas", gettext_lazy("Fördelning per område")),
    ("time", gettext_lazy("Fördelning över tid")),
    ("years", gettext_lazy("Utveckling över flera år")),
    ("hotspots", gettext_lazy("Hotspots")),
    ("sources", gettext_lazy("Polisens händelser och partnernas rapporter")),
)
WRITTEN_SECTIONS = (
    (
        "summary",
        gettext_lazy("Sammanfattning"),
        gettext_lazy("Det viktigaste i lägesbilden, för nämnd och styrelse."),
    ),
    (
        "other_information",
        gettext_lazy("Annan relevant information"),
        gettext_lazy(
            "T.ex. trygghetsmätningar, skolans och socialtjänstens bild, medborgardialoger."
        ),
    ),
    (
        "causes",
        gettext_lazy("Analys av orsaker"),
        gettext_lazy("Varför problemen finns där de finns: platser, tider, sammanhang."),
    ),
    (
        "priorities",
        gettext_lazy("Prioriterade problem inför åtgärdsplanen"),
        gettext_lazy("De problem som åtgärdsplanen ska ta sig an, i prioritetsordning."),
    ),
)
WRITTEN_KEYS = tuple(key for key, _heading, _hint in WRITTEN_SECTIONS)


def outline(kept: dict | None = None) -> list[dict]:
    """The document's sections in order, numbered, for the table of contents and anchors.
    Sections other apps add (annual_sections.py) come after the generated mapping, and only
    when the version keeps data for them (`kept`: the version's generated sections)."""
    summary, *analysis = WRITTEN_SECTIONS
    entries = [{"key": summary[0], "heading": summary[1], "written": True}]
    entries += [
        {"key": key, "heading": heading, "written": False} for key, heading in GENERATED_SECTIONS
    ]
    entries += [
        {"key": s.key, "heading": s.heading, "written": False, "template": s.template}
        for s in annual_sections.registered()
        if (kept or {}).get(s.key) is not None
    ]
    entries += [{"key": key, "heading": heading, "written": True} for key, heading, _h in analysis]
    entries.append({"key": "about", "heading": gettext_lazy("Om underlaget"), "written": False})
    return [entry | {"number": i} for i, entry in enumerate(entries, start=1)]


def report_period(year: int, today: dt.date) -> Period:
    """The whole year once it is over; before that, 1 January up to yesterday (whole days)."""
    whole = year_period(year)
    if whole.end <= today:
        return whole
    if today <= whole.start:
        raise ValueError(f"the year {year} has no complete day yet")
    return custom(whole.start, today - dt.timedelta(days=1))


def selectable_years(today: dt.date) -> list[int]:
    """The years a report can be made for: this year (once a day of it is over) and five back."""
    first = today.year if today > dt.date(today.year, 1, 1) else today.year - 1
    return list(range(first, today.year - YEARS_BACK - 1, -1))


def generate(municipality: Municipality, year: int, *, user, today: dt.date | None = None) -> dict:
    """The six generated sections of `year` for the municipality, as JSON-ready data."""
    today = today or timezone.localdate()
    period = report_period(year, today)
    baseline = period.year_earlier()
    scope = Scope(user=user, municipality=municipality, shared_only=True)
    tree = CategoryTree.load()
    # The document goes to a Swedish municipal board and is kept as it was written, so its
    # generated sentences are Swedish whatever language the coordinator's pages are in.
    with translation.override("sv"):
        by_leaf = counts.by_category(scope, {"now": period, "before": baseline})
        figures = picture.time_figures(scope, period)
        sections = {
            "categories": category_section(by_leaf, tree, period, baseline),
            "areas": area_section(scope, period, baseline),
            "time": time_section(scope, period, figures["months"]),
            "years": years_section(scope, tree, period, figures["trend"]),
            "hotspots": hotspot_section(scope, period, baseline),
            "sources": source_section(scope, by_leaf, tree, period),
        }
        sections |= _added_sections(municipality, year, period, set(sections))
    return {
        "year": year,
        "municipality": {"name": municipality.name, "code": municipality.code},
        "period": {
            "start": period.start.isoformat(),
            "last_day": period.last_day.isoformat(),
            "complete_year": period.kind == Kind.YEAR,
        },
        "labels": {"now": label(period), "before": label(baseline)},
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        "sections": sections,
    }


def _added_sections(municipality: Municipality, year: int, period: Period, taken: set) -> dict:
    """What apps above situation add (e.g. the latest safety survey's headline figures)."""
    added = annual_sections.compute_all(municipality, year, period.last_day)
    clash = taken & set(added)
    if clash:
        raise ValueError(f"annual sections {sorted(clash)} clash with the generated ones")
    return added


# --- words and numbers ---------------------------------------------------------------------


def label(period: Period) -> str:
    """'2026' for a whole year, '1 januari–14 december 2026' for the part of one."""
    if period.kind == Kind.YEAR:
        return str(period.start.year)
    last = period.last_day
    return f"1 januari–{last.day} {MONTHS_SV[last.month - 1]} {last.year}"


def number(n: int) -> str:
    """Swedish thousands with a non-breaking space: 9 412."""
    return f"{n:,}".replace(",", "\u00a0")


def percent_of(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


def compare(now: int, before: int) -> dict:
    """The exact test of two counts; years are compared as the calendar gives them (a leap
    day moves a rate by 0.3 %, less than the board would want to see explained)."""
    result = _tested(now, before)
    percent = None if result.change_percent is None else round(result.change_percent)
    return {"percent": percent, "verdict": str(result.verdict)}


@functools.lru_cache(maxsize=1024)
def _tested(now: int, before: int) -> CountComparison:
    return compare_counts(now, before)


def mark_rows(rows: list[dict]) -> list[dict]:
    """The rows of one table level marked together (Benjamini-Hochberg over the rows, as the
    situation page's table): a report with dozens of districts would otherwise show chance
    markers every year."""
    tested = control_fdr([_tested(row["now"], row["before"]) for row in rows])
    for row, result in zip(rows, tested, strict=True):
        row["verdict"] = str(result.verdict)
        row["q"] = None if result.q_value is None else round(result.q_value, 4)
    return rows


def when(period: Period, *, baseline: bool = False) -> str:
    """The period in a sentence: '2026', 'perioden 1 januari–14 december 2026', and for the
    year before a part of a year 'samma period 2025'."""
    if period.kind == Kind.YEAR:
        return str(period.start.year)
    if baseline:
        return _("samma period %(year)s") % {"year": period.start.year}
    return _("perioden %(label)s") % {"label": label(period)}


def change_words(now: int, before: int, before_words: str) -> str:
    """'3 % fler än 2025', '3 % färre än 2025' or 'lika många som 2025' (`before` > 0)."""
    percent = round(100 * (now - before) / before)
    if percent > 0:
        return _("%(p)s %% fler än %(before)s") % {"p": number(percent), "before": before_words}
    if percent < 0:
        return _("%(p)s %% färre än %(before)s") % {"p": number(-percent), "before": before_words}
    return _("lika många som %(before)s") % {"before": before_words}


def verdict_words(verdict: str) -> str:
    return {
        "more": _("Ökningen är större än vad slumpen brukar ge."),
        "fewer": _("Minskningen är större än vad slumpen brukar ge."),
        "no_clear_change": _("Skillnaden kan vara slump."),
        "too_few": _("Antalen är för små för att säga om något har förändrats."),
    }[verdict]


# --- categories ----------------------------------------------------------------------------


def category_section(by_leaf: dict, tree: CategoryTree, period: Period, baseline: Period) -> dict:
    tops: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    subs: dict[int, dict[int | None, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for leaf, values in by_leaf.items():
        top, sub = tree.top(leaf), tree.second(leaf)
        for i, name in enumerate(("now", "before")):
            tops[top][i] += values[name]
            subs[top][sub][i] += values[name]
    total_now = sum(now for now, _before in tops.values())
    total_before = sum(before for _now, before in tops.values())
    rows = [
        _category_row(tree.name[pk], now, before, total_now)
        | {"children": _sub_rows(subs[pk], tree, total_now)}
        for pk, (now, before) in tops.items()
        if now or before
    ]
    rows.sort(key=lambda row: (-row["now"], -row["before"], row["name"]))
    mark_rows(rows)
    mark_rows([child for row in rows for child in row["children"]])
    total = _category_row(_("Totalt"), total_now, total_before, total_now)
    lead = _category_lead(rows, total, when(period), when(baseline, baseline=True))
    return {"rows": rows, "total": total, "lead": lead, "markers": "fdr_bh"}


def _category_row(name: str, now: int, before: int, total_now: int) -> dict:
    return {
        "name": name,
        "now": now,
        "before": before,
        "share": percent_of(now, total_now),
        **compare(now, before),
    }


def _sub_rows(subs: dict, tree: CategoryTree, total_now: int) -> list[dict]:
    """The second level under a top-level category; events filed on the top level itself
    (no subcategory) get their own row, so the rows add up."""
    named = [
        (tree.name[pk] if pk is not None else _("utan underkategori"), now, before)
        for pk, (now, before) in subs.items()
        if now or before
    ]
    if len(named) == 1 and named[0][0] == _("utan underkategori"):
        return []
    return sorted(
        (_category_row(name, now, before, total_now) for name, now, before in named),
        key=lambda row: (-row["now"], row["name"]),
    )


def _category_lead(rows: list[dict], total: dict, now_words: str, before_words: str) -> str:
    if not total["now"]:
        return _(
            "Under %(now)s registrerades inga händelser som alla samverkanspartner får se."
        ) % {"now": now_words}
    text = _("Under %(now)s registrerades %(n)s händelser") % {
        "now": now_words,
        "n": number(total["now"]),
    }
    if total["before"]:
        text += ", " + change_words(total["now"], total["before"], before_words) + ". "
        text += verdict_words(total["verdict"])
    else:
        text += ". " + _("Under %(before)s registrerades inga.") % {"before": before_words}
    top = rows[0]
    return (
        text
        + " "
        + _("Vanligast var %(name)s med %(n)s händelser (%(share)s %%).")
        % {"name": top["name"].lower(), "n": number(top["now"]), "share": top["share"]}
    )


# --- areas ---------------------------------------------------------------------------------


def area_section(scope: Scope, period: Period, baseline: Period) -> dict:
    """Events per current district this year and last; events in older versions of a
    district or in its sub-areas count in the district they belong to today."""
    pairs = counts.by_key(scope, "area_id", period, baseline)
    districts = {area.pk: area.name for area in current_districts(scope.municipality)}
    district_of = district_map(scope.municipality)
    sums = {pk: [0, 0] for pk in districts}
    other = [0, 0]
    for area_id, (now, before) in pairs.items():
        district = district_of.get(area_id)  # None: in no current district
        target = other if district is None else sums.get(district, other)
        target[0] += now
        target[1] += before
    total_now = sum(n for n, _b in sums.values()) + other[0]
    rows = [
        _category_row(districts[pk], now, before, total_now) for pk, (now, before) in sums.items()
    ]
    rows.sort(key=lambda row: (-row["now"], -row["before"], row["name"]))
    rest = _category_row(_("Övriga områden"), other[0], other[1], total_now) if any(other) else None
    mark_rows(rows + ([rest] if rest else []))
    in_total = scope.events().filter(**_range(period)).count()
    section = {
        "rows": rows,
        "other": rest,
        "without_area": in_total - total_now,
        "total": in_total,
        "population": False,  # Trygg holds no population figures: no rates per inhabitant
        "markers": "fdr_bh",
    }
    return section | {"lead": _area_lead(section, when(period))}


def _range(period: Period) -> dict:
    start, end = time_range(period)
    return {"occurred_from__gte": start, "occurred_from__lt": end}


def _area_lead(section: dict, now_words: str) -> str:
    rows = [row for row in section["rows"] if row["now"]]
    if not section["rows"]:
        text = _(
            "Kommunen har inga stadsdelar inlagda i Trygg, så händelserna kan inte "
            "fördelas på områden."
        )
    elif not rows:
        text = _("Inga händelser med känd stadsdel registrerades under %(now)s.") % {
            "now": now_words
        }
    else:
        placed = section["total"] - section["without_area"]
        text = _(
            "Flest händelser under %(now)s registrerades i %(name)s: %(n)s, eller "
            "%(share)s %% av dem med känd stadsdel."
        ) % {
            "now": now_words,
            "name": rows[0]["name"],
            "n": number(rows[0]["now"]),
            "share": percent_of(rows[0]["now"], placed),
        }
    if section["without_area"]:
        text += " " + _(
            "%(n)s händelser har ingen stadsdel, främst polisens händelser som bara anger kommunen."
        ) % {"n": number(section["without_area"])}
    return (
        text
        + " "
        + _(
            "Det finns inga befolkningstal per stadsdel i Trygg, så antalen är "
            "inte omräknade per 1 000 invånare."
        )
    )


# --- time ----------------------------------------------------------------------------------


def time_section(scope: Scope, period: Period, months: dict) -> dict:
    grid = counts.hour_weekday(scope, period).tolist()
    return {"months": months, "hour_weekday": grid, "lead": _time_lead(months, grid, period)}


def _time_lead(months: dict, grid: list[list[int]], period: Period) -> str:
    total = sum(map(sum, grid))
    if not total:
        return _("Inga händelser att fördela över året, veckan och dygnet.")
    row = months["counts"][months["years"].index(period.last_day.year)]
    shown = row[: period.last_day.month]
    busiest = max(range(len(shown)), key=lambda m: shown[m])
    evening = sum(n for day in grid for hour, n in enumerate(day) if hour in EVENING_HOURS)
    weekend = sum(grid[5]) + sum(grid[6])
    day, hour = max(
        ((d, h) for d in range(7) for h in range(24)), key=lambda dh: grid[dh[0]][dh[1]]
    )
    return _(
        "Flest händelser registrerades i %(month)s (%(n)s). %(evening)s %% inträffade mellan "
        "kl. 18 och 06 och %(weekend)s %% på lördagar och söndagar. Den timme i veckan med "
        "flest händelser var %(day)s kl. %(hour)02d–%(next)02d."
    ) % {
        "month": MONTHS_SV[busiest],
        "n": number(shown[busiest]),
        "evening": percent_of(evening, total),
        "weekend": percent_of(weekend, total),
        "day": weekday_names()[day],
        "hour": hour,
        "next": (hour + 1) % 24,
    }


# --- several years -------------------------------------------------------------------------


def years_section(scope: Scope, tree: CategoryTree, period: Period, trend: dict) -> dict:
    """Totals per top-level category for up to five years; a part of a year is compared with
    the same dates of the earlier years."""
    spans = [period]
    while len(spans) < YEARS_BACK:
        spans.append(spans[-1].year_earlier())
    spans.reverse()
    by_leaf = counts.by_category(scope, {str(p.start.year): p for p in spans})
    years = [str(p.start.year) for p in spans]
    per_top: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(years, 0))
    for leaf, values in by_leaf.items():
        for year, n in values.items():
            per_top[tree.top(leaf)][year] += n
    totals = {year: sum(row[year] for row in per_top.values()) for year in years}
    with_data = [year for year in years if totals[year]]
    shown = years[years.index(with_data[0]) :] if with_data else []
    rows: list[dict[str, Any]] = [
        {"name": tree.name[pk], "counts": [values[y] for y in shown]}
        for pk, values in per_top.items()
        if any(values[y] for y in shown)
    ]
    rows.sort(key=lambda row: (-row["counts"][-1], row["name"]))
    section = {
        "years": [int(y) for y in shown],
        "rows": rows,
        "totals": [totals[y] for y in shown],
        "trend": trend,
        "same_dates": period.kind != Kind.YEAR,
    }
    return section | {"lead": _years_lead(section, period)}


def _years_lead(section: dict, period: Period) -> str:
    years, totals = section["years"], section["totals"]
    if len(years) < 2:
        return _(
            "Det finns händelser från bara ett år, så ingen utveckling över flera år kan "
            "visas ännu."
        )
    text = _("Från %(first)s till %(last)s gick antalet händelser från %(a)s till %(b)s.") % {
        "first": years[0],
        "last": years[-1],
        "a": number(totals[0]),
        "b": number(totals[-1]),
    }
    if len(years) < YEARS_BACK:
        text += " " + _(
            "Trygg har händelser från %(first)s, så jämförelsen omfattar %(n)s år "
            "i stället för %(max)s."
        ) % {"first": years[0], "n": len(years), "max": YEARS_BACK}
    if section["same_dates"]:
        last = period.last_day
        text += " " + _(
            "Alla år räknas 1 januari–%(day)s %(month)s, eftersom %(year)s inte är slut."
        ) % {"day": last.day, "month": MONTHS_SV[last.month - 1], "year": last.year}
    return text


# --- hotspots ------------------------------------------------------------------------------


def hotspot_section(scope: Scope, period: Period, baseline: Period) -> dict:
    """Gi* over the year's events with exact positions, stored as the meeting pack stores it,
    with the places that had the most events."""
    data = hotspot_layer.compute(scope, period) | {"outline": hotspot_layer.outline_rings(scope)}
    pairs = counts.by_key(scope, "place_id", period, baseline)
    names = dict(Place.objects.filter(pk__in=list(pairs)).values_list("pk", "name"))
    top = sorted(pairs.items(), key=lambda item: (-item[1][0], names.get(item[0], "")))
    places = [
        {"name": names.get(pk, ""), "now": now, "before": before}
        for pk, (now, before) in top[:TOP_PLACES]
        if now
    ]
    lead = (
        hotspot_layer.summary(data)
        + " "
        + _(
            "Händelser utan exakt position, till exempel polisens som bara anger kommunen, ingår "
            "inte i kartan."
        )
    )
    return {"map": data, "places": places, "lead": lead}


# --- police beside partners ----------------------------------------------------------------


def source_section(scope: Scope, by_leaf: dict, tree: CategoryTree, period: Period) -> dict:
    """Per top-level category: the police's events beside everything partners, walks, shifts
    and residents reported."""
    police_leaf = counts.by_category(replace(scope, source=str(Source.POLICE)), {"now": period})
    rows: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for leaf, values in by_leaf.items():
        rows[tree.top(leaf)][1] += values["now"]
    for leaf, values in police_leaf.items():
        rows[tree.top(leaf)][0] += values["now"]
        rows[tree.top(leaf)][1] -= values["now"]
    police = sum(p for p, _o in rows.values())
    others = sum(o for _p, o in rows.values())
    table: list[dict[str, Any]] = [
        {
            "name": tree.name[pk],
            "police": p,
            "police_share": percent_of(p, police),
            "others": o,
            "others_share": percent_of(o, others),
        }
        for pk, (p, o) in rows.items()
        if p or o
    ]
    table.sort(key=lambda row: (-(row["police"] + row["others"]), row["name"]))
    section = {
        "rows": table,
        "police": police,
        "others": others,
        "by_source": _by_source(scope, period),
    }
    return section | {"lead": _source_lead(police, others)}


def _by_source(scope: Scope, period: Period) -> list[dict]:
    """Events per source in the period, read from the daily rollup (the scope is the whole
    municipality, which is what the rollup counts)."""
    rows = (
        scope.daily_counts()
        .filter(day__gte=period.start, day__lt=period.end)
        .values_list("source")
        .annotate(n=Sum("events"))
    )
    names = dict(Source.choices)
    return sorted(
        ({"source": str(names.get(s, s)), "n": n} for s, n in rows if n), key=lambda row: -row["n"]
    )


def _source_lead(police: int, others: int) -> str:
    if not police + others:
        return _("Inga händelser att jämföra.")
    return _(
        "%(police)s av %(total)s händelser (%(share)s %%) kom från polisen, resten från "
        "partnernas rapporter, trygghetsvandringar, passrapporter och invånare. Polisens "
        "händelser från den öppna händelselistan anger bara kommunen som plats, så de syns i "
        "kommunens totaler men inte per stadsdel eller på hotspotkartan."
    ) % {
        "police": number(police),
        "total": number(police + others),
        "share": percent_of(police, police + others),
    }
