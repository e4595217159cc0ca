"""Follow-up of a promise at the agreement's interval: per commitment a status (done, going to
plan, behind, dropped with a reason) and the indicator's value, then published for residents.
Owners are reminded before a follow-up is due, by e-mail through the worker, never twice."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from trygg.core.fields import ScrubbedCharField, ScrubbedTextField
from trygg.places.municipality_column import CarriesMunicipality
from trygg.promises.models.promise import Commitment, Promise


class FollowUp(CarriesMunicipality):
    municipality_parent = "promise"

    promise = models.ForeignKey(Promise, on_delete=models.CASCADE, related_name="follow_ups")
    first_day = models.DateField(_("från och med"))
    last_day = models.DateField(_("till och med"))
    summary = ScrubbedTextField(_("sammanfattning"), blank=True)
    next_steps = ScrubbedTextField(_("vad som händer nu"), blank=True)
    published_on = models.DateField(_("publicerad"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("uppföljning")
        verbose_name_plural = _("uppföljningar")
        # By the parent's key, not by the parent, whose own order would join its table for
        # every list of children: a join Citus refuses across shards (decision 0039).
        ordering = ["promise_id", "first_day"]
        constraints = [
            models.UniqueConstraint(
                fields=["promise", "first_day", "last_day"], name="promises_follow_up_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.promise}: {self.first_day}–{self.last_day}"

    def get_absolute_url(self) -> str:
        return reverse("promises:follow_up", args=[self.promise_id, self.pk])

    @property
    def is_published(self) -> bool:
        return self.published_on is not None


class CommitmentState(models.TextChoices):
    DONE = "done", _("genomfört")
    ON_PLAN = "on_plan", _("enligt plan")
    BEHIND = "behind", _("efter plan")
    DROPPED = "dropped", _("utgår")


class CommitmentStatus(CarriesMunicipality):
    municipality_parent = "follow_up"

    follow_up = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="statuses")
    commitment = models.ForeignKey(Commitment, on_delete=models.PROTECT, related_name="statuses")
    state = models.CharField(_("status"), max_length=8, choices=CommitmentState.choices)
    reason = ScrubbedTextField(_("skäl"), blank=True)
    # The indicator's value for the period: computed from Trygg's data when the follow-up was
    # recorded (and kept, so a published follow-up never changes), or entered with its source.
    value = models.DecimalField(
        _("indikatorns värde"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    value_source = ScrubbedCharField(_("källa"), max_length=200, blank=True)
    computed = models.JSONField(default=dict, blank=True)
    note = ScrubbedTextField(_("kommentar"), blank=True)

    class Meta:
        verbose_name = _("status för åtagande")
        verbose_name_plural = _("status för åtaganden")
        # By keys only: the pages sort by the commitment's column and place themselves,
        # since joining the commitments for a default order crosses shards on Citus (0039).
        ordering = ["follow_up_id", "commitment_id"]
        constraints = [
            models.UniqueConstraint(fields=["follow_up", "commitment"], name="promises_status_once")
        ]

    def __str__(self) -> str:
        return f"{self.commitment}: {self.get_state_display()}"


class FollowUpReminder(CarriesMunicipality):
    """An e-mail owed to a commitment owner before a follow-up is due (sent by the worker
    through core.outbox; the key makes it once per promise, period and organisation)."""

    municipality_parent = "promise"

    promise = models.ForeignKey(Promise, on_delete=models.CASCADE, related_name="reminders")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    period_last_day = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    recipients = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = ScrubbedTextField(blank=True)

    class Meta:
        verbose_name = _("påminnelse om uppföljning")
        verbose_name_plural = _("påminnelser om uppföljning")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["promise", "organisation", "period_last_day"],
                name="promises_reminder_once",
            )
        ]
        indexes = [models.Index(fields=["sent_at", "created_at"])]

    def __str__(self) -> str:
        return f"{self.promise} → {self.organisation} ({self.period_last_day})"
