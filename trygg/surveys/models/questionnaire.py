"""The questionnaire as data (issue 13, point 1): its items, each with its answer scale, how
each answer counts in the item's 0–6 index and in its headline share, and the event categories
the item is compared with. A questionnaire is versioned per survey year: a survey points at the
version it was fielded with, so changing next year's wording never changes last year's figures.

An answer option is `{"code": "3", "label": "Ganska stort problem", "index": 4, "share": true}`:
`index` is the answer's value on the item's index scale (null: not counted, as "vet ej"),
`share` whether it counts towards the headline share (null: not counted at all). The defaults
and why are in docs/decisions/0020."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from trygg.core.fields import ScrubbedCharField, ScrubbedTextField


class Questionnaire(models.Model):
    code = models.SlugField(_("kod"), max_length=40)
    version = models.PositiveSmallIntegerField(_("version (år)"))
    name = ScrubbedCharField(_("namn"), max_length=160)
    description = ScrubbedTextField(_("beskrivning"), blank=True)

    class Meta:
        verbose_name = _("frågeformulär")
        verbose_name_plural = _("frågeformulär")
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "version"], name="surveys_questionnaire_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.version})"


class ItemKind(models.TextChoices):
    PROBLEM = "problem", _("problem i bostadsområdet")
    UNSAFE = "unsafe", _("otrygghet")
    WORRY = "worry", _("oro för brott")
    VICTIM = "victim", _("utsatt för brott senaste 12 månaderna")
    REPORTED = "reported", _("anmält till polisen")
    POLICE = "police", _("syn på polisen")


class Item(models.Model):
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="items")
    # The column in a response file.
    code = models.SlugField(_("kod"), max_length=40)
    kind = models.CharField(_("slag"), max_length=10, choices=ItemKind.choices)
    text = ScrubbedCharField(_("fråga"), max_length=300)
    # A short label for tables and maps ("Nedskräpning").
    label = ScrubbedCharField(_("kort namn"), max_length=80)
    options = models.JSONField(_("svarsalternativ"))
    # What the headline share says ("andel som ser ett ganska eller mycket stort problem").
    share_label = ScrubbedCharField(_("andelen avser"), max_length=160, blank=True)
    # events.Category codes compared with this item; a code includes its subcategories.
    category_codes = models.JSONField(_("jämförs med händelsekategorier"), default=list, blank=True)
    # Only the items that ask about the area belong to the 0–6 index.
    has_index = models.BooleanField(_("ingår i index 0–6"), default=False)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("fråga")
        verbose_name_plural = _("frågor")
        ordering = ["questionnaire_id", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "code"], name="surveys_item_code")
        ]

    def __str__(self) -> str:
        return self.label

    def clean(self) -> None:
        problems = option_problems(self.options)
        if problems:
            raise ValidationError({"options": problems})

    def option(self, code: str) -> dict | None:
        return next((o for o in self.options if o["code"] == code), None)


INDEX_MIN, INDEX_MAX = 0, 6


def option_problems(options) -> list[str]:
    """What is wrong with an item's answer options, in Swedish; [] when they can be used."""
    if not isinstance(options, list) or not options:
        return [str(_("Frågan behöver minst ett svarsalternativ."))]
    problems: list[str] = []
    codes = [o.get("code") if isinstance(o, dict) else None for o in options]
    if any(not isinstance(code, str) or not code for code in codes):
        problems.append(str(_("Varje svarsalternativ behöver en kod.")))
    if len(set(codes)) != len(codes):
        problems.append(str(_("Två svarsalternativ har samma kod.")))
    for option in (o for o in options if isinstance(o, dict)):
        index = option.get("index")
        if index is not None and (
            not isinstance(index, int | float) or not INDEX_MIN <= index <= INDEX_MAX
        ):
            problems.append(
                str(
                    _("Indexvärdet för %(code)s ska vara mellan 0 och 6.")
                    % {"code": option.get("code")}
                )
            )
        if option.get("share") not in (True, False, None):
            problems.append(
                str(
                    _("Andelen för %(code)s ska vara sant, falskt eller tomt.")
                    % {"code": option.get("code")}
                )
            )
    return problems
