"""Kept situation pictures: the weekly meeting pack and the annual lägesbild with its versions.

Both keep what they showed as plain data (`content`), computed once when made, so a pack
from last month reopens exactly as the group saw it, whatever has been imported since.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from trygg.core.fields import ScrubbedCharField, ScrubbedTextField
from trygg.places.municipality_column import CarriesMunicipality, StaysInItsMunicipality


class MeetingPack(StaysInItsMunicipality):
    """The EST group's material for one meeting: the picture of a period and its priorities."""

    municipality = models.ForeignKey("places.Municipality", on_delete=models.PROTECT)
    area = models.ForeignKey("places.Area", null=True, blank=True, on_delete=models.PROTECT)
    period_kind = models.CharField(max_length=10)
    period_start = models.DateField()
    period_end = models.DateField()  # exclusive, as core.periods
    label = models.CharField(_("rubrik"), max_length=120)
    content = models.JSONField()
    # The group's priorities for the coming period, written on the pack's page (scrubbed).
    priorities = ScrubbedTextField(_("prioriteringar för nästa period"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("mötesunderlag")
        verbose_name_plural = _("mötesunderlag")
        ordering = ["-period_end", "-created_at"]
        indexes = [
            # The list of a municipality's packs, latest period first.
            models.Index(fields=["municipality", "-period_end"]),
        ]

    def __str__(self) -> str:
        return self.label

    def get_absolute_url(self) -> str:
        return reverse("situation:pack", args=[self.pk])


class AnnualReport(StaysInItsMunicipality):
    """A municipality's lägesbild for a year under lag (2023:196); its text lives in versions."""

    municipality = models.ForeignKey("places.Municipality", on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField(_("år"))

    class Meta:
        verbose_name = _("årlig lägesbild")
        verbose_name_plural = _("årliga lägesbilder")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "year"], name="one_report_per_year")
        ]
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.municipality} {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("situation:annual", args=[self.pk])

    def latest(self):
        # Names the municipality so that Citus reads the versions from one shard.
        versions = self.versions.filter(municipality_id=self.municipality_id)
        return versions.order_by("-number").first()


class AnnualReportVersion(CarriesMunicipality):
    """One saved state of the annual lägesbild: the generated figures and the written text.

    Saving never overwrites: each save is a new version, so what went to the municipal board
    can be shown later as it was."""

    municipality_parent = "report"

    report = models.ForeignKey(AnnualReport, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    generated = models.JSONField()
    # Written sections by key (see situation.annual.WRITTEN_SECTIONS), scrubbed on save.
    written = models.JSONField(default=dict)
    note = ScrubbedCharField(_("kommentar till versionen"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("version av årlig lägesbild")
        verbose_name_plural = _("versioner av årlig lägesbild")
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="one_version_number")
        ]
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"{self.report} v{self.number}"
