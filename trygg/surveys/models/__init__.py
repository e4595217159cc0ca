from trygg.surveys.models.questionnaire import (
    INDEX_MAX,
    INDEX_MIN,
    Item,
    ItemKind,
    Questionnaire,
    option_problems,
)
from trygg.surveys.models.survey import (
    DEFAULT_AGE_GROUPS,
    FrameArea,
    Population,
    Respondent,
    ResponseFile,
    Sex,
    Survey,
)

__all__ = [
    "DEFAULT_AGE_GROUPS",
    "INDEX_MAX",
    "INDEX_MIN",
    "FrameArea",
    "Item",
    "ItemKind",
    "Population",
    "Questionnaire",
    "Respondent",
    "ResponseFile",
    "Sex",
    "Survey",
    "option_problems",
]
