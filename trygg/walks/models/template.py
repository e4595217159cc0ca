"""Checklists a walk is held with: the Boverket/Brå items, Safetipin's nine scored parameters
and Purple Flag's five areas. The seeds (`checklist_seed.py`) are national; a municipality
copies one and edits its own."""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from trygg.core.fields import ScrubbedCharField, ScrubbedTextField


class ChecklistTemplate(models.Model):
    class Kind(models.TextChoices):
        ITEMS = "items", _("checklista (Boverket/Brå)")
        SCORED = "scored", _("poängsatt (Safetipin)")
        PURPLE_FLAG = "purple_flag", _("kvällsvandring (Purple Flag)")

    # None: a national seed every municipality may use and copy.
    municipality = models.ForeignKey(
        "places.Municipality",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("kommun"),
    )
    code = models.SlugField(_("kod"), max_length=40)
    name = ScrubbedCharField(_("namn"), max_length=120)
    kind = models.CharField(_("typ"), max_length=12, choices=Kind.choices)
    # The scale of a score, 0..scale_max; None: items are ticked, not scored.
    scale_max = models.PositiveSmallIntegerField(_("högsta poäng"), null=True, blank=True)
    copied_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_active = models.BooleanField(_("används"), default=True)

    class Meta:
        verbose_name = _("checklista")
        verbose_name_plural = _("checklistor")
        ordering = ["municipality_id", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "code"], name="walks_template_code_per_municipality"
            ),
            models.UniqueConstraint(
                fields=["code"],
                condition=models.Q(municipality__isnull=True),
                name="walks_template_code_national",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_scored(self) -> bool:
        return self.scale_max is not None


class ChecklistItem(models.Model):
    template = models.ForeignKey(ChecklistTemplate, on_delete=models.CASCADE, related_name="items")
    code = models.SlugField(_("kod"), max_length=40)
    label = ScrubbedCharField(_("punkt"), max_length=160)
    label_en = ScrubbedCharField(_("punkt (engelska)"), max_length=160, blank=True)
    help_text = ScrubbedTextField(_("vägledning"), blank=True)
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)

    class Meta:
        verbose_name = _("punkt i checklistan")
        verbose_name_plural = _("punkter i checklistan")
        ordering = ["template_id", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["template", "code"], name="walks_item_code_once")
        ]

    def __str__(self) -> str:
        return self.display_label

    @property
    def display_label(self) -> str:
        """The label in the reader's language (English where one is given)."""
        if self.label_en and (get_language() or "sv").startswith("en"):
            return self.label_en
        return self.label
