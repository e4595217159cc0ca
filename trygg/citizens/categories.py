"""The short list residents choose from, each mapped onto an EST category (DESIGN §6): a
resident says "a lamp is out", the EST group counts "otrygg plats › bristande belysning".

Plain data: the report page, Open311's service list and the moderation queue read it."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

StrOrPromise = str | Promise


@dataclass(frozen=True)
class ResidentCategory:
    code: str  # also the Open311 service_code
    label: StrOrPromise
    hint: StrOrPromise
    est_code: str  # events.Category.code


RESIDENT_CATEGORIES: tuple[ResidentCategory, ...] = (
    ResidentCategory(
        "belysning",
        _("Trasig eller saknad belysning"),
        _("En lampa är släckt, en gångväg är mörk."),
        "otrygg_plats.belysning",
    ),
    ResidentCategory(
        "klotter",
        _("Klotter"),
        _("Klotter på väggar, skyltar, lekplatser."),
        "skadegorelse.klotter",
    ),
    ResidentCategory(
        "skadegorelse",
        _("Något är sönder eller förstört"),
        _("Krossat glas, trasiga bänkar, lekutrustning, staket."),
        "skadegorelse.annan",
    ),
    ResidentCategory(
        "nedskrapning",
        _("Nedskräpning"),
        _("Skräp, sprutor, glas på marken."),
        "otrygg_plats.nedskrapning",
    ),
    ResidentCategory(
        "skymd_sikt",
        _("Buskar eller träd skymmer sikten"),
        _("Växtlighet gör en väg eller plats svår att överblicka."),
        "otrygg_plats.skymd_sikt",
    ),
    ResidentCategory(
        "otrygg_plats",
        _("En plats känns otrygg"),
        _("Ödsligt, mörkt eller svårt att ta sig därifrån."),
        "otrygg_plats.odsligt",
    ),
    ResidentCategory(
        "ordningsstorning",
        _("Stök och ordningsstörning"),
        _("Bråk, buller, mopeder och bilar som kör vårdslöst."),
        "ordning.annat",
    ),
)

BY_CODE = {category.code: category for category in RESIDENT_CATEGORIES}
CHOICES = [(category.code, category.label) for category in RESIDENT_CATEGORIES]
