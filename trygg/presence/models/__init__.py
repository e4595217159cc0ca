from trygg.presence.models.group import GroupKind, PresenceGroup
from trygg.presence.models.shift import Shift, ShiftSeries, ShiftState

__all__ = ["GroupKind", "PresenceGroup", "Shift", "ShiftSeries", "ShiftState"]
