"""Believable partner reports for the demo municipality, from a seed. Pure Python + numpy.

The model (docs/demo.md has the numbers and the reasons):

* every site (a named place, a playground or a whole district) has a yearly rate per category,
  taken from its profile (`PROFILES`) and multiplied by the site's weight (hotspots > 1);
* the expected count of a site and category on a day is that rate / 365 times a seasonal curve
  (`SEASONS`, interpolated between mid-month values), a weekday factor (`WEEKDAYS`), a school
  holiday factor for youth-related categories (`HOLIDAY_FACTOR`) and a bump around Valborg
  (30 April) and New Year's Eve (`Pattern.valborg`, `Pattern.new_year`);
* the count is drawn from a Poisson distribution; each event gets an hour from the category's
  hour-of-day profile (`HOURS`; hours before 06:00 fall in the night after the day, so a
  Friday's night ends on Saturday morning), a position jittered around the site and a
  reporting organisation, visibility and Swedish description by rules.

Each day is drawn from its own generator, seeded with (seed, day): a day's events are the same
whatever window is asked for, so re-running tomorrow adds tomorrow and nothing else. Event
number n is YYYYMMDD·10⁴ + k (the k-th event of that day), external id "demo:<seed>:<n>".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import numpy as np

from trygg.demo import world
from trygg.demo.texts import SURFACES, TEMPLATES

STOCKHOLM = ZoneInfo("Europe/Stockholm")
SOURCE = "demo"

# --- hour-of-day profiles (weights for 00, 01, ... 23) ------------------------------------
# fmt: off
HOURS: dict[str, tuple[float, ...]] = {
    # Graffiti, smashed glass, vandalism: late evening and night.
    "night": (6, 5, 4, 3, 1.5, .5, .2, .2, .2, .2, .3, .3,
              .4, .4, .5, .6, .8, 1, 1.5, 2.5, 3.5, 4.5, 5.5, 6),
    # Gatherings: afternoon into evening.
    "evening": (1.5, .8, .3, .1, .1, .1, .1, .2, .3, .4, .5, .7,
                .9, 1, 1.4, 2, 2.8, 3.5, 4.5, 5, 5, 4.5, 3.5, 2.5),
    # Bars closing: fights and noise peak after midnight.
    "late_night": (6, 6, 5, 3, 1, .3, .1, .1, .1, .1, .1, .2,
                   .2, .2, .3, .4, .5, .7, 1, 1.5, 2, 3, 4, 5),
    # Mopeds and cars: summer evenings.
    "motor": (.8, .4, .2, .1, .1, .1, .1, .1, .2, .3, .4, .6,
              .8, 1, 1.2, 1.6, 2.2, 3, 4, 5, 5, 4, 2.5, 1.5),
    # Fires: evening and night.
    "fire": (3, 2.5, 2, 1.2, .6, .3, .2, .2, .3, .4, .5, .6,
             .8, 1, 1.2, 1.4, 1.7, 2, 2.6, 3.2, 4, 4.5, 4.5, 4),
    # Found and reported by staff on their rounds: working hours.
    "work": (.1, .1, .1, .1, .1, .1, .5, 2, 4, 4, 4, 3,
             2.5, 3.5, 3.5, 3, 2, .8, .5, .4, .4, .3, .2, .1),
    # Litter: morning rounds after the night, some in the evening.
    "morning": (.3, .2, .1, .1, .2, .8, 2.5, 4, 4.5, 4, 3, 2,
                1.5, 1.2, 1, 1, 1, 1, 1, 1, .8, .6, .5, .4),
}
# --- weekday profiles (Monday ... Sunday) --------------------------------------------------
WEEKDAYS: dict[str, tuple[float, ...]] = {
    "flat": (1, 1, 1, 1, 1, 1, 1),
    # Friday and Saturday nights (their small hours fall on Saturday and Sunday).
    "weekend": (.8, .8, .9, 1, 1.5, 1.7, 1.1),
    # Wednesday is a student night in Karlstad; Friday and Saturday carry the rest.
    "nightlife": (.3, .3, .8, .8, 2.4, 3, .4),
    "workdays": (1.35, 1.35, 1.35, 1.35, 1.2, .2, .2),
    # Litter is found after the weekend.
    "after_weekend": (1.4, .9, .9, .9, 1, 1, 1.3),
}
# --- seasonal curves (mid-January ... mid-December), normalised to mean 1 -------------------
SEASONS: dict[str, tuple[float, ...]] = {
    "flat": (1,) * 12,
    "summer": (.6, .6, .7, .9, 1.1, 1.4, 1.5, 1.4, 1.1, .9, .7, .6),
    "mild_summer": (.8, .8, .9, 1, 1.1, 1.2, 1.2, 1.2, 1.1, 1, .9, .8),
    # Lighting complaints follow the dark.
    "dark": (1.8, 1.5, 1.1, .6, .3, .2, .2, .4, .8, 1.3, 1.8, 2),
    # Bushes block the view when they are in leaf.
    "green": (.1, .1, .2, .5, 1.3, 2, 2.2, 2, 1.5, .8, .2, .1),
    # Cold weather drives gatherings indoors.
    "indoor": (1.4, 1.4, 1.2, 1, .8, .6, .5, .7, .9, 1.1, 1.3, 1.5),
    # Grass and brush fires in the dry spring.
    "spring": (.7, .7, .9, 1.5, 1.3, 1.1, 1, 1, .9, .8, .8, 1),
    "motor": (.2, .2, .4, .9, 1.6, 1.9, 2, 1.8, 1.2, .7, .3, .2),
}
# fmt: on


@dataclass(frozen=True)
class Pattern:
    """When a category happens: hour, weekday and season profiles, and special days."""

    hours: str
    weekdays: str
    season: str
    youth: bool = False  # more during school holidays
    valborg: float = 0.0  # extra multiple at the peak of Valborg (30 April)
    new_year: float = 0.0  # extra multiple at the peak of New Year's Eve


PATTERNS: dict[str, Pattern] = {
    "skadegorelse.klotter": Pattern("night", "weekend", "mild_summer", youth=True),
    "skadegorelse.glaskross": Pattern("night", "weekend", "flat", True, valborg=1, new_year=1.5),
    "skadegorelse.brand": Pattern("fire", "weekend", "spring", True, valborg=6, new_year=8),
    "skadegorelse.brand_fordon": Pattern("night", "weekend", "flat", valborg=2, new_year=6),
    "skadegorelse.annan": Pattern("night", "weekend", "flat", True, new_year=2),
    "samling.trapphus": Pattern("evening", "weekend", "indoor", youth=True),
    "samling.kallare_vind": Pattern("evening", "weekend", "indoor", youth=True),
    "samling.kopcentrum": Pattern("evening", "weekend", "indoor", youth=True),
    "samling.garage": Pattern("evening", "weekend", "indoor", youth=True),
    "samling.utomhus": Pattern("evening", "weekend", "summer", youth=True, valborg=2),
    "ordning.brak": Pattern("late_night", "nightlife", "flat", valborg=1.5, new_year=1.5),
    "ordning.vald": Pattern("late_night", "nightlife", "flat", valborg=1, new_year=1),
    "ordning.drog": Pattern("evening", "flat", "flat"),
    "ordning.motorburen": Pattern("motor", "weekend", "motor", youth=True),
    "ordning.olovligt_boende": Pattern("work", "workdays", "indoor"),
    "ordning.annat": Pattern("evening", "weekend", "flat", valborg=2, new_year=4),
    "otrygg_plats.belysning": Pattern("work", "workdays", "dark"),
    "otrygg_plats.skymd_sikt": Pattern("work", "workdays", "green"),
    "otrygg_plats.odsligt": Pattern("evening", "flat", "dark"),
    "otrygg_plats.nedskrapning": Pattern(
        "morning", "after_weekend", "summer", valborg=3, new_year=2
    ),
    "arrangemang": Pattern("evening", "weekend", "summer"),
}
CATEGORIES: tuple[str, ...] = tuple(PATTERNS)
FIRES = frozenset({"skadegorelse.brand", "skadegorelse.brand_fordon"})

# --- yearly rates per site, by profile ----------------------------------------------------
PROFILES: dict[str, dict[str, float]] = {
    "station": {
        "skadegorelse.klotter": 50,
        "skadegorelse.glaskross": 25,
        "skadegorelse.annan": 30,
        "samling.utomhus": 140,
        "ordning.brak": 35,
        "ordning.drog": 30,
        "ordning.annat": 45,
        "otrygg_plats.nedskrapning": 70,
        "otrygg_plats.belysning": 6,
        "otrygg_plats.odsligt": 10,
    },
    "tunnel": {
        "skadegorelse.klotter": 20,
        "skadegorelse.annan": 5,
        "samling.utomhus": 6,
        "otrygg_plats.belysning": 10,
        "otrygg_plats.odsligt": 10,
        "otrygg_plats.nedskrapning": 8,
        "otrygg_plats.skymd_sikt": 2,
    },
    "square": {
        "skadegorelse.klotter": 25,
        "skadegorelse.glaskross": 12,
        "skadegorelse.annan": 10,
        "samling.utomhus": 35,
        "ordning.brak": 12,
        "ordning.annat": 15,
        "otrygg_plats.nedskrapning": 45,
        "otrygg_plats.belysning": 4,
        "arrangemang": 6,
    },
    "shopping": {
        "samling.kopcentrum": 45,
        "skadegorelse.klotter": 12,
        "skadegorelse.glaskross": 5,
        "skadegorelse.annan": 6,
        "ordning.annat": 12,
        "ordning.drog": 6,
        "otrygg_plats.nedskrapning": 15,
    },
    "centre": {
        "samling.utomhus": 30,
        "samling.kopcentrum": 20,
        "skadegorelse.klotter": 18,
        "skadegorelse.glaskross": 8,
        "skadegorelse.annan": 8,
        "ordning.motorburen": 18,
        "ordning.brak": 6,
        "ordning.drog": 6,
        "otrygg_plats.nedskrapning": 18,
        "otrygg_plats.belysning": 4,
        "skadegorelse.brand": 2,
    },
    "nightlife": {
        "ordning.brak": 55,
        "ordning.vald": 14,
        "ordning.annat": 30,
        "skadegorelse.glaskross": 25,
        "otrygg_plats.nedskrapning": 45,
        "samling.utomhus": 15,
        "ordning.drog": 6,
    },
    "park": {
        "samling.utomhus": 20,
        "skadegorelse.klotter": 10,
        "skadegorelse.glaskross": 10,
        "skadegorelse.annan": 6,
        "skadegorelse.brand": 3,
        "otrygg_plats.nedskrapning": 30,
        "otrygg_plats.belysning": 5,
        "otrygg_plats.skymd_sikt": 6,
        "otrygg_plats.odsligt": 4,
        "arrangemang": 3,
    },
    "retail": {
        "ordning.motorburen": 25,
        "samling.utomhus": 8,
        "skadegorelse.brand_fordon": 2,
        "skadegorelse.glaskross": 4,
        "otrygg_plats.nedskrapning": 10,
        "skadegorelse.klotter": 4,
    },
    "youth_centre": {
        "samling.utomhus": 20,
        "ordning.annat": 8,
        "skadegorelse.klotter": 6,
        "skadegorelse.glaskross": 3,
        "ordning.motorburen": 6,
        "ordning.brak": 3,
    },
    "school_yard": {
        "skadegorelse.klotter": 12,
        "skadegorelse.glaskross": 8,
        "skadegorelse.annan": 8,
        "skadegorelse.brand": 3,
        "samling.utomhus": 12,
        "ordning.motorburen": 3,
        "otrygg_plats.nedskrapning": 8,
        "otrygg_plats.belysning": 2,
    },
    "stairwell": {
        "samling.trapphus": 28,
        "samling.kallare_vind": 6,
        "skadegorelse.klotter": 10,
        "skadegorelse.annan": 8,
        "skadegorelse.brand": 1.5,
        "otrygg_plats.nedskrapning": 6,
        "otrygg_plats.belysning": 3,
        "ordning.olovligt_boende": 1,
    },
    "yard": {
        "samling.utomhus": 10,
        "skadegorelse.klotter": 6,
        "skadegorelse.glaskross": 3,
        "skadegorelse.annan": 4,
        "skadegorelse.brand": 2,
        "skadegorelse.brand_fordon": 1.5,
        "otrygg_plats.nedskrapning": 8,
        "otrygg_plats.belysning": 3,
        "otrygg_plats.skymd_sikt": 3,
        "ordning.motorburen": 3,
    },
    "parking": {
        "samling.garage": 12,
        "skadegorelse.brand_fordon": 4,
        "skadegorelse.glaskross": 6,
        "skadegorelse.annan": 4,
        "skadegorelse.klotter": 4,
        "ordning.motorburen": 8,
        "otrygg_plats.belysning": 3,
    },
    "playground": {
        "skadegorelse.klotter": 2,
        "skadegorelse.glaskross": 1.5,
        "skadegorelse.annan": 1.2,
        "skadegorelse.brand": 0.4,
        "samling.utomhus": 1,
        "otrygg_plats.nedskrapning": 1.5,
        "otrygg_plats.belysning": 0.4,
        "otrygg_plats.skymd_sikt": 0.4,
    },
    # Everything in a district not at a named place: electrical cabinets, bus shelters, paths.
    "district": {
        "skadegorelse.klotter": 10,
        "skadegorelse.annan": 5,
        "skadegorelse.glaskross": 3,
        "skadegorelse.brand": 1.5,
        "skadegorelse.brand_fordon": 1.5,
        "samling.utomhus": 4,
        "ordning.motorburen": 4,
        "otrygg_plats.belysning": 4,
        "otrygg_plats.skymd_sikt": 3,
        "otrygg_plats.nedskrapning": 6,
        "otrygg_plats.odsligt": 1,
    },
}

HOLIDAY_FACTOR = 1.5
SPECIAL_DAY_SD = 1.5  # days: the width of the Valborg and New Year bumps
SPORTLOV_WEEK = 9  # Värmland's winter sports holiday (ISO week)
HOSTLOV_WEEK = 44

# Reporters who walk Friday and Saturday evenings: a share of the gatherings and disorder then.
EVENING_WALK_CATEGORIES = frozenset(
    {"samling.utomhus", "samling.kopcentrum", "ordning.brak", "ordning.annat", "ordning.drog"}
)
EVENING_WALK_SHARE = 0.6
# Profiles on public ground where broken street lights belong to the energy company.
STREET_LIGHT_PROFILES = frozenset({"station", "tunnel", "square", "centre", "district", "retail"})


@dataclass(frozen=True)
class Site:
    """Where events are generated: a place (or a district's representative point)."""

    key: str  # a place's external id, or "district:<area code>"
    profile: str  # a key of PROFILES
    kind: str  # Place.Kind value, or "district": picks the description's surfaces
    x: float  # SWEREF 99 TM, metres
    y: float
    manager: str | None = None  # organisation code
    weight: float = 1.0
    jitter_m: float = 30.0


@dataclass(frozen=True)
class GeneratedEvent:
    seed: int
    n: int
    category: str
    occurred_from: dt.datetime  # aware, Europe/Stockholm
    x: float  # SWEREF 99 TM, jittered around the site
    y: float
    site: str  # Site.key
    organisation: str  # organisation code of the reporter
    visibility: str  # Event visibility value
    description: str

    @property
    def external_id(self) -> str:
        return f"demo:{self.seed}:{self.n}"


def generate(
    sites: Sequence[Site],
    start: dt.date,
    end: dt.date,
    seed: int,
    now: dt.datetime | None = None,
) -> list[GeneratedEvent]:
    """Events on the days start <= day < end (none after `now`), ordered by day and number."""
    if seed < 0:
        raise ValueError("the seed must be a non-negative integer")
    if end <= start or not sites:
        return []
    site_idx, cat_idx, base = _pairs(sites)
    days = [start + dt.timedelta(days=i) for i in range((end - start).days)]
    factors = day_factors(days)  # (days, categories)
    cdf = _hour_cdfs()
    events: list[GeneratedEvent] = []
    for d, day in enumerate(days):
        rng = np.random.default_rng([seed, day.toordinal()])
        counts = rng.poisson(base * factors[d, cat_idx])
        which = np.repeat(np.arange(len(base)), counts)
        events.extend(_events_of_day(rng, day, seed, sites, site_idx[which], cat_idx[which], cdf))
    if now is not None:
        events = [e for e in events if e.occurred_from <= now]
    return events


def _pairs(sites: Sequence[Site]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(site index, category index, expected events per ordinary day) for every rate > 0."""
    site_idx, cat_idx, base = [], [], []
    for s, site in enumerate(sites):
        for code, rate in PROFILES[site.profile].items():
            site_idx.append(s)
            cat_idx.append(CATEGORIES.index(code))
            base.append(rate * site.weight / 365.0)
    return np.array(site_idx), np.array(cat_idx), np.array(base)


def day_factors(days: Sequence[dt.date]) -> np.ndarray:
    """Multiplier of the base rate per day and category (season × weekday × holiday × bumps)."""
    doy = np.array([d.timetuple().tm_yday for d in days], dtype=float)
    weekday = np.array([d.weekday() for d in days])
    holiday = np.array([is_school_holiday(d) for d in days])
    valborg = _bump(days, 4, 30)
    new_year = _bump(days, 12, 31)
    mid_month = np.array([15.5 + 30.4 * m for m in range(12)])
    out = np.empty((len(days), len(CATEGORIES)))
    for c, code in enumerate(CATEGORIES):
        p = PATTERNS[code]
        season = np.array(SEASONS[p.season], dtype=float)
        season = np.interp(doy, mid_month, season / season.mean(), period=365)
        week = np.array(WEEKDAYS[p.weekdays], dtype=float)
        factor = season * (week / week.mean())[weekday]
        if p.youth:
            factor = factor * np.where(holiday, HOLIDAY_FACTOR, 1.0)
        out[:, c] = factor * (1 + p.valborg * valborg + p.new_year * new_year)
    return out


def _bump(days: Sequence[dt.date], month: int, day: int) -> np.ndarray:
    """A bell of height 1 around the nearest (month, day), SPECIAL_DAY_SD days wide."""
    gaps = []
    for d in days:
        gap = min(abs((d - dt.date(y, month, day)).days) for y in (d.year - 1, d.year, d.year + 1))
        gaps.append(gap)
    return np.exp(-0.5 * (np.array(gaps, dtype=float) / SPECIAL_DAY_SD) ** 2)


def easter_sunday(year: int) -> dt.date:
    """Gregorian Easter (the anonymous Gregorian algorithm, Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def is_school_holiday(day: dt.date) -> bool:
    """Sport-, påsk-, sommar-, höst- and jullov as Värmland's schools usually have them."""
    week = day.isocalendar().week
    if week in (SPORTLOV_WEEK, HOSTLOV_WEEK):
        return True
    easter_monday = easter_sunday(day.year) + dt.timedelta(days=1)
    if easter_monday <= day <= easter_monday + dt.timedelta(days=4):
        return True
    if dt.date(day.year, 6, 13) <= day <= dt.date(day.year, 8, 17):
        return True
    return day >= dt.date(day.year, 12, 21) or day <= dt.date(day.year, 1, 7)


def _hour_cdfs() -> np.ndarray:
    """(categories, 24) cumulative hour distributions."""
    rows = []
    for code in CATEGORIES:
        weights = np.array(HOURS[PATTERNS[code].hours], dtype=float)
        rows.append(np.cumsum(weights) / weights.sum())
    return np.array(rows)


def _events_of_day(rng, day, seed, sites, site_idx, cat_idx, cdf) -> list[GeneratedEvent]:
    n = len(site_idx)
    if n == 0:
        return []
    hours = (rng.random(n)[:, None] > cdf[cat_idx]).sum(axis=1)
    minutes = rng.integers(0, 60, n)
    jitter = np.clip(rng.standard_normal((n, 2)), -2.5, 2.5)
    choice = rng.random((n, 4))
    events = []
    for k in range(n):
        site, code, hour = sites[site_idx[k]], CATEGORIES[cat_idx[k]], int(hours[k])
        # Hours before 06:00 belong to the night after the day.
        date = day + dt.timedelta(days=1) if hour < 6 else day
        moment = dt.datetime.combine(date, dt.time(hour, int(minutes[k])), tzinfo=STOCKHOLM)
        social_weekday = day.weekday()
        events.append(
            GeneratedEvent(
                seed=seed,
                n=int(day.strftime("%Y%m%d")) * 10_000 + k,
                category=code,
                occurred_from=moment,
                x=float(site.x + jitter[k, 0] * site.jitter_m),
                y=float(site.y + jitter[k, 1] * site.jitter_m),
                site=site.key,
                organisation=reporter(site, code, hour, social_weekday, choice[k, 0]),
                visibility=visibility(code, choice[k, 1]),
                description=describe(site, code, choice[k, 2], choice[k, 3]),
            )
        )
    return events


def reporter(site: Site, code: str, hour: int, weekday: int, u: float) -> str:
    """The organisation that would see and report this event at this site and time."""
    if code in FIRES:
        return world.RADDNINGSTJANST
    evening = hour >= 19 or hour < 2
    walking = code in EVENING_WALK_CATEGORIES and weekday in (4, 5) and evening
    if walking and u < EVENING_WALK_SHARE:
        return world.VUXNA_FOR_TRYGGHET
    if site.manager == world.KBAB:
        return world.KBAB
    if site.profile == "school_yard":
        return world.BARN_UNGDOM
    if code == "otrygg_plats.belysning":
        return world.ENERGI if site.profile in STREET_LIGHT_PROFILES else world.TEKNIK
    if site.profile == "station":
        return world.TEKNIK if code == "otrygg_plats.nedskrapning" else world.KARLSTADSBUSS
    if code.startswith(("samling.", "ordning.")) and site.profile in ("centre", "youth_centre"):
        return world.KULTUR_FRITID
    if code.startswith(("samling.", "ordning.")) and site.profile in ("shopping", "retail"):
        return world.KULTUR_FRITID if code.startswith("samling.") else world.KOMMUNLEDNING
    if code.startswith("ordning.") and site.profile == "nightlife":
        # Municipal guards (kommunväktare) report to the municipality's safety office.
        return world.KOMMUNLEDNING
    return site.manager or world.TEKNIK


# Categories about people's behaviour: never public, sometimes the reporter's own.
SENSITIVE = frozenset({"ordning.drog", "ordning.vald", "ordning.olovligt_boende"})
# Categories about the physical place: often public, so residents see that it is known.
PHYSICAL = frozenset(
    {
        "skadegorelse.klotter",
        "otrygg_plats.belysning",
        "otrygg_plats.skymd_sikt",
        "otrygg_plats.odsligt",
        "otrygg_plats.nedskrapning",
        "arrangemang",
    }
)


def visibility(code: str, u: float) -> str:
    """Mostly partners; physical faults often public; sensitive ones sometimes own-only."""
    if code in SENSITIVE:
        return "organisation" if u < 0.15 else "partners"
    if code in PHYSICAL:
        return "public" if u < 0.3 else ("organisation" if u > 0.97 else "partners")
    return "public" if u < 0.08 else ("organisation" if u > 0.95 else "partners")


def describe(site: Site, code: str, u: float, v: float) -> str:
    """A short Swedish description from the category's templates (no personal data)."""
    templates = TEMPLATES[code]
    surfaces = SURFACES.get(site.kind, SURFACES["other"])
    template = templates[int(u * len(templates))]
    return template.format(yta=surfaces[int(v * len(surfaces))])
