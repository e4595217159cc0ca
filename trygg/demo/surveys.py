"""The demo's two safety surveys of Karlstad, 2022 and 2024 (issue 13, point 9), over the 31
RegSO sub-areas, written through the surveys' own actions as an analyst's files would be:
`create_survey`, an SCB population table (`import_population`), the sample sizes
(`set_sample_sizes`) and one response file per survey (`import_responses`).

What the answers follow (docs/demo.md, *Safety surveys*):
- feeling unsafe out late, avoiding going out, worry about assault and the problem index rise
  with the sub-area's *evening pressure*: its rank among the sub-areas in evening violence and
  disorder events per resident, counted from the demo's own events in the RegSO polygons; each
  problem item also follows its own categories' events (litter felt where litter is reported);
- women feel more unsafe than men, the oldest worry more and more often never go out late;
- 2024 is a little better than 2022 almost everywhere, clearly better in the two sub-areas
  where the promise's measures were concentrated and clearly worse in one;
- the response rate is near the police's 50–65 %, lower among the young; each item is skipped
  by 3–8 % and "vet ej" is an answer too.

Deterministic: a survey's draws come from `numpy.random.default_rng((seed, year))` over the
sub-areas in code order; the events only rank the sub-areas. A survey already there (same
municipality, year and name) is left as it is, so loading again adds nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field

import numpy as np
from django.contrib.auth import get_user_model
from django.utils import timezone
from scipy.stats import rankdata

from trygg.demo.loader import Counts
from trygg.events.categories import CategoryTree
from trygg.events.daily_counts import counted
from trygg.events.models import Event
from trygg.places.geo import PolygonIndex
from trygg.places.index import AREA_PRECISION_LIMIT_M
from trygg.places.models import Area, Municipality
from trygg.surveys.actions.frame import import_population, set_sample_sizes
from trygg.surveys.actions.responses import import_responses
from trygg.surveys.actions.surveys import create_survey
from trygg.surveys.models import DEFAULT_AGE_GROUPS, Item, Questionnaire, Survey
from trygg.surveys.questionnaire_seed import QUESTIONNAIRE

YEARS = (2022, 2024)
NAME = "Trygghetsmätning Karlstad"
ANALYST = "samordnare"  # the coordinator fields the survey with the police
# The police draw about 1,500 per municipality over a handful of delområden. Reporting 31
# sub-areas with at least 30 answers each takes about twice that: every sub-area gets a floor
# and the rest is spread by population.
SAMPLE_TOTAL = 3000
SAMPLE_FLOOR = 60
MIN_PER_CELL = 5  # drawn per sex × age group, so no post-stratification cell goes empty
MAX_AGE = 100  # SCB's last one-year row is "100+ år"
# Response rates by age group (16-24, 25-44, 45-64, 65-85) and the fall between the two years.
RESPONSE = (0.38, 0.50, 0.63, 0.72)
RESPONSE_FALL_2024 = 0.03
# The evening: the generator's gatherings, fights and violence happen 17–03.
EVENING_FROM, EVENING_TO = 18, 4
EVENING_CATEGORIES = ("ordning.vald", "ordning.brak", "samling", "polis.brott_person")
RURAL_WORDS = ("omland", "landsbygd", "molkom", "vålberg", "väse", "edsvalla", "skattkärr")
YOUNG_WORDS = ("kronoparken", "sundsta", "klara", "tingvalla", "herrhagen")
# 2024 against 2022, on the latent scale: where measures worked, where it got worse.
BETTER_2024 = ("1780R026", "1780R019")  # Tingvallastaden-Haga, Rud nordöstra
WORSE_2024 = ("1780R017",)  # Orrholmen
TREND_2024 = -0.15


@dataclass(frozen=True)
class SubArea:
    code: str
    name: str
    pressure: float  # 0 (least evening violence and disorder per resident) … 1 (most)
    item_pressure: dict[str, float] = field(default_factory=dict)  # problem item code -> 0…1


@dataclass
class Plan:
    """One survey's files: the SCB table, the sample per sub-area code and the responses."""

    population: bytes
    sample: dict[str, int]
    responses: bytes
    respondents: int


# --- the population --------------------------------------------------------------------------


def population(area: SubArea, seed: int, year: int) -> np.ndarray:
    """People by sex (0 women, 1 men) × one-year age 0–100 in one sub-area: a Swedish age
    profile tilted by the kind of area (students in town, families and the old in the
    villages), a few hundred to a few thousand people. The same both years but for growth."""
    rng = np.random.default_rng([seed, int(area.code[-3:])])
    name = area.name.casefold()
    age = np.arange(MAX_AGE + 1, dtype=np.float64)
    profile = np.where(age < 65, 1.0, np.exp(-(age - 65) / 11))
    if any(word in name for word in RURAL_WORDS):
        total = int(rng.integers(1200, 3400))
        profile *= np.where((age >= 19) & (age <= 34), 0.65, 1.0) * np.where(age >= 50, 1.2, 1.0)
    elif any(word in name for word in YOUNG_WORDS):
        total = int(rng.integers(2600, 6200))
        profile += 2.4 * np.exp(-0.5 * ((age - 24) / 4.5) ** 2)
    else:
        total = int(rng.integers(1800, 5200))
    if year > YEARS[0]:
        total = int(total * (1 + 0.012 * (year - YEARS[0])))
    women = np.clip(0.5 + 0.25 * np.maximum(age - 70, 0) / 30, 0.45, 0.75)
    shares = np.concatenate([profile * women, profile * (1 - women)])
    counts = rng.multinomial(int(total), shares / shares.sum())
    return counts.reshape(2, MAX_AGE + 1)


def population_csv(areas: list[SubArea], people: dict[str, np.ndarray], year: int) -> bytes:
    """SCB's layout, one row per region × sex × one-year age, as Statistikdatabasen exports."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(["region", "kön", "ålder", str(year)])
    for area in areas:
        for sex, word in ((0, "kvinnor"), (1, "män")):
            for age in range(MAX_AGE + 1):
                label = f"{age}+ år" if age == MAX_AGE else f"{age} år"
                writer.writerow(
                    [f"{area.code} {area.name}", word, label, int(people[area.code][sex, age])]
                )
    return out.getvalue().encode("utf-8")


# --- the sample and who answers --------------------------------------------------------------


def age_bands() -> list[tuple[str, int, int]]:
    bands = []
    for group in DEFAULT_AGE_GROUPS:
        low, high = (int(part) for part in group.split("-"))
        bands.append((group, low, high))
    return bands


def sample_sizes(areas: list[SubArea], people: dict[str, np.ndarray]) -> dict[str, int]:
    """A floor per sub-area and the rest by its population aged 16–85."""
    adults = {a.code: int(people[a.code][:, 16:86].sum()) for a in areas}
    rest = SAMPLE_TOTAL - SAMPLE_FLOOR * len(areas)
    total = sum(adults.values()) or 1
    return {code: SAMPLE_FLOOR + round(rest * n / total) for code, n in adults.items()}


@dataclass(frozen=True)
class Person:
    """One sampled resident who answered: the only things the file says about them."""

    area: SubArea
    woman: bool
    group: int  # index into DEFAULT_AGE_GROUPS


def respondents(
    area: SubArea, people: np.ndarray, size: int, year: int, rng: np.random.Generator
) -> list[Person]:
    """Draw `size` residents aged 16–85 (at least MIN_PER_CELL in each sex × age group, as a
    stratified draw would), then who answers. A cell left without any answer gets one from a
    reminder, as the vendors' reminders aim at: an empty cell cannot be post-stratified."""
    bands = age_bands()
    cells = [(sex, g) for sex in (0, 1) for g in range(len(bands))]
    in_cell = np.array([people[sex, bands[g][1] : bands[g][2] + 1].sum() for sex, g in cells])
    drawn = np.full(len(cells), MIN_PER_CELL) * (in_cell > 0)
    extra = max(size - int(drawn.sum()), 0)
    if in_cell.sum():
        drawn = drawn + rng.multinomial(extra, in_cell / in_cell.sum())
    drawn = np.minimum(drawn, in_cell)
    fall = RESPONSE_FALL_2024 if year > YEARS[0] else 0.0
    result = []
    for (sex, group), n in zip(cells, drawn, strict=True):
        rate = RESPONSE[group] + (0.03 if sex == 0 else -0.03) - fall
        answered = int(rng.binomial(int(n), rate))
        if n and not answered:
            answered = 1
        result += [Person(area, sex == 0, group)] * answered
    return result


# --- the answers ---------------------------------------------------------------------------


def answers(person: Person, items: list[Item], year: int, rng: np.random.Generator) -> dict:
    """One respondent's answer codes (item code -> code, absent when skipped)."""
    area = person.area
    shift = 0.0
    if year > YEARS[0]:
        shift = TREND_2024
        if area.code in BETTER_2024:
            shift = -0.9
        elif area.code in WORSE_2024:
            shift = 1.1
    own = rng.normal(0.0, 0.8)  # how this person sees things, across all items
    pressure = area.pressure - 0.5
    woman, old = float(person.woman), person.group / 3  # 0 for 16-24 … 1 for 65-85
    victim = {
        "utsatt_stold": _yes(rng, -2.5 + 0.8 * pressure + 0.3 * (1 - old)),
        "utsatt_skadegorelse": _yes(rng, -2.7 + 1.0 * pressure),
        "utsatt_vald": _yes(rng, -3.1 + 1.2 * pressure + 1.0 * (1 - old) * (1 - woman)),
    }
    result: dict[str, str] = {}
    for item in items:
        code = _answer(item, person, pressure, woman, old, shift, own, victim, rng)
        if code is not None and rng.random() >= _skipped(item, old):
            result[item.code] = code
    return result


def _answer(item, person, pressure, woman, old, shift, own, victim, rng) -> str | None:
    if item.kind == "problem":
        level = 0.6 * pressure + 0.4 * (person.area.item_pressure.get(item.code, 0.5) - 0.5)
        base = PROBLEM_BASE.get(item.code, 0.0)
        if rng.random() < DONT_KNOW.get(item.code, 0.05):
            return "9"
        latent = base + 3.0 * level + 0.4 * own + 0.6 * shift + rng.logistic()
        return str(1 + int(np.searchsorted((0.3, 2.0, 3.4), latent)))
    if item.code == "otrygg_kvall":
        never = 0.03 + 0.12 * old**2 + 0.05 * woman * old
        if rng.random() < never:
            return "5"
        if rng.random() < 0.02:
            return "9"
        latent = 3.2 * pressure + 1.1 * woman + 0.4 * old + own + shift + rng.logistic()
        return str(1 + int(np.searchsorted((-0.3, 2.0, 3.6), latent)))
    if item.code == "avstar":
        return "1" if _yes(rng, -2.0 + 1.8 * pressure + 0.6 * woman + 0.6 * own + shift) else "2"
    if item.kind == "worry":
        violent = item.code == "oro_overfall"
        latent = (
            (1.8 * pressure if violent else 0.4 * pressure)
            + (0.6 * woman if violent else 0.1 * woman)
            + 1.0 * old
            + 0.7 * own
            + 0.5 * shift
            + rng.logistic()
        )
        if rng.random() < 0.02:
            return "9"
        return str(1 + int(np.searchsorted((-0.8, 0.8, 2.6), latent)))
    if item.kind == "victim":
        return "1" if victim.get(item.code) else "2"
    if item.kind == "reported":
        if not any(victim.values()):
            return "8"
        return "1" if rng.random() < (0.55 if victim.get("utsatt_vald") else 0.42) else "2"
    if item.kind == "police":
        if rng.random() < 0.08:
            return "9"
        latent = -1.2 * pressure + 0.6 * old - 0.3 * own + rng.logistic()
        return str(4 - int(np.searchsorted((-1.6, 0.2, 1.8), latent)))
    return None  # an item the demo does not know: left unanswered


def _yes(rng: np.random.Generator, logit: float) -> bool:
    return bool(rng.random() < 1 / (1 + np.exp(-logit)))


def _skipped(item: Item, old: float) -> float:
    """3–8 % of answers are missing; the oldest skip a little more."""
    return 0.03 + 0.03 * (item.order % 3) / 2 + 0.02 * old


# Speeding and litter are what most neighbourhoods name; drug dealing and burglary the least.
PROBLEM_BASE = {
    "fortkorning": 1.6,
    "mopeder": 0.9,
    "storande_grupper": 0.3,
    "nedskrapning": 1.2,
    "klotter": 0.4,
    "skadegorelse": 0.3,
    "berusade": 0.0,
    "narkotikaforsaljning": -0.8,
    "morka_platser": 0.8,
    "bostadsinbrott": 0.2,
}
DONT_KNOW = {"narkotikaforsaljning": 0.16, "bostadsinbrott": 0.08, "berusade": 0.07}


def responses_csv(people: list[Person], items: list[Item], year: int, rng) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(["delomrade", "kon", "aldersgrupp"] + [item.code for item in items])
    for person in people:
        given = answers(person, items, year, rng)
        writer.writerow(
            [
                person.area.code,
                "kvinna" if person.woman else "man",
                DEFAULT_AGE_GROUPS[person.group],
            ]
            + [given.get(item.code, "") for item in items]
        )
    return out.getvalue().encode("utf-8")


def plan(areas: list[SubArea], items: list[Item], *, seed: int, year: int) -> Plan:
    """Everything one survey's files hold, drawn from (seed, year) alone."""
    people = {area.code: population(area, seed, year) for area in areas}
    sizes = sample_sizes(areas, people)
    rng = np.random.default_rng([seed, year])
    answered: list[Person] = []
    for area in areas:
        answered += respondents(area, people[area.code], sizes[area.code], year, rng)
    order = rng.permutation(len(answered))  # a file in the order the answers came in
    answered = [answered[i] for i in order]
    return Plan(
        population=population_csv(areas, people, year),
        sample=sizes,
        responses=responses_csv(answered, items, year, rng),
        respondents=len(answered),
    )


# --- the events behind the pattern ---------------------------------------------------------


def sub_areas(municipality: Municipality, items: list[Item], seed: int) -> list[SubArea]:
    """The current RegSO sub-areas, in code order, ranked by the demo's events in them."""
    areas = list(
        Area.objects.current()
        .filter(municipality=municipality, kind=Area.Kind.SUB_AREA)
        .order_by("code")
    )
    if not areas:
        return []
    people = {
        a.code: int(population(SubArea(a.code, a.name, 0.5), seed, YEARS[0]).sum()) for a in areas
    }
    tree = CategoryTree.load()
    by_code = {category.code: pk for pk, category in tree.categories.items()}

    def ids(codes) -> np.ndarray:
        heads = [by_code[code] for code in codes if code in by_code]
        return np.fromiter(tree.group_of(heads), dtype=np.int64)

    rows = np.array(
        list(
            counted(Event.objects.filter(municipality=municipality))
            .filter(precision_m__lte=AREA_PRECISION_LIMIT_M)
            .order_by()
            .values_list("x", "y", "category_id", "occurred_from")
        ),
        dtype=object,
    ).reshape(-1, 4)
    index = PolygonIndex.build([(k, a.geometry) for k, a in enumerate(areas)])
    where = index.lookup(rows[:, 0].astype(float), rows[:, 1].astype(float))
    category = rows[:, 2].astype(np.int64)
    hours = np.array([_local_hour(moment) for moment in rows[:, 3]], dtype=np.int64)
    evening = (hours >= EVENING_FROM) | (hours < EVENING_TO)

    def ranks(selected: np.ndarray) -> np.ndarray:
        found = np.bincount(where[selected & (where >= 0)], minlength=len(areas))
        per_resident = found / np.array([max(people[a.code], 1) for a in areas])
        return (rankdata(per_resident) - 1) / max(len(areas) - 1, 1)

    general = ranks(evening & np.isin(category, ids(EVENING_CATEGORIES)))
    per_item = {
        item.code: ranks(np.isin(category, ids(item.category_codes)))
        for item in items
        if item.kind == "problem" and item.category_codes
    }
    return [
        SubArea(
            area.code,
            area.name,
            float(general[k]),
            {code: float(values[k]) for code, values in per_item.items()},
        )
        for k, area in enumerate(areas)
    ]


def _local_hour(moment: dt.datetime) -> int:
    return timezone.localtime(moment).hour


# --- writing -------------------------------------------------------------------------------


def load_surveys(municipality: Municipality, today: dt.date, *, seed: int) -> Counts:
    """The surveys of 2022 and 2024 through the surveys' actions; one already there is kept."""
    counts = Counts()
    missing = [
        year
        for year in YEARS
        if not Survey.objects.filter(municipality=municipality, year=year, name=NAME).exists()
    ]
    counts.updated = len(YEARS) - len(missing)
    if not missing:
        return counts
    questionnaires = {
        q.version: q
        for q in Questionnaire.objects.filter(code=QUESTIONNAIRE["code"], version__in=missing)
    }
    user = get_user_model().objects.get(username=ANALYST)
    items_of = {year: list(questionnaires[year].items.all()) for year in missing}
    areas = sub_areas(municipality, items_of[missing[0]], seed)
    if not areas:
        counts.notes.append("inga delområden (RegSO) i kommunen: mätningarna hoppades över")
        return counts
    area_ids = dict(
        Area.objects.current()
        .filter(municipality=municipality, kind=Area.Kind.SUB_AREA)
        .values_list("code", "pk")
    )
    for year in missing:
        drawn = plan(areas, items_of[year], seed=seed, year=year)
        survey = create_survey(
            municipality=municipality,
            questionnaire=questionnaires[year],
            year=year,
            name=NAME,
            acting_user=user,
            this_year=today.year,
        )
        import_population(
            survey, drawn.population, f"befolkning_regso_{year}.csv", acting_user=user
        )
        set_sample_sizes(
            survey, {area_ids[code]: n for code, n in drawn.sample.items()}, acting_user=user
        )
        import_responses(survey, drawn.responses, f"svar_{year}.csv", acting_user=user)
        sampled = sum(drawn.sample.values())
        counts.created += 1
        counts.notes.append(
            f"{year}: {drawn.respondents} svarande av {sampled} i urvalet "
            f"({drawn.respondents / sampled:.0%}), {len(areas)} delområden"
        )
    return counts
