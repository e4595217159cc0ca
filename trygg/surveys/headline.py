"""A survey's figures in words and as kept data (issue 13, points 6 and 7): what the response
rate means for the figures, which changes since the previous survey are larger than the noise,
and the headline the annual lägesbild keeps — every index item's index and the share feeling
unsafe, for the municipality, with the change since the previous survey.

The annual lägesbild is a lower layer; it receives the headline through the section this app
registers from its AppConfig.ready (situation/annual_sections.py). What it keeps must be plain
JSON, so the figures are stored as numbers and as the Swedish text the document shows."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict

from django.db.models import Exists, OuterRef
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trygg.analysis.survey import Change, Estimate
from trygg.surveys import report
from trygg.surveys.estimates import SurveyFigures, min_answers
from trygg.surveys.files import FileProblems
from trygg.surveys.models import Item, ItemKind, Respondent, Survey
from trygg.surveys.templatetags.survey_figures import (
    index_change,
    index_figure,
    percent,
    share_change,
    share_figure,
)

# The police's local surveys get 50–65 % (issue 13); below half, who answered matters more.
LOW_RESPONSE_RATE = 0.5

ANNUAL_HEADING = gettext_lazy("Trygghetsmätningen")


# --- words ---------------------------------------------------------------------------------


def response_words(respondents: int, sampled: int, rate: float | None) -> list[str]:
    """What the response rate means for the figures, in plain Swedish, one sentence a line."""
    if rate is None:
        lines = [
            _("%(n)s har svarat. Urvalets storlek är inte inlagd, så svarsfrekvensen är okänd.")
            % {"n": respondents}
        ]
    else:
        lines = [
            _("%(n)s av %(sampled)s tillfrågade svarade, en svarsfrekvens på %(rate)s.")
            % {"n": respondents, "sampled": sampled, "rate": percent(rate)}
        ]
    lines.append(
        _(
            "Svaren är vägda så att kvinnor och män i varje åldersgrupp väger som i befolkningen "
            "i varje delområde. Vikterna rättar bara för kön och ålder: om de som inte svarade "
            "skiljer sig från dem som svarade på andra sätt, till exempel i hur otrygga de "
            "känner sig, kan siffrorna luta åt ett håll som intervallen inte visar."
        )
    )
    if rate is not None and rate < LOW_RESPONSE_RATE:
        lines.append(
            _(
                "Svarsfrekvensen är låg, under hälften. Ju färre som svarar, desto större kan "
                "den skillnaden vara, så läs siffrorna som ungefärliga och jämför helst med samma "
                "mätning andra år, där samma skevhet ofta finns."
            )
        )
    return lines


def changes_words(changed: int, compared: int, year: int | None) -> str:
    """One sentence on the changes since the survey of `year`: how many of the `compared`
    figures changed by more than the noise (`changed`); the list says which."""
    if year is None:
        return _("Det finns ingen tidigare mätning att jämföra med.")
    if not compared:
        return _(
            "Mätningen %(year)s kan inte jämföras med den här: frågorna räknas inte på samma sätt "
            "eller har för få svar."
        ) % {"year": year}
    if not changed:
        return _(
            "Ingen av de %(n)s jämförda siffrorna har förändrats mer än osäkerheten sedan "
            "%(year)s: skillnaderna ligger inom bruset."
        ) % {"n": compared, "year": year}
    if changed == compared:
        return _(
            "Sedan %(year)s har alla %(n)s jämförda siffror förändrats mer än osäkerheten:"
        ) % {"year": year, "n": compared}
    return _(
        "Sedan %(year)s har %(k)s av %(n)s jämförda siffror förändrats mer än osäkerheten; "
        "övriga skillnader ligger inom bruset. De som har förändrats:"
    ) % {"year": year, "k": changed, "n": compared}


def clear_changes(rows: list[tuple[Item, report.Row]]) -> tuple[list[str], int]:
    """The changes outside the noise among `rows` (index for index items, share for the rest)
    in words ("Nedskräpning: +0,24 högre"), and how many figures could be compared at all."""
    changed: list[str] = []
    compared = 0
    for item, row in rows:
        shown = row.index_change if item.has_index else row.share_change
        words = index_change if item.has_index else share_change
        if shown is None or shown.difference is None:
            continue
        compared += 1
        if not shown.within_noise:
            label = item.label if item.has_index else f"{item.label} ({_('andel')})"
            changed.append(f"{label}: {words(shown)}")
    return changed, compared


# --- the annual lägesbild's section ----------------------------------------------------------


def latest_survey(municipality, year: int) -> Survey | None:
    """The municipality's latest survey with answers fielded up to `year`."""
    # EXISTS rather than a join: the join made every respondent a row for DISTINCT to fold.
    # The municipality named in it too, so that sharded (Citus) the query goes to one shard.
    answered = Respondent.objects.filter(municipality=municipality, survey=OuterRef("pk"))
    return (
        Survey.objects.filter(municipality=municipality, year__lte=year)
        .filter(Exists(answered))
        .select_related("municipality", "questionnaire")
        .order_by("-year", "-pk")
        .first()
    )


def annual_headline(municipality, year: int, last_day: dt.date) -> dict | None:
    """The annual report's survey section as JSON-ready data, or None without a survey that
    can be estimated. `last_day` is the report's last counted day (unused: a survey belongs to
    its year, and the latest up to the report's year is the one in force)."""
    survey = latest_survey(municipality, year)
    if survey is None:
        return None
    try:
        figures, before = report.figures_with_previous(survey)
    except FileProblems:
        return None
    # Kept in the version as it went to the board, in Swedish like the rest of the document.
    with translation.override("sv"):
        return _headline(figures, before)


def _headline(figures: SurveyFigures, before: SurveyFigures | None) -> dict:
    survey = figures.survey
    rows = list(zip(figures.items, report.item_rows(figures, before), strict=True))
    index_rows = [
        {
            "label": item.label,
            "index": _figure(row.figures.index, index_figure),
            "change": _change(row.index_change, index_change),
        }
        for item, row in rows
        if item.has_index and row.figures.index is not None
    ]
    unsafe_rows = [
        {
            "label": item.label,
            "share_label": item.share_label,
            "share": _figure(row.figures.share, share_figure),
            "change": _change(row.share_change, share_change),
        }
        for item, row in rows
        if item.kind == ItemKind.UNSAFE
    ]
    headline_rows = [(i, r) for i, r in rows if i.has_index or i.kind == ItemKind.UNSAFE]
    changed, compared = clear_changes(headline_rows)
    before_year = before.survey.year if before else None
    sampled = sum(area.sample_size for area in figures.areas)
    return {
        "survey": {"id": survey.pk, "name": survey.name, "year": survey.year},
        "previous_year": before_year,
        "respondents": figures.respondents,
        "sampled": sampled,
        "response_rate": figures.response_rate,
        "response_words": response_words(figures.respondents, sampled, figures.response_rate),
        "changes_words": changes_words(len(changed), compared, before_year),
        "changed": changed,
        "min_answers": min_answers(),
        "index_rows": index_rows,
        "unsafe_rows": unsafe_rows,
    }


def _figure(estimate: Estimate | None, words) -> dict | None:
    if estimate is None:
        return None
    return asdict(estimate) | {"text": words(estimate)}


def _change(result: Change | None, words) -> dict | None:
    if result is None or result.difference is None:
        return None
    return asdict(result) | {"text": words(result)}
