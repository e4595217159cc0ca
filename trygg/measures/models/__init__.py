"""The measures app's tables, one module per subject (DESIGN §7: split before 500 lines)."""

from trygg.measures.models.measure import (
    PHYSICAL_KINDS,
    Measure,
    MeasureEntry,
    MeasureEvent,
    MeasureQuerySet,
    Status,
)
from trygg.measures.models.measure import Kind as MeasureKind
from trygg.measures.models.meeting import Decision, Meeting, MeetingOrganisation, MeetingPriority
from trygg.measures.models.notification import Notification
from trygg.measures.models.plan import ActionPlan, PlanGoal, PlanProblem
from trygg.measures.models.rule import ResponsibilityRule

__all__ = [
    "PHYSICAL_KINDS",
    "ActionPlan",
    "Decision",
    "Measure",
    "MeasureEntry",
    "MeasureEvent",
    "MeasureKind",
    "MeasureQuerySet",
    "Meeting",
    "MeetingOrganisation",
    "MeetingPriority",
    "Notification",
    "PlanGoal",
    "PlanProblem",
    "ResponsibilityRule",
    "Status",
]
