"""Records an organisation owns and shows to others by its own choice (DESIGN §5).

Events, walk findings, citizen reports, shift reports and promises all follow one rule, so it
lives here once:

* public: everyone, without an account;
* partners: members of any organisation working in the record's municipality;
* own organisation: the owning organisation's members only. Police data marked internal is a
  police organisation's own-organisation record, so it never leaves the police;
* an organisation always sees what it owns, wherever that is; superusers see everything.

A model gets the columns from `OwnedWithVisibility` and the query from `VisibleQuerySet`
(`objects = VisibleQuerySet.as_manager()`, or a subclass with its own methods). The set of
organisations and municipalities a user belongs to comes from `organisations.access`, the one
place that reads memberships.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from trygg.organisations.access import Access, access_for
from trygg.places.municipality_column import StaysInItsMunicipality

__all__ = ["OwnedWithVisibility", "Visibility", "VisibleQuerySet", "visible_rule"]


class Visibility(models.TextChoices):
    PUBLIC = "public", _("offentlig")
    PARTNERS = "partners", _("samverkanspartner")
    ORGANISATION = "organisation", _("egen organisation")


class VisibleQuerySet(models.QuerySet):
    """`visible_to(user)` for any model with `organisation`, `municipality` and `visibility`."""

    def visible_to(self, user):
        """Rows this user may see: public ones, partner-wide ones in the municipalities where
        the user's organisations work, and their own organisations' own ones."""
        access = access_for(user)
        if access.is_superuser:
            return self
        return self.filter(visible_rule(access))

    def public(self):
        return self.filter(visibility=Visibility.PUBLIC)


def visible_rule(access: Access, through: str = "") -> Q:
    """The rule of `visible_to` for a user who is no superuser, on the rows themselves or on
    the rows a query reaches through the relation `through` ("event__" for a citizen report's
    event): then it is a condition on the joined row, where `event__in=<visible events>`
    would be a subquery over every event the user may see."""
    rule = Q(**{f"{through}visibility": Visibility.PUBLIC})
    if access.municipality_ids:
        rule |= Q(
            **{
                f"{through}visibility": Visibility.PARTNERS,
                f"{through}municipality_id__in": access.municipality_ids,
            }
        )
    if access.organisation_ids:
        # An organisation always sees what it owns itself, wherever it was.
        rule |= Q(**{f"{through}organisation_id__in": access.organisation_ids})
    return rule


class OwnedWithVisibility(StaysInItsMunicipality):
    """An organisation's record, in a municipality, with the visibility its owner chose.

    A concrete model may redeclare a column to keep its own schema (Event keeps its
    `related_name="events"` and a municipality without a single-column index)."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="%(app_label)s_%(class)s_set",
        verbose_name=_("organisation"),
    )
    municipality = models.ForeignKey(
        "places.Municipality", on_delete=models.PROTECT, related_name="+", verbose_name=_("kommun")
    )
    visibility = models.CharField(
        _("synlighet"), max_length=12, choices=Visibility.choices, default=Visibility.PARTNERS
    )

    objects = VisibleQuerySet.as_manager()

    class Meta:
        abstract = True

    def is_visible_to(self, user) -> bool:
        """The same rule as `VisibleQuerySet.visible_to`, for one object already loaded."""
        access = access_for(user)
        return (
            access.is_superuser
            or self.visibility == Visibility.PUBLIC
            or self.organisation_id in access.organisation_ids
            or (
                self.visibility == Visibility.PARTNERS
                and self.municipality_id in access.municipality_ids
            )
        )
