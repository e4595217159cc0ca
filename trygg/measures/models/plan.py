"""The åtgärdsplan (lag 2023:196): goals for a period, the problems the lägesbild showed, and
the measures under each problem."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from trygg.core.fields import ScrubbedCharField, ScrubbedTextField
from trygg.places.municipality_column import CarriesMunicipality, StaysInItsMunicipality


class ActionPlan(StaysInItsMunicipality):
    class Status(models.TextChoices):
        DRAFT = "draft", _("utkast")
        ADOPTED = "adopted", _("antagen")

    municipality = models.ForeignKey(
        "places.Municipality", on_delete=models.PROTECT, related_name="action_plans"
    )
    title = ScrubbedCharField(_("rubrik"), max_length=160)
    start = models.DateField(_("gäller från"))
    end = models.DateField(_("gäller till och med"))
    annual_report = models.ForeignKey(
        "situation.AnnualReport",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="action_plans",
        verbose_name=_("bygger på lägesbilden"),
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.DRAFT
    )
    adopted_on = models.DateField(_("antagen"), null=True, blank=True)
    adopted_by_body = ScrubbedCharField(_("antagen av"), max_length=120, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("åtgärdsplan")
        verbose_name_plural = _("åtgärdsplaner")
        ordering = ["-start", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("measures:plan", args=[self.pk])


class PlanGoal(CarriesMunicipality):
    municipality_parent = "plan"

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="goals")
    text = ScrubbedTextField(_("mål"))
    indicator = ScrubbedCharField(
        _("hur målet följs upp"),
        max_length=200,
        blank=True,
        help_text=_("T.ex. antal rapporterade skadegörelser i Kronoparken per tertial."),
    )
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("mål")
        verbose_name_plural = _("mål")
        ordering = ["sort_order", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class PlanProblem(CarriesMunicipality):
    """A problem the plan addresses, with what in the lägesbild shows it."""

    municipality_parent = "plan"

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="problems")
    goal = models.ForeignKey(
        PlanGoal,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="problems",
        verbose_name=_("mål"),
    )
    title = ScrubbedCharField(_("problem"), max_length=160)
    evidence = ScrubbedTextField(
        _("vad lägesbilden visar"),
        blank=True,
        help_text=_("Siffror och iakttagelser ur lägesbilden som visar problemet."),
    )
    category = models.ForeignKey(
        "events.Category",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        verbose_name=_("kategori"),
    )
    area = models.ForeignKey(
        "places.Area", null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("område")
    )
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("problem")
        verbose_name_plural = _("problem")
        ordering = ["sort_order", "pk"]

    def __str__(self) -> str:
        return self.title
