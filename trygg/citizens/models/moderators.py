"""Who besides the coordinators may moderate residents' reports: the people a municipality
names (issue 12, point 3), e.g. the staff of the Trygghetscenter or the customer service."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from trygg.places.municipality_column import StaysInItsMunicipality


class ReportModerator(StaysInItsMunicipality):
    municipality = models.ForeignKey(
        "places.Municipality", on_delete=models.CASCADE, related_name="+", verbose_name=_("kommun")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="report_moderations",
        verbose_name=_("användare"),
    )
    named_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    named_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("granskare av invånares rapporter")
        verbose_name_plural = _("granskare av invånares rapporter")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "user"], name="citizens_moderator_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.municipality})"
