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


def default_stages(
    *,
    checks: Stage | None = None,
    vehicle: Stage | None = None,
    fraud: Stage | None = None,
    credit: Stage | None = None,
    channel: Stage | None = None,
    policy: Stage | None = None,
    offers: Stage | None = None,
) -> tuple[Stage, ...]:
    """The stages in order; a stage not given is the plain default or a visible placeholder.

    `checks` (the identity providers' reasons) runs right after identity when configured;
    `channel` (the SP's status and limits) runs right before the policy when given.
    """
    identity: tuple[Stage, ...] = (
        (IdentityStage(),) if checks is None else (IdentityStage(), checks)
    )
    return (
        *identity,
        vehicle or VehicleStage(),
        fraud or NotYetAssessed("fraud"),
        credit or NotYetAssessed("credit"),
        *((channel,) if channel is not None else ()),
        policy or InterimPolicyStage(),
        offers or NotYetAssessed("offers"),
    )
