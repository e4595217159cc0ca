"""The survey report (issue 13, point 7), as a page and a PDF, for the municipality and for one
sub-area: the index and the shares with their intervals and n, the change since the previous
survey with a verdict in words, a map of one item by sub-area, and what the response rate
means for the figures. Staff of the municipality read it, as they read the survey's page."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import get_object_or_404, render
from django.utils.formats import number_format
from django.views.decorators.http import require_GET

from trygg.analysis.survey import Estimate
from trygg.core.pdf import pdf_response
from trygg.surveys import headline, report, report_map
from trygg.surveys.estimates import WHOLE, SurveyFigures, min_answers
from trygg.surveys.files import FileProblems
from trygg.surveys.in_municipality import frame_of, respondents_of
from trygg.surveys.models import FrameArea, Item, Survey
from trygg.surveys.templatetags.survey_figures import index_figure, share_figure
from trygg.surveys.views import _survey_for


@dataclass(frozen=True)
class ItemRow:
    """One item's figures: the place reported on (with the change since the previous survey)
    and, on a sub-area's report, the municipality's beside it."""

    item: Item
    row: report.Row
    whole: report.Row | None = None


@dataclass(frozen=True)
class AreaRow:
    """One sub-area's figure for the mapped item, with its response rate."""

    frame_area: FrameArea
    row: report.Row
    respondents: int
    response_rate: float | None


@require_GET
@login_required
def survey_report(request, pk: int):
    return _render(request, pk, None, as_pdf=False)


@require_GET
@login_required
def survey_report_pdf(request, pk: int):
    return _render(request, pk, None, as_pdf=True)


@require_GET
@login_required
def area_report(request, pk: int, area_pk: int):
    return _render(request, pk, area_pk, as_pdf=False)


@require_GET
@login_required
def area_report_pdf(request, pk: int, area_pk: int):
    return _render(request, pk, area_pk, as_pdf=True)


def _render(request, pk: int, area_pk: int | None, *, as_pdf: bool):
    survey = _survey_for(request, pk)
    frame_area = None
    if area_pk is not None:
        frame_area = get_object_or_404(frame_of(survey).select_related("area"), area_id=area_pk)
    context = report_context(survey, frame_area, request.GET.get("fraga"))
    if as_pdf and "figures" in context:
        return pdf_response(
            request, "surveys/report_pdf.html", context, filename=_filename(survey, frame_area)
        )
    if as_pdf:  # nothing to print: the page says why
        return render(request, "surveys/report.html", context, status=409)
    return render(request, "surveys/report.html", context)


def _filename(survey: Survey, frame_area: FrameArea | None) -> str:
    place = survey.municipality.code
    if frame_area is not None:
        place += f"-{frame_area.area.code or frame_area.area_id}"
    return f"trygghetsmatning-{survey.year}-{place}.pdf"


def report_context(survey: Survey, frame_area: FrameArea | None, chosen_code: str | None) -> dict:
    """Everything the report's page and PDF show, for the municipality or one sub-area."""
    context: dict = {"survey": survey, "frame_area": frame_area, "min_answers": min_answers()}
    try:
        figures, before = report.figures_with_previous(survey)
    except FileProblems as problems:
        return context | {"problems": problems.problems}
    if not figures.respondents:
        return context
    answered = _respondents_by_area(survey)
    key = WHOLE if frame_area is None else frame_area.pk
    rows = _item_rows(figures, before, key, frame_area)
    respondents = figures.respondents if frame_area is None else answered.get(frame_area.pk, 0)
    sampled = (
        sum(fa.sample_size for fa in figures.areas)
        if frame_area is None
        else frame_area.sample_size
    )
    rate = respondents / sampled if sampled else None
    changed, compared = headline.clear_changes([(r.item, r.row) for r in rows])
    chosen = _chosen(figures.items, chosen_code)
    return context | {
        "figures": figures,
        "before": before,
        "index_rows": [r for r in rows if r.item.has_index and r.row.figures.index is not None],
        "share_rows": rows,
        "respondents": respondents,
        "sampled": sampled,
        "response_rate": rate,
        "response_words": headline.response_words(respondents, sampled, rate),
        "changes_words": headline.changes_words(
            len(changed), compared, before.survey.year if before else None
        ),
        "changed": changed,
        "items": figures.items,
        "chosen": chosen,
        "measure": _measure(chosen),
        "area_rows": _area_rows(figures, before, chosen, answered),
        "map": _map(figures, chosen, frame_area),
    }


def _respondents_by_area(survey: Survey) -> dict[int, int]:
    rows = respondents_of(survey).values("frame_area_id").annotate(n=Count("pk"))
    return {row["frame_area_id"]: row["n"] for row in rows}


def _chosen(items: list[Item], code: str | None) -> Item | None:
    """The item on the map: the one asked for, else the first in the index."""
    asked = next((item for item in items if item.code == code), None)
    return asked or next((i for i in items if i.has_index), items[0] if items else None)


def _measure(item: Item | None) -> str:
    return "index" if item is not None and item.has_index else "share"


def _item_rows(
    figures: SurveyFigures,
    before: SurveyFigures | None,
    key: int | None,
    frame_area: FrameArea | None,
) -> list[ItemRow]:
    """Every item's figures for the municipality (key WHOLE) or one sub-area, the latter with
    the municipality's beside it; the change is the same place's since the previous survey."""
    whole = dict(zip(figures.items, report.item_rows(figures, before), strict=True))
    if frame_area is None:
        return [ItemRow(item, whole[item]) for item in figures.items]
    earlier_key = _earlier_key(before, frame_area)
    rows = []
    for item in figures.items:
        now = figures.figures[key][item.code]
        changes = report.changes_since(item, now, before, earlier_key)
        rows.append(ItemRow(item, report.Row(frame_area.area.name, now, *changes), whole[item]))
    return rows


def _earlier_key(before: SurveyFigures | None, frame_area: FrameArea) -> int:
    """The same area's key in the previous survey's figures (-1: it was not in that frame)."""
    if before is None:
        return -1
    return next((fa.pk for fa in before.areas if fa.area_id == frame_area.area_id), -1)


def _area_rows(
    figures: SurveyFigures,
    before: SurveyFigures | None,
    item: Item | None,
    answered: dict[int, int],
) -> list[AreaRow]:
    if item is None:
        return []
    by_name = sorted(figures.areas, key=lambda fa: fa.area.name)
    rows = report.area_rows(figures, item, before)  # in the same order, by name
    return [
        AreaRow(
            fa,
            row,
            answered.get(fa.pk, 0),
            answered.get(fa.pk, 0) / fa.sample_size if fa.sample_size else None,
        )
        for fa, row in zip(by_name, rows, strict=True)
    ]


def _map(figures: SurveyFigures, item: Item | None, frame_area: FrameArea | None):
    if item is None:
        return None
    measure = _measure(item)

    def figure_of(fa: FrameArea) -> Estimate | None:
        figures_of_item = figures.figures[fa.pk][item.code]
        return figures_of_item.index if measure == "index" else figures_of_item.share

    return report_map.survey_map(
        [(fa.area_id, fa.area.name, fa.area.geometry, figure_of(fa)) for fa in figures.areas],
        measure,
        label_of=lambda estimate: _map_label(estimate, measure),
        title_of=index_figure if measure == "index" else share_figure,
        highlight=frame_area.area_id if frame_area is not None else None,
    )


def _map_label(estimate: Estimate | None, measure: str) -> str:
    if estimate is None or estimate.too_few or estimate.value is None:
        return "–"
    if measure == "index":
        return number_format(estimate.value, 1)
    return f"{number_format(100 * estimate.value, 0)} %"
