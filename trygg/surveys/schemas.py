"""The shapes of the surveys in the API: the questionnaires with their items and answer options,
a survey with its frame (sub-areas, sample sizes, population per cell, respondents and response
rate per sub-area), its estimates and their change since the previous survey.

What no shape holds: a respondent. Everything is a count or a weighted figure; the answers of
one person never leave the database.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema

from trygg.analysis.survey import Change, Estimate
from trygg.measures.schemas import NamedRef
from trygg.surveys.models import Item, Questionnaire, Survey

# --- questionnaires ----------------------------------------------------------------------------


class OptionOut(Schema):
    code: str = Field(..., description="Svarets kod i svarsfilen.")
    label: str
    index: float | None = Field(None, description="Värdet i index 0–6; null: räknas inte.")
    share: bool | None = Field(
        None, description="Räknas till andelen (true), inte (false), eller inte alls (null)."
    )


class ItemOut(Schema):
    code: str = Field(..., description="Kolumnen i svarsfilen.")
    kind: str
    kind_label: str
    text: str
    label: str
    share_label: str = Field(..., description="Vad andelen avser.")
    has_index: bool = Field(..., description="Ingår i index 0–6.")
    category_codes: list[str] = Field(
        ..., description="Händelsekategorier frågan jämförs med (en kod tar med underkategorierna)."
    )
    options: list[OptionOut]


class QuestionnaireRef(Schema):
    id: int
    code: str
    version: int
    name: str


class QuestionnaireOut(QuestionnaireRef):
    description: str
    items: list[ItemOut]


# --- surveys -----------------------------------------------------------------------------------


class MunicipalityRef(Schema):
    code: str
    name: str


class SurveyFilters(Schema):
    municipality: str | None = Field(None, description="Kommunkod, t.ex. 1780.")
    year: int | None = Field(None, ge=1900, le=9999)


class SurveyOut(Schema):
    id: int
    municipality: MunicipalityRef
    year: int
    name: str
    questionnaire: QuestionnaireRef
    age_groups: list[str]
    fielded_from: dt.date | None
    fielded_to: dt.date | None


class SurveyListOut(Schema):
    count: int
    items: list[SurveyOut]


class CellOut(Schema):
    sex: str = Field(..., description="kvinna eller man.")
    age_group: str
    people: int = Field(..., description="Invånare i cellen (efterstratifieringens mål).")


class FrameAreaOut(Schema):
    area: NamedRef
    code: str = Field(..., description="Områdets kod (t.ex. RegSO).")
    sample_size: int = Field(..., description="Antal i urvalet.")
    population: int = Field(..., description="Invånare i alla celler.")
    cells: list[CellOut]
    respondents: int
    response_rate: float | None = Field(None, description="Svarande / urval; null utan urval.")


class SurveyDetailOut(SurveyOut):
    notes: str
    questionnaire_items: list[ItemOut]
    frame: list[FrameAreaOut]
    sampled: int
    respondents: int
    response_rate: float | None


# --- estimates ---------------------------------------------------------------------------------


class EstimateOut(Schema):
    value: float | None = Field(None, description="null vid för få svar.")
    low: float | None = Field(None, description="95 %-intervallets nedre gräns.")
    high: float | None
    se: float | None = Field(None, description="Medelfel (Taylorlinjärisering).")
    n: int = Field(..., description="Antal som svarat på frågan.")
    too_few: bool = Field(..., description="Färre svar än gränsen: ingen siffra.")
    df: int = Field(..., description="Intervallets frihetsgrader.")


class FigureOut(Schema):
    area: NamedRef | None = Field(None, description="Delområdet; null: hela kommunen.")
    item: str = Field(..., description="Frågans kod.")
    index: EstimateOut | None = Field(None, description="Index 0–6; null utanför indexet.")
    share: EstimateOut = Field(..., description="Andelen (0–1), se frågans share_label.")


class EstimatesOut(Schema):
    survey: int
    min_answers: int = Field(..., description="Färre svar än så ger ”för få svar”.")
    respondents: int
    response_rate: float | None
    figures: list[FigureOut]


class ChangeOut(Schema):
    difference: float | None = Field(None, description="Senare minus tidigare.")
    se: float | None
    low: float | None
    high: float | None
    within_noise: bool | None = Field(
        None, description="Intervallet rymmer 0: ingen säker förändring. null: siffra saknas."
    )
    verdict: str = Field(..., description="Förändringen i ord.")


class ChangeRowOut(Schema):
    area: NamedRef | None = Field(None, description="Delområdet; null: hela kommunen.")
    item: str
    measure: str = Field(..., description="index eller share.")
    earlier: EstimateOut
    later: EstimateOut
    change: ChangeOut


class SurveyRef(Schema):
    id: int
    year: int
    name: str


class ChangesOut(Schema):
    survey: SurveyRef
    previous: SurveyRef | None = Field(None, description="null: ingen tidigare mätning.")
    problems: list[str] = Field(
        ..., description="Varför den tidigare mätningen inte kan skattas (då inga rader)."
    )
    rows: list[ChangeRowOut]


# --- to plain data -----------------------------------------------------------------------------


def item_item(item: Item) -> dict[str, Any]:
    return {
        "code": item.code,
        "kind": item.kind,
        "kind_label": item.get_kind_display(),
        "text": item.text,
        "label": item.label,
        "share_label": item.share_label,
        "has_index": item.has_index,
        "category_codes": list(item.category_codes),
        "options": [
            {
                "code": o["code"],
                "label": o.get("label", ""),
                "index": o.get("index"),
                "share": o.get("share"),
            }
            for o in item.options
        ],
    }


def questionnaire_ref(questionnaire: Questionnaire) -> dict[str, Any]:
    return {
        "id": questionnaire.pk,
        "code": questionnaire.code,
        "version": questionnaire.version,
        "name": questionnaire.name,
    }


def questionnaire_item(questionnaire: Questionnaire) -> dict[str, Any]:
    return questionnaire_ref(questionnaire) | {
        "description": questionnaire.description,
        "items": [item_item(item) for item in questionnaire.items.all()],
    }


def survey_item(survey: Survey) -> dict[str, Any]:
    return {
        "id": survey.pk,
        "municipality": {"code": survey.municipality.code, "name": survey.municipality.name},
        "year": survey.year,
        "name": survey.name,
        "questionnaire": questionnaire_ref(survey.questionnaire),
        "age_groups": list(survey.age_groups),
        "fielded_from": survey.fielded_from,
        "fielded_to": survey.fielded_to,
    }


def survey_ref(survey: Survey) -> dict[str, Any]:
    return {"id": survey.pk, "year": survey.year, "name": survey.name}


def estimate_item(estimate: Estimate) -> dict[str, Any]:
    return {
        "value": estimate.value,
        "low": estimate.low,
        "high": estimate.high,
        "se": estimate.se,
        "n": estimate.n,
        "too_few": estimate.too_few,
        "df": estimate.df,
    }


def change_item(result: Change, verdict: str) -> dict[str, Any]:
    return {
        "difference": result.difference,
        "se": result.se,
        "low": result.low,
        "high": result.high,
        "within_noise": result.within_noise,
        "verdict": verdict,
    }
