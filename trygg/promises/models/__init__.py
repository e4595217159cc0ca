from trygg.promises.models.agreement import (
    STEP_ORDER,
    Agreement,
    AgreementParty,
    FollowUpInterval,
    PartyRole,
    ProcessStep,
    Step,
)
from trygg.promises.models.follow_up import (
    CommitmentState,
    CommitmentStatus,
    FollowUp,
    FollowUpReminder,
)
from trygg.promises.models.links import (
    CommitmentMeasure,
    ProblemArea,
    ProblemCategory,
    PromiseProblem,
)
from trygg.promises.models.problems import Problem
from trygg.promises.models.promise import (
    ENTERED,
    Column,
    Commitment,
    MeasuresOnRemoval,
    Promise,
    PromiseVersion,
    TargetComparison,
    TargetPer,
)

__all__ = [
    "ENTERED",
    "STEP_ORDER",
    "Agreement",
    "AgreementParty",
    "Column",
    "Commitment",
    "CommitmentMeasure",
    "CommitmentState",
    "CommitmentStatus",
    "FollowUp",
    "FollowUpInterval",
    "FollowUpReminder",
    "MeasuresOnRemoval",
    "PartyRole",
    "ProcessStep",
    "Problem",
    "ProblemArea",
    "ProblemCategory",
    "Promise",
    "PromiseProblem",
    "PromiseVersion",
    "Step",
    "TargetComparison",
    "TargetPer",
]
