"""A presence group: people from one organisation who are out in the evening and at night
(Ungdomar för trygghet, nattvandrare, kommunväktare, the police's foot patrol …).

The group is a team, never a list of people: the system knows how many go out on a shift,
not who (DESIGN §5, docs/decisions/0024)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from trygg.core.fields import ScrubbedCharField
from trygg.places.municipality_column import StaysInItsMunicipality
from trygg.presence.models.visibility import SharedInMunicipalityQuerySet


class GroupKind(models.TextChoices):
    YOUTH = "youth", _("Ungdomar för trygghet")
    ADULTS = "adults", _("Vuxna för trygghet")
    NIGHT_WALKERS = "night_walkers", _("nattvandrare / förening")
    ORDER_GUARDS = "order_guards", _("kommunala ordningsvakter")
    MUNICIPAL_GUARDS = "municipal_guards", _("kommunväktare")
    FIELD_WORKERS = "field_workers", _("fältgrupp")
    POLICE_PATROL = "police_patrol", _("polisens fotpatrull")
    OTHER = "other", _("annat")


class PresenceGroupQuerySet(SharedInMunicipalityQuerySet):
    pass


class PresenceGroup(StaysInItsMunicipality):
    municipality = models.ForeignKey(
        "places.Municipality",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("kommun"),
        # Covered by the unique (municipality, name) constraint's index.
        db_index=False,
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="presence_groups",
        verbose_name=_("organisation"),
    )
    kind = models.CharField(_("slag"), max_length=20, choices=GroupKind.choices)
    name = ScrubbedCharField(_("namn"), max_length=120)
    active = models.BooleanField(_("aktiv"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PresenceGroupQuerySet.as_manager()

    class Meta:
        verbose_name = _("närvarogrupp")
        verbose_name_plural = _("närvarogrupper")
        ordering = ["name", "pk"]
        constraints = [
            # Two groups of one name would read as one on the shared calendar. Its index also
            # serves the municipality's list of groups (filters, forms, the API), by name.
            models.UniqueConstraint(fields=["municipality", "name"], name="presence_group_name")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("presence:group", args=[self.pk])
