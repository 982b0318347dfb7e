"""Decision-domain errors (subclasses of the one error tree in `autolease.exceptions`).

AutoleaseError
├── NotFound
│   ├── PolicyNotFound          unknown policy key or version
│   ├── DecisionNotFound        unknown decision id
│   └── DecisionNotReplayable   no stored policy evaluation for a decision
├── Conflict
│   ├── PolicyVersionConflict   a version re-registered with different content
│   └── ReviewNotAllowed        the application is not waiting for a reviewer
└── InputInvalid
    ├── PolicyInvalid           a policy graph or its cases file is malformed
    ├── PolicyCasesFailed       a version's own cases fail, so it cannot be activated
    └── ActivationInvalid       an activation in the past, or a non-analyst activating
"""

from __future__ import annotations

from autolease.exceptions import Conflict, InputInvalid, NotFound


class PolicyNotFound(NotFound):
    code = "policy_not_found"


class DecisionNotReplayable(NotFound):
    code = "decision_not_replayable"


class PolicyVersionConflict(Conflict):
    code = "policy_version_conflict"


class ReviewNotAllowed(Conflict):
    code = "review_not_allowed"


class PolicyInvalid(InputInvalid):
    code = "policy_invalid"


class PolicyCasesFailed(InputInvalid):
    code = "policy_cases_failed"


class DecisionNotFound(NotFound):
    code = "decision_not_found"


class ActivationInvalid(InputInvalid):
    code = "activation_invalid"
