"""A month of cases at Karlstad's Trygghetscenter (issue 12, point 10).

The municipality, the rescue service, the police and Brottsofferjouren Värmland staff the desk
(seed 000: "representanter från kommunen, räddningstjänsten, polisen och Brottsofferjouren
Värmland på Trygghetscenter"). On every weekday of the last month five to fifteen residents
come by; the staff note the topic, the place or district and the partner that takes it on,
never who came. Most cases older than a week or two are closed with a note; some were settled
at the desk the same day.

Cases are written by `_record_case` and closed by `_close_case` below, directly on the models,
not through `citizens.actions.desk`: the actions stamp the present moment (a month of history
needs closings on past days) and ask for a logged-in member of the recording organisation,
while the rescue service and Brottsofferjouren have no demo login. The rows are the ones the
actions would write, with an audit row each.

Deterministic and idempotent: each day is drawn from its own RNG seeded with the seed and the
date; a day that already has cases at the centre is left as it is, so a load a day later adds
that day only.
"""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from trygg.citizens.models import Centre, CentreOrganisation, DeskCase, DeskTopic
from trygg.core.audit import record_changes, record_created
from trygg.core.periods import midnight
from trygg.demo import citizen_texts, world
from trygg.demo.loader import Counts
from trygg.organisations.models import Organisation
from trygg.places.models import Area, Place

CENTRE_NAME = "Trygghetscenter Karlstad"
CENTRE_ORGANISATIONS = (
    world.KOMMUNLEDNING,
    world.RADDNINGSTJANST,
    world.POLISEN,
    world.BROTTSOFFERJOUREN,
)
DAYS = 30
CASES_PER_DAY = (5, 15)

TOPICS: dict[str, int] = {
    DeskTopic.UNSAFE_PLACE: 18,
    DeskTopic.DISORDER: 14,
    DeskTopic.VICTIM_SUPPORT: 13,
    DeskTopic.VANDALISM: 11,
    DeskTopic.TRAFFIC: 10,
    DeskTopic.OTHER: 9,
    DeskTopic.DRUGS: 9,
    DeskTopic.FIRE_SAFETY: 8,
    DeskTopic.NEIGHBOURHOOD: 8,
}
# Who takes a topic on (None: settled at the desk), with weights.
TAKEN_BY: dict[str, dict[str | None, int]] = {
    DeskTopic.UNSAFE_PLACE: {world.TEKNIK: 5, world.ENERGI: 2, world.KBAB: 2, None: 1},
    DeskTopic.VANDALISM: {world.TEKNIK: 4, world.KBAB: 3, world.BARN_UNGDOM: 1},
    DeskTopic.DISORDER: {world.POLISEN: 5, world.KOMMUNLEDNING: 2, world.KULTUR_FRITID: 1},
    DeskTopic.DRUGS: {world.POLISEN: 1},
    DeskTopic.TRAFFIC: {world.POLISEN: 3, world.TEKNIK: 2},
    DeskTopic.VICTIM_SUPPORT: {world.BROTTSOFFERJOUREN: 1},
    DeskTopic.FIRE_SAFETY: {world.RADDNINGSTJANST: 1},
    DeskTopic.NEIGHBOURHOOD: {world.POLISEN: 2, world.VUXNA_FOR_TRYGGHET: 1},
    DeskTopic.OTHER: {None: 3, world.KOMMUNLEDNING: 1},
}
# Who at the desk records it: the organisation whose field the topic is, else the municipality.
RECORDED_BY = {
    DeskTopic.VICTIM_SUPPORT: world.BROTTSOFFERJOUREN,
    DeskTopic.FIRE_SAFETY: world.RADDNINGSTJANST,
    DeskTopic.DRUGS: world.POLISEN,
    DeskTopic.DISORDER: world.POLISEN,
    DeskTopic.TRAFFIC: world.POLISEN,
}
# Topics about a place or district in particular; the rest are noted at the resident's district.
AT_A_PLACE = {DeskTopic.UNSAFE_PLACE, DeskTopic.VANDALISM, DeskTopic.DISORDER, DeskTopic.DRUGS}
# The demo's logins at the desk's organisations (the others have no demo user).
USERS = {world.KOMMUNLEDNING: "samordnare", world.POLISEN: "kommunpolis", world.KBAB: "bovard"}


# --- the month's cases, written as the actions would ---------------------------------------------


def _record_case(centre: Centre, *, acting_user, organisation, visited_on, topic, place, area,
                 note: str, taken_by) -> DeskCase:  # fmt: skip
    """What a member of the desk's staff records: the topic, where, who takes it on."""
    case = DeskCase.objects.create(
        centre=centre,
        municipality_id=centre.municipality_id,
        visited_on=visited_on,
        topic=topic,
        place=place,
        area=area,
        note=note,
        taken_by=taken_by,
        recorded_by=acting_user,
        recorded_by_organisation=organisation,
    )
    record_created(acting_user, case, ["centre_id", "topic", "place_id", "area_id", "taken_by_id"])
    return case


def _close_case(case: DeskCase, *, note: str, acting_user, when: dt.datetime) -> DeskCase:
    """The partner (or the desk, for what it settled itself) closes the case with a note."""
    changes = {
        "state": (case.state, DeskCase.State.CLOSED),
        "closing_note": (case.closing_note, note),
        "closed_at": (case.closed_at, when),
    }
    case.state, case.closing_note, case.closed_at = DeskCase.State.CLOSED, note, when
    case.closed_by = acting_user
    case.save(update_fields=["state", "closing_note", "closed_at", "closed_by"])
    record_changes(acting_user, case, changes)
    return case


# --- the month -----------------------------------------------------------------------------


def load_centre(municipality) -> Centre:
    centre, _created = Centre.objects.get_or_create(municipality=municipality, name=CENTRE_NAME)
    # The link rows written directly, each query naming the centre's municipality (Citus: one
    # shard), rather than through `centre.organisations.add`, which names only the centre.
    links = CentreOrganisation.objects.filter(municipality_id=municipality.pk, centre=centre)
    there = set(links.values_list("organisation_id", flat=True))
    CentreOrganisation.objects.bulk_create(
        CentreOrganisation(municipality_id=municipality.pk, centre=centre, organisation=org)
        for org in Organisation.objects.filter(code__in=CENTRE_ORGANISATIONS)
        if org.pk not in there
    )
    return centre


def load_desk(municipality, now: dt.datetime, *, seed: int, days: int = DAYS) -> Counts:
    """Cases on every weekday of the last `days` days (today's until now, still open)."""
    centre = load_centre(municipality)
    today = timezone.localdate(now)
    # Every statement on the cases names the municipality, so Citus sends it to one shard
    # (bulk_update keeps the queryset's filter).
    own_cases = DeskCase.objects.filter(municipality_id=municipality.pk)
    done = set(own_cases.filter(centre=centre).values_list("visited_on", flat=True))
    where: _Where | None = None
    organisations = {o.code: o for o in Organisation.objects.filter(municipality=municipality)}
    users = {u.username: u for u in get_user_model().objects.filter(username__in=USERS.values())}
    counts, cases = Counts(), []
    for back in range(days, -1, -1):
        day = today - dt.timedelta(days=back)
        if day.weekday() >= 5:
            continue  # the desk is open on weekdays
        if day in done:
            counts.updated += 1
            continue
        rng = random.Random(f"{seed}:desk:{day.isoformat()}")  # noqa: S311 -- demo data
        where = where or _Where(municipality)
        for _ in range(rng.randint(*CASES_PER_DAY)):
            cases.append(_case(centre, day, now, rng, where, organisations, users))
        counts.created += 1
    # `created_at` was stamped at the load: it is when the resident came by.
    own_cases.bulk_update(cases, ["created_at"], batch_size=500)
    if cases:
        counts.notes.append(f"{len(cases)} ärenden")
    return counts


class _Where:
    """Named places and playgrounds by district, the KBAB places, and the districts weighted
    like the generator's (the estates and the centre more often)."""

    def __init__(self, municipality):
        places = Place.objects.filter(municipality=municipality, area__isnull=False)
        self.places = list(places.select_related("area", "manager").order_by("external_id"))
        self.kbab = [p for p in self.places if p.manager and p.manager.code == world.KBAB]
        self.districts = list(Area.objects.current().filter(municipality=municipality))
        self.districts.sort(key=lambda a: a.code)
        self.weights = [world.BUSY_DISTRICTS.get(a.name.upper(), 0.3) for a in self.districts]

    def draw(self, rng: random.Random, topic: str, taken_by: str | None):
        """(place, area) for a case: a KBAB place for the housing company, a place for a
        topic about one, else the district."""
        if taken_by == world.KBAB:
            place = rng.choice(self.kbab)
            return place, place.area
        if topic in AT_A_PLACE and rng.random() < 0.6:
            place = rng.choice(self.places)
            return place, place.area
        return None, rng.choices(self.districts, self.weights)[0]


def _case(centre, day, now, rng, where: _Where, organisations, users) -> DeskCase:
    topic = rng.choices(list(TOPICS), list(TOPICS.values()))[0]
    options = TAKEN_BY[topic]
    taken_code = rng.choices(list(options), list(options.values()))[0]
    recorder = RECORDED_BY.get(topic, world.KOMMUNLEDNING)
    place, area = where.draw(rng, topic, taken_code)
    case = _record_case(
        centre,
        acting_user=users.get(USERS.get(recorder, "")),
        organisation=organisations[recorder],
        visited_on=day,
        topic=topic,
        place=place,
        area=area,
        note=rng.choice(citizen_texts.DESK_NOTES[topic]),
        taken_by=organisations[taken_code] if taken_code else None,
    )
    visit = midnight(day) + dt.timedelta(hours=rng.randint(9, 15), minutes=rng.randrange(60))
    case.created_at = min(visit, now)
    age = (timezone.localdate(now) - day).days
    if taken_code is None:
        note, closed = citizen_texts.SETTLED_AT_THE_DESK, case.created_at
    elif rng.random() < min(0.95, age / 12):
        note = rng.choice(citizen_texts.DESK_CLOSING_NOTES[topic])
        closed = min(case.created_at + dt.timedelta(days=rng.uniform(1, min(age, 20))), now)
    else:
        return case  # still with the partner
    closer = taken_code or recorder
    return _close_case(case, note=note, acting_user=users.get(USERS.get(closer, "")), when=closed)
