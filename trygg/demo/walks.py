"""Two trygghetsvandringar in Kronoparken, on the same route half a year apart (issue 11, item 10).

The first, in daylight in late spring, was followed up: the managers answered each finding and
some measures were done before the second walk, in the dark in November, which is compared
with it (`previous`): some problems are fixed, some still open, some new. The first walk is
published with its photos approved.

The route runs through Kronoparken, one of Karlstad's larger estates, where many managers share
the outdoor environment (the municipality's streets and parks, the school yard, the youth
centre, KBAB's yards, stairwells and garage): the demo's own named places (`world.py`).

Findings go through `walks.actions.findings.record_finding`, as from the phones (scrubber,
events, audit). Measures go through `measures.actions`. Answers and confirmed responsibles
are written by `answer_finding` and `confirm_responsible` below: the one place to swap for the
walks' own actions (`walks.actions.answers`) when they exist.

Deterministic and idempotent: dates are offsets from today, finding ids are UUID5 of fixed
keys, jitter and photos come from the seed; a walk already there (by title) is left as it is.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import uuid
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.utils import timezone

from trygg.core.audit import record_changes, record_created
from trygg.core.periods import midnight
from trygg.demo import walk_photos, world
from trygg.demo.loader import Counts
from trygg.events.models import Category
from trygg.measures import actions as measure_actions
from trygg.measures.models import Status
from trygg.organisations.models import Organisation
from trygg.places.models import Place
from trygg.walks.actions.findings import FindingInput, record_finding
from trygg.walks.actions.publish import publish_walk
from trygg.walks.models import (
    Answer,
    ChecklistTemplate,
    Finding,
    FindingPhoto,
    Invitation,
    ProtocolVersion,
    Walk,
    WalkStop,
)
from trygg.walks.protocol import protocol_data

# The stops in walking order: the centre, the youth centre, KBAB's yard, stairwells and
# garage, the school yard.
ROUTE = (
    "kronoparken-centrum",
    "fritidsgarden-kronoparken",
    "kbab-kronoparken-gard",
    "kbab-kronoparken-trapphus",
    "kbab-kronoparken-garage",
    "kronoparksskolan",
)
INVITED = (
    world.TEKNIK,
    world.KULTUR_FRITID,
    world.KBAB,
    world.BARN_UNGDOM,
    world.ENERGI,
    world.POLISEN,
)
NAMESPACE = uuid.UUID("6f6b1c1e-5c5a-4d59-9d52-17801780a11c")
SPRING_TITLE = "Trygghetsvandring i Kronoparken"
AUTUMN_TITLE = "Trygghetsvandring i Kronoparken i mörker (uppföljning)"
SPRING_DAYS_AGO = 196  # 28 weeks: half a year before the autumn walk
AUTUMN_DAYS_AGO = 14
METRES_PER_DEGREE = 111_320.0


@dataclass(frozen=True)
class Answered:
    organisation: str
    kind: str  # Answer.Kind value
    text: str
    measure: str = ""  # title of the measure it opens (will act, planned)
    # Days after the walk the measure started and was done (None: not yet).
    started: int | None = None
    done: int | None = None


@dataclass(frozen=True)
class FindingSpec:
    stop: int  # index into ROUTE
    offset: tuple[float, float]  # metres east, north of the stop's place
    category: str
    note: str
    scores: dict[str, int]
    photo: str = ""  # walk_photos scene
    by: str = "samordnare"  # the persona whose phone captured it
    responsible: str | None = None
    answer: Answered | None = None
    minutes: int = 0  # after the walk's start
    extra: dict = field(default_factory=dict)


# fmt: off
SPRING: tuple[FindingSpec, ...] = (
    FindingSpec(0, (35, -20), "otrygg_plats.belysning",
                "Två gatlampor är släckta på gångvägen mellan centrum och busshållplatsen.",
                {"lighting": 0, "visibility": 1, "feeling": 1}, "lamp", minutes=10,
                responsible=world.ENERGI,
                answer=Answered(world.ENERGI, "will_act", "Vi byter armaturerna till LED.",
                                "Nya LED-armaturer på gångvägen vid Kronoparkens centrum",
                                started=40, done=75)),
    FindingSpec(1, (-25, 15), "otrygg_plats.skymd_sikt",
                "Buskaget bakom fritidsgården har vuxit över gångvägen, man ser inte "
                "parkeringen.", {"visibility": 0, "openness": 1, "walk_path": 1}, "bush",
                minutes=25, responsible=world.TEKNIK,
                answer=Answered(world.TEKNIK, "will_act",
                                "Vi röjer buskaget och håller häcken under en meter.",
                                "Röjning av buskage bakom Fritidsgården i Kronoparken",
                                started=30, done=44)),
    FindingSpec(2, (10, 12), "skadegorelse.klotter",
                "Klotter på förrådsväggen på innergården, har suttit i flera veckor.",
                {"feeling": 1, "security": 1}, "graffiti", by="bovard", minutes=40,
                responsible=world.KBAB,
                answer=Answered(world.KBAB, "will_act", "Vi sanerar och målar om väggen.",
                                "Klottersanering av förrådet på KBAB:s innergård",
                                started=16, done=20)),
    FindingSpec(3, (-8, 6), "otrygg_plats.belysning",
                "Belysningen vid trapphusentrén är trasig och ytterdörren går inte i lås.",
                {"lighting": 1, "security": 0, "feeling": 1}, "doorway", by="bovard",
                minutes=50, responsible=world.KBAB,
                answer=Answered(world.KBAB, "planned",
                                "Ingår i upprustningen av entréerna som pågår etappvis.",
                                "Ny entrébelysning och dörrstängare, KBAB Kronoparken",
                                started=120)),
    FindingSpec(4, (15, -10), "otrygg_plats.odsligt",
                "Garaget är mörkt och öde, ingen insyn från gatan.",
                {"lighting": 1, "people": 0, "visibility": 1, "feeling": 0}, minutes=62,
                responsible=world.KBAB,
                answer=Answered(world.KBAB, "will_not",
                                "Garaget har kameraövervakning och belysning enligt norm; vi "
                                "ser ingen anledning att ändra nu.")),
    FindingSpec(5, (-30, -25), "otrygg_plats.nedskrapning",
                "Mycket skräp och krossat glas på skolgårdens baksida mot skogen.",
                {"walk_path": 1, "feeling": 1}, "litter", by="kommunpolis", minutes=78,
                responsible=world.BARN_UNGDOM),
    FindingSpec(5, (60, 40), "otrygg_plats.belysning",
                "Gångvägen från skolan mot centrum saknar belysning på en lång sträcka.",
                {"lighting": 0, "walk_path": 2, "public_transport": 1}, minutes=88,
                responsible=world.TEKNIK,
                answer=Answered(world.TEKNIK, "not_ours",
                                "Gatubelysningen sköts av Karlstads Energi.")),
)

AUTUMN: tuple[FindingSpec, ...] = (
    FindingSpec(0, (20, -40), "otrygg_plats.odsligt",
                "Få människor i rörelse efter klockan sju, men nu bra belysning vid hållplatsen.",
                {"lighting": 3, "people": 1, "visibility": 2, "feeling": 2}, minutes=5),
    FindingSpec(1, (10, -30), "otrygg_plats.nedskrapning",
                "Sopkärl och cyklar ställs i gångvägen framför fritidsgården.",
                {"walk_path": 1, "lighting": 2, "openness": 2}, "litter", minutes=20,
                responsible=world.KULTUR_FRITID),
    FindingSpec(2, (18, 5), "skadegorelse.klotter",
                "Nytt klotter på samma förrådsvägg som i våras.",
                {"feeling": 1, "lighting": 2, "security": 1}, "graffiti", by="bovard",
                minutes=35, responsible=world.KBAB),
    FindingSpec(3, (-5, 10), "samling.trapphus",
                "Ungdomar samlas i trapphuset kvällstid, dörren står fortfarande öppen.",
                {"security": 1, "lighting": 2, "feeling": 1}, "doorway", by="bovard",
                minutes=45, responsible=world.KBAB),
    FindingSpec(4, (40, 20), "otrygg_plats.odsligt",
                "Garaget upplevs fortfarande som otryggt i mörker.",
                {"lighting": 2, "people": 0, "feeling": 1}, minutes=58,
                responsible=world.KBAB),
    FindingSpec(5, (-35, 30), "otrygg_plats.belysning",
                "Skolgården är helt mörk efter klockan sex, ingen belysning alls.",
                {"lighting": 0, "visibility": 1, "feeling": 1}, "lamp", by="kommunpolis",
                minutes=72, responsible=world.BARN_UNGDOM),
)
# fmt: on


@dataclass(frozen=True)
class WalkSpec:
    key: str
    title: str
    days_ago: int
    hour: int
    light: str
    status: str
    findings: tuple[FindingSpec, ...]
    participants: dict[str, int]
    purpose: str


WALKS = (
    WalkSpec(
        "var", SPRING_TITLE, SPRING_DAYS_AGO, 14, Walk.Light.DAY, Walk.Status.FOLLOWED_UP, SPRING,
        {"residents": 9, "young": 3, "older": 4, "disability": 1, "women": 8, "men": 6,
         "staff": 7},
        "Boende och förvaltare går genom Kronoparken och noterar vad som gör området otryggt.",
    ),
    WalkSpec(
        "host", AUTUMN_TITLE, AUTUMN_DAYS_AGO, 18, Walk.Light.DARK, Walk.Status.PROTOCOL_SENT,
        AUTUMN,
        {"residents": 7, "young": 2, "older": 3, "women": 6, "men": 4, "staff": 6},
        "Samma rutt som i våras, nu i mörker: vad har blivit bättre och vad återstår?",
    ),
)  # fmt: skip


# --- the swap points for the walks' own actions -------------------------------------------


def confirm_responsible(finding: Finding, organisation: Organisation, *, acting_user, when):
    """The coordinator confirms who answers for the finding (the rules suggested one)."""
    finding.responsible = organisation
    finding.responsible_confirmed_by = acting_user
    finding.responsible_confirmed_at = when
    finding.save(
        update_fields=["responsible", "responsible_confirmed_by", "responsible_confirmed_at"]
    )
    record_changes(acting_user, finding, {"responsible": (None, organisation.pk)})


def answer_finding(finding: Finding, spec: Answered, *, acting_user, walk_day: dt.date) -> Answer:
    """The manager's answer, given at the follow-up meeting (the coordinator records it). A
    will-act or planned answer opens a measure owned by the manager, linked to the finding's
    event, then moved on as the manager reported it."""
    answered_on = walk_day + dt.timedelta(days=21)
    organisation = Organisation.objects.get(code=spec.organisation)
    measure = None
    if spec.measure:
        measure = _measure(finding, organisation, spec, acting_user, answered_on, walk_day)
    answer = Answer.objects.create(
        finding=finding,
        organisation=organisation,
        kind=spec.kind,
        text=spec.text,
        due=answered_on + dt.timedelta(days=90) if measure else None,
        measure=measure,
        answered_by=acting_user,
        answered_at=midnight(answered_on) + dt.timedelta(hours=10),
    )
    record_created(acting_user, answer, ["finding_id", "organisation_id", "kind", "measure_id"])
    return answer


def _measure(finding, organisation, spec: Answered, acting_user, answered_on, walk_day):
    event = finding.event
    measure = measure_actions.create_measure(
        finding.walk.municipality,
        acting_user=acting_user,
        title=spec.measure,
        status=Status.AGREED,
        responsible=organisation,
        events=[event],
        place=event.place,
        area=event.area,
        category=event.category,
        description=spec.text,
        due=answered_on + dt.timedelta(days=90),
        today=answered_on,
    )
    for status, days in ((Status.IN_PROGRESS, spec.started), (Status.DONE, spec.done)):
        if days is not None:
            measure_actions.set_measure_status(
                measure, status, acting_user=acting_user, today=walk_day + dt.timedelta(days)
            )
    return measure


# --- the walks -----------------------------------------------------------------------------


def _places() -> list[Place]:
    by_id = {
        p.external_id: p
        for p in Place.objects.filter(external_id__in=[f"demo-plats:{s}" for s in ROUTE])
    }
    return [by_id[f"demo-plats:{slug}"] for slug in ROUTE]


def _walk(spec: WalkSpec, places: list[Place], organisers, previous, today) -> Walk:
    walk_day = today - dt.timedelta(days=spec.days_ago)
    walk_at = midnight(walk_day) + dt.timedelta(hours=spec.hour)
    walk = Walk.objects.create(
        municipality=places[0].municipality,
        organisation=organisers,
        title=spec.title,
        purpose=spec.purpose,
        area=places[0].area,
        light=spec.light,
        template=ChecklistTemplate.objects.get(municipality=None, code="safetipin"),
        route={"type": "LineString", "coordinates": [[p.lon, p.lat] for p in places]},
        premeeting_at=walk_at - dt.timedelta(days=14, hours=spec.hour - 9),
        walk_at=walk_at,
        # Three weeks after the walk: the autumn follow-up is still ahead, with reminders due.
        followup_at=walk_at + dt.timedelta(days=21) - dt.timedelta(hours=spec.hour - 9),
        meeting_place="Kronoparkens centrum, vid biblioteket",
        status=spec.status,
        previous=previous,
        **{f"participants_{group}": n for group, n in spec.participants.items()},
    )
    for order, place in enumerate(places, start=1):
        WalkStop.objects.create(
            walk=walk, order=order, name=place.name, place=place,
            lat=place.lat, lon=place.lon, x=place.x, y=place.y,
        )  # fmt: skip
    for code in INVITED:
        Invitation.objects.create(
            walk=walk, organisation=Organisation.objects.get(code=code), reason="manager"
        )
    return walk


def _position(place: Place, offset: tuple[float, float], rng: random.Random):
    """The place moved `offset` metres (east, north), with a few metres of GPS noise."""
    east, north = offset[0] + rng.uniform(-3, 3), offset[1] + rng.uniform(-3, 3)
    lat = place.lat + north / METRES_PER_DEGREE
    lon = place.lon + east / (METRES_PER_DEGREE * math.cos(math.radians(place.lat)))
    return round(lat, 6), round(lon, 6)


def _findings(walk: Walk, spec: WalkSpec, places, seed: int, users, coordinator) -> None:
    rng = random.Random(f"{seed}:{spec.key}")  # noqa: S311 -- demo jitter, not a secret
    items = {item.code: item for item in walk.template.items.all()}
    categories = {
        c.code: c for c in Category.objects.filter(code__in={f.category for f in spec.findings})
    }
    stops = list(walk.stops.filter(municipality_id=walk.municipality_id).order_by("order"))
    dark = spec.light == Walk.Light.DARK
    for index, f in enumerate(spec.findings):
        lat, lon = _position(places[f.stop], f.offset, rng)
        photos = []
        if f.photo:
            photos = [walk_photos.photo(f.photo, seed=rng.randint(0, 10**6), dark=dark)]
        data = FindingInput(
            client_id=uuid.uuid5(NAMESPACE, f"{spec.key}:{index}"),
            lat=lat,
            lon=lon,
            captured_at=walk.walk_at + dt.timedelta(minutes=f.minutes),
            category=categories[f.category],
            note=f.note,
            scores={items[code]: score for code, score in f.scores.items()},
            photos=photos,
            stop=stops[f.stop],
        )
        finding, _created = record_finding(walk, data, acting_user=users[f.by])
        _follow_up(finding, f, walk, coordinator)


def _follow_up(finding: Finding, f: FindingSpec, walk: Walk, coordinator) -> None:
    if f.responsible is not None:
        when = walk.walk_at + dt.timedelta(days=2)
        organisation = Organisation.objects.get(code=f.responsible)
        confirm_responsible(finding, organisation, acting_user=coordinator, when=when)
    if f.answer is not None and walk.status == Walk.Status.FOLLOWED_UP:
        walk_day = timezone.localdate(walk.walk_at)
        answer_finding(finding, f.answer, acting_user=coordinator, walk_day=walk_day)


def _keep_protocol(walk: Walk, coordinator) -> None:
    """The protocol as the coordinator sent it: for the spring walk the version revised with
    the answers after the follow-up meeting, for the autumn walk the first one, three days after
    the walk, so the managers (log in as `bovard`) have findings of theirs to answer. Stored as
    a kept version at its own date; the demo queues no e-mail about it."""
    followed_up = walk.status == Walk.Status.FOLLOWED_UP
    followup_at = walk.followup_at or walk.walk_at + dt.timedelta(days=14)
    sent_at = followup_at + dt.timedelta(days=1) if followed_up else walk.walk_at
    ProtocolVersion.objects.create(
        walk=walk,
        number=1,
        data=protocol_data(walk),
        note="Med förvaltarnas svar från uppföljningsmötet." if followed_up else "",
        created_by=coordinator,
        created_at=sent_at + dt.timedelta(days=0 if followed_up else 3),
    )


def _approve_photos(walk: Walk, coordinator) -> None:
    """The moderator has looked at the spring walk's photos: fit to publish."""
    # The findings read first and the photos updated by their finding ids, each naming the
    # municipality: sharded (Citus), an update through a join is refused.
    findings = walk.findings.filter(municipality_id=walk.municipality_id)
    FindingPhoto.objects.filter(
        municipality_id=walk.municipality_id,
        finding_id__in=list(findings.values_list("pk", flat=True)),
    ).update(
        review=FindingPhoto.Review.APPROVED,
        reviewed_by=coordinator,
        reviewed_at=walk.followup_at,
    )


def load_walks(municipality, today: dt.date, *, seed: int = 1780) -> Counts:
    """The two walks (see the module docstring); a walk already there is left as it is."""
    counts = Counts()
    User = get_user_model()
    users = {u.username: u for u in User.objects.filter(username__in=world_usernames())}
    coordinator = users["samordnare"]
    organisers = Organisation.objects.get(code=world.KOMMUNLEDNING)
    places = _places()
    previous = None
    for spec in WALKS:
        walk = Walk.objects.filter(municipality=municipality, title=spec.title).first()
        counts.add(walk is None)
        if walk is None:
            walk = _walk(spec, places, organisers, previous, today)
            _findings(walk, spec, places, seed, users, coordinator)
            if spec.status == Walk.Status.FOLLOWED_UP:
                _approve_photos(walk, coordinator)
            _keep_protocol(walk, coordinator)
            if spec.status == Walk.Status.FOLLOWED_UP:
                publish_walk(walk, acting_user=coordinator)
        previous = walk
    return counts


def world_usernames() -> list[str]:
    return [p.username for p in world.PERSONAS if p.organisation is not None]
