"""The questionnaire Trygg ships: the items of the police's local safety survey
(trygghetsmätning) as the sources describe it (DOMAIN: problems in the neighbourhood, feeling
unsafe out late, worry about crime, victimisation in the last 12 months and whether it was
reported, views of the local police). The wording is Trygg's own; a municipality whose
questionnaire differs copies this one and edits it (a new version).

How answers count (docs/decisions/0020):
- Problem items: "Inget problem" 0, "Litet problem" 2, "Ganska stort problem" 4, "Mycket stort
  problem" 6 on the 0–6 index, "Vet ej" not counted. The headline share is "ganska eller mycket
  stort problem".
- Feeling unsafe out late: the share "ganska eller mycket otrygg" among those who go out;
  "går aldrig ut ensam sent" is its own item's answer and is left out of the share, as Brå's
  NTU reports it apart.
- Worry: the share who worry "ofta".
- Victimisation and reporting: yes/no shares, "vet ej" and "ej aktuellt" left out.
- The police: the share with "mycket" or "ganska stort" confidence.

Each item names the event categories it is compared with (issue 13, point 6), as
events.Category codes; a code includes its subcategories.
"""

from __future__ import annotations

QUESTIONNAIRE = {
    "code": "polisens-trygghetsmatning",
    "name": "Polisens lokala trygghetsmätning",
    "description": (
        "Frågor om problem i bostadsområdet, otrygghet, oro för brott, utsatthet och synen på "
        "polisen, som i polisens lokala trygghetsmätningar (16–85 år)."
    ),
}
VERSIONS = (2022, 2024)


def _option(code: str, label: str, index: float | None = None, share: bool | None = None):
    return {"code": code, "label": label, "index": index, "share": share}


PROBLEM_SCALE = [
    _option("1", "Inget problem", 0, False),
    _option("2", "Litet problem", 2, False),
    _option("3", "Ganska stort problem", 4, True),
    _option("4", "Mycket stort problem", 6, True),
    _option("9", "Vet ej"),
]
UNSAFE_SCALE = [
    _option("1", "Mycket trygg", share=False),
    _option("2", "Ganska trygg", share=False),
    _option("3", "Ganska otrygg", share=True),
    _option("4", "Mycket otrygg", share=True),
    _option("5", "Går aldrig ut ensam sent"),
    _option("9", "Vet ej"),
]
WORRY_SCALE = [
    _option("1", "Aldrig", share=False),
    _option("2", "Sällan", share=False),
    _option("3", "Ibland", share=False),
    _option("4", "Ofta", share=True),
    _option("9", "Vet ej"),
]
YES_NO = [
    _option("1", "Ja", share=True),
    _option("2", "Nej", share=False),
    _option("9", "Vet ej"),
]
REPORTED = [
    _option("1", "Ja", share=True),
    _option("2", "Nej", share=False),
    _option("8", "Inte utsatt"),
    _option("9", "Vet ej"),
]
CONFIDENCE = [
    _option("1", "Mycket stort", share=True),
    _option("2", "Ganska stort", share=True),
    _option("3", "Ganska litet", share=False),
    _option("4", "Mycket litet", share=False),
    _option("9", "Vet ej"),
]

PROBLEM_QUESTION = "Hur stort problem tycker du att följande är i ditt bostadsområde: %s?"
PROBLEM_SHARE = "andel som ser ett ganska eller mycket stort problem"

# (code, kind, label, question, options, share label, category codes, in the index)
ITEMS: list[tuple[str, str, str, str, list, str, list[str], bool]] = [
    (
        code,
        "problem",
        label,
        PROBLEM_QUESTION % label.lower(),
        PROBLEM_SCALE,
        PROBLEM_SHARE,
        categories,
        True,
    )
    for code, label, categories in (
        ("fortkorning", "Bilar som kör för fort", ["polis.trafik"]),
        ("mopeder", "Mopeder och bilar som körs störande", ["ordning.olovlig_trafik"]),
        ("storande_grupper", "Grupper som stör ordningen", ["samling", "ordning.brak"]),
        ("nedskrapning", "Nedskräpning", ["otrygg_plats.nedskrapning"]),
        ("klotter", "Klotter", ["skadegorelse.klotter"]),
        ("skadegorelse", "Skadegörelse", ["skadegorelse"]),
        ("berusade", "Berusade eller påverkade personer utomhus", ["ordning.drog"]),
        ("narkotikaforsaljning", "Försäljning av narkotika", ["ordning.drog"]),
        ("morka_platser", "Mörka eller ödsliga platser", ["otrygg_plats"]),
        ("bostadsinbrott", "Inbrott i bostäder", ["ordning.inbrott"]),
    )
] + [
    (
        "otrygg_kvall",
        "unsafe",
        "Otrygg ute ensam sent en kväll",
        "Hur trygg eller otrygg känner du dig om du går ut ensam sent en kväll i ditt "
        "bostadsområde?",
        UNSAFE_SCALE,
        "andel som känner sig ganska eller mycket otrygga",
        ["ordning.vald", "ordning.brak", "polis.brott_person"],
        False,
    ),
    (
        "avstar",
        "unsafe",
        "Avstått från en aktivitet av oro för brott",
        "Har du under de senaste 12 månaderna avstått från någon aktivitet på grund av oro för "
        "att utsättas för brott?",
        YES_NO,
        "andel som avstått",
        [],
        False,
    ),
    (
        "oro_inbrott",
        "worry",
        "Oro för inbrott",
        "Hur ofta oroar du dig för att någon ska bryta sig in i din bostad?",
        WORRY_SCALE,
        "andel som oroar sig ofta",
        ["ordning.inbrott"],
        False,
    ),
    (
        "oro_overfall",
        "worry",
        "Oro för att bli överfallen",
        "Hur ofta oroar du dig för att bli överfallen eller misshandlad?",
        WORRY_SCALE,
        "andel som oroar sig ofta",
        ["ordning.vald", "ordning.ran"],
        False,
    ),
    (
        "utsatt_stold",
        "victim",
        "Utsatt för stöld",
        "Har du under de senaste 12 månaderna blivit utsatt för stöld?",
        YES_NO,
        "andel utsatta",
        ["polis.stold"],
        False,
    ),
    (
        "utsatt_skadegorelse",
        "victim",
        "Utsatt för skadegörelse",
        "Har du under de senaste 12 månaderna blivit utsatt för skadegörelse?",
        YES_NO,
        "andel utsatta",
        ["skadegorelse"],
        False,
    ),
    (
        "utsatt_vald",
        "victim",
        "Utsatt för våld eller hot",
        "Har du under de senaste 12 månaderna blivit utsatt för våld eller hot om våld?",
        YES_NO,
        "andel utsatta",
        ["ordning.vald", "polis.brott_person"],
        False,
    ),
    (
        "anmalt",
        "reported",
        "Anmälde brottet",
        "Om du blivit utsatt för brott de senaste 12 månaderna: anmälde du det senaste till "
        "polisen?",
        REPORTED,
        "andel som anmälde",
        [],
        False,
    ),
    (
        "fortroende_polis",
        "police",
        "Förtroende för polisen i området",
        "Hur stort förtroende har du för polisens arbete i ditt bostadsområde?",
        CONFIDENCE,
        "andel med mycket eller ganska stort förtroende",
        [],
        False,
    ),
]


def seed(Questionnaire, Item) -> None:
    """Create the shipped questionnaire's versions and items where missing (a migration and
    the tests call it with the models they have)."""
    for version in VERSIONS:
        questionnaire, _created = Questionnaire.objects.get_or_create(
            code=QUESTIONNAIRE["code"],
            version=version,
            defaults={"name": QUESTIONNAIRE["name"], "description": QUESTIONNAIRE["description"]},
        )
        for order, (code, kind, label, text, options, share, categories, index) in enumerate(
            ITEMS, start=1
        ):
            Item.objects.get_or_create(
                questionnaire=questionnaire,
                code=code,
                defaults={
                    "kind": kind,
                    "label": label,
                    "text": text,
                    "options": options,
                    "share_label": share,
                    "category_codes": categories,
                    "has_index": index,
                    "order": order,
                },
            )
