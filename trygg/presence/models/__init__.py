from trygg.presence.models.group import GroupKind, PresenceGroup
from trygg.presence.models.premises import (
    Inspection,
    InspectionKind,
    InspectionPlan,
    Licence,
    Premise,
)
from trygg.presence.models.shift import Shift, ShiftSeries, ShiftState

__all__ = [
    "GroupKind",
    "Inspection",
    "InspectionKind",
    "InspectionPlan",
    "Licence",
    "Premise",
    "PresenceGroup",
    "Shift",
    "ShiftSeries",
    "ShiftState",
]
