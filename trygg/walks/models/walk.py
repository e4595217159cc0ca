"""A trygghetsvandring: planned at a förmöte, walked, answered at an uppföljningsmöte.

Participants are counts by group, never names (DESIGN §5): the users of the system are the
only people it knows."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from trygg.core.fields import ScrubbedCharField, ScrubbedTextField
from trygg.places.municipality_column import CarriesMunicipality, StaysInItsMunicipality

# The method's three meetings lie 2–3 weeks apart (Boverket, Brå): the planning form suggests
# the walk and the follow-up this far after the förmöte.
SUGGESTED_GAP = dt.timedelta(weeks=2)

# The groups participants are counted in; (column, label). Women/men cut across the others.
PARTICIPANT_GROUPS = (
    ("participants_residents", _("boende")),
    ("participants_young", _("unga")),
    ("participants_older", _("äldre")),
    ("participants_disability", _("personer med funktionsnedsättning")),
    ("participants_women", _("kvinnor")),
    ("participants_men", _("män")),
    ("participants_staff", _("personal från organisationer")),
)


class WalkQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Walks are the partners' shared work: anyone with a membership in the municipality,
        and the organisations invited to one elsewhere (they answer its findings)."""
        from trygg.organisations.access import access_for

        access = access_for(user)
        if access.is_superuser:
            return self
        if not access.is_authenticated:
            return self.none()
        # The invitations are read in a query of their own (one table) rather than joined:
        # sharded by municipality (Citus), an outer join from the walk to its invitations
        # across municipalities is refused. Naming the municipalities of the invited walks too
        # keeps the walks' query to the shards of those municipalities.
        invited = Invitation.objects.filter(organisation_id__in=access.organisation_ids)
        invited_walks = set(invited.order_by().values_list("municipality_id", "walk_id"))
        municipality_ids = set(access.municipality_ids) | {m for m, _ in invited_walks}
        return self.filter(municipality_id__in=municipality_ids).filter(
            models.Q(municipality_id__in=access.municipality_ids)
            | models.Q(pk__in={walk_id for _, walk_id in invited_walks})
        )

    def published(self):
        return self.filter(published_at__isnull=False)


class Walk(StaysInItsMunicipality):
    class Light(models.TextChoices):
        DAY = "day", _("dagsljus")
        DARK = "dark", _("mörker")

    class Status(models.TextChoices):
        PLANNED = "planned", _("planerad")
        WALKED = "walked", _("genomförd")
        PROTOCOL_SENT = "protocol_sent", _("protokoll skickat")
        FOLLOWED_UP = "followed_up", _("uppföljd")

    municipality = models.ForeignKey(
        "places.Municipality", on_delete=models.PROTECT, related_name="+", verbose_name=_("kommun")
    )
    # The organisation that holds the walk (usually the municipality's coordinator).
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("arrangör"),
    )
    title = ScrubbedCharField(_("namn"), max_length=160)
    purpose = ScrubbedTextField(_("syfte"), blank=True)
    area = models.ForeignKey(
        "places.Area",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("område"),
    )
    light = models.CharField(_("ljus"), max_length=4, choices=Light.choices, default=Light.DAY)
    template = models.ForeignKey(
        "walks.ChecklistTemplate",
        on_delete=models.PROTECT,
        related_name="walks",
        verbose_name=_("checklista"),
    )
    # The route as drawn: a GeoJSON LineString in WGS84, or None when only stops are given.
    route = models.JSONField(_("rutt"), null=True, blank=True)
    premeeting_at = models.DateTimeField(_("förmöte"), null=True, blank=True)
    walk_at = models.DateTimeField(_("vandring"))
    followup_at = models.DateTimeField(_("uppföljningsmöte"), null=True, blank=True)
    meeting_place = ScrubbedCharField(_("samlingsplats"), max_length=160, blank=True)
    status = models.CharField(
        _("status"), max_length=14, choices=Status.choices, default=Status.PLANNED
    )
    # The earlier walk on the same route that this one is compared with (item 6).
    previous = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="later_walks",
        verbose_name=_("tidigare vandring på samma rutt"),
    )
    participants_residents = models.PositiveSmallIntegerField(_("boende"), null=True, blank=True)
    participants_young = models.PositiveSmallIntegerField(_("unga"), null=True, blank=True)
    participants_older = models.PositiveSmallIntegerField(_("äldre"), null=True, blank=True)
    participants_disability = models.PositiveSmallIntegerField(
        _("personer med funktionsnedsättning"), null=True, blank=True
    )
    participants_women = models.PositiveSmallIntegerField(_("kvinnor"), null=True, blank=True)
    participants_men = models.PositiveSmallIntegerField(_("män"), null=True, blank=True)
    participants_staff = models.PositiveSmallIntegerField(
        _("personal från organisationer"), null=True, blank=True
    )
    published_at = models.DateTimeField(_("publicerad"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = WalkQuerySet.as_manager()

    class Meta:
        verbose_name = _("trygghetsvandring")
        verbose_name_plural = _("trygghetsvandringar")
        ordering = ["-walk_at", "-pk"]
        indexes = [models.Index(fields=["municipality", "walk_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("walks:detail", args=[self.pk])

    def participant_counts(self) -> list[tuple[str, int | None]]:
        """(group label, count) in the order of PARTICIPANT_GROUPS."""
        return [(str(label), getattr(self, column)) for column, label in PARTICIPANT_GROUPS]


class WalkStop(CarriesMunicipality):
    """A numbered stop on the route, where the group halts and scores the spot."""

    municipality_parent = "walk"

    walk = models.ForeignKey(Walk, on_delete=models.CASCADE, related_name="stops")
    order = models.PositiveSmallIntegerField(_("nummer"))
    name = ScrubbedCharField(_("namn"), max_length=160)
    place = models.ForeignKey(
        "places.Place",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("plats"),
    )
    lat = models.FloatField()
    lon = models.FloatField()
    x = models.FloatField(help_text="SWEREF 99 TM easting (m)")
    y = models.FloatField(help_text="SWEREF 99 TM northing (m)")

    class Meta:
        verbose_name = _("stopp")
        verbose_name_plural = _("stopp")
        ordering = ["walk_id", "order"]
        constraints = [
            models.UniqueConstraint(fields=["walk", "order"], name="walks_stop_order_once")
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"


class Invitation(CarriesMunicipality):
    """An organisation asked to walk and to answer for what is found on its ground."""

    municipality_parent = "walk"

    class Reason(models.TextChoices):
        MANAGER = "manager", _("förvaltar en plats längs rutten")
        RULE = "rule", _("ansvarar enligt ansvarsregel")
        ADDED = "added", _("inbjuden av samordnaren")

    walk = models.ForeignKey(Walk, on_delete=models.CASCADE, related_name="invitations")
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="walk_invitations",
        verbose_name=_("organisation"),
    )
    reason = models.CharField(_("skäl"), max_length=8, choices=Reason.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("inbjuden organisation")
        verbose_name_plural = _("inbjudna organisationer")
        ordering = ["walk_id", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["walk", "organisation"], name="walks_invited_once")
        ]

    def __str__(self) -> str:
        return str(self.organisation)
