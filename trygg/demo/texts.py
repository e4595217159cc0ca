"""Short Swedish descriptions for generated events: templates per category, surfaces per kind
of place. They describe things and places, never people, and pass the privacy scrubber as is."""

from __future__ import annotations

SURFACES: dict[str, tuple[str, ...]] = {
    "station": ("väntsalen", "busskuren", "cykelgaraget", "plattformen", "taxiplatsen"),
    "square": ("torget", "bänkarna", "planteringen", "fontänen", "busshållplatsen"),
    "street": ("elskåpet", "gångtunneln", "cykelvägen", "belysningsstolpen", "husfasaden"),
    "shop": ("entrén", "gallerians ingång", "lastkajen", "rulltrappan", "sittplatserna"),
    "park": ("parken", "gångvägen", "bänkarna vid vattnet", "toaletten", "scenen"),
    "parking": ("parkeringen", "garaget", "bommen", "kundvagnsgaraget", "laddstolparna"),
    "school_yard": ("skolans gavel", "förrådet", "cykelstället", "fotbollsplanen", "entrén"),
    "stairwell": ("trapphuset", "entrédörren", "källargången", "hissen", "tvättstugan"),
    "yard": ("gården", "soprummet", "cykelförrådet", "grillplatsen", "lekplatsen på gården"),
    "playground": ("lekstugan", "gungställningen", "rutschkanan", "sandlådan", "bänken"),
    "other": ("entrén", "fasaden", "parkeringen", "bollplanen", "busshållplatsen"),
    "district": (
        "elskåpet",
        "busskuren",
        "gång- och cykelvägen",
        "återvinningsstationen",
        "bullerplanket",
    ),
}

TEMPLATES: dict[str, tuple[str, ...]] = {
    "skadegorelse.klotter": (
        "Klotter på {yta}.",
        "Nya taggar med sprayfärg vid {yta}; sanering beställd.",
        "Stort klotter vid {yta}, syns tydligt från gångvägen.",
        "Klotter med kränkande text vid {yta}; bör tas bort snabbt.",
    ),
    "skadegorelse.glaskross": (
        "Krossat glas på marken vid {yta}.",
        "Sönderslagen ruta vid {yta}.",
        "Glaskross vid {yta}; risk att någon skär sig.",
    ),
    "skadegorelse.brand": (
        "Anlagd brand i papperskorg vid {yta}.",
        "Brand i container vid {yta}, släckt.",
        "Brandspår efter eld vid {yta}.",
        "Mindre gräsbrand nära {yta}, släckt.",
    ),
    "skadegorelse.brand_fordon": (
        "Brand i personbil vid {yta}.",
        "Brand i moped vid {yta}, släckt.",
        "Utbränd bil vid {yta}; behöver bärgas.",
    ),
    "skadegorelse.annan": (
        "Skadegörelse vid {yta}.",
        "Uppbrutet lås vid {yta}.",
        "Nedriven skylt och trasig utrustning vid {yta}.",
        "Sönderslagen armatur vid {yta}.",
    ),
    "samling.trapphus": (
        "Grupp ungdomar samlas i {yta} kvällstid; boende känner sig otrygga.",
        "Samling i {yta}, fimpar och skräp kvar efteråt.",
        "Flera personer uppehöll sig i {yta} sent på kvällen.",
    ),
    "samling.kallare_vind": (
        "Spår av att personer vistats i källarförråd.",
        "Uppbrutet vindsförråd, tecken på att någon uppehållit sig där.",
    ),
    "samling.kopcentrum": (
        "Grupp ungdomar samlas vid {yta}; personalen upplever det stökigt.",
        "Samling vid {yta} under kvällen, hög ljudnivå.",
    ),
    "samling.garage": (
        "Personer uppehåller sig i {yta} kvällstid.",
        "Samling i {yta}; skräp och fimpar kvar.",
    ),
    "samling.utomhus": (
        "Större grupp samlad vid {yta}, hög ljudnivå.",
        "Ungdomar samlas vid {yta} kvällstid.",
        "Samling vid {yta}; alkohol förekom.",
        "Grupp vid {yta} som förbipasserande upplevde som otrygg.",
    ),
    "ordning.brak": (
        "Bråk mellan flera personer vid {yta}.",
        "Högljutt bråk vid {yta}, upplöstes innan polis kom.",
    ),
    "ordning.vald": (
        "Slagsmål vid {yta}; polis tillkallad.",
        "Misshandel vid {yta} enligt vittnen; polisen kontaktad.",
    ),
    "ordning.drog": (
        "Misstänkt narkotikaförsäljning vid {yta}.",
        "Återkommande lukt av cannabis vid {yta}.",
        "Kanyler och små påsar hittade vid {yta}.",
    ),
    "ordning.motorburen": (
        "Mopeder kör i hög fart vid {yta}.",
        "A-traktorer samlas vid {yta}, buller sent på kvällen.",
        "Bilar spinner och kör runt vid {yta}.",
    ),
    "ordning.olovligt_boende": ("Tecken på att någon övernattar i {yta}.",),
    "ordning.annat": (
        "Smällare avfyrades vid {yta}.",
        "Störande beteende vid {yta}.",
        "Berusade personer störde vid {yta}.",
        "Stenar och flaskor kastade vid {yta}.",
    ),
    "otrygg_plats.belysning": (
        "Trasig belysning vid {yta}; mörkt.",
        "Flera lampor släckta vid {yta}.",
        "Belysningen ur funktion vid {yta}.",
    ),
    "otrygg_plats.skymd_sikt": (
        "Buskage skymmer sikten vid {yta}.",
        "Igenvuxen vegetation vid {yta} skapar mörka vrår.",
    ),
    "otrygg_plats.odsligt": (
        "Mörkt och öde vid {yta} kvällstid; upplevs otryggt.",
        "Ingen insyn vid {yta} kvällstid.",
    ),
    "otrygg_plats.nedskrapning": (
        "Nedskräpning vid {yta}: flaskor och förpackningar.",
        "Mycket skräp vid {yta} efter helgen.",
        "Överfulla papperskorgar vid {yta}.",
    ),
    "arrangemang": (
        "Arrangemang vid {yta} med mycket folk; lugnt.",
        "Evenemang vid {yta}; extra städning behövs efteråt.",
    ),
}
