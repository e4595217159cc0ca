from trygg.presence.models.group import GroupKind, PresenceGroup
from trygg.presence.models.guard import GuardArea
from trygg.presence.models.links import (
    GuardAreaArea,
    InspectionEvent,
    InspectionMeasure,
    InspectionOrganisation,
)
from trygg.presence.models.premises import (
    Inspection,
    InspectionKind,
    InspectionPlan,
    Licence,
    Premise,
)
from trygg.presence.models.report import (
    AGE_BANDS,
    INTERVENTIONS,
    ShiftObservation,
    ShiftReport,
)
from trygg.presence.models.shift import Shift, ShiftSeries, ShiftState

__all__ = [
    "AGE_BANDS",
    "INTERVENTIONS",
    "GroupKind",
    "GuardArea",
    "GuardAreaArea",
    "Inspection",
    "InspectionEvent",
    "InspectionKind",
    "InspectionMeasure",
    "InspectionOrganisation",
    "InspectionPlan",
    "Licence",
    "Premise",
    "PresenceGroup",
    "Shift",
    "ShiftObservation",
    "ShiftReport",
    "ShiftSeries",
    "ShiftState",
]
