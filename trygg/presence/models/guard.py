"""Ordningsvaktsområden: the areas the county (länsstyrelsen) has decided guards may work in,
under the ordningsvakt law in force since 2024, each with the decision and its validity.

Kept here and not as places.Area rows (docs/decisions/0032): areas are what events are
located in and what every page lists as districts; a guard area laid over them must change
neither. Its outline is the union of existing areas of the municipality, which are also kept
so that "is this shift inside?" is a question of ids, not of geometry."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from trygg.core.fields import ScrubbedCharField
from trygg.places.municipality_column import StaysInItsMunicipality
from trygg.presence.models.links import GuardAreaArea


class GuardAreaQuerySet(models.QuerySet):
    def valid_on(self, day):
        return self.filter(valid_from__lte=day).filter(
            models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=day)
        )


class GuardArea(StaysInItsMunicipality):
    municipality = models.ForeignKey(
        "places.Municipality",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("kommun"),
    )
    name = ScrubbedCharField(_("namn"), max_length=120)
    decision_reference = ScrubbedCharField(_("länsstyrelsens beslut"), max_length=200)
    decided_on = models.DateField(_("beslutsdatum"))
    valid_from = models.DateField(_("gäller från"))
    # The last day the decision covers (inclusive), as the county writes it.
    valid_to = models.DateField(_("gäller till och med"), null=True, blank=True)
    areas = models.ManyToManyField(
        "places.Area",
        through=GuardAreaArea,
        related_name="+",
        verbose_name=_("byggt av områdena"),
    )
    # The areas' outlines together, GeoJSON MultiPolygon in WGS84 like Area.geometry.
    geometry = models.JSONField(_("geometri (GeoJSON, WGS84)"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = GuardAreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("ordningsvaktsområde")
        verbose_name_plural = _("ordningsvaktsområden")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def is_valid_on(self, day) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    @property
    def area_ids(self) -> list[int]:
        return sorted(area.pk for area in self.areas.all())
