"""Krogtillsyn in Karlstad's centre (issue 15, point 9): six licensed premises in the krogstråk
Sandgrund–Lagerlöfs, on Stora torget, the gågata and the inner harbour, and a joint
inspection evening of the municipality and the police on the second Friday of every month over
the past year, with some findings and a few follow-up measures.

The premises, their holders and what was found are invented (no real business is named); the
places are the demo's own (`world.NAMED_PLACES`), and the evening is the one on which the police
log their krogkontroll in the krogstråk (`promises_seed.KROG_*`). One premise's licence ran out
some months before the first load, so its page says it has none and no later visit is recorded.
The inspection plan asks for three inspections a month; the evenings hold two or three, so some
months fall short.

Everything goes through the presence and measures actions: premises and licences by the
coordinator, each inspection by the coordinator or the kommunpolis in turn (its findings are
then that organisation's events), follow-ups by the coordinator. Idempotent: a premise already
there (by name) is left as it is, and an inspection is matched by premise and start.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.utils import timezone

from trygg.demo import world
from trygg.demo.loader import Counts
from trygg.events.models import Category
from trygg.organisations.models import Organisation
from trygg.places.models import Place
from trygg.presence.actions.inspections import (
    FindingInput,
    InspectionInput,
    add_follow_up,
    record_inspection,
)
from trygg.presence.actions.premises import LicenceInput, create_premise, set_inspection_target
from trygg.presence.models import Inspection, InspectionKind, InspectionPlan, Premise

COORDINATOR, POLICE = "samordnare", "kommunpolis"
TARGET_PER_MONTH = 3
MONTHS = 12
# The evening's round: the first visit and the time between visits.
ROUND_START, ROUND_STEP = dt.time(22, 45), dt.timedelta(minutes=40)


def _hours(weekday: str | None, friday: str | None, saturday: str | None, sunday: str | None):
    return [weekday] * 4 + [friday, saturday, sunday]


@dataclass(frozen=True)
class PremiseSpec:
    name: str
    place: str  # slug in world.NAMED_PLACES
    holder: str
    valid_from: dt.date
    serving_until: tuple[str | None, ...]
    # Days before the first load the licence ended (None: until further notice).
    ended_days_ago: int | None = None


# fmt: off
PREMISES = (
    PremiseSpec("Klarälvens Krog & Bar", "sandgrund-lagerlofs", "Klarälvskrogen i Karlstad AB",
                dt.date(2019, 3, 1), tuple(_hours("01:00", "03:00", "03:00", "00:00"))),
    PremiseSpec("Nattklubben Solsidan", "sandgrund-lagerlofs", "Solsidan Nöje AB",
                dt.date(2018, 9, 1), tuple(_hours(None, "03:00", "03:00", None))),
    PremiseSpec("Puben Gamla Gåsen", "sandgrund-lagerlofs", "Gåsen Restaurang AB",
                dt.date(2016, 5, 1), tuple(_hours("01:00", "02:00", "02:00", "00:00")),
                ended_days_ago=100),
    PremiseSpec("Torgkällaren", "stora-torget", "Torgkällaren Karlstad AB",
                dt.date(2015, 5, 1), tuple(_hours("00:00", "01:00", "01:00", "00:00"))),
    PremiseSpec("Gågatans Vinbar", "drottninggatan", "Vinbaren på Gågatan AB",
                dt.date(2022, 1, 15), tuple(_hours("00:00", "01:00", "01:00", None))),
    PremiseSpec("Kajkrogen", "inre-hamn", "Kajkrogen Inre Hamn AB",
                dt.date(2021, 4, 1), tuple(_hours("01:00", "01:00", "01:00", "01:00"))),
)
# fmt: on
KINDS = (
    InspectionKind.OVERSERVING,
    InspectionKind.DRUGS,
    InspectionKind.RESPONSIBLE,
    InspectionKind.ORDER,
)
FINDINGS = {
    InspectionKind.OVERSERVING: (
        "krog.overservering",
        "En tydligt berusad gäst serverades i baren; personalen avbröt när tillsynen påpekade det.",
    ),
    InspectionKind.DRUGS: (
        "krog.narkotika",
        "Misstänkt narkotikapåverkan hos flera gäster i kön; polisen gjorde kontroller på plats.",
    ),
    InspectionKind.RESPONSIBLE: (
        "krog.alkoholservering",
        "Ålderskontrollen i entrén saknades under en halvtimme vid tillsynen.",
    ),
    InspectionKind.ORDER: (
        "krog.ordning",
        "Trängsel vid entrén och för få ordningsvakter vid stängning.",
    ),
}


def load_krogtillsyn(municipality, today: dt.date) -> Counts:
    """The premises, the plan's target and a year of monthly inspection evenings."""
    counts = Counts()
    users = {
        u.username: u for u in get_user_model().objects.filter(username__in=[COORDINATOR, POLICE])
    }
    coordinator = users[COORDINATOR]
    for spec in PREMISES:
        counts.add(_premise(municipality, spec, today, coordinator))
    for year in {today.year, _months(today)[0].year}:
        if not InspectionPlan.objects.filter(municipality=municipality, year=year).exists():
            set_inspection_target(municipality, year, TARGET_PER_MONTH, acting_user=coordinator)
    made, findings, follow_ups = _inspections(municipality, today, users)
    counts.notes.append(
        f"{made} nya tillsyner, {findings} fynd som händelser, {follow_ups} uppföljningar"
    )
    return counts


def _premise(municipality, spec: PremiseSpec, today: dt.date, user) -> bool:
    if Premise.objects.filter(municipality=municipality, name=spec.name).exists():
        return False
    place = Place.objects.get(municipality=municipality, external_id=f"demo-plats:{spec.place}")
    valid_to = None
    if spec.ended_days_ago is not None:
        valid_to = today - dt.timedelta(days=spec.ended_days_ago)
    licence = LicenceInput(
        holder=spec.holder,
        valid_from=spec.valid_from,
        valid_to=valid_to,
        serving_until=[dt.time.fromisoformat(t) if t else None for t in spec.serving_until],
    )
    create_premise(municipality, place, spec.name, licence, acting_user=user)
    return True


def _months(today: dt.date) -> list[dt.date]:
    """The second Friday of each of the last MONTHS months that has passed by `today`."""
    fridays: list[dt.date] = []
    year, month = today.year, today.month
    while len(fridays) < MONTHS:
        friday = _second_friday(year, month)
        if friday < today:
            fridays.append(friday)
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return sorted(fridays)


def _second_friday(year: int, month: int) -> dt.date:
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=(4 - first.weekday()) % 7 + 7)


def _inspections(municipality, today: dt.date, users) -> tuple[int, int, int]:
    """Each evening visits two or three premises licensed that day, in turn; about every
    fourth visit finds something, about every other finding gets a follow-up. Turns count from
    the calendar month, so a later load picks the same premises for the same evening."""
    premises = list(Premise.objects.filter(municipality=municipality).select_related("place"))
    premises = [p for p in premises if p.name in {spec.name for spec in PREMISES}]
    organisations = {o.code: o for o in Organisation.objects.filter(municipality=municipality)}
    taking_part = [organisations[world.KOMMUNLEDNING], organisations[world.POLISEN]]
    made = findings = follow_ups = 0
    for friday in _months(today):
        month = friday.year * 12 + friday.month
        open_then = [p for p in premises if p.licence_on(friday) is not None]
        for turn in range(2 + month % 2):
            premise = open_then[(month * 2 + turn) % len(open_then)]
            visit = month * 3 + turn
            starts_at = _moment(friday, turn)
            if Inspection.objects.filter(
                municipality=municipality, premise=premise, starts_at=starts_at
            ).exists():
                continue
            kind = KINDS[(month + turn) % len(KINDS)]
            found = visit % 4 == 1
            inspection = _inspect(premise, starts_at, kind, found, taking_part, visit, users)
            made += 1
            findings += int(found)
            if found and visit % 8 == 1:
                _follow_up(inspection, organisations[world.KOMMUNLEDNING], users[COORDINATOR])
                follow_ups += 1
    return made, findings, follow_ups


def _moment(friday: dt.date, turn: int) -> dt.datetime:
    tz = timezone.get_default_timezone()
    return dt.datetime.combine(friday, ROUND_START, tzinfo=tz) + turn * ROUND_STEP


def _inspect(premise, starts_at, kind, found: bool, taking_part, visit: int, users):
    """The coordinator and the kommunpolis record every other inspection each."""
    by_police = visit % 2 == 0
    category_code, text = FINDINGS[kind]
    findings = [FindingInput(Category.objects.get(code=category_code), text)] if found else []
    data = InspectionInput(
        starts_at=starts_at,
        kind=kind,
        organisations=taking_part,
        organisation=taking_part[1] if by_police else taking_part[0],
        findings=findings,
    )
    user = users[POLICE] if by_police else users[COORDINATOR]
    return record_inspection(premise, data, acting_user=user)


def _follow_up(inspection: Inspection, responsible: Organisation, user) -> None:
    day = timezone.localdate(inspection.starts_at)
    add_follow_up(
        inspection,
        title=f"Uppföljande tillsyn och samtal med tillståndshavaren, {inspection.premise.name}",
        responsible=responsible,
        due=day + dt.timedelta(days=30),
        description="Tillståndsenheten kallar tillståndshavaren till samtal och gör ett "
        "uppföljande besök inom en månad.",
        acting_user=user,
    )
