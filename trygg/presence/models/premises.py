"""Krogtillsyn: licensed premises (serveringsställen) with their licences, the joint
inspections of the municipality and the police, and the municipality's inspection plan.

A premise is a business at a place (places.Place): its licence is held by a company, named by
its company name only, never a person (DESIGN §5). What an inspection found is not stored
here but as events of the krog categories (source `inspection`), through the one event path;
what is done about it are measures. The inspection links to both."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from trygg.core.fields import ScrubbedCharField, ScrubbedTextField
from trygg.places.municipality_column import (
    CarriesMunicipality,
    CarriesMunicipalityQuerySet,
    StaysInItsMunicipality,
)
from trygg.presence.models.links import InspectionEvent, InspectionMeasure, InspectionOrganisation
from trygg.presence.models.visibility import SharedInMunicipalityQuerySet

WEEKDAYS = (
    _("måndag"),
    _("tisdag"),
    _("onsdag"),
    _("torsdag"),
    _("fredag"),
    _("lördag"),
    _("söndag"),
)
# The root of the categories an inspection's findings are recorded in (events/category_seed).
FINDING_ROOT = "krog"


class InspectionKind(models.TextChoices):
    OVERSERVING = "overserving", _("överservering")
    RESPONSIBLE = "responsible", _("ansvarsfull alkoholservering")
    DRUGS = "drugs", _("Krogar mot knark")
    ORDER = "order", _("ordning")


class PremiseQuerySet(SharedInMunicipalityQuerySet):
    pass


class Premise(StaysInItsMunicipality):
    """A serveringsställe: a named business at a place in the municipality."""

    municipality = models.ForeignKey(
        "places.Municipality",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("kommun"),
        # Covered by the unique (municipality, name) constraint's index.
        db_index=False,
    )
    place = models.ForeignKey(
        "places.Place", on_delete=models.PROTECT, related_name="premises", verbose_name=_("plats")
    )
    name = ScrubbedCharField(_("serveringsställets namn"), max_length=120)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PremiseQuerySet.as_manager()

    class Meta:
        verbose_name = _("serveringsställe")
        verbose_name_plural = _("serveringsställen")
        ordering = ["name", "pk"]
        constraints = [
            # Two premises of one name would read as one in the history; the index also serves
            # the municipality's list of premises, by name.
            models.UniqueConstraint(fields=["municipality", "name"], name="presence_premise_name")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("presence:premise", args=[self.pk])

    def own_licences(self):
        """The premise's licences, latest first. Names the premise's municipality and orders by
        the licence's own columns (the default order reads the premise's name through a join),
        so that Citus sends the query to the one shard of the municipality."""
        return self.licences.filter(municipality_id=self.municipality_id).order_by("-valid_from")

    def licence_on(self, day: dt.date) -> Licence | None:
        """The licence in force on `day`, if any (licences of one premise never overlap)."""
        return self.own_licences().valid_on(day).first()


class LicenceQuerySet(CarriesMunicipalityQuerySet):
    def valid_on(self, day: dt.date):
        return self.filter(valid_from__lte=day).filter(
            models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=day)
        )


class Licence(CarriesMunicipality):
    """A serveringstillstånd: who holds it (a company), from and to which day (to: included;
    none: until further notice), and the hours it allows serving. `serving_until` has one entry
    per ISO weekday (Monday first): "HH:MM" or None on days without serving; an end at or
    before `serving_from` is the next morning (01:00 is the night after)."""

    municipality_parent = "premise"

    premise = models.ForeignKey(Premise, on_delete=models.PROTECT, related_name="licences")
    holder = ScrubbedCharField(
        _("tillståndshavare"), max_length=160, help_text=_("Bolagets namn, aldrig en person.")
    )
    valid_from = models.DateField(_("gäller från"))
    valid_to = models.DateField(_("gäller till och med"), null=True, blank=True)
    serving_from = models.TimeField(_("servering från"), default=dt.time(11, 0))
    serving_until = models.JSONField(_("servering till, per veckodag"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    # The column's manager with the licences' own query added (a subclass of its QuerySet).
    objects = LicenceQuerySet.as_manager()  # type: ignore[misc]

    class Meta:
        verbose_name = _("serveringstillstånd")
        verbose_name_plural = _("serveringstillstånd")
        # By the parent's key, not by the parent, whose own order would join its table for
        # every list of children: a join Citus refuses across shards (decision 0039).
        ordering = ["premise_id", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="presence_licence_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.premise} ({self.holder})"

    def serving_hours(self) -> list[tuple[str, str | None]]:
        """(weekday's name, "11:00–01:00" or None) for the seven days, Monday first."""
        start = self.serving_from.strftime("%H:%M")
        return [
            (str(name), f"{start}–{until}" if until else None)
            for name, until in zip(WEEKDAYS, self.serving_until, strict=True)
        ]


class InspectionQuerySet(PremiseQuerySet):
    def in_year(self, municipality_id: int, year: int):
        """The municipality's inspections of `year` (local time), for the monthly count."""
        from trygg.core.periods import midnight

        return self.filter(
            municipality_id=municipality_id,
            starts_at__gte=midnight(dt.date(year, 1, 1)),
            starts_at__lt=midnight(dt.date(year + 1, 1, 1)),
        )


class Inspection(StaysInItsMunicipality):
    """A joint inspection of a premise: when, with which focus, who took part (organisations,
    never people), what it found (events) and what is done about it (measures)."""

    municipality = models.ForeignKey(
        "places.Municipality",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("kommun"),
        db_index=False,  # the (municipality, starts_at) index below leads with it
    )
    premise = models.ForeignKey(
        Premise,
        on_delete=models.PROTECT,
        related_name="inspections",
        verbose_name=_("serveringsställe"),
        db_index=False,  # the (premise, starts_at) index below leads with it
    )
    # The licence in force that day: the history says whose licence was inspected.
    licence = models.ForeignKey(Licence, on_delete=models.PROTECT, related_name="inspections")
    starts_at = models.DateTimeField(_("tidpunkt"))
    kind = models.CharField(_("inriktning"), max_length=12, choices=InspectionKind.choices)
    organisations = models.ManyToManyField(
        "organisations.Organisation",
        through=InspectionOrganisation,
        related_name="+",
        verbose_name=_("deltagande organisationer"),
    )
    # Who recorded it and owns its findings (one of those taking part).
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("rapporterande organisation"),
    )
    note = ScrubbedTextField(_("anteckning"), blank=True)
    findings = models.ManyToManyField(
        "events.Event", through=InspectionEvent, related_name="+", blank=True
    )
    measures = models.ManyToManyField(
        "measures.Measure", through=InspectionMeasure, related_name="+", blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = InspectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("tillsyn")
        verbose_name_plural = _("tillsyner")
        ordering = ["-starts_at", "pk"]
        indexes = [
            # The monthly count against the target and the inspections_held indicator: one
            # municipality's inspections in a period.
            models.Index(fields=["municipality", "starts_at"], name="presence_inspection_time"),
            # A premise's history, latest first.
            models.Index(fields=["premise", "starts_at"], name="presence_inspection_premise"),
        ]

    def __str__(self) -> str:
        return f"{self.premise} {self.starts_at:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("presence:inspection", args=[self.pk])


class InspectionPlan(StaysInItsMunicipality):
    """The municipality's inspection plan for a year: how many inspections a month it aims
    for (the ANDT plan's or the tillsynsplan's figure)."""

    municipality = models.ForeignKey(
        "places.Municipality",
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # the unique constraint's index leads with it
    )
    year = models.PositiveSmallIntegerField(_("år"))
    target_per_month = models.PositiveSmallIntegerField(_("mål per månad"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("tillsynsplan")
        verbose_name_plural = _("tillsynsplaner")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "year"], name="presence_plan_year")
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.target_per_month}"
