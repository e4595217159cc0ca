"""What the groups reported after their evenings in Karlstad (issue 15, point 9): for most of
the past year's held shifts a shift report as the phone would send it, with how many the group
met by age band, what it did, a short note and now and then what it saw (events with source
`shift`).

Not every shift is reported, as in a real year: the youths and the adults nearly always report
(their association asks for it), the kommunväktare about half of their weekday evenings, the
police's foot patrol seldom (it reports in the police's own systems). The counts follow the
group: the youths meet mostly teenagers, the adults teenagers and young adults, the
kommunväktare and the patrol mostly adults. What they saw is drawn from the evening categories
the demo's partner reports use (gatherings, disorder, drugs, graffiti, broken lights), placed
at a named place in the shift's district or only in the district. The amounts and the notes are
the demo's own.

Everything goes through `presence.actions.reports.file_report`, so each observation is an
event written through `events.actions.report_event` (scrubbed, located, counted, audited) and
each report has its audit row. The report is filed by the group's own organisation (decision
0028): the police's patrol by the kommunpolis; the three other organisations have no demo login,
so each gets one account for its group's phone, with the reporter role and no password (nobody
logs in with it; it only stands for the phone that sent the report). The phone's ids are made
from the group and the shift's start, so loading again files nothing twice and a later day
adds the evenings that have passed since.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef
from django.utils import timezone

from trygg.demo import presence as demo_presence
from trygg.demo import world
from trygg.demo.loader import Counts
from trygg.events.models import Category
from trygg.organisations.models import Membership, Organisation
from trygg.places.models import Place
from trygg.presence.actions.reports import ObservationInput, ReportInput, file_report
from trygg.presence.models import Shift, ShiftReport, ShiftState

# The phone's ids: the same shift gives the same ids on every load.
NAMESPACE = uuid.UUID("6f1c5a2e-3b8d-4c1e-9a57-2d0f8e4b7c31")
PHONE_PREFIX = "passrapport-"
# A position noted at a named place lies within this many metres of it.
JITTER_M = 40


@dataclass(frozen=True)
class Habit:
    """How a group reports: the share of shifts reported, the mean met per person out and by
    age band (shares summing to 1), talks per person met, and observations per report."""

    reported: float
    met_per_person: float
    bands: tuple[float, float, float, float]  # under 13, 13–17, 18–25, over 25
    talks: float
    observations: float
    notes: tuple[str, ...]


HABITS = {
    demo_presence.YOUTH.name: Habit(
        0.85,
        4.0,
        (0.05, 0.65, 0.25, 0.05),
        0.6,
        0.5,
        (
            "Lugnt i centrum, många ute vid gågatan.",
            "Gruppen vid busstorget var lugn efter samtal.",
            "Mycket folk på torget efter evenemanget.",
            "Kallt ute, få ungdomar i rörelse.",
            "Några yngre var ute sent; vi hänvisade dem hem.",
            "",
        ),
    ),
    demo_presence.ADULTS.name: Habit(
        0.75,
        3.0,
        (0.1, 0.55, 0.25, 0.1),
        0.7,
        0.6,
        (
            "Samling vid centrumhuset, lugn stämning.",
            "Pratade med ungdomar vid skolgården.",
            "Trasig belysning på gångvägen, anmält.",
            "Lugn kväll, få ute.",
            "",
        ),
    ),
    demo_presence.GUARDS.name: Habit(
        0.5,
        2.5,
        (0.0, 0.2, 0.3, 0.5),
        0.5,
        0.4,
        (
            "Rondering i centrum utan anmärkning.",
            "Klotter på elskåp vid gågatan.",
            "Berusad person hjälptes till taxi.",
            "",
        ),
    ),
    demo_presence.PATROL.name: Habit(
        0.25,
        3.0,
        (0.0, 0.15, 0.45, 0.4),
        0.4,
        0.8,
        (
            "Kö och trängsel vid nattklubbarna vid stängning.",
            "Lugnt i krogstråket.",
            "",
        ),
    ),
}
# What the groups see on an evening, with weights.
SEEN = (
    ("samling.utomhus", 5),
    ("ordning.brak", 3),
    ("ordning.annat", 2),
    ("ordning.drog", 1),
    ("skadegorelse.klotter", 2),
    ("otrygg_plats.belysning", 1),
)
SEEN_NOTES = {
    "samling.utomhus": "Grupp om cirka tio ungdomar samlade.",
    "ordning.brak": "Högljutt bråk mellan några personer, lugnade sig.",
    "ordning.annat": "Glas och flaskor krossade på marken.",
    "ordning.drog": "Misstänkt langning vid gångtunneln.",
    "skadegorelse.klotter": "Nytt klotter på fasad.",
    "otrygg_plats.belysning": "Gatubelysning släckt längs gångvägen.",
}
# Interventions besides talks: (report key, chance per report).
OTHER_INTERVENTIONS = (
    ("referred_to_adult", 0.25),
    ("mediated", 0.12),
    ("called_police", 0.06),
    ("first_aid", 0.04),
    ("called_rescue", 0.02),
)


def load_shift_reports(municipality, now: dt.datetime) -> Counts:
    """A report for most held shifts that ended before `now`; see the module docstring."""
    counts = Counts()
    phones = _phones(municipality)
    categories = {c.code: c for c in Category.objects.filter(code__in=[c for c, _w in SEEN])}
    places = _places_by_area(municipality)
    # Not yet reported: an Exists that names the municipality, not `report=None` (an outer
    # join to the sharded reports, which Citus refuses); the group's municipality named too.
    reported = ShiftReport.objects.filter(municipality=municipality, shift=OuterRef("pk"))
    shifts = (
        Shift.objects.filter(
            municipality=municipality,
            group__municipality=municipality,
            state=ShiftState.HELD,
            ends_at__lte=now,
        )
        .filter(~Exists(reported))
        .select_related("group__organisation", "area", "municipality")
        .defer("municipality__geometry")
        .order_by("starts_at", "pk")
    )
    observed = 0
    for shift in shifts:
        habit = HABITS.get(shift.group.name)
        user = phones.get(shift.group.organisation.code)
        if habit is None or user is None:
            continue
        rng = random.Random(f"{shift.group.name}:{shift.starts_at.isoformat()}")  # noqa: S311
        if rng.random() >= habit.reported:
            continue
        data = _report(rng, shift, habit, categories, places.get(shift.area_id, []))
        report, created = file_report(shift, data, acting_user=user)
        counts.add(created)
        observed += len(data.observations) if created else 0
    counts.notes.append(f"{observed} iakttagelser som händelser (källa pass)")
    return counts


def _phones(municipality) -> dict[str, object]:
    """Who files each group's reports: an organisation's demo login that may, else the group
    phone's account (reporter role, no password)."""
    User = get_user_model()
    police = User.objects.filter(username=demo_presence.POLICE).first()
    result: dict[str, object] = {world.POLISEN: police} if police else {}
    codes = {spec.organisation for spec in demo_presence.GROUPS} - set(result)
    for organisation in Organisation.objects.filter(code__in=codes, municipality=municipality):
        user, created = User.objects.get_or_create(username=PHONE_PREFIX + organisation.code)
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        Membership.objects.get_or_create(
            user=user, organisation=organisation, defaults={"role": "reporter"}
        )
        result[organisation.code] = user
    return result


def _places_by_area(municipality) -> dict[int, list[Place]]:
    result: dict[int, list[Place]] = {}
    named = Place.objects.filter(
        municipality=municipality, external_id__startswith="demo-plats:", area__isnull=False
    ).order_by("external_id")
    for place in named:
        if place.area_id is not None:
            result.setdefault(place.area_id, []).append(place)
    return result


def _poisson(rng: random.Random, mean: float) -> int:
    """A Poisson draw by counting exponential gaps (small means only)."""
    total, count = rng.expovariate(1.0), 0
    while total < mean:
        count += 1
        total += rng.expovariate(1.0)
    return count


def _report(rng, shift: Shift, habit: Habit, categories, places: list[Place]) -> ReportInput:
    met_total = _poisson(rng, habit.met_per_person * shift.people)
    bands = [0, 0, 0, 0]
    for _i in range(met_total):
        bands[rng.choices(range(4), weights=habit.bands)[0]] += 1
    interventions = {"talks": _poisson(rng, habit.talks * met_total)}
    for key, chance in OTHER_INTERVENTIONS:
        if rng.random() < chance:
            interventions[key] = 1 + int(rng.random() < 0.2)
    key = f"{shift.group.name}:{shift.starts_at.isoformat()}"
    observations = [
        _observation(rng, shift, categories, places, f"{key}:{i}")
        for i in range(min(3, _poisson(rng, habit.observations)))
    ]
    return ReportInput(
        client_id=uuid.uuid5(NAMESPACE, key),
        met=dict(zip(("under_13", "13_17", "18_25", "over_25"), bands, strict=True)),
        interventions=interventions,
        note=rng.choice(habit.notes),
        observations=observations,
    )


def _observation(rng, shift: Shift, categories, places: list[Place], key: str):
    code = rng.choices([c for c, _w in SEEN], weights=[w for _c, w in SEEN])[0]
    length = (shift.ends_at - shift.starts_at).total_seconds()
    when = shift.starts_at + dt.timedelta(seconds=rng.uniform(0.1, 0.95) * length)
    lat = lon = None
    if places and rng.random() < 0.7:
        place = rng.choice(places)
        # About JITTER_M metres around the place (a degree of latitude is about 111 km).
        lat = place.lat + rng.uniform(-1, 1) * JITTER_M / 111_000
        lon = place.lon + rng.uniform(-1, 1) * JITTER_M / 55_000
    return ObservationInput(
        client_id=uuid.uuid5(NAMESPACE, key),
        category=categories[code],
        observed_at=when.astimezone(timezone.get_default_timezone()),
        lat=lat,
        lon=lon,
        note=SEEN_NOTES[code],
    )
