from trygg.walks.models.answer import Answer, ProtocolVersion, WalkNotice
from trygg.walks.models.finding import Finding, FindingPhoto, FindingScore, TimeBand, time_band_of
from trygg.walks.models.template import ChecklistItem, ChecklistTemplate
from trygg.walks.models.walk import PARTICIPANT_GROUPS, Invitation, Walk, WalkStop

__all__ = [
    "PARTICIPANT_GROUPS",
    "Answer",
    "ChecklistItem",
    "ChecklistTemplate",
    "Finding",
    "FindingPhoto",
    "FindingScore",
    "Invitation",
    "ProtocolVersion",
    "TimeBand",
    "Walk",
    "WalkNotice",
    "WalkStop",
    "time_band_of",
]
