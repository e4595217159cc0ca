"""Karlstad's medborgarlöfte 2023–2027 as seed 003 states it, and the demo's own additions to it:
the parties, Brå's steps, the problem areas and their cause analysis, every commitment in its
column with the seed's words, the revision of autumn 2024 and the figures entered by hand.
The data only; `promises.py` enters it through the actions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from trygg.demo import world
from trygg.promises.models import ENTERED, Column, PartyRole, Step

AGREEMENT_TITLE = "Samverkansöverenskommelse Karlstads kommun och lokalpolisområde Karlstad"
PROMISE_TITLE = "Medborgarlöfte Karlstad 2023–2027"
START, END = dt.date(2023, 7, 1), dt.date(2027, 6, 30)
FOCUS = (
    "Dessa tre områden har gemensamma beröringspunkter. Lokalpolisområde Karlstad och Karlstads "
    "kommun kommer under 2023–2027 att inrikta arbetet mot narkotika- och alkoholrelaterad "
    "brottslighet."
)
ADOPTED_BY = "Kommunstyrelsen och lokalpolisområde Karlstads ledningsgrupp"
ADOPTED_ON = dt.date(2023, 6, 20)
COORDINATOR, POLICE = "samordnare", "kommunpolis"
PUBLISHED_AFTER = dt.timedelta(days=21)

PARTIES = (
    (world.KOMMUNLEDNING, PartyRole.MUNICIPALITY, "Kommunstyrelsen", dt.date(2023, 6, 13)),
    (
        world.POLISEN,
        PartyRole.POLICE,
        "Lokalpolisområde Karlstads ledningsgrupp",
        dt.date(2023, 6, 15),
    ),
)

# Brå's steps in spring 2023, in the process's order.
STEPS = (
    (Step.OWN_PICTURES, dt.date(2023, 1, 31), "Kommunens och polisens lägesbilder för 2022."),
    (
        Step.JOINT_PICTURE,
        dt.date(2023, 2, 21),
        "Händelserna, polisens anmälningar och trygghetsundersökningen 2022 lagda bredvid "
        "varandra.",
    ),
    (Step.PRIORITIES, dt.date(2023, 3, 7), "Tre problemområden att pröva i dialogerna."),
    (
        Step.DIALOGUES,
        dt.date(2023, 5, 17),
        "Fyra dialoger med det mobila poliskontoret: Kronoparken, Stora torget, Våxnäs och Rud.",
    ),
    (Step.CAUSE_ANALYSIS, dt.date(2023, 5, 31), "Orsaksanalys för narkotika och alkohol."),
    (Step.GOALS, dt.date(2023, 6, 7), ""),
    (Step.MEASURES, dt.date(2023, 6, 7), ""),
    (Step.PROMISE, ADOPTED_ON, "Publiceras 30 juni 2023 och gäller från 1 juli."),
    (Step.FOLLOW_UP_PLAN, ADOPTED_ON, "Uppföljning varje tertial, publiceras för invånarna."),
)

VIOLENCE = "Våld i offentlig miljö"
UNSAFE = "Otrygga miljöer"
DRUGS = "Narkotika- och alkoholrelaterad brottslighet"


@dataclass(frozen=True)
class ProblemSpec:
    title: str
    categories: tuple[str, ...]
    districts: tuple[str, ...]  # empty: the whole municipality
    notes: str


# In the seed's order; ranked below (the focus first).
PROBLEMS = (
    ProblemSpec(
        VIOLENCE,
        ("ordning.vald", "ordning.brak"),
        ("Tingvallastaden",),
        "Bråk och våld på helgnätter kring krogstråket, gågatan och resecentrum; i "
        "dialogerna togs det upp mest i centrum.",
    ),
    ProblemSpec(
        UNSAFE,
        ("otrygg_plats", "samling"),
        ("Tingvallastaden", "Kronoparken", "Rud", "Våxnäs"),
        "Mörka gångvägar, skymd sikt och samlingar vid bostadsområdenas centrum; nämndes vid "
        "alla fyra dialogerna.",
    ),
    ProblemSpec(
        DRUGS,
        ("ordning.drog",),
        (),
        "Misstänkt langning i centrum och vid torgen i Rud och Kronoparken; alkohol i "
        "krogmiljön och i trafiken.",
    ),
)
RANKING = (DRUGS, VIOLENCE, UNSAFE)
CAUSE_ANALYSIS = {
    "places": "Krogstråket Sandgrund–Lagerlöfs och gågatan, resecentrum och gångtunneln vid "
    "Karlstad C, baksidan av Kronoparkens och Ruds centrum, parker som Stadsträdgården.",
    "times": "Fredags- och lördagsnätter, särskilt när krogarna stänger; kvällar under "
    "sommarhalvåret och skolloven; kring valborg och nyår.",
    "circumstances": "Sen alkoholservering och trängsel vid stängning; skymda och dåligt "
    "belysta platser där langning inte syns; få vuxna ute kvällstid vid centrumen; kort väg "
    "mellan resecentrum och krogstråket.",
}


@dataclass(frozen=True)
class CommitmentSpec:
    column: str
    text: str  # the seed's words
    owner: str  # organisation code
    indicator_kind: str = ""
    category: str | None = None
    district: str | None = None
    target: tuple[int, str, str] | None = None  # value, comparison, per
    baseline: tuple[dt.date, dt.date] | None = None
    source: str = ""  # for an entered indicator
    values: tuple[int, ...] = ()  # entered, per follow-up period in order
    measures: tuple[str, ...] = ()  # titles of demo measures that carry it out


# Entered figures run per tertial from July–August 2023; May–August is the summer.
TRAFFIC_CONTROLS = (9, 21, 18, 14, 22, 19, 16, 24, 20, 17, 23, 19, 15)
SCHOOL_VISITS = (3, 12, 11, 6, 13, 10, 5, 12, 11, 6, 12, 10, 9)
SSPF_TALKS = (4, 11, 9, 7, 12, 10, 8, 13, 11, 9, 12, 10, 8)
EST_MEETINGS = (2, 8, 8, 6, 8, 8, 6, 8, 8, 6, 8, 8, 4)
LICENSING_VISITS = (14, 31, 27, 22, 33, 29, 24, 35, 30, 23, 32, 28, 18)
BASELINE = (dt.date(2023, 1, 1), dt.date(2023, 6, 30))
KROG_AREA = "Tingvallastaden"

P, T, M = Column.POLICE, Column.TOGETHER, Column.MUNICIPALITY
KROGKONTROLLER = "Genomföra krogkontroller samt insatser mot droganvändning i krogmiljön."

COMMITMENTS: tuple[CommitmentSpec, ...] = (
    CommitmentSpec(
        P,
        "Arbeta med synlighet i kombination med uniformerad fotpatrullering kring platser och "
        "miljöer som utmärkt sig som otrygga/brottsbelastade i arbetet med lägesbilder.",
        world.POLISEN,
        "events",
        category="ordning.vald",
        target=(0, "fewer", ""),
        baseline=BASELINE,
    ),
    CommitmentSpec(
        P,
        "Trafikkontroller på riktade platser och tider relaterat till droger och alkohol i "
        "trafik samt motorburna ordningsstörningar.",
        world.POLISEN,
        ENTERED,
        source="Polisens verksamhetsuppföljning: trafikkontroller med alkohol- och drogtest",
        values=TRAFFIC_CONTROLS,
    ),
    CommitmentSpec(
        P,
        KROGKONTROLLER,
        world.POLISEN,
        "measures_done",
        category="ordning.drog",
        district=KROG_AREA,
        # The target comes with the revision (REVISION below).
    ),
    CommitmentSpec(
        P,
        "Insatser mot narkotika och ungdomar och aktivt uppsöka riskmiljöer.",
        world.POLISEN,
        "events",
        category="ordning.drog",
    ),
    CommitmentSpec(
        P,
        "Insatser mot narkotikadistribution då underrättelseläget medger detta.",
        world.POLISEN,
    ),
    CommitmentSpec(
        P,
        "Besöka högstadieskolor och fritidsgårdar inom kommunen med fokus på brottspreventiva "
        "åtgärder och polisiär synlighet.",
        world.POLISEN,
        ENTERED,
        target=(8, "at_least", "tertial"),
        source="Kommunpolisens besöksliggare: besök på högstadieskolor och fritidsgårdar",
        values=SCHOOL_VISITS,
    ),
    CommitmentSpec(
        T,
        "Fortsätta utveckla samverkan mellan polis och socialtjänst relaterat till ungdomar "
        "och tidiga insatser.",
        world.BARN_UNGDOM,
    ),
    CommitmentSpec(
        T,
        "Genomföra samtal med ungdomar i riskzon bland annat genom SSPF-konceptet (skola, "
        "socialtjänst, polis, fritid).",
        world.BARN_UNGDOM,
        ENTERED,
        source="SSPF-samordnarens statistik: ungdomar som fått samtal",
        values=SSPF_TALKS,
    ),
    CommitmentSpec(
        T,
        "Genomföra kontinuerliga samverkansmöten enligt EST (effektiv samordning för trygghet) "
        "med uppdatering av aktuella lägesbilder i syfte att med gemensam kraft arbeta "
        "brottspreventivt och trygghetsskapande inom Karlstads kommun.",
        world.KOMMUNLEDNING,
        ENTERED,
        source="Kallelser och minnesanteckningar från EST-mötena",
        values=EST_MEETINGS,
    ),
    CommitmentSpec(
        T,
        "Arbeta aktivt med att utveckla metoder och omsätta dessa i preventiva åtgärder "
        "inriktat mot våld i nära relation.",
        world.KOMMUNLEDNING,
    ),
    CommitmentSpec(
        T,
        "Genomföra tillsyn på krogar och nattklubbar med inriktning mot överservering och "
        "ansvarsfull alkoholservering.",
        world.KOMMUNLEDNING,
    ),
    CommitmentSpec(
        T,
        "Tillsammans med polisen utveckla det brottsförebyggande arbetet, både vad gäller "
        "situationell och social brottsprevention.",
        world.KOMMUNLEDNING,
        measures=(
            "Bättre belysning i gångtunneln vid Karlstad C",
            "Röj buskage och öppna sikten vid Orrholmsskolans skolgård",
            "Ta bort stenupplag och kastmaterial före nyårsafton",
        ),
    ),
    CommitmentSpec(
        M,
        "Kontinuerligt kontrollera och följa upp aktuell intern lägesbild.",
        world.KOMMUNLEDNING,
    ),
    CommitmentSpec(
        M,
        "Genomföra tillsyn på krogar och nattklubbar med inriktning mot överservering och "
        "ansvarsfull alkoholservering.",
        world.KOMMUNLEDNING,
        ENTERED,
        source="Kommunens alkoholhandläggare: tillsynsbesök på serveringsställen",
        values=LICENSING_VISITS,
    ),
    CommitmentSpec(
        M,
        "Utveckla arbetet med ungdomar i riskzonen.",
        world.KULTUR_FRITID,
        measures=("Vuxenvandringar fredagskvällar vid Kronoparkens centrum",),
    ),
    CommitmentSpec(
        M,
        "Utveckla ANDTS-arbetet (alkohol, narkotika, dopning, tobak och spel).",
        world.KOMMUNLEDNING,
    ),
)

# The revision in autumn 2024: one commitment added, the krogkontroller given a target.
REVISION_ON = dt.date(2024, 10, 22)
REVISION_CHANGES = (
    "Parterna har lagt till ett åtagande om trygghetsvandringar i de områden som lägesbilden "
    "pekar ut som otrygga, eftersom otrygga miljöer togs upp vid alla fyra dialogerna. "
    "Åtagandet om krogkontroller har fått ett mätbart mål: minst en krogkontroll i "
    "krogstråket varje månad."
)
ADDED = CommitmentSpec(
    T,
    "Genomföra trygghetsvandringar tillsammans med fastighetsägare och boende i områden som "
    "lägesbilden pekar ut som otrygga.",
    world.KOMMUNLEDNING,
    "walks_held",
    target=(2, "at_least", "year"),
    measures=(
        "Nya LED-armaturer på gångvägen vid Kronoparkens centrum",
        "Röjning av buskage bakom Fritidsgården i Kronoparken",
        "Klottersanering av förrådet på KBAB:s innergård",
        "Ny entrébelysning och dörrstängare, KBAB Kronoparken",
    ),
)
KROG_TARGET = (1, "at_least", "month")

# Krogkontroller: the police mark one done on the second Friday of every month, except in
# these (the summer holidays), from the promise's start until today.
KROG_PLACE = "demo-plats:sandgrund-lagerlofs"
KROG_CATEGORY = "ordning.drog"
KROG_SKIPPED = ((2024, 7), (2025, 7))
KROG_TITLE = "Krogkontroll i krogstråket"
KROG_DESCRIPTION = (
    "Polisen och kommunens alkoholhandläggare kontrollerar serveringsställena i krogstråket en "
    "fredagskväll: ordning, överservering och droger."
)
