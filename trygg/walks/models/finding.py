"""What a walk finds: each finding is an event (source `walk`) on the shared log, with the
walk's own facts beside it: its number, the stop, the checklist scores, the photos and who
should answer for it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from trygg.places.municipality_column import CarriesMunicipality


class TimeBand(models.TextChoices):
    """Purple Flag's four time zones of the evening and night economy."""

    EARLY_EVENING = "17-20", "17–20"
    LATE_EVENING = "20-23", "20–23"
    NIGHT = "23-02", "23–02"
    LATE_NIGHT = "02-05", "02–05"


def time_band_of(hour: int) -> str:
    """The Purple Flag time zone of a local hour, or '' outside 17–05."""
    if 17 <= hour < 20:
        return TimeBand.EARLY_EVENING
    if 20 <= hour < 23:
        return TimeBand.LATE_EVENING
    if hour >= 23 or hour < 2:
        return TimeBand.NIGHT
    if 2 <= hour < 5:
        return TimeBand.LATE_NIGHT
    return ""


class Finding(CarriesMunicipality):
    municipality_parent = "walk"

    walk = models.ForeignKey("walks.Walk", on_delete=models.CASCADE, related_name="findings")
    # Made on the phone: a finding sent twice is stored once. Unique in the walk's
    # municipality, where a repeat always arrives, as sharded by it on Citus (decision 0039).
    client_id = models.UUIDField(_("id från enheten"))
    number = models.PositiveIntegerField(_("nummer"))
    # The event carries position, time, category, note (scrubbed), owner and visibility.
    event = models.OneToOneField(
        "events.Event", on_delete=models.PROTECT, related_name="walk_finding"
    )
    stop = models.ForeignKey(
        "walks.WalkStop",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="findings",
        verbose_name=_("stopp"),
    )
    time_band = models.CharField(_("tidszon"), max_length=5, choices=TimeBand.choices, blank=True)
    captured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    received_at = models.DateTimeField(auto_now_add=True)
    # The responsibility rules' suggestion, and the coordinator's confirmed choice: nothing is
    # routed to an organisation before a person has seen it (issue 11, item 3).
    suggested_responsible = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("föreslagen ansvarig"),
    )
    suggestion_reason = models.CharField(max_length=12, blank=True)
    responsible = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="walk_findings",
        verbose_name=_("ansvarig organisation"),
    )
    responsible_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    responsible_confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("iakttagelse")
        verbose_name_plural = _("iakttagelser")
        ordering = ["walk_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["walk", "number"], name="walks_finding_number_once"),
            models.UniqueConstraint(
                fields=["municipality", "client_id"], name="walks_finding_client_id_once"
            ),
        ]
        indexes = [models.Index(fields=["responsible", "walk"])]

    def __str__(self) -> str:
        return f"{self.walk} #{self.number}"


class FindingScore(CarriesMunicipality):
    """A checklist item the finding is about, with its score when the checklist is scored."""

    municipality_parent = "finding"

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="scores")
    item = models.ForeignKey("walks.ChecklistItem", on_delete=models.PROTECT, related_name="scores")
    score = models.PositiveSmallIntegerField(_("poäng"), null=True, blank=True)

    class Meta:
        verbose_name = _("poäng")
        verbose_name_plural = _("poäng")
        ordering = ["finding_id", "item__order"]
        constraints = [models.UniqueConstraint(fields=["finding", "item"], name="walks_score_once")]

    def __str__(self) -> str:
        return f"{self.item}: {self.score}"


class FindingPhoto(CarriesMunicipality):
    """A photo without metadata; shown outside the partners only once a moderator approved it."""

    municipality_parent = "finding"

    class Review(models.TextChoices):
        PENDING = "pending", _("ej granskad")
        APPROVED = "approved", _("godkänd för publicering")
        REJECTED = "rejected", _("inte för publicering")

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("foto"), upload_to="walks/%Y/%m/")
    review = models.CharField(
        _("granskning"), max_length=8, choices=Review.choices, default=Review.PENDING
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("foto")
        verbose_name_plural = _("foton")
        ordering = ["finding_id", "pk"]

    def __str__(self) -> str:
        return f"{self.finding}: {self.get_review_display()}"

    @property
    def is_public(self) -> bool:
        return self.review == self.Review.APPROVED
