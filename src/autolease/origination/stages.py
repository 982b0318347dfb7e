"""The default stage list, in order. Stages still to come are explicit, visible placeholders."""

from __future__ import annotations

from dataclasses import dataclass

from autolease.decision.interim_policy import InterimPolicyStage
from autolease.identity.stage import IdentityStage
from autolease.origination.pipeline import DecisionContext, Stage
from autolease.vehicle.stage import VehicleStage


@dataclass(frozen=True)
class NotYetAssessed:
    """A stage whose domain has not landed: it adds nothing and says so in the trace."""

    name: str

    def run(self, ctx: DecisionContext) -> str:
        return "not assessed: this stage is not built yet"


def default_stages() -> tuple[Stage, ...]:
    return (
        IdentityStage(),
        VehicleStage(),
        NotYetAssessed("fraud"),
        NotYetAssessed("credit"),
        InterimPolicyStage(),
        NotYetAssessed("offers"),
    )
