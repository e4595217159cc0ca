"""The samverkansöverenskommelse: who agreed (by role, with the body that adopted it and when),
for which period, how often the promise is followed up, and how far Brå's process has come."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from trygg.core.fields import ScrubbedCharField, ScrubbedTextField
from trygg.places.municipality_column import CarriesMunicipality, StaysInItsMunicipality


class FollowUpInterval(models.TextChoices):
    TERTIAL = "tertial", _("varje tertial")
    HALF_YEAR = "half_year", _("varje halvår")
    YEAR = "year", _("varje år")


class Agreement(StaysInItsMunicipality):
    municipality = models.ForeignKey(
        "places.Municipality", on_delete=models.PROTECT, related_name="agreements"
    )
    title = ScrubbedCharField(_("benämning"), max_length=160)
    start = models.DateField(_("gäller från"))
    end = models.DateField(_("gäller till och med"))
    follow_up_interval = models.CharField(
        _("uppföljning"),
        max_length=10,
        choices=FollowUpInterval.choices,
        default=FollowUpInterval.TERTIAL,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("samverkansöverenskommelse")
        verbose_name_plural = _("samverkansöverenskommelser")
        ordering = ["-start", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("promises:agreement", args=[self.pk])


class PartyRole(models.TextChoices):
    MUNICIPALITY = "municipality", _("kommunen")
    POLICE = "police", _("polisen")
    OTHER = "other", _("annan part")


class AgreementParty(CarriesMunicipality):
    """One signatory, by role: the organisation, the body that adopted the agreement
    (kommunstyrelsen, the local police area's management) and the date it did."""

    municipality_parent = "agreement"

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="parties")
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("roll"), max_length=12, choices=PartyRole.choices)
    adopted_by = ScrubbedCharField(
        _("beslutande organ"),
        max_length=160,
        help_text=_("T.ex. kommunstyrelsen eller lokalpolisområdets ledning. Aldrig en person."),
    )
    decided_on = models.DateField(_("beslutsdatum"))

    class Meta:
        verbose_name = _("part")
        verbose_name_plural = _("parter")
        ordering = ["role", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "organisation"], name="promises_one_party_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()})"


class Step(models.TextChoices):
    """Brå's process, in its order (DOMAIN: five steps, here as the things that get done)."""

    OWN_PICTURES = "own_pictures", _("Egna lägesbilder")
    JOINT_PICTURE = "joint_picture", _("Gemensam lägesbild")
    PRIORITIES = "priorities", _("Prioriterade problem")
    DIALOGUES = "dialogues", _("Medborgardialoger")
    CAUSE_ANALYSIS = "cause_analysis", _("Orsaksanalys")
    GOALS = "goals", _("Mål")
    MEASURES = "measures", _("Åtgärder")
    PROMISE = "promise", _("Medborgarlöfte")
    FOLLOW_UP_PLAN = "follow_up_plan", _("Plan för uppföljning")


STEP_ORDER = [code for code, _label in Step.choices]


class ProcessStep(CarriesMunicipality):
    municipality_parent = "agreement"

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="steps")
    step = models.CharField(_("steg"), max_length=16, choices=Step.choices)
    done_on = models.DateField(_("klart"), null=True, blank=True)
    note = ScrubbedTextField(_("anteckning"), blank=True)

    class Meta:
        verbose_name = _("steg i processen")
        verbose_name_plural = _("steg i processen")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "step"], name="promises_one_row_per_step")
        ]

    def __str__(self) -> str:
        return self.get_step_display()

    @property
    def position(self) -> int:
        return STEP_ORDER.index(self.step) + 1
