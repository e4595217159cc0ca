"""Short Swedish texts for the demo's residents' reports and the Trygghetscenter desk: what a
resident writes, why a moderator hides a report, what the resident hears back, what the desk
notes and how the partner closes it. They describe things and places, never people, and pass
the privacy scrubber as is (except the two descriptions with a phone number, which show the
scrubber at work)."""

from __future__ import annotations

# What residents write, per resident category (`citizens.categories`); `{yta}` is a surface
# that fits the kind of place (`texts.SURFACES`).
RESIDENT_TEMPLATES: dict[str, tuple[str, ...]] = {
    "belysning": (
        "Lampan vid {yta} har varit släckt i flera dagar.",
        "Helt mörkt vid {yta}, flera lampor fungerar inte.",
        "Gatlampan vid {yta} blinkar och slocknar.",
        "Så mörkt vid {yta} att jag inte vågar gå där på kvällen.",
        "",  # the category says it all: a description is optional when one is chosen
    ),
    "klotter": (
        "Nytt klotter på {yta}.",
        "Klotter med otrevliga ord vid {yta}, syns från gångvägen.",
        "Någon har sprayat på {yta} igen.",
    ),
    "skadegorelse": (
        "Trasig bänk vid {yta}.",
        "Krossat glas överallt vid {yta}, farligt för barn och hundar.",
        "Sönderslagen ruta vid {yta}.",
        "Något är sönder vid {yta}, ser farligt ut.",
    ),
    "nedskrapning": (
        "Mycket skräp vid {yta} efter helgen.",
        "Överfulla papperskorgar vid {yta}, skräpet blåser runt.",
        "Glasflaskor och burkar slängda vid {yta}.",
        "Sprutor hittade vid {yta}.",
        "",
    ),
    "skymd_sikt": (
        "Buskarna vid {yta} har vuxit igen, man ser inte vem som står där.",
        "Häcken skymmer sikten vid {yta}, svårt att se cyklister.",
        "Träden har vuxit över {yta} så att det blir mörkt.",
    ),
    "otrygg_plats": (
        "Jag känner mig otrygg vid {yta} på kvällarna.",
        "Öde och mörkt vid {yta}, ingen ser en om något händer.",
        "Det står ofta grupper vid {yta} sent, jag går hellre en omväg.",
    ),
    "ordningsstorning": (
        "Mopeder kör fort vid {yta} varje kväll.",
        "Högljutt och stökigt vid {yta} sent på nätterna.",
        "Någon kastar smällare vid {yta}.",
        "Bilar spinner och kör runt vid {yta}.",
    ),
}

# A resident who leaves a phone number in the text: the scrubber removes it before it is
# stored (the numbers are from the series PTS keeps for fiction, 070-1740605–699).
WITH_PHONE: tuple[str, ...] = (
    "Lampan vid {yta} är trasig. Ring mig på 070-174 06 42 om ni undrar något.",
    "Klotter på {yta} igen, nås på 070-1740677 om ni vill veta mer.",
)

# What the moderator tells the resident when a report is hidden (shown on the tracking page).
HIDDEN_REASONS: tuple[str, ...] = (
    "Rapporten gäller en enskild person och inte en plats; kontakta polisen.",
    "Rapporten innehöll kränkande ord.",
    "Ett test, inte en verklig iakttagelse.",
    "Gäller en tvist mellan grannar, inte en allmän plats.",
)

FIXED_NOTES: dict[str, tuple[str, ...]] = {
    "belysning": ("Lampan är utbytt.", "Armaturen är lagad och gångvägen är upplyst igen."),
    "klotter": ("Klottret är sanerat.", "Väggen är tvättad och ommålad."),
    "skadegorelse": ("Det trasiga är lagat.", "Glaset är uppsopat och det trasiga utbytt."),
    "nedskrapning": (
        "Platsen är städad och papperskorgarna tömda.",
        "Vi har städat och satt upp en större papperskorg.",
    ),
    "skymd_sikt": ("Buskarna är nedklippta.", "Vi har röjt så att sikten är fri."),
    "otrygg_plats": (
        "Vi har satt upp mer belysning på platsen.",
        "Platsen ingår nu i kvällsvandringarna på fredagar.",
    ),
    "ordningsstorning": (
        "Polisen och kommunens ordningsvakter har varit på plats flera kvällar.",
        "Polisen har gjort trafikkontroller på platsen.",
    ),
}
NOT_OURS_NOTES: tuple[str, ...] = (
    "Inte kommunens mark — kontakta Trafikverket.",
    "Marken ägs av en privat fastighetsägare; vi har meddelat dem.",
    "Belysningen längs järnvägen sköts av Trafikverket — kontakta dem.",
)
NO_ACTION_NOTES: tuple[str, ...] = (
    "Vi har tittat på platsen och ser inget att åtgärda just nu.",
    "Ingår redan i upprustningen av området nästa år.",
    "Vi har inte hittat det som beskrivs på platsen.",
)

# The desk: what a visit was about (never who came), per `DeskTopic` value.
DESK_NOTES: dict[str, tuple[str, ...]] = {
    "unsafe_place": (
        "Mörk gångväg, vill att belysningen ses över.",
        "Upplever platsen som otrygg kvällstid.",
        "Igenvuxen stig, undrar vem som röjer.",
    ),
    "vandalism": (
        "Återkommande klotter, vill veta vem som sanerar.",
        "Sönderslagna rutor i cykelförrådet.",
    ),
    "disorder": (
        "Stök kvällstid, grupper som samlas och spelar hög musik.",
        "Störningar efter krogstängning.",
    ),
    "drugs": (
        "Misstänker narkotikaförsäljning på platsen.",
        "Hittar sprutor och små påsar återkommande.",
    ),
    "traffic": (
        "Mopeder på gång- och cykelvägen.",
        "Bilar kör för fort förbi skolan.",
    ),
    "victim_support": (
        "Vill ha stöd efter ett brott, hänvisad till Brottsofferjouren.",
        "Frågor om hur en polisanmälan går till och vad som händer sedan.",
    ),
    "fire_safety": (
        "Frågor om brandvarnare och brandsäkerhet i hemmet.",
        "Oro för eldningar på platsen.",
    ),
    "neighbourhood": (
        "Vill starta grannsamverkan i sitt område.",
        "Intresserad av att gå med i kvällsvandringar.",
    ),
    "other": (
        "Allmänna frågor om trygghetsarbetet i kommunen.",
        "Fråga om öppettider och vem man kontaktar.",
    ),
}
DESK_CLOSING_NOTES: dict[str, tuple[str, ...]] = {
    "unsafe_place": ("Platsen besiktigad; belysning beställd.", "Röjning gjord."),
    "vandalism": ("Sanerat.", "Rutorna är utbytta."),
    "disorder": ("Polisen har haft extra närvaro på platsen.", "Tas upp på nästa EST-möte."),
    "drugs": ("Uppgifterna är registrerade hos polisen.", "Platsen ingår i polisens insatser."),
    "traffic": ("Trafikkontroller genomförda.", "Farthinder utreds av kommunen."),
    "victim_support": ("Stödsamtal genomfört.", "Kontakt etablerad, ärendet avslutat."),
    "fire_safety": ("Hembesök gjort, brandvarnare monterad.", "Informationsmaterial lämnat."),
    "neighbourhood": ("Informationsträff bokad.", "Startpaket för grannsamverkan skickat."),
    "other": ("Besvarat.",),
}
SETTLED_AT_THE_DESK = "Besvarat direkt vid besöket."
