"""Who is responsible for what where: the rules that route an event or a place to the
organisation that should act on it (routing.py reads them)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from trygg.core.fields import ScrubbedCharField
from trygg.places.models import Place
from trygg.places.municipality_column import StaysInItsMunicipality


class ResponsibilityRule(StaysInItsMunicipality):
    """`organisation` answers for events matching every condition that is filled in.

    Empty conditions match anything, so a rule with only a category covers the whole
    municipality. When several rules match, `preferred` wins, then `priority`, then the more
    specific rule (routing.rank explains the order)."""

    municipality = models.ForeignKey(
        "places.Municipality", on_delete=models.CASCADE, related_name="responsibility_rules"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="responsibility_rules",
        verbose_name=_("ansvarig organisation"),
    )
    category = models.ForeignKey(
        "events.Category",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        verbose_name=_("kategori"),
        help_text=_("Tom: alla kategorier."),
    )
    include_subcategories = models.BooleanField(_("gäller även underkategorier"), default=True)
    area = models.ForeignKey(
        "places.Area",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        verbose_name=_("område"),
        help_text=_("Tom: hela kommunen. Ett område omfattar sina delområden."),
    )
    place_kind = models.CharField(
        _("platstyp"), max_length=16, choices=Place.Kind.choices, blank=True
    )
    place = models.ForeignKey(
        "places.Place",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        verbose_name=_("enskild plats"),
    )
    priority = models.SmallIntegerField(
        _("prioritet"), default=0, help_text=_("Högre tal vinner när flera regler passar.")
    )
    preferred = models.BooleanField(
        _("föredras"),
        default=False,
        help_text=_("Går före alla andra regler som passar, oavsett prioritet."),
    )
    note = ScrubbedCharField(_("kommentar"), max_length=200, blank=True)
    is_active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        verbose_name = _("ansvarsregel")
        verbose_name_plural = _("ansvarsregler")
        ordering = ["-preferred", "-priority", "pk"]
        indexes = [
            # routing.suggest loads a municipality's active rules in one query.
            models.Index(fields=["municipality", "is_active"]),
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.describe()}"

    def get_absolute_url(self) -> str:
        return reverse("measures:rule_edit", args=[self.pk])

    def describe(self) -> str:
        """'Klotter (med underkategorier), Trapphus, Kronoparken' — the conditions in words."""
        parts = []
        if self.category_id:
            parts.append(str(self.category))
        if self.place_kind:
            parts.append(str(self.get_place_kind_display()))
        if self.place_id:
            parts.append(str(self.place))
        if self.area_id:
            parts.append(str(self.area))
        return ", ".join(parts) or str(_("allt i kommunen"))

    def clean(self) -> None:
        errors = {}
        # A required relation: reading an unset one raises, so its id is tested first.
        if self.organisation_id and self.organisation.municipality_id != self.municipality_id:
            errors["organisation"] = _("Organisationen hör till en annan kommun.")
        if self.area is not None and self.area.municipality_id != self.municipality_id:
            errors["area"] = _("Området ligger i en annan kommun.")
        if self.place is not None and self.place.municipality_id != self.municipality_id:
            errors["place"] = _("Platsen ligger i en annan kommun.")
        if errors:
            raise ValidationError(errors)
