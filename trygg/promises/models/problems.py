"""A candidate problem under an agreement: what the evidence page gathers figures for (its
categories and areas), the partners' rank, and for a prioritised problem the cause analysis.
A cause analysis speaks of places, times and circumstances, never of persons."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from trygg.core.fields import ScrubbedCharField, ScrubbedTextField
from trygg.places.municipality_column import CarriesMunicipality
from trygg.promises.models.agreement import Agreement
from trygg.promises.models.links import ProblemArea, ProblemCategory


class Problem(CarriesMunicipality):
    municipality_parent = "agreement"

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="problems")
    title = ScrubbedCharField(_("problemområde"), max_length=160)
    categories = models.ManyToManyField(
        "events.Category",
        through=ProblemCategory,
        blank=True,
        related_name="+",
        verbose_name=_("kategorier"),
        help_text=_("Händelsekategorierna som visar problemet i lägesbilden."),
    )
    areas = models.ManyToManyField(
        "places.Area",
        through=ProblemArea,
        blank=True,
        related_name="+",
        verbose_name=_("områden"),
        help_text=_("Tomt betyder hela kommunen."),
    )
    notes = ScrubbedTextField(_("egna iakttagelser"), blank=True)
    # Set when the partners rank the problems: 1 is the highest priority; None is not
    # prioritised (still a candidate).
    rank = models.PositiveSmallIntegerField(_("prioritet"), null=True, blank=True)
    cause_places = ScrubbedTextField(_("var: platser och miljöer"), blank=True)
    cause_times = ScrubbedTextField(_("när: tider, dagar, säsonger"), blank=True)
    cause_circumstances = ScrubbedTextField(
        _("vad gör det möjligt: omständigheter"),
        blank=True,
        help_text=_("Platser, tider och omständigheter, aldrig personer."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("problemområde")
        verbose_name_plural = _("problemområden")
        ordering = [models.F("rank").asc(nulls_last=True), "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("promises:problem", args=[self.agreement_id, self.pk])

    @property
    def is_prioritised(self) -> bool:
        return self.rank is not None

    @property
    def has_cause_analysis(self) -> bool:
        return bool(self.cause_places or self.cause_times or self.cause_circumstances)
