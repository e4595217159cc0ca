"""The demo municipality's responsibility rules and a handful of measures in every state.

The rules follow how the work is split in a Swedish municipality like Karlstad: the housing
company answers for its stairwells, yards and garages, the street department for public
ground, the energy company for street lights, the school department for school yards, the
police for drugs and violence. Measures are made through the actions, as the coordinator
would, so they have timelines, audit rows and queued notices like real ones.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model

from trygg.demo import world
from trygg.demo.loader import Counts
from trygg.events.models import Category, Event
from trygg.measures import actions
from trygg.measures.models import (
    ActionPlan,
    Measure,
    MeasureKind,
    Meeting,
    ResponsibilityRule,
    Status,
)
from trygg.organisations.models import Organisation
from trygg.places.models import Place

# Shared mailboxes for the notices; `.example` is reserved, so no demo mail reaches anyone.
MAILBOX_DOMAIN = "trygg.example"
EVENTS_PER_MEASURE = 5


@dataclass(frozen=True)
class RuleSpec:
    organisation: str
    category: str | None = None
    place_kind: str = ""
    priority: int = 0
    note: str = ""


RULES: tuple[RuleSpec, ...] = (
    RuleSpec(world.KBAB, place_kind="stairwell", note="KBAB:s trapphus"),
    RuleSpec(world.KBAB, place_kind="yard", note="KBAB:s innergårdar"),
    RuleSpec(world.KBAB, place_kind="parking", note="KBAB:s garage och parkeringar"),
    RuleSpec(world.BARN_UNGDOM, place_kind="school_yard", note="Skolgårdar"),
    RuleSpec(
        world.KARLSTADSBUSS,
        place_kind="station",
        category="ordning.annat",
        note="Ordningsstörning vid hållplatser och resecentrum",
    ),
    RuleSpec(world.TEKNIK, category="otrygg_plats", note="Allmän platsmark: skötsel och röjning"),
    RuleSpec(world.TEKNIK, category="skadegorelse", note="Skadegörelse på allmän plats"),
    RuleSpec(world.ENERGI, category="otrygg_plats.belysning", note="Gatubelysningen"),
    RuleSpec(
        world.POLISEN,
        category="ordning.drog",
        priority=10,
        note="Misstänkt droghantering går alltid till polisen",
    ),
    RuleSpec(world.POLISEN, category="ordning.vald", priority=10, note="Våld"),
    RuleSpec(
        world.RADDNINGSTJANST,
        category="skadegorelse.brand",
        priority=5,
        note="Anlagda bränder: brandförebyggande arbete",
    ),
    RuleSpec(world.KULTUR_FRITID, place_kind="sports", note="Idrottsplatser"),
)


@dataclass(frozen=True)
class MeasureSpec:
    title: str
    place: str  # slug in world.NAMED_PLACES
    category: str
    responsible: str | None
    status: str
    # Days from today: when it was decided, started and done (negative = in the past), due.
    decided: int
    due: int
    started: int | None = None
    done: int | None = None
    cost: int | None = None
    description: str = ""
    kind: str = MeasureKind.OTHER


MEASURES: tuple[MeasureSpec, ...] = (
    MeasureSpec(
        "Bättre belysning i gångtunneln vid Karlstad C",
        "gangtunneln-karlstad-c",
        "otrygg_plats.belysning",
        world.ENERGI,
        Status.IN_PROGRESS,
        -40,
        21,
        started=-20,
        cost=85_000,
        description="Byt armaturer och sätt rörelsestyrd extrabelysning i båda ändarna av tunneln.",
        kind=MeasureKind.LIGHTING,
    ),
    MeasureSpec(
        "Kodlås och nya dörrar i trapphusen, KBAB Kronoparken",
        "kbab-kronoparken-trapphus",
        "samling.trapphus",
        world.KBAB,
        Status.DONE,
        -260,
        -150,
        started=-220,
        done=-150,
        cost=240_000,
        description="Kodlås på alla entréer och källardörrar som går igen av sig själva.",
    ),
    MeasureSpec(
        "Klottersanering inom ett dygn på Rudstorget",
        "rud-centrum",
        "skadegorelse.klotter",
        world.TEKNIK,
        Status.AGREED,
        -30,
        -5,
        cost=30_000,
    ),
    MeasureSpec(
        "Vuxenvandringar fredagskvällar vid Kronoparkens centrum",
        "kronoparken-centrum",
        "samling.utomhus",
        world.VUXNA_FOR_TRYGGHET,
        Status.IN_PROGRESS,
        -60,
        60,
        started=-55,
    ),
    MeasureSpec(
        "Röj buskage och öppna sikten vid Orrholmsskolans skolgård",
        "orrholmsskolan",
        "otrygg_plats.skymd_sikt",
        None,
        Status.PROPOSED,
        -3,
        45,
        kind=MeasureKind.VEGETATION,
    ),
    MeasureSpec(
        "Ta bort stenupplag och kastmaterial före nyårsafton",
        "stadstradgarden",
        "ordning.stenupplag",
        world.TEKNIK,
        Status.AGREED,
        -10,
        6,
        cost=12_000,
    ),
)


# Karlstad has put cameras on some school yards against vandalism in the evenings and at
# weekends. Two of them, done about a year ago, so the evaluation has half a year on either
# side. The generated events know nothing of the cameras: whatever the evaluation shows is
# what the demo's random data says, not a planted effect.
SCHOOL_CAMERAS: tuple[MeasureSpec, ...] = tuple(
    MeasureSpec(
        f"Kameror på {school}s skolgård",
        slug,
        "skadegorelse",
        world.BARN_UNGDOM,
        Status.DONE,
        -430,
        -360,
        started=-395,
        done=-362,
        cost=180_000,
        description="Kamerabevakning kvällar, nätter och helger mot skadegörelse och bränder.",
        kind=MeasureKind.CAMERA,
    )
    for school, slug in (("Kronoparksskolan", "kronoparksskolan"), ("Rudsskolan", "rudsskolan"))
)


def load_rules(municipality, organisations: dict[str, Organisation]) -> Counts:
    """The rules above (created once; an admin's later edits are kept) and the mailboxes."""
    counts = Counts()
    for code, organisation in organisations.items():
        if not organisation.contact_email:
            organisation.contact_email = f"{code}@{MAILBOX_DOMAIN}"
            organisation.save(update_fields=["contact_email"])
    categories = {c.code: c for c in Category.objects.all()}
    for spec in RULES:
        _rule, made = ResponsibilityRule.objects.get_or_create(
            municipality=municipality,
            organisation=organisations[spec.organisation],
            category=categories.get(spec.category) if spec.category else None,
            place_kind=spec.place_kind,
            defaults={"priority": spec.priority, "note": spec.note},
        )
        counts.add(made)
    return counts


def load_measures(municipality, today: dt.date) -> Counts:
    """The demo measures, each taken through its statuses by the demo coordinator."""
    coordinator = get_user_model().objects.get(username="samordnare")
    places = {p.external_id: p for p in Place.objects.filter(municipality=municipality)}
    existing = set(
        Measure.objects.filter(municipality=municipality).values_list("title", flat=True)
    )
    counts = Counts()
    for spec in (*MEASURES, *SCHOOL_CAMERAS):
        if spec.title not in existing:
            _make(municipality, spec, places, coordinator, today)
        counts.add(spec.title not in existing)
    return counts


def _make(municipality, spec: MeasureSpec, places: dict, coordinator, today: dt.date) -> None:
    def day(offset: int | None) -> dt.date:
        return today + dt.timedelta(days=offset or 0)

    place = places.get(f"demo-plats:{spec.place}")
    responsible = Organisation.objects.get(code=spec.responsible) if spec.responsible else None
    decided = Status.PROPOSED if spec.status == Status.PROPOSED else Status.AGREED
    measure = actions.create_measure(
        municipality,
        acting_user=coordinator,
        title=spec.title,
        status=decided,
        responsible=responsible,
        place=place,
        area=place.area if place else None,
        category=Category.objects.get(code=spec.category),
        kind=spec.kind,
        due=day(spec.due),
        cost=spec.cost,
        description=spec.description,
        today=day(spec.decided),
        events=_events_behind(municipality, place, spec.category, day(spec.decided), coordinator),
    )
    if spec.started is not None:
        actions.set_measure_status(
            measure, Status.IN_PROGRESS, acting_user=coordinator, today=day(spec.started)
        )
    if spec.done is not None:
        actions.set_measure_status(
            measure, Status.DONE, acting_user=coordinator, today=day(spec.done)
        )


def _events_behind(
    municipality, place, category_code: str, decided: dt.date, coordinator
) -> list[Event]:
    """The reports at the place that led to the measure: the latest few before the decision
    that the coordinator may see (some partners keep their reports to themselves). Only the
    municipality's may be linked; naming it also keeps the query on one shard."""
    if place is None:
        return []
    category = Category.objects.get(code=category_code)
    return list(
        Event.objects.visible_to(coordinator)
        .filter(municipality_id=municipality.pk, place=place, occurred_from__date__lt=decided)
        .in_category(category.parent or category)
        .order_by("-occurred_from")[:EVENTS_PER_MEASURE]
    )


# --- an EST meeting and the åtgärdsplan -----------------------------------------------------

MEETING_PRESENT = (
    world.KOMMUNLEDNING,
    world.POLISEN,
    world.KBAB,
    world.TEKNIK,
    world.RADDNINGSTJANST,
    world.KARLSTADSBUSS,
)
MEETING_PRIORITIES = (
    ("karlstad-c", "Fler rapporter om samlingar kvällstid vid resecentrum"),
    ("kronoparken-centrum", "Skadegörelse och bränder ökar inför jul och nyår"),
    ("rud-centrum", "Klotter kommer tillbaka inom några dagar"),
)
PLAN_TITLE = "Åtgärdsplan för trygghet och brottsförebyggande arbete"
PLAN_GOALS = (
    (
        "Färre platser där människor känner sig otrygga kvällstid",
        "Rapporter om otrygga platser och samlingar per tertial i centrum och Kronoparken",
        ("Otrygga miljöer vid resecentrum och gångtunneln", "otrygg_plats", "gangtunneln"),
        ("Samlingar i trapphus i Kronoparken", "samling", "kronoparken"),
    ),
    (
        "Mindre skadegörelse i bostadsområdena",
        "Rapporterad skadegörelse per tertial i Rud och Kronoparken",
        ("Klotter och skadegörelse i Rud", "skadegorelse", "rud"),
    ),
)


def load_meeting(municipality, today: dt.date) -> Counts:
    """Last fortnight's EST meeting: who was there, its priorities and one decision."""
    counts = Counts()
    held_on = today - dt.timedelta(days=today.weekday() + 7)  # Monday last week
    if Meeting.objects.filter(municipality=municipality, held_on=held_on).exists():
        counts.add(False)
        return counts
    coordinator = get_user_model().objects.get(username="samordnare")
    present = Organisation.objects.filter(code__in=MEETING_PRESENT)
    meeting = actions.create_meeting(
        municipality,
        held_on=held_on,
        organisations=present,
        acting_user=coordinator,
        notes="Genomgång av veckans lägesbild. Fokus på centrum och Kronoparken inför helgerna.",
    )
    places = {p.external_id: p for p in Place.objects.filter(municipality=municipality)}
    actions.set_meeting_priorities(
        meeting,
        [
            {"place": places[f"demo-plats:{slug}"], "note": note}
            for slug, note in MEETING_PRIORITIES
        ],
        acting_user=coordinator,
    )
    lighting = Measure.objects.filter(
        municipality=municipality, title__startswith="Bättre belysning"
    ).first()
    decision = actions.decide(
        meeting, "Energibolaget byter belysningen i gångtunneln före jul.", acting_user=coordinator
    )
    if lighting is not None:
        decision.measure = lighting
        decision.save(update_fields=["measure"])
    actions.decide(
        meeting,
        "Polisen och Vuxna för trygghet samordnar kvällsnärvaro vid "
        "resecentrum fredagar och lördagar.",
        acting_user=coordinator,
    )
    counts.add(True)
    return counts


def load_plan(municipality, today: dt.date) -> Counts:
    """The åtgärdsplan for this year and next, with goals, problems and the demo measures."""
    counts = Counts()
    if ActionPlan.objects.filter(municipality=municipality, title=PLAN_TITLE).exists():
        counts.add(False)
        return counts
    coordinator = get_user_model().objects.get(username="samordnare")
    plan = actions.create_plan(
        municipality,
        acting_user=coordinator,
        title=PLAN_TITLE,
        start=dt.date(today.year, 1, 1),
        end=dt.date(today.year + 1, 12, 31),
    )
    categories = {c.code: c for c in Category.objects.all()}
    measures = list(Measure.objects.filter(municipality=municipality).select_related("place"))
    for text, indicator, *problems in PLAN_GOALS:
        goal = actions.add_goal(plan, acting_user=coordinator, text=text, indicator=indicator)
        for title, category, slug_part in problems:
            problem = actions.add_problem(
                plan, acting_user=coordinator, title=title, goal=goal, category=categories[category]
            )
            for measure in measures:
                if measure.place and slug_part in measure.place.external_id:
                    actions.attach_measure_to_problem(measure, problem, acting_user=coordinator)
    counts.add(True)
    return counts
