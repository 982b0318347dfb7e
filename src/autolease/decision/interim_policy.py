"""TEMPORARY origination policy, until the decision-engine issue brings versioned JDM policies.

Rule: approve when no stage reported a refer- or decline-severity reason; otherwise refer to a
reviewer (even findings that a real policy would decline, so a person sees them). It is
recorded on every decision under the key below with the hash of this rule's definition.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from autolease.origination.pipeline import DecisionContext, Outcome, PolicyRef, Severity

DEFINITION = {
    "key": "interim/approve-valid",
    "version": "1",
    "rule": "approve if no reason has severity refer or decline, else refer",
}
POLICY = PolicyRef(
    key=str(DEFINITION["key"]),
    version=str(DEFINITION["version"]),
    content_hash=hashlib.sha256(json.dumps(DEFINITION, sort_keys=True).encode()).hexdigest(),
)


@dataclass(frozen=True)
class InterimPolicyStage:
    name: str = "policy"

    def run(self, ctx: DecisionContext) -> str:
        ctx.policy = POLICY
        ctx.outcome = Outcome.APPROVE if ctx.worst_severity() == Severity.INFO else Outcome.REFER
        return f"temporary policy {POLICY.key}@{POLICY.version}"
