"""How long a municipality's events keep what the statistics do not need (decision 0031)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from trygg.places.municipality_column import StaysInItsMunicipality

# A month is the smallest step: a shorter limit would empty reports still being reviewed. Twenty
# years is far beyond any rule a municipality follows and keeps a typing slip from being fatal.
MONTH_VALIDATORS = [MinValueValidator(1), MaxValueValidator(240)]


def default_text_months() -> int:
    return settings.TRYGG_EVENT_TEXT_RETENTION_MONTHS


def default_position_months() -> int:
    return settings.TRYGG_EVENT_POSITION_RETENTION_MONTHS


class RetentionPolicy(StaysInItsMunicipality):
    """One per municipality that has chosen its own limits; the others follow the settings."""

    municipality = models.OneToOneField(
        "places.Municipality",
        on_delete=models.CASCADE,
        related_name="event_retention",
        verbose_name=_("kommun"),
    )
    text_months = models.PositiveSmallIntegerField(
        _("fritext sparas (månader)"), default=default_text_months, validators=MONTH_VALIDATORS
    )
    position_months = models.PositiveSmallIntegerField(
        _("exakt läge sparas (månader)"),
        default=default_position_months,
        validators=MONTH_VALIDATORS,
    )

    class Meta:
        verbose_name = _("gallringsregel")
        verbose_name_plural = _("gallringsregler")

    def __str__(self) -> str:
        return f"{self.municipality}: {self.text_months}/{self.position_months}"
