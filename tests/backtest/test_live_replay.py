"""Live decisions replayed through the backtest path give the same outcomes and reasons.

Applications go through the service (HTTP intake, the pipeline, the policy stage, which
records each evaluation's policy input, ``key@version`` and answer). The recorded inputs
then go through the backtest's own path, `PolicyMemo` (its equivalence-class memo and
batched zen-engine evaluation), with the same stored policy version.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from autolease.backtest.runner import PolicyMemo, PolicyPair
from autolease.decision import repository
from autolease.decision.engine import PolicyEngine
from autolease.decision.models import DecisionEvaluation
from autolease.decision.service import stored_document
from autolease.demo.samples import CARS
from autolease.origination.pipeline import DecisionContext
from autolease.runtime import Runtime
from autolease.vehicle.features import Valuation, ValuationInput
from autolease.vehicle.stage import VehicleStage
from tests.decision.wiring import GOOD_SCORES, app_with_decisions, wire
from tests.factories import make_body, make_sp

N_DECISIONS = 1_000
KINDS = ("clean", "clean", "clean", "corporate", "old", "over_price", "import_vin", "nev_plate")


@dataclass
class VaryingScores:
    """Credit, fraud and bureau features drawn per application (seeded), so outcomes vary."""

    rng: random.Random = field(default_factory=lambda: random.Random(5))
    name: str = "scores"

    def run(self, ctx: DecisionContext) -> str:
        pick = self.rng
        risky = pick.random() < 0.3
        credit_pd = pick.uniform(0.05, 0.4) if risky else pick.uniform(0.005, 0.05)
        ctx.features.update(GOOD_SCORES)
        ctx.features.update(
            credit_pd=round(credit_pd, 4),
            credit_grade="ABCDE"[min(4, int(credit_pd / 0.06))],
            fraud_score=round(pick.uniform(0, 1) if pick.random() < 0.1 else 0.05, 4),
            hard_queries_90d=pick.randint(0, 8) if risky else pick.randint(0, 2),
            institutions_applied_30d=pick.randint(0, 2),
            court_dishonest=pick.random() < 0.03,
        )
        return "varying test scores"


NEW_PRICE = {model: price for _, model, _, price in CARS}


@dataclass(frozen=True)
class ListValuer:
    """Values a car at its list price less 15 % a year (the sample generator's own rule)."""

    ref: str = "list-price@test"
    max_age_years: float = 30.0

    def value(self, item: ValuationInput) -> Valuation:
        p50 = NEW_PRICE.get(item.model or "", 150_000.0) * 0.85**item.age_years
        return Valuation(p50 * 0.92, p50, p50 * 1.08, self.ref)

    def value_many(self, items: Sequence[ValuationInput]) -> list[Valuation]:
        return [self.value(item) for item in items]


@pytest.fixture
def http(runtime: Runtime) -> TestClient:
    with TestClient(app_with_decisions(runtime)) as client:
        return client


def test_live_decisions_replay_identically_through_the_backtest_path(
    runtime: Runtime, http: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    wired = wire(runtime, monkeypatch)
    replaced = {"scores": VaryingScores(), "vehicle": VehicleStage(ListValuer(), ltv_basis="p50")}
    stages = tuple(replaced.get(s.name, s) for s in runtime.stages)
    monkeypatch.setattr(runtime, "stages", stages)
    with runtime.sessions.begin() as session:
        sp = make_sp(session, runtime, "SP-R")
    for seed in range(N_DECISIONS):
        wired.submit(http, sp, make_body(seed, KINDS[seed % len(KINDS)]))
    with runtime.sessions() as session:
        rows = session.scalars(
            select(DecisionEvaluation).where(DecisionEvaluation.role == "champion")
        ).all()
        refs = {(r.policy_key, r.policy_version) for r in rows}
        stored = {ref: repository.policy_version(session, *ref) for ref in refs}
    documents = {ref: stored_document(row) for ref, row in stored.items() if row is not None}
    assert len(documents) == len(refs)
    assert len(rows) == N_DECISIONS
    replayed = 0
    for ref, document in documents.items():
        mine = [r for r in rows if (r.policy_key, r.policy_version) == ref]
        memo = PolicyMemo(PolicyEngine(), PolicyPair(document, document))
        answers = memo.decide_all([dict(r.input) for r in mine])
        for row, (policy, against) in zip(mine, answers, strict=True):
            live = (row.outcome, "|".join(reason["code"] for reason in row.reasons))
            assert policy == live, (row.application_id, row.input)
            assert against == live
            replayed += 1
    assert replayed == N_DECISIONS
    outcomes = {r.outcome for r in rows}
    seen = Counter(r["code"] for row in rows for r in row.reasons)
    assert outcomes == {"approve", "refer", "decline"}, seen.most_common(8)
    assert memo.evaluated < memo.asked or len(documents) > 1
