"""The EST meeting: who took part (organisations, never people), the pack it looked at, the
places it prioritised for the next period and the decisions that became measures."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from trygg.core.fields import ScrubbedCharField, ScrubbedTextField
from trygg.places.municipality_column import CarriesMunicipality, StaysInItsMunicipality


class Meeting(StaysInItsMunicipality):
    municipality = models.ForeignKey(
        "places.Municipality", on_delete=models.PROTECT, related_name="est_meetings"
    )
    held_on = models.DateField(_("mötesdatum"))
    organisations = models.ManyToManyField(
        "organisations.Organisation",
        through="measures.MeetingOrganisation",
        blank=True,
        related_name="est_meetings",
        verbose_name=_("närvarande organisationer"),
    )
    pack = models.ForeignKey(
        "situation.MeetingPack",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meetings",
        verbose_name=_("mötesunderlag"),
    )
    notes = ScrubbedTextField(_("minnesanteckningar"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("EST-möte")
        verbose_name_plural = _("EST-möten")
        ordering = ["-held_on", "-pk"]
        indexes = [
            # The municipality's list of meetings, latest first.
            models.Index(fields=["municipality", "-held_on"]),
        ]

    def __str__(self) -> str:
        return f"EST {self.held_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("measures:meeting", args=[self.pk])


class MeetingOrganisation(CarriesMunicipality):
    """An organisation present at the meeting: the link table of `Meeting.organisations`, which
    carries the meeting's municipality like every tenant table (decision 0038). The table and
    its rows are those Django made for the field; `set()` fills the column through bulk_create."""

    municipality_parent = "meeting"

    meeting = models.ForeignKey("measures.Meeting", on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        db_table = "measures_meeting_organisations"
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "organisation"], name="measures_meeting_organisation_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id} → {self.organisation_id}"


class MeetingPriority(CarriesMunicipality):
    """A place or area the group will watch or act on in the coming period, in rank order."""

    municipality_parent = "meeting"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="priorities")
    rank = models.PositiveSmallIntegerField(_("ordning"))
    place = models.ForeignKey(
        "places.Place", null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("plats")
    )
    area = models.ForeignKey(
        "places.Area", null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("område")
    )
    note = ScrubbedCharField(_("varför"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("prioriterad plats")
        verbose_name_plural = _("prioriterade platser")
        ordering = ["rank"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "rank"], name="one_priority_per_rank"),
            models.CheckConstraint(
                condition=models.Q(place__isnull=False) | models.Q(area__isnull=False),
                name="priority_has_a_place_or_area",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rank}. {self.place or self.area}"


class Decision(CarriesMunicipality):
    """What the meeting decided; a decision to act becomes a measure in the same step."""

    municipality_parent = "meeting"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    text = ScrubbedTextField(_("beslut"))
    measure = models.OneToOneField(
        "measures.Measure",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="decision",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("beslut")
        verbose_name_plural = _("beslut")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.text[:60]
