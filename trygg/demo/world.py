"""Who and what the demo municipality Karlstad is made of: organisations, personas, named places.

Plain data, no Django: the loader (trygg/demo/loader.py) writes it, the generator
(trygg/demo/generator.py) reads the place profiles. The organisations are the partners the
seeds name (shared/seeds beside the repository: the coalition's piece on Karlstad's safety
work, the press release on the citizen promise 2023–2027, Karlskoga's EST page).

Positions are WGS84 latitude/longitude of the real places, checked against the district map
(the tests assert every place lies in a district of Karlstad). School-yard positions follow the
schools' playgrounds in Karlstad's open playground data.
"""

from __future__ import annotations

from dataclasses import dataclass

KARLSTAD = "1780"
KARLSKOGA = "1883"

# A demo password, printed on screen by `trygg load-demo`: never use it outside a demo.
DEMO_PASSWORD = "trygg-demo-2026"  # noqa: S105 -- public by design, like the demo data

# Organisation codes used across the demo (slugs; the first four match trygg/conftest.py).
KOMMUNLEDNING = "karlstad-kommunledning"
TEKNIK = "karlstad-teknik-fastighet"
BARN_UNGDOM = "karlstad-barn-ungdom"
KULTUR_FRITID = "karlstad-kultur-fritid"
KBAB = "kbab"
ENERGI = "karlstads-energi"
RADDNINGSTJANST = "raddningstjansten-karlstadsregionen"
POLISEN = "polisen-karlstad"
BROTTSOFFERJOUREN = "brottsofferjouren-varmland"
VUXNA_FOR_TRYGGHET = "vuxna-for-trygghet-karlstad"
KARLSTADSBUSS = "karlstadsbuss"
KARLSKOGA_KOMMUN = "karlskoga-kommun"


@dataclass(frozen=True)
class OrganisationSpec:
    code: str
    name: str
    kind: str  # Organisation.Kind value
    municipality: str = KARLSTAD


ORGANISATIONS: tuple[OrganisationSpec, ...] = (
    OrganisationSpec(
        KOMMUNLEDNING, "Karlstads kommun – kommunledningsförvaltningen", "municipal_department"
    ),
    OrganisationSpec(
        TEKNIK, "Karlstads kommun – teknik- och fastighetsförvaltningen", "municipal_department"
    ),
    OrganisationSpec(
        BARN_UNGDOM, "Karlstads kommun – barn- och ungdomsförvaltningen", "municipal_department"
    ),
    OrganisationSpec(
        KULTUR_FRITID, "Karlstads kommun – kultur- och fritidsförvaltningen", "municipal_department"
    ),
    OrganisationSpec(KBAB, "Karlstads Bostads AB (KBAB)", "municipal_company"),
    OrganisationSpec(ENERGI, "Karlstads Energi", "municipal_company"),
    OrganisationSpec(RADDNINGSTJANST, "Räddningstjänsten Karlstadsregionen", "rescue_service"),
    OrganisationSpec(POLISEN, "Polisen lokalpolisområde Karlstad", "police"),
    OrganisationSpec(BROTTSOFFERJOUREN, "Brottsofferjouren Värmland", "association"),
    OrganisationSpec(VUXNA_FOR_TRYGGHET, "Vuxna för trygghet Karlstad", "association"),
    OrganisationSpec(KARLSTADSBUSS, "Karlstadsbuss", "transport"),
    OrganisationSpec(KARLSKOGA_KOMMUN, "Karlskoga kommun", "municipal_department", KARLSKOGA),
)


@dataclass(frozen=True)
class Persona:
    username: str
    description: str  # shown in the login table
    organisation: str | None  # None: the superuser, who belongs to no organisation
    role: str | None  # Membership.Role value


PERSONAS: tuple[Persona, ...] = (
    Persona("samordnare", "trygghetssamordnare", KOMMUNLEDNING, "coordinator"),
    Persona("kommunpolis", "kommunpolis", POLISEN, "coordinator"),
    Persona("bovard", "bovärd (rapportör)", KBAB, "reporter"),
    Persona("analytiker", "analytiker", KOMMUNLEDNING, "analyst"),
    Persona("karlskoga", "samordnare i annan kommun", KARLSKOGA_KOMMUN, "coordinator"),
    Persona("admin", "systemadministratör", None, None),
)


@dataclass(frozen=True)
class PlaceSpec:
    """A named place. `profile` picks the generator's rates (generator.PROFILES); `weight`
    multiplies them (a persistent hotspot); `jitter_m` is the spread of positions around it."""

    slug: str
    name: str
    kind: str  # Place.Kind value
    lat: float
    lon: float
    manager: str | None  # organisation code; None: a private owner who is not an EST partner
    profile: str
    weight: float = 1.0
    jitter_m: float = 30.0

    @property
    def external_id(self) -> str:
        return f"demo-plats:{self.slug}"


def _school(slug, name, lat, lon, weight=1.0) -> PlaceSpec:
    return PlaceSpec(slug, name, "school_yard", lat, lon, BARN_UNGDOM, "school_yard", weight, 40)


def _kbab(slug, name, kind, lat, lon, weight=1.0) -> PlaceSpec:
    jitter = {"stairwell": 12.0, "yard": 25.0, "parking": 20.0}[kind]
    return PlaceSpec(slug, name, kind, lat, lon, KBAB, kind, weight, jitter)


# fmt: off
NAMED_PLACES: tuple[PlaceSpec, ...] = (
    # The persistent hotspot: trains, regional and city buses, people waiting late.
    PlaceSpec("karlstad-c", "Karlstad C / Resecentrum", "station", 59.3780, 13.4988,
              KARLSTADSBUSS, "station", jitter_m=45),
    PlaceSpec("gangtunneln-karlstad-c", "Gångtunneln under spåren vid Karlstad C", "street",
              59.3772, 13.4990, TEKNIK, "tunnel", jitter_m=15),
    PlaceSpec("stora-torget", "Stora torget", "square", 59.3793, 13.5036, TEKNIK, "square",
              jitter_m=40),
    PlaceSpec("drottninggatan", "Drottninggatan (gågatan)", "street", 59.3800, 13.5000, TEKNIK,
              "square", jitter_m=60),
    # Private shopping centres: their owners are not EST partners in the demo.
    PlaceSpec("mitt-i-city", "Mitt i City", "shop", 59.3808, 13.5035, None, "shopping",
              jitter_m=25),
    PlaceSpec("duvan", "Gallerian Duvan", "shop", 59.3798, 13.4995, None, "shopping",
              jitter_m=25),
    PlaceSpec("sandgrund-lagerlofs", "Krogstråket Sandgrund–Lagerlöfs", "street", 59.3812,
              13.5005, TEKNIK, "nightlife", jitter_m=50),
    PlaceSpec("ostra-bron", "Östra bron", "street", 59.3812, 13.5113, TEKNIK, "tunnel"),
    PlaceSpec("stadstradgarden", "Stadsträdgården", "park", 59.3795, 13.5085, TEKNIK, "park",
              jitter_m=50),
    PlaceSpec("sandgrundsudden", "Sandgrundsudden", "park", 59.3830, 13.4935, TEKNIK, "park",
              jitter_m=60),
    PlaceSpec("inre-hamn", "Inre hamn, kajen", "park", 59.3745, 13.5000, TEKNIK, "park",
              weight=0.8, jitter_m=50),
    PlaceSpec("mariebergsskogen", "Mariebergsskogen", "park", 59.3660, 13.4870, KULTUR_FRITID,
              "park", jitter_m=90),
    PlaceSpec("vaxnas-centrum", "Våxnäs centrum", "square", 59.3862, 13.4700, TEKNIK, "centre",
              jitter_m=40),
    PlaceSpec("kronoparken-centrum", "Kronoparken centrum", "square", 59.4020, 13.5705, TEKNIK,
              "centre", weight=1.3, jitter_m=40),
    PlaceSpec("rud-centrum", "Rud centrum (Rudstorget)", "square", 59.4035, 13.5215, TEKNIK,
              "centre", jitter_m=40),
    PlaceSpec("valsviken-parkering", "Välsvikens handelsområde, parkeringen", "parking",
              59.3930, 13.5900, None, "retail", jitter_m=80),
    PlaceSpec("bergvik-parkering", "Bergvik köpcentrum, parkeringen", "parking", 59.3760,
              13.4170, None, "retail", jitter_m=80),
    PlaceSpec("fritidsgarden-kronoparken", "Fritidsgården i Kronoparken", "other", 59.4025,
              13.5690, KULTUR_FRITID, "youth_centre", jitter_m=25),
    PlaceSpec("fritidsgarden-rud", "Fritidsgården i Rud", "other", 59.4030, 13.5230,
              KULTUR_FRITID, "youth_centre", jitter_m=25),
    # School yards: weekend vandalism is why Karlstad put cameras on some of them (seed 000).
    _school("kronoparksskolan", "Kronoparksskolan, skolgården", 59.4016, 13.5762, weight=3.0),
    _school("rudsskolan", "Rudsskolan, skolgården", 59.4005, 13.5200, weight=3.0),
    _school("orrholmsskolan", "Orrholmsskolan, skolgården", 59.3685, 13.5005, weight=2.0),
    _school("herrhagsskolan", "Herrhagsskolan, skolgården", 59.3768, 13.5162),
    _school("norrstrandsskolan", "Norrstrandsskolan, skolgården", 59.3895, 13.5250),
    _school("sundsta-alvkulle", "Sundsta-Älvkullegymnasiet, skolgården", 59.3870, 13.5045),
    # KBAB: the stairwells in northern Kronoparken are the housing company's hotspot.
    _kbab("kbab-kronoparken-trapphus", "KBAB Kronoparken, trapphus", "stairwell", 59.4045,
          13.5745, weight=4.0),
    _kbab("kbab-kronoparken-gard", "KBAB Kronoparken, innergård", "yard", 59.4032, 13.5725, 1.5),
    _kbab("kbab-kronoparken-garage", "KBAB Kronoparken, garage", "parking", 59.4055, 13.5770),
    _kbab("kbab-rud-trapphus", "KBAB Rud, trapphus", "stairwell", 59.4048, 13.5235, 1.5),
    _kbab("kbab-rud-gard", "KBAB Rud, innergård", "yard", 59.4042, 13.5250),
    _kbab("kbab-orrholmen-trapphus", "KBAB Orrholmen, trapphus", "stairwell", 59.3678, 13.4975),
    _kbab("kbab-orrholmen-gard", "KBAB Orrholmen, innergård", "yard", 59.3672, 13.4990),
    _kbab("kbab-vaxnas-gard", "KBAB Våxnäs, innergård", "yard", 59.3870, 13.4680),
)
# fmt: on

STATION_SLUG = "karlstad-c"

# Districts whose background rate is higher: the larger estates and the city centre.
BUSY_DISTRICTS: dict[str, float] = {
    "TINGVALLASTADEN": 2.5,
    "KRONOPARKEN": 2.0,
    "RUD": 1.6,
    "ORRHOLMEN": 1.5,
    "VÅXNÄS": 1.5,
    "HERRHAGEN": 1.3,
    "KLARA": 1.3,
}


def district_name(raw: str) -> str:
    """'NORRA KROPPKÄRR' -> 'Norra Kroppkärr', 'YTTRE HAMN' -> 'Yttre hamn'."""
    words = raw.strip().split()
    if len(words) > 1 and words[0] not in {"NORRA", "SÖDRA", "ÖSTRA", "VÄSTRA"}:
        return " ".join([words[0].capitalize(), *(w.lower() for w in words[1:])])
    return " ".join(w.capitalize() for w in words)
