"""About 300 residents' reports in Karlstad over the last year, in every state (issue 12, point 10).

Residents report at the demo's places (named places, playgrounds) and in the districts, in the
kinds a season brings (lights out in the dark months, litter and overgrown bushes in summer,
mopeds and fireworks around Valborg and New Year), more often in recent months as the portal
became known. The demo coordinator (`samordnare`) moderates them through the citizens' actions:
most are published, some hidden with a reason, a few corrected; clusters of reports at the same
spot within days are marked as duplicates of the first; published reports are routed to the
organisation the responsibility rules suggest and most older ones are closed with a note to
the resident. The newest wait in the queue, some of them for days.

Reports go in through `citizens.actions.reports.submit_report` (scrubber, event, tracking hash)
and the moderation actions (audit rows). The actions stamp the present moment; afterwards the
report's and its event's times are moved to the planned ones (`_backdate`), so the queue shows
how long a report has waited and the tracking page the dates of its steps.

Status mails: a few of the waiting reports carry an address at example.org (a domain reserved
for examples), but no mail is queued by the load: the actions queue one only when a person
moderates such a report in the demo, and the worker then sends it through the configured
backend (the console in development).

Deterministic and idempotent: the plan is drawn from the seed relative to today; each report's
event has the external id `demo-medborgare:<seed>:<n>` and a report already there is left as
it is. With a window shorter than a year (`--days`), only the reports inside it are loaded.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from trygg.citizens.actions import moderation
from trygg.citizens.actions.reports import (
    FORGET_CONTACT_AFTER,
    ReportInput,
    add_me_too,
    submit_report,
)
from trygg.citizens.models import (
    Channel,
    CitizenReport,
    Moderation,
    Outcome,
    ReportPhoto,
    StatusContact,
)
from trygg.demo import citizen_texts, texts, walk_photos
from trygg.demo.loader import Counts, _district_sites
from trygg.events.models import Event, Source
from trygg.places.models import Place

PREFIX = "demo-medborgare"
DAYS = 365
SINGLES = 250
CLUSTERS = 12
METRES_PER_DEGREE = 111_320.0

CATEGORIES = (
    "belysning",
    "klotter",
    "nedskrapning",
    "skadegorelse",
    "otrygg_plats",
    "ordningsstorning",
    "skymd_sikt",
)
BASE_WEIGHT = {
    "belysning": 22,
    "klotter": 18,
    "nedskrapning": 18,
    "skadegorelse": 12,
    "otrygg_plats": 12,
    "ordningsstorning": 10,
    "skymd_sikt": 8,
}
# fmt: off
# January to December: what a month brings (the dark, the leaves, summer evenings).
SEASON = {
    "belysning":        (2.0, 1.6, 1.1, 0.7, 0.4, 0.2, 0.2, 0.4, 0.8, 1.4, 2.0, 2.2),
    "klotter":          (0.8, 0.8, 1.0, 1.2, 1.2, 1.1, 1.0, 1.0, 1.1, 1.0, 0.9, 0.8),
    "nedskrapning":     (0.5, 0.5, 0.7, 1.0, 1.4, 1.8, 2.0, 1.8, 1.0, 0.7, 0.5, 0.6),
    "skadegorelse":     (0.8, 0.8, 0.9, 1.0, 1.2, 1.3, 1.3, 1.2, 1.0, 0.9, 0.9, 1.0),
    "otrygg_plats":     (1.3, 1.2, 1.0, 0.8, 0.7, 0.6, 0.6, 0.7, 1.0, 1.3, 1.5, 1.4),
    "ordningsstorning": (1.2, 0.6, 0.8, 1.6, 1.6, 1.6, 1.5, 1.3, 1.0, 0.9, 0.8, 1.4),
    "skymd_sikt":       (0.2, 0.2, 0.3, 0.6, 1.4, 2.0, 2.2, 2.0, 1.4, 0.6, 0.2, 0.2),
}
# Where residents see each kind: weights per kind of site (a site is drawn within its kind).
WHERE = {
    "belysning":        {"street": 4, "park": 3, "playground": 2, "district": 5, "station": 1,
                         "school_yard": 1, "yard": 1},
    "klotter":          {"street": 3, "playground": 3, "school_yard": 2, "district": 3,
                         "station": 1, "park": 2, "yard": 1, "square": 1},
    "nedskrapning":     {"park": 5, "square": 2, "station": 2, "playground": 2, "district": 3,
                         "street": 1},
    "skadegorelse":     {"playground": 4, "park": 2, "station": 1, "school_yard": 2,
                         "district": 2, "square": 1, "yard": 1},
    "otrygg_plats":     {"street": 4, "park": 2, "station": 2, "district": 3, "parking": 1,
                         "playground": 1},
    "ordningsstorning": {"square": 3, "station": 2, "district": 4, "street": 2,
                         "school_yard": 1, "parking": 1},
    "skymd_sikt":       {"park": 3, "playground": 3, "district": 4, "street": 1, "yard": 1},
}
# fmt: on
OUTCOMES = {Outcome.FIXED: 0.7, Outcome.NOT_OURS: 0.12, Outcome.NO_ACTION: 0.18}
SCENE = {
    "belysning": "lamp",
    "klotter": "graffiti",
    "nedskrapning": "litter",
    "skymd_sikt": "bush",
    "otrygg_plats": "doorway",
}
# Kinds of place that residents report at in the demo. Stairwells are left out (tenants call
# the landlord) and so are the shopping centres and the private car parks (no partner answers
# for them; a managed car park, the housing company's garage, is in).
SITE_KINDS = {"station", "street", "square", "park", "playground", "school_yard", "yard"}


@dataclass(frozen=True)
class Site:
    key: str
    kind: str  # a Place.Kind value, or "district"
    lat: float
    lon: float
    spread_m: float


@dataclass
class Planned:
    """One report as the plan has it; times are moments in the past."""

    number: int
    category: str  # what the resident chose
    description: str
    site: Site
    lat: float
    lon: float
    created: dt.datetime
    channel: str = Channel.WEB
    photo: str | None = None  # a walk_photos scene
    email: str = ""
    moderation: str = Moderation.PENDING
    moderated: dt.datetime | None = None
    correct_to: str | None = None  # the category the moderator corrects it to
    hidden_reason: str = ""
    duplicate_of: int | None = None  # the original's number
    route: bool = False
    routed: dt.datetime | None = None
    outcome: str = ""
    note: str = ""
    closed: dt.datetime | None = None
    me_too: int = 0
    approve_photo: bool = False


# --- the plan (no database) ------------------------------------------------------------------


def plan(sites: list[Site], now: dt.datetime, seed: int) -> list[Planned]:
    """The year's reports, numbered in a fixed order: the single reports, then the clusters."""
    rng = random.Random(f"{seed}:medborgare")  # noqa: S311 -- demo data, not a secret
    by_kind: dict[str, list[Site]] = {}
    for site in sites:
        by_kind.setdefault(site.kind, []).append(site)
    reports = [_single(n, rng, by_kind, now) for n in range(SINGLES)]
    for _ in range(CLUSTERS):
        reports.extend(_cluster(len(reports), rng, by_kind, now))
    for report in reports:
        if report.duplicate_of is None:
            _fate(report, rng, now)
    _fates_of_clusters(reports, rng, now)
    return reports


def _days_ago(rng: random.Random) -> int:
    """More reports lately: the portal became known during the year (weight 1.6 today, 0.6
    a year ago)."""
    while True:
        days = rng.randrange(DAYS)
        if rng.random() * 1.6 < 1.6 - days / DAYS:
            return days


def _moment(rng: random.Random, now: dt.datetime, days: int, category: str) -> dt.datetime:
    """A time on the day `days` ago: in the evening for the dark and the disorder."""
    evening = category in ("belysning", "otrygg_plats", "ordningsstorning")
    hour = rng.randint(16, 22) if evening else rng.randint(7, 21)
    day = timezone.localdate(now) - dt.timedelta(days=days)
    moment = timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour))
    moment += dt.timedelta(minutes=rng.randrange(60))
    return min(moment, now - dt.timedelta(minutes=30 + rng.randrange(90)))


def _category(rng: random.Random, month: int) -> str:
    weights = [BASE_WEIGHT[c] * SEASON[c][month - 1] for c in CATEGORIES]
    return rng.choices(CATEGORIES, weights)[0]


def _site(rng: random.Random, by_kind: dict[str, list[Site]], category: str) -> Site:
    kinds = [k for k in WHERE[category] if by_kind.get(k)]
    kind = rng.choices(kinds, [WHERE[category][k] for k in kinds])[0]
    return rng.choice(by_kind[kind])


def _near(rng: random.Random, site: Site, spread_m: float) -> tuple[float, float]:
    """A position around the site: normal, clipped at twice the spread."""
    east, north = (max(-2 * spread_m, min(2 * spread_m, rng.gauss(0, spread_m))) for _ in "xy")
    lat = site.lat + north / METRES_PER_DEGREE
    lon = site.lon + east / (METRES_PER_DEGREE * math.cos(math.radians(site.lat)))
    return round(lat, 6), round(lon, 6)


def _description(rng: random.Random, category: str, site: Site, phone: bool = False) -> str:
    surface = rng.choice(texts.SURFACES.get(site.kind, texts.SURFACES["other"]))
    if phone:
        return rng.choice(citizen_texts.WITH_PHONE).format(yta=surface)
    return rng.choice(citizen_texts.RESIDENT_TEMPLATES[category]).format(yta=surface)


def _single(number: int, rng: random.Random, by_kind, now: dt.datetime) -> Planned:
    days = _days_ago(rng)
    created_day = timezone.localdate(now) - dt.timedelta(days=days)
    category = _category(rng, created_day.month)
    site = _site(rng, by_kind, category)
    lat, lon = _near(rng, site, site.spread_m)
    report = Planned(
        number=number,
        category=category,
        # Two residents leave a phone number in the text (the scrubber takes it out).
        description=_description(rng, category, site, phone=number in (17, 141)),
        site=site,
        lat=lat,
        lon=lon,
        created=_moment(rng, now, days, category),
        channel=Channel.OPEN311 if rng.random() < 0.12 else Channel.WEB,
        photo=SCENE.get(category) if rng.random() < 0.05 else None,
    )
    # A resident who thought "it feels unsafe" where a lamp is out: the moderator corrects it.
    if category == "belysning" and rng.random() < 0.1:
        report.category, report.correct_to = "otrygg_plats", "belysning"
    return report


def _cluster(first: int, rng: random.Random, by_kind, now) -> list[Planned]:
    """Two to five residents report the same thing at the same spot within a few days."""
    days = rng.randint(10, DAYS - 10)
    created_day = timezone.localdate(now) - dt.timedelta(days=days)
    category = _category(rng, created_day.month)
    site = _site(rng, by_kind, category)
    lat, lon = _near(rng, site, min(site.spread_m, 40.0))
    moment = _moment(rng, now, days, category)
    reports = []
    for k in range(rng.randint(2, 5)):
        if k:
            lat, lon = _near(rng, Site(site.key, site.kind, lat, lon, 0), 25.0)
            moment += dt.timedelta(hours=rng.randint(3, 40))
        reports.append(
            Planned(
                number=first + k,
                category=category,
                description=_description(rng, category, site),
                site=site,
                lat=lat,
                lon=lon,
                created=min(moment, now - dt.timedelta(hours=2)),
                channel=Channel.OPEN311 if rng.random() < 0.15 else Channel.WEB,
                duplicate_of=first if k else None,
            )
        )
    return reports


def _fate(report: Planned, rng: random.Random, now: dt.datetime) -> None:
    """Waiting, hidden or published; published ones routed and, given time, closed."""
    age = (now - report.created).total_seconds() / 86400
    waiting = 1.0 if age < 7 else 0.7 if age < 30 else 0.2 if age < 60 else 0.0
    if rng.random() < waiting:
        # A few of the waiting reports left an address for status mails.
        if age < 14 and rng.random() < 0.4:
            report.email = f"invanare-{report.number}@example.org"
        # Residents who found it before sending their own said "me too" (a draw of its own,
        # so the rest of the plan stays as it was).
        own = random.Random(f"{report.created.isoformat()}:me-too")  # noqa: S311 -- demo data
        report.me_too = own.choice((0, 0, 0, 0, 0, 1, 1, 2))
        return
    report.moderated = _after(report.created, rng.uniform(0.1, min(3.0, age * 0.5)), now)
    if rng.random() < 0.05:
        report.moderation = Moderation.HIDDEN
        report.hidden_reason = rng.choice(citizen_texts.HIDDEN_REASONS)
        return
    report.moderation = Moderation.PUBLISHED
    report.approve_photo = rng.random() < 0.8
    if rng.random() < 0.2:
        report.me_too = rng.randint(1, 5)
    _follow_up(report, rng, now, age)


def _follow_up(report: Planned, rng: random.Random, now: dt.datetime, age: float) -> None:
    assert report.moderated is not None  # noqa: S101 -- set by _fate before
    outcome = rng.choices(list(OUTCOMES), list(OUTCOMES.values()))[0]
    # "Not ours" is told at once; the rest go to the responsible organisation first.
    report.route = outcome != Outcome.NOT_OURS and age > 3 and rng.random() < 0.9
    if report.route:
        report.routed = _after(report.moderated, rng.uniform(0.0, 1.5), now)
    if age < 14 or rng.random() > min(0.9, (age - 14) / 45):
        return
    report.outcome = outcome
    report.note = _closing_note(rng, report.correct_to or report.category, outcome)
    report.closed = _after(report.routed or report.moderated, rng.uniform(1.0, 40.0), now)


def _fates_of_clusters(reports: list[Planned], rng: random.Random, now: dt.datetime) -> None:
    """The original is published; each later report is marked as its duplicate, and the
    original is closed (if at all) only after the last of them."""
    by_number = {r.number: r for r in reports}
    for report in reports:
        if report.duplicate_of is None:
            continue
        original = by_number[report.duplicate_of]
        if original.moderation != Moderation.PUBLISHED:
            # The moderator who sees the duplicates has published the original first.
            original.moderation = Moderation.PUBLISHED
            original.moderated = _after(original.created, 0.5, now)
            original.email, original.hidden_reason = "", ""
        report.moderation = Moderation.DUPLICATE
        report.moderated = _after(report.created, rng.uniform(0.1, 1.5), now)
        if original.closed is not None and original.closed <= report.moderated:
            original.closed = _after(report.moderated, rng.uniform(1.0, 10.0), now)


def _after(moment: dt.datetime, days: float, now: dt.datetime) -> dt.datetime:
    """`days` after `moment`, but never later than a quarter of an hour ago."""
    return min(moment + dt.timedelta(days=days), now - dt.timedelta(minutes=15))


def _closing_note(rng: random.Random, category: str, outcome: str) -> str:
    if outcome == Outcome.FIXED:
        return rng.choice(citizen_texts.FIXED_NOTES[category])
    if outcome == Outcome.NOT_OURS:
        return rng.choice(citizen_texts.NOT_OURS_NOTES)
    return rng.choice(citizen_texts.NO_ACTION_NOTES)


# --- the sites ---------------------------------------------------------------------------


def sites(municipality) -> list[Site]:
    """Named places and playgrounds inside a district (by external id), then the districts'
    inner points (by code): the order the plan draws from."""
    places = (
        Place.objects.filter(municipality=municipality, area__isnull=False)
        .filter(Q(kind__in=SITE_KINDS) | Q(kind="parking", manager__isnull=False))
        .order_by("external_id")
    )
    result = [
        Site(p.external_id, p.kind, p.lat, p.lon, 10.0 if p.kind == "playground" else 25.0)
        for p in places
        if p.external_id.startswith(("demo-plats:", "lekplats:"))
    ]
    for info in _district_sites(municipality):
        result.append(Site(info.site.key, "district", info.lat, info.lon, 60.0))
    return result


# --- writing -----------------------------------------------------------------------------


def external_id(seed: int, number: int) -> str:
    return f"{PREFIX}:{seed}:{number}"


def load_reports(municipality, now: dt.datetime, *, seed: int, days: int = DAYS) -> Counts:
    """The plan's reports inside the last `days` days, written through the citizens' actions
    as the demo coordinator; reports already there are left as they are."""
    coordinator = get_user_model().objects.get(username="samordnare")
    planned = within(plan(sites(municipality), now, seed), now, days)
    wanted = {external_id(seed, r.number): r for r in planned}
    existing = {
        wanted[str(report.event.external_id)].number: report
        # Both sharded tables name the municipality, so Citus joins them on its shard.
        for report in CitizenReport.objects.filter(
            municipality=municipality,
            event__municipality=municipality,
            event__source=Source.CITIZEN,
            event__external_id__in=list(wanted),
        ).select_related("event")
    }
    new = [r for r in planned if r.number not in existing]
    made = {r.number: _submit(r, municipality, seed) for r in new}
    _moderate(new, made | existing, coordinator)
    _backdate(new, made, municipality.pk)
    return Counts(created=len(new), updated=len(existing))


def within(planned: list[Planned], now: dt.datetime, days: int) -> list[Planned]:
    """The reports made in the window; a duplicate only with its original."""
    start = now - dt.timedelta(days=days)
    kept = {r.number for r in planned if r.created >= start}
    return [
        r
        for r in planned
        if r.number in kept and (r.duplicate_of is None or r.duplicate_of in kept)
    ]


def _submit(report: Planned, municipality, seed: int) -> CitizenReport:
    """The resident's report through the action; a position that fell outside the
    municipality (the river, the lake) is moved back to its site."""
    photos = []
    if report.photo:
        photos = [walk_photos.photo(report.photo, seed=seed * 1000 + report.number, dark=False)]
    data = ReportInput(
        lat=report.lat,
        lon=report.lon,
        category_code=report.category,
        description=report.description,
        photos=photos,
        email=report.email,
        channel=report.channel,
        occurred_at=report.created - dt.timedelta(minutes=10 + report.number % 110),
    )
    try:
        made, _token = submit_report(data, municipality)
    except ValidationError as error:
        if "position" not in error.message_dict:
            raise
        data.lat, data.lon = report.site.lat, report.site.lon
        report.lat, report.lon = data.lat, data.lon
        made, _token = submit_report(data, municipality)
    Event.objects.filter(municipality_id=made.municipality_id, pk=made.event_id).update(
        external_id=external_id(seed, report.number)
    )
    return made


def _moderate(new: list[Planned], reports: dict[int, CitizenReport], coordinator) -> None:
    """The moderator's decisions in an order the actions accept: corrections while waiting,
    then hide and publish, duplicates while their originals are open, routing, the "me too"s,
    the photos, and closing last."""

    def each(condition: Callable[[Planned], bool], act: Callable[[Planned, CitizenReport], object]):
        for planned in new:
            if condition(planned):
                act(planned, reports[planned.number])

    user = {"acting_user": coordinator}
    each(
        lambda p: p.correct_to is not None,
        lambda p, r: moderation.correct(r, category_code=p.correct_to, **user),
    )
    each(
        lambda p: p.moderation == Moderation.HIDDEN,
        lambda p, r: moderation.hide(r, reason=p.hidden_reason, **user),
    )
    each(
        lambda p: p.moderation == Moderation.PUBLISHED,
        lambda p, r: moderation.publish(r, **user),
    )
    each(
        lambda p: p.duplicate_of is not None,
        lambda p, r: moderation.mark_duplicate(r, original=_original(p, reports), **user),
    )
    suggested: dict = {}
    each(lambda p: p.route, lambda p, r: _route(p, r, coordinator, suggested))
    each(lambda p: p.me_too > 0, lambda p, r: [add_me_too(r) for _ in range(p.me_too)])
    each(lambda p: p.photo is not None, lambda p, r: _review_photos(p, r, coordinator))
    each(
        lambda p: p.closed is not None,
        lambda p, r: moderation.close(r, outcome=p.outcome, note=p.note, **user),
    )


def _original(planned: Planned, reports: dict[int, CitizenReport]) -> CitizenReport:
    if planned.duplicate_of is None:
        raise ValueError(f"report {planned.number} is not a duplicate")
    return reports[planned.duplicate_of]


def _route(planned: Planned, report: CitizenReport, coordinator, suggested: dict) -> None:
    """To the organisation the rules suggest; without a suggestion the report stays with the
    municipality's coordinator. `suggested` keeps the suggestion per category, area and place
    for the rest of the load (the rules do not change meanwhile)."""
    event = report.event
    key = (event.category_id, event.area_id, event.place_id)
    if key not in suggested:
        suggested[key] = moderation.routing_suggestion(report).organisation
    organisation = suggested[key]
    if organisation is None or organisation.pk == event.organisation_id:
        planned.route, planned.routed = False, None
        return
    moderation.route(report, organisation=organisation, acting_user=coordinator)


def _review_photos(planned: Planned, report: CitizenReport, coordinator) -> None:
    if planned.moderation == Moderation.PENDING:
        return  # not looked at yet: the photo stays private
    approve = planned.moderation == Moderation.PUBLISHED and planned.approve_photo
    for photo in ReportPhoto.objects.filter(municipality_id=report.municipality_id, report=report):
        moderation.review_photo(photo, approve=approve, acting_user=coordinator)


def _backdate(new: list[Planned], made: dict[int, CitizenReport], municipality_id: int) -> None:
    """Move the new reports and their events from the moment of the load to the planned
    times, and the addresses' forget day with them. Every statement names the municipality
    (bulk_update keeps the queryset's filter), so Citus sends each to its shard."""
    own_reports = CitizenReport.objects.filter(municipality_id=municipality_id)
    own_events = Event.objects.filter(municipality_id=municipality_id)
    reports = own_reports.in_bulk([made[p.number].pk for p in new])
    events = own_events.in_bulk([made[p.number].event_id for p in new])
    for planned in new:
        report = reports[made[planned.number].pk]
        report.created_at = planned.created
        report.moderated_at = planned.moderated
        report.routed_at = planned.routed if report.routed_to_id else None
        report.closed_at = planned.closed if report.closed_at else None
        events[report.event_id].reported_at = planned.created
    own_reports.bulk_update(
        reports.values(), ["created_at", "moderated_at", "routed_at", "closed_at"], batch_size=500
    )
    own_events.bulk_update(events.values(), ["reported_at"], batch_size=500)
    for planned in new:
        if planned.email:
            StatusContact.objects.filter(
                municipality_id=municipality_id, report=made[planned.number]
            ).update(forget_after=timezone.localdate(planned.created) + FORGET_CONTACT_AFTER)
