"""Every write of the measures app: one function per verb, in a transaction, with the acting
user, a permission check and an audit row (DESIGN §4). One module per subject."""

from trygg.measures.actions.measures import (
    assign_measure,
    comment_on_measure,
    create_measure,
    link_events,
    set_evaluation_settings,
    set_measure_status,
    update_measure,
)
from trygg.measures.actions.meetings import (
    create_meeting,
    decide,
    set_meeting_priorities,
    update_meeting,
)
from trygg.measures.actions.plans import (
    add_goal,
    add_problem,
    adopt_plan,
    attach_measure_to_problem,
    create_plan,
    delete_goal,
    delete_problem,
    update_goal,
    update_plan,
    update_problem,
)
from trygg.measures.actions.rules import delete_rule, save_rule

__all__ = [
    "assign_measure",
    "comment_on_measure",
    "create_measure",
    "create_meeting",
    "decide",
    "delete_rule",
    "link_events",
    "save_rule",
    "set_evaluation_settings",
    "set_measure_status",
    "set_meeting_priorities",
    "update_meeting",
    "update_measure",
    # the åtgärdsplan (plans.py)
    "add_goal",
    "add_problem",
    "adopt_plan",
    "attach_measure_to_problem",
    "create_plan",
    "delete_goal",
    "delete_problem",
    "update_goal",
    "update_plan",
    "update_problem",
]
