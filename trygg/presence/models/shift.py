"""A shift: a group out in an area from a start to an end, with how many people go. A count,
never names (docs/decisions/0024): the model has no field for a person at all.

A shift lies in an area (places.Area), not on a drawn route: areas are what events, measures
and the coming coverage analysis count by, and "the same place at the same time" between two
groups is then a question of keys, not of geometry."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from trygg.core.fields import ScrubbedTextField
from trygg.places.municipality_column import CarriesMunicipality, StaysInItsMunicipality
from trygg.presence.models.visibility import SharedInMunicipalityQuerySet


class ShiftState(models.TextChoices):
    PLANNED = "planned", _("planerat")
    HELD = "held", _("genomfört")
    CANCELLED = "cancelled", _("inställt")


class ShiftQuerySet(SharedInMunicipalityQuerySet):
    def active(self):
        """Shifts that put people out (planned or held), not the cancelled ones."""
        return self.exclude(state=ShiftState.CANCELLED)

    def between(self, start, end):
        """Shifts that start in [start, end)."""
        return self.filter(starts_at__gte=start, starts_at__lt=end)

    def with_group(self):
        """With the group and its organisation, area and municipality (no outlines) joined:
        the group in the shift's municipality too, since Citus refuses joining it on its id
        alone."""
        return (
            self.filter(group__municipality_id=models.F("municipality_id"))
            .select_related("group__organisation", "area", "municipality")
            .defer("area__geometry", "municipality__geometry")
        )


class ShiftSeries(CarriesMunicipality):
    """The rule one planning of many shifts followed: weekly on `weekdays` (ISO, Monday 1) from
    `first_day` for `weeks` weeks, `start_time`–`end_time` (an end before the start is the
    next morning). Kept so that a shift can say where it came from."""

    municipality_parent = "group"

    group = models.ForeignKey(
        "presence.PresenceGroup", on_delete=models.PROTECT, related_name="series"
    )
    area = models.ForeignKey(
        "places.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("område")
    )
    weekdays = models.JSONField(_("veckodagar"))
    start_time = models.TimeField(_("börjar"))
    end_time = models.TimeField(_("slutar"))
    first_day = models.DateField(_("första dag"))
    weeks = models.PositiveSmallIntegerField(_("antal veckor"))
    people = models.PositiveSmallIntegerField(_("antal personer"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("passerie")
        verbose_name_plural = _("passerier")

    def __str__(self) -> str:
        return f"{self.group} {self.first_day} ({self.weeks})"


class Shift(StaysInItsMunicipality):
    group = models.ForeignKey(
        "presence.PresenceGroup",
        on_delete=models.PROTECT,
        related_name="shifts",
        verbose_name=_("grupp"),
        db_index=False,  # the (group, starts_at) index below leads with it
    )
    # The group's municipality, copied: the calendar reads one municipality's shifts by time
    # with one index and no join.
    municipality = models.ForeignKey(
        "places.Municipality",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("kommun"),
        db_index=False,
    )
    area = models.ForeignKey(
        "places.Area",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("område"),
        db_index=False,
    )
    starts_at = models.DateTimeField(_("börjar"))
    ends_at = models.DateTimeField(_("slutar"))
    people = models.PositiveSmallIntegerField(_("antal personer"))
    state = models.CharField(
        _("läge"), max_length=10, choices=ShiftState.choices, default=ShiftState.PLANNED
    )
    note = ScrubbedTextField(_("anteckning"), blank=True)
    cancel_reason = ScrubbedTextField(_("skäl till att passet ställdes in"), blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    series = models.ForeignKey(
        ShiftSeries, null=True, blank=True, on_delete=models.SET_NULL, related_name="shifts"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ShiftQuerySet.as_manager()

    class Meta:
        verbose_name = _("pass")
        verbose_name_plural = _("pass")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="presence_shift_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(people__gte=1), name="presence_shift_has_people"
            ),
        ]
        indexes = [
            # The calendar and the evenings nobody covers: one municipality's shifts from
            # tonight over the coming weeks, by start.
            models.Index(fields=["municipality", "starts_at"], name="presence_shift_calendar"),
            # The warning when planning: other shifts in the same area that start within a
            # shift's longest length before the new one ends.
            models.Index(fields=["area", "starts_at"], name="presence_shift_area_time"),
            # A group's page and the calendar filtered to one group: its shifts by start.
            models.Index(fields=["group", "starts_at"], name="presence_shift_group_time"),
        ]

    def __str__(self) -> str:
        return f"{self.group} {self.starts_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("presence:shift", args=[self.pk])

    @property
    def is_planned(self) -> bool:
        return self.state == ShiftState.PLANNED
