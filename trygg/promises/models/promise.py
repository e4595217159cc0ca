"""The medborgarlöfte: problem areas, a focus and commitments in three columns (police,
together, municipality), each with an owner, a target where one fits and an indicator.

The Commitment rows are the working copy the coordinators edit. What was promised is what a
PromiseVersion keeps: each adoption (the first, then each revision) stores the whole promise
as adopted in `snapshot`, so the public page shows the current version verbatim and every
earlier one stays readable, whatever is edited afterwards. A commitment a revision removes is
kept with the version that removed it, the reason, and what happened to its open measures."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from trygg.core.fields import ScrubbedCharField, ScrubbedTextField
from trygg.places.municipality_column import CarriesMunicipality
from trygg.promises.models.agreement import Agreement
from trygg.promises.models.links import CommitmentMeasure, PromiseProblem
from trygg.promises.models.problems import Problem


class Promise(CarriesMunicipality):
    municipality_parent = "agreement"

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="promises")
    title = ScrubbedCharField(_("rubrik"), max_length=160)
    focus = ScrubbedTextField(
        _("inriktning"),
        blank=True,
        help_text=_(
            "Det arbetet inriktas mot under perioden, t.ex. narkotikarelaterad brottslighet."
        ),
    )
    start = models.DateField(_("gäller från"))
    end = models.DateField(_("gäller till och med"))
    problems = models.ManyToManyField(
        Problem,
        through=PromiseProblem,
        blank=True,
        related_name="promises",
        verbose_name=_("problemområden"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("medborgarlöfte")
        verbose_name_plural = _("medborgarlöften")
        ordering = ["-start", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("promises:promise", args=[self.pk])

    def current_version(self) -> PromiseVersion | None:
        # Names the municipality so that Citus sends it to the promise's shard alone.
        return (
            self.versions.filter(municipality_id=self.municipality_id).order_by("-number").first()
        )


class PromiseVersion(CarriesMunicipality):
    """One adopted version: number 1 is the promise as first adopted, each later one a
    revision with what changed."""

    municipality_parent = "promise"

    promise = models.ForeignKey(Promise, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    adopted_on = models.DateField(_("antagen"))
    adopted_by = ScrubbedCharField(_("antagen av"), max_length=160)
    changes = ScrubbedTextField(
        _("vad som ändrades"),
        blank=True,
        help_text=_("Med vanliga ord, för invånarna. Krävs för en revidering."),
    )
    # The promise as adopted: {"title", "focus", "start", "end", "problems": [...],
    # "commitments": [{"id", "column", "text", "owner", "target", "indicator"}...],
    # "removed": [{"id", "text", "reason", "measures"}...]} — read by the public pages.
    snapshot = models.JSONField(default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("version av medborgarlöfte")
        verbose_name_plural = _("versioner av medborgarlöften")
        # By the parent's key, not by the parent, whose own order would join its table for
        # every list of children: a join Citus refuses across shards (decision 0039).
        ordering = ["promise_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["promise", "number"], name="promises_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.promise} v{self.number}"

    @property
    def is_revision(self) -> bool:
        return self.number > 1


class Column(models.TextChoices):
    """The three columns of a medborgarlöfte, in the order it is printed."""

    POLICE = "police", _("Polisen kommer att")
    TOGETHER = "together", _("Polisen och kommunen kommer tillsammans att")
    MUNICIPALITY = "municipality", _("Kommunen kommer att")


class TargetComparison(models.TextChoices):
    AT_LEAST = "at_least", _("minst")
    AT_MOST = "at_most", _("högst")
    FEWER_THAN_BASELINE = "fewer", _("färre än under jämförelseperioden")


class TargetPer(models.TextChoices):
    MONTH = "month", _("per månad")
    TERTIAL = "tertial", _("per tertial")
    YEAR = "year", _("per år")
    PERIOD = "period", _("under löftets period")


class MeasuresOnRemoval(models.TextChoices):
    """What happens to a removed commitment's open measures: said, never left to chance."""

    MOVE = "move", _("flyttas till ett annat åtagande")
    CANCEL = "cancel", _("avbryts")
    RELEASE = "release", _("fortsätter utan koppling till löftet")


# An indicator that is not computed: a value someone enters at follow-up, with its source.
ENTERED = "entered"


class Commitment(CarriesMunicipality):
    municipality_parent = "promise"

    promise = models.ForeignKey(Promise, on_delete=models.CASCADE, related_name="commitments")
    column = models.CharField(_("kolumn"), max_length=12, choices=Column.choices)
    text = ScrubbedTextField(_("åtagande"))
    owner = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("ansvarig organisation"),
    )
    sort_order = models.PositiveSmallIntegerField(default=0)
    # The measurable target, where one fits: "minst 4 per år", "minst 1 per månad".
    target_value = models.DecimalField(
        _("mål (antal)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    target_comparison = models.CharField(
        _("jämförelse"), max_length=8, choices=TargetComparison.choices, blank=True
    )
    target_per = models.CharField(_("per"), max_length=8, choices=TargetPer.choices, blank=True)
    # How it is followed: "" (no indicator), ENTERED, or a kind registered in
    # trygg.measures.indicators (walks held, measures done, events in an area...).
    indicator_kind = models.CharField(_("indikator"), max_length=32, blank=True)
    indicator_category = models.ForeignKey(
        "events.Category",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("indikatorns kategori"),
    )
    indicator_area = models.ForeignKey(
        "places.Area",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("indikatorns område"),
        help_text=_("Tomt betyder hela kommunen."),
    )
    baseline_start = models.DateField(_("jämförelseperiod från"), null=True, blank=True)
    baseline_end = models.DateField(_("jämförelseperiod till och med"), null=True, blank=True)
    indicator_source = ScrubbedCharField(
        _("källa"),
        max_length=200,
        blank=True,
        help_text=_("För en indikator som förs in för hand: var värdet kommer ifrån."),
    )
    measures = models.ManyToManyField(
        "measures.Measure",
        through=CommitmentMeasure,
        blank=True,
        related_name="+",
        verbose_name=_("åtgärder"),
    )
    added_in = models.ForeignKey(
        PromiseVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="added"
    )
    removed_in = models.ForeignKey(
        PromiseVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="removed"
    )
    # Set when a coordinator marks it for removal; the next adoption removes it.
    removal_reason = ScrubbedTextField(_("skäl till att åtagandet tas bort"), blank=True)
    measures_on_removal = models.CharField(
        _("öppna åtgärder"), max_length=8, choices=MeasuresOnRemoval.choices, blank=True
    )
    move_measures_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("åtagande")
        verbose_name_plural = _("åtaganden")
        # By the parent's key, not by the parent, whose own order would join its table for
        # every list of children: a join Citus refuses across shards (decision 0039).
        ordering = ["promise_id", "column", "sort_order", "pk"]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def is_removed(self) -> bool:
        return self.removed_in_id is not None

    @property
    def is_marked_for_removal(self) -> bool:
        return not self.is_removed and bool(self.removal_reason)

    @property
    def has_target(self) -> bool:
        return self.target_value is not None or self.target_comparison == (
            TargetComparison.FEWER_THAN_BASELINE
        )
