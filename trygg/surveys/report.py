"""What the survey pages show: the municipality's figure for every item, every sub-area's
figure for one item, and the change since the previous survey (issue 13, points 4, 5 and 7).
Plain data for the templates and the CSV."""

from __future__ import annotations

from dataclasses import dataclass

from trygg.analysis.survey import Change, Estimate, change
from trygg.surveys.estimates import WHOLE, ItemFigures, SurveyFigures, estimate_survey
from trygg.surveys.files import FileProblems
from trygg.surveys.models import Item, Survey


@dataclass(frozen=True)
class Row:
    label: str  # the item's or the sub-area's name
    figures: ItemFigures
    index_change: Change | None  # None: no previous survey to compare with
    share_change: Change | None


def previous_survey(survey: Survey) -> Survey | None:
    """The municipality's latest earlier survey with the same questionnaire (any version:
    items are compared by code, and only where the answers count the same way)."""
    return (
        Survey.objects.filter(
            municipality_id=survey.municipality_id,
            questionnaire__code=survey.questionnaire.code,
            year__lt=survey.year,
        )
        .order_by("-year", "-pk")
        .first()
    )


def comparable(item: Item, earlier: Item | None) -> bool:
    """Two years' items can be compared when their answers count the same (decision 0020)."""
    if earlier is None:
        return False
    counted = [(o["code"], o.get("index"), o.get("share")) for o in item.options]
    return counted == [(o["code"], o.get("index"), o.get("share")) for o in earlier.options]


def changes_since(
    item: Item, now: ItemFigures, before: SurveyFigures | None, key: int | None
) -> tuple[Change | None, Change | None]:
    """(index change, share change) of `item` since `before` for one sub-area's frame-area id
    in `before` (or WHOLE); None where there is nothing comparable."""
    if before is None:
        return None, None
    earlier_item = next((i for i in before.items if i.code == item.code), None)
    earlier = before.figures.get(key, {}).get(item.code)
    if earlier is None or not comparable(item, earlier_item):
        return None, None
    index_change = (
        change(earlier.index, now.index) if now.index is not None and earlier.index else None
    )
    return index_change, change(earlier.share, now.share)


def item_rows(figures: SurveyFigures, before: SurveyFigures | None) -> list[Row]:
    """The municipality's figure for each item, with the change since `before`."""
    rows = []
    for item in figures.items:
        now = figures.figures[WHOLE][item.code]
        rows.append(Row(item.label, now, *changes_since(item, now, before, WHOLE)))
    return rows


def area_rows(figures: SurveyFigures, item: Item, before: SurveyFigures | None) -> list[Row]:
    """Each sub-area's figure for `item`, compared with the same sub-area in `before`."""
    earlier_key = {}
    if before is not None:
        earlier_key = {fa.area_id: fa.pk for fa in before.areas}
    rows = []
    for frame_area in sorted(figures.areas, key=lambda fa: fa.area.name):
        now = figures.figures[frame_area.pk][item.code]
        key = earlier_key.get(frame_area.area_id, -1)
        rows.append(Row(frame_area.area.name, now, *changes_since(item, now, before, key)))
    return rows


def figures_with_previous(survey: Survey) -> tuple[SurveyFigures, SurveyFigures | None]:
    """This survey's figures and the previous survey's, if it has one that can be estimated
    (a previous survey with problems in its frame is left out, not an error here)."""
    figures = estimate_survey(survey)
    earlier = previous_survey(survey)
    if earlier is None:
        return figures, None
    try:
        return figures, estimate_survey(earlier)
    except FileProblems:
        return figures, None


def csv_rows(figures: SurveyFigures) -> list[list[object]]:
    """Every figure of the survey, one line per sub-area (and the municipality) and item."""
    header: list[object] = [
        "delomrade",
        "fraga",
        "matt",
        "varde",
        "lagre",
        "ovre",
        "n",
        "for_fa_svar",
    ]
    lines: list[list[object]] = [header]
    places = [(None, figures.survey.municipality.name)] + [
        (fa.pk, fa.area.name) for fa in sorted(figures.areas, key=lambda fa: fa.area.name)
    ]
    for key, name in places:
        for item in figures.items:
            item_figures = figures.figures[key][item.code]
            for measure, estimate in (("index", item_figures.index), ("andel", item_figures.share)):
                if estimate is not None:
                    lines.append([name, item.code, measure, *_numbers(estimate)])
    return lines


def _numbers(estimate: Estimate) -> list[object]:
    def rounded(value: float | None) -> object:
        return "" if value is None else round(value, 4)

    return [
        rounded(estimate.value),
        rounded(estimate.low),
        rounded(estimate.high),
        estimate.n,
        "ja" if estimate.too_few else "nej",
    ]
