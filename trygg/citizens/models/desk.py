"""The Trygghetscenter desk (issue 12, point 6): the municipality, the rescue service, the
police and Brottsofferjouren sit together, and residents come by. Staff note what a resident
came about — topic, place or area, which partner takes it on — and never who the resident is:
there is no field for a name, an address, an age or a phone number, and the short note is
scrubbed like every free text. The partner finds the case in its own list and closes it with a
note, as it does with a measure."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from trygg.core.fields import ScrubbedCharField, ScrubbedTextField
from trygg.places.municipality_column import CarriesMunicipality, StaysInItsMunicipality


class Centre(StaysInItsMunicipality):
    """A Trygghetscenter: one desk of a municipality and the organisations that staff it.
    Members of those organisations record cases here."""

    municipality = models.ForeignKey(
        "places.Municipality", on_delete=models.PROTECT, related_name="+", verbose_name=_("kommun")
    )
    name = ScrubbedCharField(_("namn"), max_length=120, default="Trygghetscenter")
    organisations = models.ManyToManyField(
        "organisations.Organisation",
        through="citizens.CentreOrganisation",
        related_name="centres",
        verbose_name=_("organisationer på plats"),
    )
    is_active = models.BooleanField(_("öppet"), default=True)

    class Meta:
        verbose_name = _("trygghetscenter")
        verbose_name_plural = _("trygghetscenter")
        ordering = ["municipality__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="citizens_centre_name")
        ]

    def __str__(self) -> str:
        return self.name


class CentreOrganisation(CarriesMunicipality):
    """One organisation staffing a centre: the link row carries the centre's municipality, so
    that it lies with the centre when tables are sharded by municipality (decision 0038)."""

    municipality_parent = "centre"

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        # The table Django made for the link before it had a model of its own.
        db_table = "citizens_centre_organisations"
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "organisation"], name="citizens_centre_organisation_once"
            )
        ]


class DeskTopic(models.TextChoices):
    """What residents come about. Broad on purpose: the desk notes the matter, not the story."""

    UNSAFE_PLACE = "unsafe_place", _("otrygg plats eller miljö")
    VANDALISM = "vandalism", _("skadegörelse eller klotter")
    DISORDER = "disorder", _("stök och ordningsstörning")
    DRUGS = "drugs", _("narkotika eller alkohol")
    TRAFFIC = "traffic", _("trafik och buskörning")
    VICTIM_SUPPORT = "victim_support", _("stöd efter brott")
    FIRE_SAFETY = "fire_safety", _("brand och säkerhet i hemmet")
    NEIGHBOURHOOD = "neighbourhood", _("grannsamverkan och engagemang")
    OTHER = "other", _("annat")


class DeskCase(StaysInItsMunicipality):
    class State(models.TextChoices):
        OPEN = "open", _("öppet")
        CLOSED = "closed", _("avslutat")

    centre = models.ForeignKey(
        Centre, on_delete=models.PROTECT, related_name="cases", verbose_name=_("trygghetscenter")
    )
    # Denormalised from the centre so lists and statistics filter by municipality directly.
    municipality = models.ForeignKey(
        "places.Municipality", on_delete=models.PROTECT, related_name="+"
    )
    visited_on = models.DateField(_("besöksdag"))
    topic = models.CharField(_("ämne"), max_length=16, choices=DeskTopic.choices)
    # Where it is about: a named place, an area, or both (a place lies in an area); at least one.
    place = models.ForeignKey(
        "places.Place",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("plats"),
    )
    area = models.ForeignKey(
        "places.Area",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("område"),
    )
    # What the matter is, in a few words; never who came.
    note = ScrubbedTextField(_("vad det gäller"), blank=True)
    # The partner that takes it on; empty when it was settled at the desk.
    taken_by = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="desk_cases",
        verbose_name=_("tas om hand av"),
    )
    # The partner that last sent the case back to the desk ("not ours") and why; the case is
    # then open without a partner until the desk sends it on or settles it. Earlier returns
    # are in the case's history (the audit rows), not here.
    returned_by = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("skickat tillbaka av"),
    )
    return_reason = ScrubbedTextField(_("skäl att skicka tillbaka"), blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)
    state = models.CharField(_("läge"), max_length=8, choices=State.choices, default=State.OPEN)
    closing_note = ScrubbedTextField(_("avslutande anteckning"), blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_by_organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ärende vid trygghetscentret")
        verbose_name_plural = _("ärenden vid trygghetscentret")
        ordering = ["-visited_on", "-pk"]
        indexes = [
            # The partner's own list: its open cases.
            models.Index(fields=["taken_by", "state"]),
            # Monthly statistics of a centre.
            models.Index(fields=["centre", "visited_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(place__isnull=False) | models.Q(area__isnull=False),
                name="citizens_desk_case_where",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_topic_display()} ({self.visited_on:%Y-%m-%d})"
