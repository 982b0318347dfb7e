"""Governance errors (subclasses of the one error tree in `autolease.exceptions`).

AutoleaseError
├── NotFound
│   ├── ModelNotRegistered      no such model version on disk or in the store
│   └── ChangeNotFound          no such change request
├── Conflict
│   └── StageChangeInvalid      the change does not fit the version's stage or is decided
├── Forbidden
│   ├── SelfApprovalRefused     the proposer approving their own change
│   └── NotAnAnalyst            the named person is not an active risk analyst
└── BusinessRuleViolation
    └── ModelIncompatible       the origination facts cannot supply the model's inputs
"""

from __future__ import annotations

from autolease.exceptions import BusinessRuleViolation, Conflict, Forbidden, NotFound


class ModelNotRegistered(NotFound):
    code = "model_not_registered"


class ChangeNotFound(NotFound):
    code = "change_not_found"


class StageChangeInvalid(Conflict):
    code = "stage_change_invalid"


class SelfApprovalRefused(Forbidden):
    code = "self_approval_refused"


class NotAnAnalyst(Forbidden):
    code = "not_an_analyst"


class ModelIncompatible(BusinessRuleViolation):
    code = "model_incompatible"
