"""A Purple Flag certification year: a town centre working towards (or renewing) the
certification of its evening and night economy, as one project.

The project holds what is Purple Flag's own: the area and the year, the steps of the
application with their dates, the self-assessment (a score and a note per focus area and time
zone) and which evening walks and measures belong to it. The walks stay walks (their findings
are events, decision 0017) and the measures stay measures: this app links to them and reads
them, it does not copy them (decision 0033)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from trygg.core.fields import ScrubbedCharField, ScrubbedTextField
from trygg.places.municipality_column import CarriesMunicipality, StaysInItsMunicipality
from trygg.purpleflag.zones import FocusArea
from trygg.walks.models.finding import TimeBand


class Step(models.TextChoices):
    """Where the application stands. Renewal is not a step: it is due by a date, which the
    status page counts down to (`renewal_due`)."""

    PREPARATION = "preparation", _("förberedelse")
    SELF_ASSESSMENT = "self_assessment", _("egen bedömning")
    SUBMITTED = "submitted", _("ansökan inskickad")
    VISIT = "visit", _("bedömningsbesök")
    CERTIFIED = "certified", _("certifierad")
    NOT_CERTIFIED = "not_certified", _("ej certifierad")


STEP_ORDER: tuple[str, ...] = tuple(Step.values)
DECIDED = (Step.CERTIFIED, Step.NOT_CERTIFIED)


class CertificationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A municipality's shared work, as its measures and plans: every member of an
        organisation there reads it (DESIGN §5 holds: the project names no one)."""
        from trygg.organisations.access import access_for

        access = access_for(user)
        if access.is_superuser:
            return self
        return self.filter(municipality_id__in=access.municipality_ids)


class Certification(StaysInItsMunicipality):
    municipality = models.ForeignKey(
        "places.Municipality", on_delete=models.PROTECT, related_name="+", verbose_name=_("kommun")
    )
    area = models.ForeignKey(
        "places.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("område")
    )
    year = models.PositiveSmallIntegerField(_("år"))
    step = models.CharField(
        _("steg"), max_length=16, choices=Step.choices, default=Step.PREPARATION
    )
    starts_on = models.DateField(_("arbetet börjar"))
    application_due = models.DateField(_("ansökan senast"), null=True, blank=True)
    submitted_on = models.DateField(_("ansökan inskickad"), null=True, blank=True)
    visit_on = models.DateField(_("bedömningsbesök"), null=True, blank=True)
    decided_on = models.DateField(_("beslut"), null=True, blank=True)
    renewal_due = models.DateField(_("förnyelse senast"), null=True, blank=True)
    notes = ScrubbedTextField(_("anteckningar"), blank=True)
    walks = models.ManyToManyField(
        "walks.Walk",
        through="purpleflag.CertificationWalk",
        blank=True,
        related_name="+",
        verbose_name=_("kvällsvandringar"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CertificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("Purple Flag-år")
        verbose_name_plural = _("Purple Flag-år")
        ordering = ["-year", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["area", "year"], name="purpleflag_one_year_per_area")
        ]
        indexes = [
            # The list page: a municipality's years, newest first.
            models.Index(fields=["municipality", "year"]),
        ]

    def __str__(self) -> str:
        return f"Purple Flag {self.year}: {self.area.name}"

    def get_absolute_url(self) -> str:
        return reverse("purpleflag:detail", args=[self.pk])

    @property
    def is_decided(self) -> bool:
        return self.step in DECIDED

    def renewal_days(self, today: dt.date) -> int | None:
        """Days until the renewal is due (negative: overdue); None without a date."""
        return None if self.renewal_due is None else (self.renewal_due - today).days


class CertificationWalk(CarriesMunicipality):
    """One evening walk that belongs to a certification year: the link row carries the year's
    municipality, so that it lies with the year when tables are sharded by municipality
    (decision 0038)."""

    municipality_parent = "certification"

    certification = models.ForeignKey(Certification, on_delete=models.CASCADE, related_name="+")
    walk = models.ForeignKey("walks.Walk", on_delete=models.CASCADE, related_name="+")

    class Meta:
        # The table Django made for the link before it had a model of its own.
        db_table = "purpleflag_certification_walks"
        constraints = [
            models.UniqueConstraint(
                fields=["certification", "walk"], name="purpleflag_certification_walk_once"
            )
        ]


class Assessment(CarriesMunicipality):
    """The self-assessment of one focus area in one time zone: a score 0..3 and a note."""

    municipality_parent = "certification"

    certification = models.ForeignKey(
        Certification, on_delete=models.CASCADE, related_name="assessments"
    )
    focus_area = models.CharField(_("fokusområde"), max_length=16, choices=FocusArea.choices)
    zone = models.CharField(_("tidszon"), max_length=5, choices=TimeBand.choices)
    score = models.PositiveSmallIntegerField(_("poäng"), null=True, blank=True)
    note = ScrubbedCharField(_("anteckning"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("egen bedömning")
        verbose_name_plural = _("egna bedömningar")
        ordering = ["certification_id", "focus_area", "zone"]
        constraints = [
            models.UniqueConstraint(
                fields=["certification", "focus_area", "zone"], name="purpleflag_cell_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.certification}: {self.focus_area} {self.zone}"


class MeasureTag(CarriesMunicipality):
    """A measure of the action plan counted under one focus area of the year."""

    municipality_parent = "certification"

    certification = models.ForeignKey(
        Certification, on_delete=models.CASCADE, related_name="measure_tags"
    )
    measure = models.ForeignKey(
        "measures.Measure", on_delete=models.CASCADE, related_name="+", verbose_name=_("åtgärd")
    )
    focus_area = models.CharField(_("fokusområde"), max_length=16, choices=FocusArea.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("åtgärd i Purple Flag")
        verbose_name_plural = _("åtgärder i Purple Flag")
        ordering = ["certification_id", "focus_area", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["certification", "measure"], name="purpleflag_measure_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.certification}: {self.measure} ({self.focus_area})"
