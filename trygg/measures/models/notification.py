"""E-mails owed to organisations about measures, as rows: the worker sends what is unsent, and
the unique key makes sure no reminder is ever queued twice."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from trygg.core.fields import ScrubbedTextField
from trygg.places.municipality_column import CarriesMunicipality


class Notification(CarriesMunicipality):
    municipality_parent = "measure"

    class Kind(models.TextChoices):
        ASSIGNED = "assigned", _("ny åtgärd att ansvara för")
        DUE_SOON = "due_soon", _("en vecka kvar")
        OVERDUE = "overdue", _("försenad")
        DONE = "done", _("åtgärden är klar")

    measure = models.ForeignKey(
        "measures.Measure", on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    # What makes this notice distinct from earlier ones of its kind: the due date a reminder
    # is about (a new due date earns a new reminder), the timeline entry of an assignment.
    key = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    recipients = models.TextField(blank=True)  # the addresses it went to, for the record
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = ScrubbedTextField(blank=True)

    class Meta:
        verbose_name = _("avisering")
        verbose_name_plural = _("aviseringar")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "kind", "organisation", "key"], name="notification_once"
            )
        ]
        indexes = [
            # The worker's queue: unsent rows, oldest first.
            models.Index(fields=["sent_at", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.organisation}"
