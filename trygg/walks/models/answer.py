"""The managers' answers, the protocol's kept versions and the e-mails owed about a walk."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from trygg.core.fields import ScrubbedTextField
from trygg.places.municipality_column import CarriesMunicipality


class Answer(CarriesMunicipality):
    """A responsible organisation's answer to one finding (item 5)."""

    municipality_parent = "finding"

    class Kind(models.TextChoices):
        WILL_ACT = "will_act", _("vi åtgärdar")
        PLANNED = "planned", _("redan planerat")
        WILL_NOT_ACT = "will_not", _("vi åtgärdar inte")
        NOT_OURS = "not_ours", _("inte vårt ansvar")

    finding = models.ForeignKey("walks.Finding", on_delete=models.CASCADE, related_name="answers")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("svar"), max_length=8, choices=Kind.choices)
    # What will be done, or why not (required for will-not and not-ours).
    text = ScrubbedTextField(_("beskrivning"), blank=True)
    due = models.DateField(_("klart senast"), null=True, blank=True)
    # The measure a will-act answer opened, owned by the answering organisation.
    measure = models.ForeignKey(
        "measures.Measure",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="walk_answers",
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField()

    class Meta:
        verbose_name = _("svar")
        verbose_name_plural = _("svar")
        ordering = ["finding_id", "answered_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["finding", "organisation"], name="walks_one_answer_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.finding}: {self.get_kind_display()}"


class ProtocolVersion(CarriesMunicipality):
    """The protocol as sent: its data kept, so an earlier version stays readable after a
    revision with the managers' answers."""

    municipality_parent = "walk"

    walk = models.ForeignKey("walks.Walk", on_delete=models.CASCADE, related_name="protocols")
    number = models.PositiveSmallIntegerField(_("version"))
    data = models.JSONField()
    note = ScrubbedTextField(_("vad som ändrats"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("protokoll")
        verbose_name_plural = _("protokoll")
        ordering = ["walk_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["walk", "number"], name="walks_protocol_number_once")
        ]

    def __str__(self) -> str:
        return f"{self.walk} v{self.number}"


class WalkNotice(CarriesMunicipality):
    """An e-mail owed to an organisation about a walk; the worker sends it, never twice."""

    municipality_parent = "walk"

    class Kind(models.TextChoices):
        PROTOCOL = "protocol", _("protokoll med era iakttagelser")
        REMINDER = "reminder", _("påminnelse om obesvarade iakttagelser")

    walk = models.ForeignKey("walks.Walk", on_delete=models.CASCADE, related_name="notices")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=8, choices=Kind.choices)
    # What makes it distinct: the protocol version, the follow-up meeting a reminder is before.
    key = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    recipients = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = ScrubbedTextField(blank=True)

    class Meta:
        verbose_name = _("avisering om vandring")
        verbose_name_plural = _("aviseringar om vandringar")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["walk", "kind", "organisation", "key"], name="walks_notice_once"
            )
        ]
        indexes = [models.Index(fields=["sent_at", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.organisation}"
