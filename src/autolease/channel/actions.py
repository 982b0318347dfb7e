"""Actions and alerts for an SP month from the actions policy (`policies/channel/actions.json`;
pure). Its reason codes are the actions (``SP_ACTION_*``: suspend, hold payouts, deposit top-up,
cap volume) and alerts (``SP_ALERT_*``) a channel manager is asked to take up; nothing is
carried out automatically."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from autolease.channel.exceptions import GradePolicyInvalid
from autolease.decision.engine import PolicyEngine, PolicyEvaluationError, PolicyOutputInvalid
from autolease.decision.files import load_one, policy_root
from autolease.decision.jdm import PolicyDocument

POLICY_KEY = "channel/actions"
SUSPEND = "SP_ACTION_SUSPEND"


def load_policy(directory: Path | None = None) -> PolicyDocument:
    return load_one(policy_root(directory), POLICY_KEY).document


def actions_all(
    engine: PolicyEngine, policy: PolicyDocument, inputs: Sequence[dict[str, Any]]
) -> list[tuple[str, ...]]:
    """Each input's action and alert codes, in the policy's order. Inputs carry `grade`."""
    out: list[tuple[str, ...]] = []
    for decided in engine.decide_many(policy, inputs):
        if isinstance(decided, PolicyEvaluationError | PolicyOutputInvalid):
            raise GradePolicyInvalid(str(decided))
        out.append(decided[1])
    return out
