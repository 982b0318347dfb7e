"""Give the shared test runtime a decision domain with stand-in scores.

Intake records the policy evaluations itself; these tests swap in a stub for the credit,
fraud and bureau features (monkeypatched, so the session-wide runtime is restored after each
test) so that the default policy can approve.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from autolease.app import create_app
from autolease.decision import models as _models  # noqa: F401  (tables in Base.metadata)
from autolease.decision.service import DecisionRuntime
from autolease.decision.settings import DecisionSettings
from autolease.identity.stage import IdentityStage
from autolease.origination import repository as origination_repository
from autolease.origination.pipeline import DecisionContext
from autolease.runtime import Runtime
from autolease.vehicle.stage import VehicleStage
from tests.factories import Tenant, submit

GOOD_SCORES: dict[str, Any] = {
    "credit_pd": 0.02,
    "credit_grade": "A",
    "fraud_score": 0.05,
    "hard_queries_90d": 1,
    "institutions_applied_30d": 1,
    "open_credit_institutions": 1,
    "court_dishonest": False,
    "court_spending_ban": False,
    "court_enforced": False,
}


@dataclass(frozen=True)
class ScoresStub:
    """Stands in for the fraud, credit and bureau stages that are not built yet."""

    scores: dict[str, Any] = field(default_factory=lambda: dict(GOOD_SCORES))
    name: str = "scores"

    def run(self, ctx: DecisionContext) -> str:
        ctx.features.update(self.scores)
        return "test scores"


@dataclass
class Capture:
    """Last stage: keeps the context so the test can record evaluations like intake will."""

    seen: list[DecisionContext] = field(default_factory=list)
    name: str = "capture"

    def run(self, ctx: DecisionContext) -> str:
        self.seen.append(ctx)
        return ""


@dataclass
class Wired:
    runtime: Runtime
    decisions: DecisionRuntime
    capture: Capture

    def submit(self, client: TestClient, tenant: Tenant, body: dict[str, Any]) -> dict[str, Any]:
        response = submit(client, tenant, body)
        assert response.status_code == 201, response.text
        data: dict[str, Any] = response.json()
        with self.runtime.sessions() as session:
            decision = origination_repository.latest_decision(session, data["id"])
            assert decision is not None
        data["decision_id"] = decision.id
        return data


def wire(
    runtime: Runtime,
    monkeypatch: pytest.MonkeyPatch,
    settings: DecisionSettings | None = None,
    scores: dict[str, Any] | None = None,
) -> Wired:
    decisions = DecisionRuntime.build(settings or DecisionSettings(refresh_seconds=0))
    capture = Capture()
    stages = (
        IdentityStage(),
        VehicleStage(),
        ScoresStub(dict(GOOD_SCORES) if scores is None else scores),
        decisions.stage,
        capture,
    )
    monkeypatch.setattr(runtime, "stages", stages)
    monkeypatch.setattr(runtime, "prefetchers", (decisions.sync,))
    monkeypatch.setitem(vars(runtime), "decisions", decisions)
    return Wired(runtime, decisions, capture)


def app_with_decisions(runtime: Runtime) -> FastAPI:
    return create_app(runtime=runtime)
