"""Citizen dialogues (medborgardialoger, issue 12, point 7): the mobile police office stops
somewhere, the municipality and the police listen, and what people said is noted as themes ×
areas with counts and a few short quotes — never who said it. A period's dialogues, side by
side with the events of the same areas, are what a medborgarlöfte is built from."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from trygg.core.fields import ScrubbedCharField
from trygg.places.municipality_column import CarriesMunicipality, StaysInItsMunicipality

# Quotes are a sentence or two: long enough to carry a resident's words, too short for a story.
QUOTE_MAX_LENGTH = 280


class Theme(models.TextChoices):
    """What people talk about, in the medborgarlöfte's words (Karlstad 2023: violence in public
    places, unsafe environments, drugs and alcohol) and the usual rest. `citizens.dialogue_themes`
    maps each onto the event categories it is compared with."""

    VIOLENCE = "violence", _("våld i offentlig miljö")
    UNSAFE_PLACES = "unsafe_places", _("otrygga miljöer")
    DRUGS_ALCOHOL = "drugs_alcohol", _("narkotika och alkohol")
    VANDALISM = "vandalism", _("skadegörelse och klotter")
    DISORDER = "disorder", _("stök och ordningsstörningar")
    TRAFFIC = "traffic", _("trafik och buskörning")
    THEFT = "theft", _("stölder och inbrott")
    YOUTH = "youth", _("ungdomar och fritid")
    OTHER = "other", _("annat")


class Dialogue(StaysInItsMunicipality):
    municipality = models.ForeignKey(
        "places.Municipality", on_delete=models.PROTECT, related_name="+", verbose_name=_("kommun")
    )
    held_on = models.DateField(_("dag"))
    # Where the mobile police office stood: a named place if Trygg knows it, else a short name.
    place = models.ForeignKey(
        "places.Place",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("plats"),
    )
    place_name = ScrubbedCharField(_("platsens namn"), max_length=120, blank=True)
    area = models.ForeignKey(
        "places.Area",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("område"),
    )
    organisations = models.ManyToManyField(
        "organisations.Organisation",
        through="citizens.DialogueOrganisation",
        related_name="dialogues",
        verbose_name=_("på plats"),
    )
    # How many people stopped by, if someone counted.
    visitors = models.PositiveIntegerField(_("antal besökare"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("medborgardialog")
        verbose_name_plural = _("medborgardialoger")
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["municipality", "held_on"])]

    def __str__(self) -> str:
        return f"{self.place_name or self.place} {self.held_on:%Y-%m-%d}"


class DialogueOrganisation(CarriesMunicipality):
    """One organisation present at a dialogue: the link row carries the dialogue's
    municipality, so that it lies with the dialogue when tables are sharded by municipality
    (decision 0038)."""

    municipality_parent = "dialogue"

    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        # The table Django made for the link before it had a model of its own.
        db_table = "citizens_dialogue_organisations"
        constraints = [
            models.UniqueConstraint(
                fields=["dialogue", "organisation"], name="citizens_dialogue_organisation_once"
            )
        ]


class DialogueMention(CarriesMunicipality):
    """How many people at a dialogue raised a theme about an area (no area: the municipality
    as a whole or nowhere in particular)."""

    municipality_parent = "dialogue"

    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="mentions")
    theme = models.CharField(_("tema"), max_length=16, choices=Theme.choices)
    area = models.ForeignKey(
        "places.Area",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("område"),
    )
    count = models.PositiveIntegerField(_("antal"))

    class Meta:
        verbose_name = _("tema i en dialog")
        verbose_name_plural = _("teman i dialoger")
        ordering = ["dialogue_id", "theme", "area_id"]
        # One row per theme and area (no area included) is kept by `actions.dialogues`:
        # a unique constraint would not cover the rows without an area on every database.
        constraints = [
            models.CheckConstraint(condition=models.Q(count__gte=1), name="citizens_mention_count"),
        ]

    def __str__(self) -> str:
        return f"{self.get_theme_display()}: {self.count}"


class DialogueQuote(CarriesMunicipality):
    """A short quote, scrubbed, without who said it."""

    municipality_parent = "dialogue"

    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="quotes")
    theme = models.CharField(_("tema"), max_length=16, choices=Theme.choices)
    area = models.ForeignKey(
        "places.Area",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("område"),
    )
    text = ScrubbedCharField(_("citat"), max_length=QUOTE_MAX_LENGTH)

    class Meta:
        verbose_name = _("citat")
        verbose_name_plural = _("citat")
        ordering = ["dialogue_id", "pk"]

    def __str__(self) -> str:
        return self.text[:40]
