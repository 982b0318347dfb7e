"""Policy evaluation: autolease's call path against raw zen-engine on the same graph and inputs.

Usage: python -m benchmarks.bench_decision [--inputs 2000] [--rounds 7]

Variants run interleaved, round after round, on the packaged default policy and the same
seeded inputs; the figure of each variant is its median round. Overhead is
``ours / raw - 1`` for the matching pair (without trace: ``PolicyEngine.evaluate`` against
``ZenEngine.evaluate`` with an in-memory loader; with trace: both with ``{"trace": True}``,
ours also compacting the trace). ``create_decision(...).evaluate()`` and the whole policy
stage (input mapping + evaluation + applying the result) are reported for context.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import zen

from autolease.decision.catalog import PolicyCatalog
from autolease.decision.engine import PolicyEngine
from autolease.decision.files import load_one, packaged_root
from autolease.decision.inputs import FIELDS, build_policy_input
from autolease.decision.stage import PolicyStage
from autolease.origination.pipeline import ApplicationFacts, DecisionContext, PersonFacts
from benchmarks.common import emit, machine

KEY = "origination/approve"
CLEAN: dict[str, Any] = {
    "applicant_age": 35,
    "applicant_age_at_maturity": 38,
    "vehicle_age_years": 3.2,
    "vehicle_age_at_maturity_years": 6.2,
    "mileage_km": 60_000,
    "ltv": 0.45,
    "asking_to_value": 1.02,
    "credit_pd": 0.03,
    "credit_grade": "A",
    "fraud_score": 0.1,
    "hard_queries_90d": 2,
    "institutions_applied_30d": 1,
    "open_credit_institutions": 1,
    "court_dishonest": False,
    "court_spending_ban": False,
    "court_enforced": False,
}
FACTS = ApplicationFacts(
    applicant_kind="individual",
    person=PersonFacts("张三", "110105199003070025", "13800138000"),
    uscc=None,
    bank_card="6222020000000000000",
    province="北京",
    monthly_income=Decimal("15000.00"),
    vin="LSVAU2186P2183294",
    plate=None,
    brand="大众",
    first_registration_date=date(2023, 9, 1),
    mileage_km=60_000,
    asking_price=Decimal("100000.00"),
    invoice_price=None,
    fuel_type="petrol",
    seller_type="dealer",
    product_type="direct_lease",
    amount=Decimal("45000.00"),
    term_months=36,
    down_payment=Decimal("55000.00"),
    monthly_budget=None,
    lead_source="sp",
    sp_grade="B",
)
AT = datetime(2026, 11, 29, 2, 0, tzinfo=UTC)


def features(rng: random.Random) -> dict[str, Any]:
    """Mostly clean applications with a few fields moved, some missing (like production)."""
    x = dict(CLEAN)
    for name in rng.sample(sorted(CLEAN), rng.randint(0, 4)):
        value = CLEAN[name]
        if rng.random() < 0.15:
            x[name] = None
        elif isinstance(value, bool):
            x[name] = rng.random() < 0.3
        elif isinstance(value, int | float):
            x[name] = type(value)(value * rng.uniform(0.5, 2.5))
    return x


def timed(fn: Callable[[Any], Any], items: list[Any]) -> list[float]:
    samples = []
    clock = time.perf_counter
    for item in items:
        started = clock()
        fn(item)
        samples.append(clock() - started)
    return samples


def stats(rounds: list[list[float]]) -> dict[str, float]:
    per_round = [sum(r) / len(r) for r in rounds]
    median_round = rounds[per_round.index(statistics.median_low(per_round))]
    ordered = sorted(median_round)
    mean = statistics.median_low(per_round)
    return {
        "evals_per_s": round(1 / mean),
        "mean_us": round(mean * 1e6, 2),
        "p50_us": round(ordered[len(ordered) // 2] * 1e6, 2),
        "p99_us": round(ordered[int(len(ordered) * 0.99)] * 1e6, 2),
        "round_spread_pct": round((max(per_round) / min(per_round) - 1) * 100, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--inputs", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    policy = load_one(packaged_root(), KEY).document
    rng = random.Random(7)
    feature_sets = [features(rng) for _ in range(args.inputs)]
    contexts = [build_policy_input(FACTS, f, []).values for f in feature_sets]
    assert len(contexts[0]) == len(FIELDS) + 2

    content = zen.ZenDecisionContent(policy.content)
    raw = zen.ZenEngine({"loader": lambda key: content})
    ours = PolicyEngine()
    decision = raw.create_decision(policy.content)
    stage = PolicyStage(PolicyCatalog([policy]), ours)

    def run_stage(f: dict[str, Any]) -> None:
        ctx = DecisionContext(FACTS, AT, AT.date(), features=dict(f))
        stage.run(ctx)

    variants: dict[str, tuple[Callable[[Any], Any], list[Any]]] = {
        "raw_zen": (lambda c: raw.evaluate(KEY, c), contexts),
        "autolease": (lambda c: ours.evaluate(policy, c), contexts),
        "raw_zen_trace": (lambda c: raw.evaluate(KEY, c, {"trace": True}), contexts),
        "autolease_trace": (lambda c: ours.evaluate(policy, c, trace=True), contexts),
        "autolease_decide": (lambda c: ours.decide(policy, c), contexts),
        "create_decision": (
            lambda c: decision.evaluate(c),
            contexts[: max(200, args.inputs // 10)],
        ),
        "policy_stage": (run_stage, feature_sets),
    }
    for fn, items in variants.values():  # warm-up
        for item in items[:100]:
            fn(item)
    samples: dict[str, list[list[float]]] = {name: [] for name in variants}
    for _ in range(args.rounds):
        for name, (fn, items) in variants.items():
            samples[name].append(timed(fn, items))
    figures = {name: stats(rounds) for name, rounds in samples.items()}

    def ratio(ours_name: str, raw_name: str, field: str) -> float:
        return round((figures[ours_name][field] / figures[raw_name][field] - 1) * 100, 1)

    outcomes = {o: sum(ours.evaluate(policy, c).outcome == o for c in contexts)
                for o in ("approve", "refer", "decline")}  # fmt: skip
    emit(
        "decision_policy_overhead",
        policy=policy.ref,
        inputs=args.inputs,
        rounds=args.rounds,
        outcomes=outcomes,
        overhead_pct_mean=ratio("autolease", "raw_zen", "mean_us"),
        overhead_pct_p50=ratio("autolease", "raw_zen", "p50_us"),
        overhead_trace_pct_mean=ratio("autolease_trace", "raw_zen_trace", "mean_us"),
        overhead_trace_pct_p50=ratio("autolease_trace", "raw_zen_trace", "p50_us"),
        target_pct=25,
        **{f"{name}": figure for name, figure in figures.items()},
        **machine(),
    )


if __name__ == "__main__":
    main()
