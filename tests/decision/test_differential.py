"""The default policy graph against its plain-Python statement, on 3,000 seeded random inputs."""

from __future__ import annotations

import random
from typing import Any

import pytest

from autolease.decision.engine import PolicyEngine
from autolease.decision.files import load_one, packaged_root
from autolease.decision.inputs import DERIVED, FIELDS
from tests.decision import reference_policy

N_INPUTS = 3_000
BOUNDARIES: dict[str, list[Any]] = {
    "applicant_age": [17, 18, 19, 59, 60, 61],
    "applicant_age_at_maturity": [64, 65, 66],
    "term_months": [12, 24, 30, 36, 48, 60],
    "vehicle_age_years": [2.9999, 3.0, 3.0001, 5.0],
    "vehicle_age_at_maturity_years": [7.9999, 8.0, 8.0001],
    "mileage_km": [149_999, 150_000, 150_001],
    "ltv": [0.3999, 0.4, 0.4001, 0.4999, 0.5, 0.5001, 0.5999, 0.6, 0.6001, 0.6999, 0.7, 0.7001],
    "price_to_value": [1.1499, 1.15, 1.1501],
    "credit_pd": [0.0799, 0.08, 0.0801, 0.1999, 0.2, 0.2001],
    "fraud_score": [0.4999, 0.5, 0.5001, 0.7999, 0.8, 0.8001],
    "hard_queries_90d": [6, 7],
    "institutions_applied_30d": [4, 5],
    "open_credit_institutions": [4, 5],
}
CHOICES: dict[str, list[Any]] = {
    "applicant_kind": ["individual", "corporate"],
    "product_type": ["direct_lease", "sale_leaseback", "operating_lease"],
    "sp_grade": ["A", "B", "C", "D"],
    "credit_grade": ["A", "B", "C", "D", "E"],
    "company_entity_type": ["91", "92", "93", "51"],
    "applicant_gender": ["M", "F"],
    "upstream_worst": ["info", "refer", "decline"],
}
RANGES: dict[str, tuple[float, float]] = {
    "applicant_age": (14, 75),
    "applicant_age_at_maturity": (15, 80),
    "vehicle_age_years": (0, 12),
    "vehicle_age_at_maturity_years": (1, 15),
    "mileage_km": (0, 250_000),
    "ltv": (0.1, 1.2),
    "ltv_on_asking_price": (0.1, 1.2),
    "price_to_value": (0.6, 2.0),
    "credit_pd": (0, 0.5),
    "credit_score": (300, 900),
    "fraud_score": (0, 1),
    "hard_queries_90d": (0, 15),
    "institutions_applied_30d": (0, 10),
    "open_credit_institutions": (0, 10),
}
STAGE_REFERS = ["VALUATION_UNAVAILABLE", "AMOUNT_ABOVE_PRICE", "FACE_MISMATCH"]
INTEGERS = {s.name for s in FIELDS if s.kind == "int"}


CLEAN: dict[str, Any] = {
    "applicant_kind": "individual",
    "term_months": 36,
    "product_type": "direct_lease",
    "sp_grade": "B",
    "applicant_age": 35,
    "applicant_age_at_maturity": 38,
    "applicant_gender": "F",
    "phone_virtual_operator": False,
    "company_entity_type": None,
    "vehicle_age_years": 3.2,
    "vehicle_age_at_maturity_years": 6.2,
    "mileage_km": 60_000,
    "ltv": 0.45,
    "ltv_on_asking_price": 0.42,
    "price_to_value": 1.02,
    "history_flood": False,
    "history_fire": False,
    "history_total_loss": False,
    "history_odometer_rollback": False,
    "credit_pd": 0.03,
    "credit_score": 680,
    "credit_grade": "A",
    "fraud_score": 0.1,
    "fraud_ring_flag": False,
    "hard_queries_90d": 2,
    "institutions_applied_30d": 1,
    "open_credit_institutions": 1,
    "court_dishonest": False,
    "court_spending_ban": False,
    "court_enforced": False,
    "upstream_worst": "info",
    "upstream_codes": [],
    "upstream_refer_codes": [],
}


def random_input(rng: random.Random) -> dict[str, Any]:
    """Half start clean and change 0-3 fields (to reach approvals), half are fully random."""
    if rng.random() < 0.5:
        x = dict(CLEAN)
        for spec in rng.sample(FIELDS, rng.randint(0, 3)):
            x[spec.name] = _value(rng, spec.name, spec.kind)
        return x
    x = {spec.name: _value(rng, spec.name, spec.kind) for spec in FIELDS}
    x["upstream_worst"] = rng.choice(CHOICES["upstream_worst"])
    x["upstream_codes"] = rng.sample(["VIN_CHECK_FAILED", "AMOUNT_ABOVE_PRICE"], rng.randint(0, 2))
    x["upstream_refer_codes"] = rng.sample(STAGE_REFERS, rng.randint(0, 2))
    return x


def _value(rng: random.Random, name: str, kind: str) -> Any:
    roll = rng.random()
    if roll < 0.06:
        return None
    if kind == "bool":
        return rng.random() < 0.15
    if name in CHOICES:
        return rng.choice(CHOICES[name])
    if name in BOUNDARIES and roll < 0.35:
        return rng.choice(BOUNDARIES[name])
    low, high = RANGES.get(name, (0, 100))
    if name in INTEGERS:
        return rng.randint(int(low), int(high))
    return round(rng.uniform(low, high), rng.choice([2, 4]))


@pytest.fixture(scope="module")
def inputs() -> list[dict[str, Any]]:
    rng = random.Random(20261129)
    return [random_input(rng) for _ in range(N_INPUTS)]


class TestDefaultPolicyMatchesItsStatement:
    def test_graph_and_reference_agree_on_every_random_input(
        self, inputs: list[dict[str, Any]]
    ) -> None:
        policy = load_one(packaged_root(), "origination/approve").document
        engine = PolicyEngine()
        mismatches = []
        for x in inputs:
            result = engine.evaluate(policy, x)
            outcome, hits = reference_policy.decide(x)
            graph = sorted((r.code, r.severity) for r in result.reasons)
            if result.outcome != outcome or graph != sorted(hits):
                mismatches.append((x, result.outcome, graph, outcome, sorted(hits)))
        assert len(inputs) >= 2_000
        assert mismatches == []

    def test_the_random_inputs_reach_every_outcome_and_most_rules(
        self, inputs: list[dict[str, Any]]
    ) -> None:
        outcomes = {reference_policy.decide(x)[0] for x in inputs}
        fired = {code for x in inputs for code, _ in reference_policy.decide(x)[1]}
        codes = {code for code, _, _ in reference_policy.RULES} | set(STAGE_REFERS)
        assert outcomes == {"approve", "refer", "decline"}
        assert fired == codes

    def test_inputs_cover_every_policy_field(self, inputs: list[dict[str, Any]]) -> None:
        expected = {s.name for s in FIELDS} | set(DERIVED)
        assert set(CLEAN) == expected
        assert all(set(x) == expected for x in inputs)
