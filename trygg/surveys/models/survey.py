"""A survey of one municipality in one year (issue 13, point 2): the questionnaire it used, the
sample frame — the sub-areas (delområden) with how many were drawn in each and their population
by sex × age group — and the response files imported into it.

Respondents are anonymous by construction: a respondent is a sub-area, a sex, an age group and
the answers; nothing that could name, number or locate a person is accepted."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from trygg.core.fields import ScrubbedCharField, ScrubbedTextField
from trygg.places.municipality_column import CarriesMunicipality, StaysInItsMunicipality

# The police's local surveys ask residents aged 16–85; SCB's tables come in these bands.
DEFAULT_AGE_GROUPS = ["16-24", "25-44", "45-64", "65-85"]


class Sex(models.TextChoices):
    # SCB's population tables are by legal sex; post-stratification needs the same cells.
    WOMAN = "kvinna", _("kvinna")
    MAN = "man", _("man")


class Survey(StaysInItsMunicipality):
    municipality = models.ForeignKey(
        "places.Municipality", on_delete=models.PROTECT, related_name="+", verbose_name=_("kommun")
    )
    questionnaire = models.ForeignKey(
        "surveys.Questionnaire",
        on_delete=models.PROTECT,
        related_name="surveys",
        verbose_name=_("frågeformulär"),
    )
    year = models.PositiveSmallIntegerField(_("år"))
    name = ScrubbedCharField(_("namn"), max_length=160)
    age_groups = models.JSONField(_("åldersgrupper"), default=list)
    fielded_from = models.DateField(_("utskick"), null=True, blank=True)
    fielded_to = models.DateField(_("sista svarsdag"), null=True, blank=True)
    notes = ScrubbedTextField(_("om undersökningen"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("trygghetsmätning")
        verbose_name_plural = _("trygghetsmätningar")
        ordering = ["municipality__name", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "year", "name"], name="surveys_survey_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.year}"

    @property
    def sampled(self) -> int:
        # The survey's municipality named, so that sharded (Citus) the query goes to one shard.
        frame = self.frame.filter(municipality_id=self.municipality_id)
        return sum(area.sample_size for area in frame)


class FrameArea(CarriesMunicipality):
    """A sub-area of the sample frame and how many residents were drawn there."""

    municipality_parent = "survey"

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="frame")
    area = models.ForeignKey(
        "places.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("delområde")
    )
    sample_size = models.PositiveIntegerField(_("antal i urvalet"))

    class Meta:
        verbose_name = _("delområde i urvalet")
        verbose_name_plural = _("delområden i urvalet")
        ordering = ["survey_id", "area__name"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "area"], name="surveys_frame_area_once")
        ]

    def __str__(self) -> str:
        return f"{self.area}: {self.sample_size}"


class Population(CarriesMunicipality):
    """People living in a sub-area, by sex and age group: the post-stratification's targets."""

    municipality_parent = "frame_area"

    frame_area = models.ForeignKey(FrameArea, on_delete=models.CASCADE, related_name="population")
    sex = models.CharField(_("kön"), max_length=6, choices=Sex.choices)
    age_group = models.CharField(_("åldersgrupp"), max_length=10)
    people = models.PositiveIntegerField(_("antal invånare"))

    class Meta:
        verbose_name = _("befolkning")
        verbose_name_plural = _("befolkning")
        constraints = [
            models.UniqueConstraint(
                fields=["frame_area", "sex", "age_group"], name="surveys_population_cell_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.frame_area.area} {self.sex} {self.age_group}: {self.people}"


class ResponseFile(CarriesMunicipality):
    """One imported response file: its hash makes a repeated import a no-op."""

    municipality_parent = "survey"

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="response_files")
    sha256 = models.CharField(max_length=64)
    name = ScrubbedCharField(_("filnamn"), max_length=200)
    rows = models.PositiveIntegerField(_("svarande"))
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("svarsfil")
        verbose_name_plural = _("svarsfiler")
        constraints = [
            models.UniqueConstraint(fields=["survey", "sha256"], name="surveys_response_file_once")
        ]

    def __str__(self) -> str:
        return self.name


class Respondent(CarriesMunicipality):
    """One anonymous answered questionnaire: where, which sex and age group, the answers (item
    code → option code). Free-text answers, if the questionnaire has them, are scrubbed.

    The response import writes these rows with plain statements (`actions.responses`), not
    through save() or bulk_create: it sets the municipality itself."""

    municipality_parent = "survey"

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="respondents")
    source = models.ForeignKey(ResponseFile, on_delete=models.CASCADE, related_name="respondents")
    frame_area = models.ForeignKey(FrameArea, on_delete=models.PROTECT, related_name="respondents")
    sex = models.CharField(max_length=6, choices=Sex.choices)
    age_group = models.CharField(max_length=10)
    answers = models.JSONField(default=dict)
    comment = ScrubbedTextField(blank=True)

    class Meta:
        verbose_name = _("svarande")
        verbose_name_plural = _("svarande")
        indexes = [models.Index(fields=["survey", "frame_area"])]

    def __str__(self) -> str:
        return f"#{self.pk}"
