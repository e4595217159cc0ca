from trygg.citizens.models.desk import Centre, DeskCase, DeskTopic
from trygg.citizens.models.dialogues import (
    QUOTE_MAX_LENGTH,
    Dialogue,
    DialogueMention,
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
    "Channel",
    "CitizenReport",
    "DeskCase",
    "DeskTopic",
    "Dialogue",
    "DialogueMention",
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
