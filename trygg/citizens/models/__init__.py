from trygg.citizens.models.desk import Centre, CentreOrganisation, DeskCase, DeskTopic
from trygg.citizens.models.dialogues import (
    QUOTE_MAX_LENGTH,
    Dialogue,
    DialogueMention,
    DialogueOrganisation,
    DialogueQuote,
    Theme,
)
from trygg.citizens.models.moderators import ReportModerator
from trygg.citizens.models.reports import (
    Channel,
    CitizenReport,
    Moderation,
    Open311Client,
    Outcome,
    ReportPhoto,
    StatusContact,
    StatusNotice,
)

__all__ = [
    "QUOTE_MAX_LENGTH",
    "Centre",
    "CentreOrganisation",
    "Channel",
    "CitizenReport",
    "DeskCase",
    "DeskTopic",
    "Dialogue",
    "DialogueMention",
    "DialogueOrganisation",
    "DialogueQuote",
    "Moderation",
    "Open311Client",
    "Outcome",
    "ReportModerator",
    "ReportPhoto",
    "StatusContact",
    "StatusNotice",
    "Theme",
]
