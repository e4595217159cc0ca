"""Purple Flag for Karlstad's centre (issue 15, point 9): last year's certification, whose
renewal falls due this year, and this year's renewal as a project: the self-assessment of the
five focus areas in the four time zones, an evening walk from 19 to 03 scored with Purple
Flag's checklist, the action plan's measures tagged by focus area, and the steps reached so far.

Everything goes through the actions of purpleflag, walks and measures, as the coordinator
(`samordnare`). A year already there is left as it is, so the step can be run again."""

from __future__ import annotations

import datetime as dt
import uuid

from django.contrib.auth import get_user_model

from trygg.core.periods import midnight
from trygg.demo import world
from trygg.demo.loader import Counts
from trygg.events.models import Category
from trygg.measures.actions.measures import create_measure, set_measure_status
from trygg.measures.models import Status
from trygg.organisations.models import Organisation
from trygg.places.models import Place
from trygg.purpleflag import actions
from trygg.purpleflag.actions import CellInput, CertificationInput, StepInput
from trygg.purpleflag.models import Certification, Step
from trygg.purpleflag.zones import FOCUS_AREAS, ZONES
from trygg.walks.actions.findings import FindingInput, record_finding
from trygg.walks.actions.plans import StopInput, mark_walked, plan_walk, save_route
from trygg.walks.models import ChecklistTemplate

NAMESPACE = uuid.UUID("5b0c1f7e-2f3a-4c55-9d0e-70e1b1e5f1a9")
ROUTE = ("karlstad-c", "drottninggatan", "stora-torget", "sandgrund-lagerlofs", "inre-hamn")

# The self-assessment: (focus area, zone) -> (score 0–3, note). Cells not listed score 2.
ASSESSMENT = {
    ("sakerhet", "23-02"): (1, "Trängsel och bråk i taxikön vid stängning."),
    ("sakerhet", "02-05"): (1, "Få vuxna ute; polisen ensam efter 03."),
    ("tillganglighet", "02-05"): (0, "Ingen nattbuss efter 02.30; taxikön enda vägen hem."),
    ("tillganglighet", "23-02"): (1, "Mörk gångväg från krogstråket till Inre hamn."),
    ("utbud", "17-20"): (3, "Butiker, kaféer och bibliotek öppna; matmarknad på torget."),
    ("utbud", "02-05"): (1, "Bara gatukök öppet."),
    ("plats", "20-23"): (2, "Ny belysning på gågatan, men klotter vid kajen."),
    ("policy", "17-20"): (3, "Samverkansavtal med krogarna och Karlstad City."),
}

# (minutes after 19:00, stop, category, note, {focus area: score})
FINDINGS = (
    (15, 0, "otrygg_plats.odsligt", "Resecentrum öde efter sista tåget; vakten går 19.",
     {"sakerhet": 2, "tillganglighet": 3}),
    (75, 1, "otrygg_plats.belysning", "Två gatlampor släckta i gågatans norra del.",
     {"plats": 1, "sakerhet": 2}),
    (150, 2, "otrygg_plats.nedskrapning", "Fulla papperskorgar runt torget efter matmarknaden.",
     {"plats": 1, "utbud": 3}),
    (250, 3, "ordning.brak", "Trängsel vid entréerna och i taxikön vid stängning.",
     {"sakerhet": 1, "policy": 2}),
    (400, 4, "otrygg_plats.belysning", "Kajen mörk mellan bryggorna; ingen väg hem upplyst.",
     {"tillganglighet": 1, "plats": 1, "sakerhet": 1}),
)  # fmt: skip

# (title, focus area, kind, place, responsible, status)
MEASURES = (
    ("Purple Flag: värdar vid taxikön fredag och lördag 01–03", "sakerhet", "other",
     "sandgrund-lagerlofs", world.KOMMUNLEDNING, Status.IN_PROGRESS),
    ("Purple Flag: nattbuss från centrum kl. 03 på helger", "tillganglighet", "other",
     "karlstad-c", world.KARLSTADSBUSS, Status.AGREED),
    ("Purple Flag: kvällsöppet i butikerna torsdagar", "utbud", "other", "drottninggatan",
     world.KOMMUNLEDNING, Status.PROPOSED),
    ("Purple Flag: belysning längs kajen i Inre hamn", "plats", "lighting", "inre-hamn",
     world.TEKNIK, Status.IN_PROGRESS),
    ("Purple Flag: gemensam policy för ansvarsfull alkoholservering", "policy", "other",
     "stora-torget", world.KOMMUNLEDNING, Status.DONE),
)  # fmt: skip


def load_purple_flag(municipality, today: dt.date) -> Counts:
    counts = Counts()
    coordinator = get_user_model().objects.get(username="samordnare")
    places = {p.external_id.removeprefix("demo-plats:"): p for p in _places(municipality)}
    area = places["stora-torget"].area
    # Named in the municipality, so that Citus sends it to one shard.
    if Certification.objects.filter(municipality=municipality, area=area, year=today.year).exists():
        counts.add(False)
        return counts
    _last_year(municipality, area, today, coordinator)
    year = actions.create_certification(
        municipality,
        CertificationInput(
            area=area,
            year=today.year,
            starts_on=dt.date(today.year, 1, 15),
            application_due=dt.date(today.year, 9, 30),
            notes="Förnyelse av certifieringen, tillsammans med Karlstad City och krogarna.",
        ),
        acting_user=coordinator,
    )
    _assess(year, coordinator)
    walk = _walk(municipality, area, places, today, coordinator)
    if walk is not None:
        actions.link_walk(year, walk, acting_user=coordinator)
    for title, focus, kind, slug, responsible, status in MEASURES:
        measure = _measure(municipality, title, kind, places[slug], responsible, status, today)
        actions.tag_measure(year, measure, focus, acting_user=coordinator)
    _steps(year, today, coordinator)
    counts.add(True)
    counts.notes.append(f"Purple Flag {today.year} för {area.name}, förnyelse av {today.year - 1}")
    return counts


def _measure(municipality, title, kind, place, responsible, status, today: dt.date):
    """A measure of the plan, decided with its owner; a done one was carried out in the
    spring (created agreed, then closed)."""
    coordinator = get_user_model().objects.get(username="samordnare")
    measure = create_measure(
        municipality,
        acting_user=coordinator,
        title=title,
        status=Status.AGREED if status == Status.DONE else status,
        responsible=None
        if status == Status.PROPOSED
        else Organisation.objects.get(code=responsible),
        kind=kind,
        place=place,
        today=today,
    )
    if status == Status.DONE:
        set_measure_status(measure, Status.DONE, acting_user=coordinator, today=today)
    return measure


def _places(municipality):
    ids = [f"demo-plats:{slug}" for slug in ROUTE]
    return Place.objects.filter(municipality=municipality, external_id__in=ids)


def _last_year(municipality, area, today: dt.date, coordinator) -> None:
    """Last year's certification: decided in November, so this year's renewal falls due."""
    last = today.year - 1
    year = actions.create_certification(
        municipality,
        CertificationInput(area, last, dt.date(last, 1, 10), dt.date(last, 9, 30)),
        acting_user=coordinator,
    )
    step = StepInput(
        Step.CERTIFIED,
        submitted_on=dt.date(last, 9, 26),
        visit_on=dt.date(last, 10, 24),
        decided_on=dt.date(last, 11, 14),
    )
    actions.set_step(year, step, acting_user=coordinator)


def _assess(year, coordinator) -> None:
    cells = [
        CellInput(focus, zone, *ASSESSMENT.get((focus, zone), (2, "")))
        for focus in FOCUS_AREAS
        for zone in ZONES
    ]
    actions.save_assessment(year, cells, acting_user=coordinator)


def _walk(municipality, area, places, today: dt.date, coordinator):
    """An evening walk on the Friday about six weeks ago, 19:00 to past 01:30."""
    day = today - dt.timedelta(days=42)
    day -= dt.timedelta(days=(day.weekday() - 4) % 7)
    if day.year != today.year:
        return None
    walk_at = midnight(day) + dt.timedelta(hours=19)
    walk = plan_walk(
        municipality,
        acting_user=coordinator,
        title="Kvällsvandring Purple Flag i centrum",
        purpose="Purple Flags kvällsvandring: de fem fokusområdena i alla fyra tidszoner.",
        area=area,
        light="dark",
        template=ChecklistTemplate.objects.get(municipality=None, code="purple-flag"),
        premeeting_at=walk_at - dt.timedelta(days=14, hours=2),
        walk_at=walk_at,
        followup_at=walk_at + dt.timedelta(days=17),
        meeting_place="Karlstad C, huvudentrén",
    )
    stops = [StopInput(name=places[slug].name, place=places[slug]) for slug in ROUTE]
    save_route(walk, stops, route=None, acting_user=coordinator)
    items = {item.code: item for item in walk.template.items.all()}
    stored = list(walk.stops.order_by("order"))
    categories = {c.code: c for c in Category.objects.filter(code__in={f[2] for f in FINDINGS})}
    for index, (minutes, stop, category, note, scores) in enumerate(FINDINGS):
        place = places[ROUTE[stop]]
        data = FindingInput(
            client_id=uuid.uuid5(NAMESPACE, f"{today.year}:{index}"),
            lat=place.lat,
            lon=place.lon,
            captured_at=walk_at + dt.timedelta(minutes=minutes),
            category=categories[category],
            note=note,
            scores={items[code]: score for code, score in scores.items()},
            stop=stored[stop],
        )
        record_finding(walk, data, acting_user=coordinator)
    mark_walked(walk, acting_user=coordinator)
    return walk


def _steps(year, today: dt.date, coordinator) -> None:
    """The steps reached by today: self-assessment, then sent in by 26 September, the visit
    on 23 October."""
    submitted, visit = dt.date(today.year, 9, 26), dt.date(today.year, 10, 23)
    if today > visit:
        step = StepInput(Step.VISIT, submitted_on=submitted, visit_on=visit)
    elif today > submitted:
        step = StepInput(Step.SUBMITTED, submitted_on=submitted)
    else:
        step = StepInput(Step.SELF_ASSESSMENT)
    actions.set_step(year, step, acting_user=coordinator)
