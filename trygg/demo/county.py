"""A county on one installation (issue 16, point 4; decision 0035): every municipality of a
county with its own coordinating organisation, the partners that work across the county with
one organisation per municipality and their staff members of each, and the regional
coordinator who sees the county's aggregates only.

Written through the organisations' actions (one audit row per new or changed organisation
and membership), matched by code and username, so `trygg county-setup 17` can be run again.
The police events of Värmland come from the demo's extract, one import run per municipality,
owned by the police area's organisation there; events already loaded (by `trygg load-demo`)
are found by their id and not loaded twice.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from trygg.demo import extract_police, loader, world
from trygg.events.importers.base import ImportContext, ImportReport, run_import
from trygg.organisations.actions import set_membership, set_up_organisation
from trygg.organisations.models import Membership, Organisation
from trygg.places.models import Municipality
from trygg.places.reference import county_names

VARMLAND = "17"
# The demo already has these municipalities' coordinating organisations: keep them.
EXISTING_COORDINATORS = {
    world.KARLSTAD: world.KOMMUNLEDNING,
    world.KARLSKOGA: world.KARLSKOGA_KOMMUN,
}


@dataclass(frozen=True)
class Partner:
    """A partner of the whole county: one organisation per municipality, one staff account
    that is a member of each."""

    slug: str
    name: str
    kind: str
    username: str
    role: str


PARTNERS: tuple[Partner, ...] = (
    Partner("polisomrade", "Polisområde Värmland", "police", "lanspolis", "coordinator"),
    Partner(
        "raddningstjansten",
        "Räddningstjänsten i Värmland",
        "rescue_service",
        "lansraddning",
        "reporter",
    ),
    # A housing company with estates in every municipality of the county (made up for the demo).
    Partner(
        "lansbostader", "Länsbostäder Värmland (demo)", "property_owner", "lansbostad", "reporter"
    ),
)
COUNTY_USER = "lansstyrelsen"


@dataclass
class CountySetup:
    """What a setup did: organisations and memberships new or changed, users new, and the
    police import runs."""

    municipalities: int = 0
    organisations_created: int = 0
    organisations_present: int = 0
    memberships_changed: int = 0
    users_created: int = 0
    police: dict[str, ImportReport] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def county_municipalities(county_code: str) -> list[Municipality]:
    return list(
        Municipality.objects.filter(county_code=county_code).defer("geometry").order_by("code")
    )


def coordinator_code(municipality: Municipality) -> str:
    return EXISTING_COORDINATORS.get(municipality.code, f"kommun-{municipality.code}")


def partner_code(partner: Partner, municipality: Municipality) -> str:
    return f"{partner.slug}-{municipality.code}"


def county_code_of(county_code: str) -> str:
    return f"lansstyrelsen-{county_code}"


def set_up(county_code: str, *, police: bool = True, now=None) -> CountySetup:
    """Organisations, accounts and memberships for the county, then its police events."""
    municipalities = county_municipalities(county_code)
    result = CountySetup(municipalities=len(municipalities))
    if not municipalities:
        return result
    users = _users(result, county_code, municipalities)
    for municipality in municipalities:
        _municipality(result, municipality, users)
    _county(result, county_code, municipalities, users)
    if police:
        _police(result, county_code, municipalities, now or timezone.now())
    return result


def _users(result: CountySetup, county_code: str, municipalities) -> dict:
    """One account per partner, one per municipality's coordinator and the regional one; the
    demo password is set when an account is created, never changed afterwards."""
    names = [p.username for p in PARTNERS] + [COUNTY_USER]
    names += [f"samordnare-{m.code}" for m in municipalities if m.code not in EXISTING_COORDINATORS]
    User = get_user_model()
    existing = {u.username: u for u in User.objects.filter(username__in=names)}
    hashed = None
    for name in names:
        if name not in existing:
            hashed = hashed or make_password(world.DEMO_PASSWORD)
            existing[name] = User.objects.create(username=name, password=hashed)
            result.users_created += 1
    return existing


def _organisation(result: CountySetup, code: str, name: str, kind: str, municipality):
    organisation, created = set_up_organisation(
        code, name=name, kind=kind, municipality=municipality
    )
    if created:
        result.organisations_created += 1
    else:
        result.organisations_present += 1
    return organisation


def _municipality(result: CountySetup, municipality: Municipality, users) -> None:
    code = coordinator_code(municipality)
    if municipality.code in EXISTING_COORDINATORS:
        coordinator = Organisation.objects.filter(code=code).first()
        if coordinator is None:  # the county before the demo: a coordinator of its own
            coordinator = _organisation(
                result,
                code,
                f"{_genitive(municipality.name)} kommun",
                "municipal_department",
                municipality,
            )
    else:
        coordinator = _organisation(
            result,
            code,
            f"{_genitive(municipality.name)} kommun – trygghetssamordning",
            "municipal_department",
            municipality,
        )
        user = users[f"samordnare-{municipality.code}"]
        result.memberships_changed += set_membership(user, coordinator, "coordinator")
    for partner in PARTNERS:
        organisation = _organisation(
            result,
            partner_code(partner, municipality),
            f"{partner.name} – {municipality.name}",
            partner.kind,
            municipality,
        )
        result.memberships_changed += set_membership(
            users[partner.username], organisation, partner.role
        )


def _county(result: CountySetup, county_code: str, municipalities, users) -> None:
    """The regional coordinator, seated in Karlstad for Värmland (the residence city), else in
    the county's first municipality by code; its seat gives it no access there (0035)."""
    seat = next((m for m in municipalities if m.code == world.KARLSTAD), municipalities[0])
    name = county_names().get(county_code, county_code)
    organisation = _organisation(
        result,
        county_code_of(county_code),
        f"Länsstyrelsen {name} – regional samordning",
        Organisation.Kind.COUNTY,
        seat,
    )
    result.memberships_changed += set_membership(
        users[COUNTY_USER], organisation, Membership.Role.VIEWER
    )


def _police(result: CountySetup, county_code: str, municipalities, now) -> None:
    """The county's police events, each owned by the police area's organisation of its
    municipality. Only Värmland's extract ships with the demo."""
    if county_code != VARMLAND:
        result.notes.append("polisens händelser finns bara för Värmland (län 17) i demodata")
        return
    from trygg.events.importers import polisen

    codes = extract_police.county_municipalities(county_code)
    by_municipality: dict[str, list[dict]] = defaultdict(list)
    for record in polisen.read(loader.POLICE_FILE):
        if not isinstance(record, dict):
            continue  # not a record: the import itself reports it
        code = extract_police.municipality_of(record, codes)
        if code is not None and code != "county":
            by_municipality[code].append(record)
    police = next(p for p in PARTNERS if p.kind == "police")
    for municipality in municipalities:
        records = by_municipality.get(municipality.code, [])
        if not records:
            continue
        ctx = ImportContext(
            source="police",
            importer="polisen",
            file_name=f"{loader.POLICE_FILE.name} ({municipality.name})",
            organisation=Organisation.objects.get(code=partner_code(police, municipality)),
            skip_invalid=True,  # one odd record must not stop the county's setup
            now=now,
        )
        result.police[municipality.code] = run_import(
            polisen.parse(records, county_code=county_code), ctx
        )


def _genitive(name: str) -> str:
    """A municipality's name as in '… kommun': 'Kristinehamns', 'Hagfors', 'Arvika', 'Hammarö'
    (a name ending in a vowel or s takes no genitive s)."""
    return name if name[-1].lower() in "aeiouyåäös" else f"{name}s"
