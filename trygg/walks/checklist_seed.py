"""The national checklist templates, as plain data (used by a data migration and the tests).

* Boverket/Brå: the points a trygghetsvandring looks at (Boverket, "Plats för trygghet";
  Brå, "Trygghetsvandringar"): ticked, not scored.
* Safetipin's nine parameters, each scored 0–3 (0 = poor, 3 = good).
* Purple Flag's five areas for the evening and night economy, scored 0–3 in each of the four
  time zones (the finding's time gives its zone, see `models.finding.time_band_of`).

Pure Python: no Django model is imported here.
"""

from __future__ import annotations

# (code, label_sv, label_en)
Item = tuple[str, str, str]

BOVERKET_BRA: tuple[Item, ...] = (
    ("belysning", "Belysning: fungerar, räcker, bländar inte", "Lighting: works, sufficient"),
    ("vegetation", "Vegetation som skymmer sikten", "Vegetation that blocks the view"),
    ("overblick", "Överblick och orienterbarhet", "Overview and wayfinding"),
    ("alternativa_vagar", "Alternativa vägar och flyktvägar", "Alternative routes"),
    ("nedskrapning", "Skötsel: nedskräpning", "Upkeep: litter"),
    ("klotter", "Skötsel: klotter", "Upkeep: graffiti"),
    ("skador", "Skötsel: skadegörelse och trasigt", "Upkeep: damage"),
    ("folkliv_kvall", "Vilka som finns här på kvällen", "Who is here in the evening"),
    ("tillganglighet", "Tillgänglighet: framkomlighet för alla", "Accessibility for all"),
)

SAFETIPIN: tuple[Item, ...] = (
    ("lighting", "Belysning", "Lighting"),
    ("openness", "Öppenhet", "Openness"),
    ("visibility", "Synlighet", "Visibility"),
    ("people", "Människor", "People"),
    ("security", "Bevakning", "Security"),
    ("walk_path", "Gångväg", "Walk path"),
    ("public_transport", "Kollektivtrafik", "Public transport"),
    ("gender_usage", "Könsfördelning", "Gender usage"),
    ("feeling", "Känsla", "Feeling"),
)

PURPLE_FLAG: tuple[Item, ...] = (
    ("sakerhet", "Säkerhet", "Wellbeing (safety)"),
    ("tillganglighet", "Tillgänglighet", "Movement (accessibility)"),
    ("utbud", "Utbud", "Appeal (offer)"),
    ("plats", "Plats", "Place"),
    ("policy", "Policy", "Policy"),
)

# (code, name, kind, scale_max, items)
TEMPLATES: tuple[tuple[str, str, str, int | None, tuple[Item, ...]], ...] = (
    ("boverket-bra", "Trygghetsvandring (Boverket/Brå)", "items", None, BOVERKET_BRA),
    ("safetipin", "Poängsatt vandring (Safetipins nio parametrar)", "scored", 3, SAFETIPIN),
    ("purple-flag", "Kvällsvandring (Purple Flag)", "purple_flag", 3, PURPLE_FLAG),
)
