"""Helpers for decision tests: clean facts and features, small policy graphs."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest

from autolease.decision.catalog import PolicyCatalog
from autolease.decision.engine import PolicyEngine
from autolease.decision.files import load_all, packaged_root
from autolease.decision.jdm import PolicyDocument
from autolease.origination.pipeline import ApplicationFacts, DecisionContext, PersonFacts

AT = datetime(2026, 11, 29, 2, 0, tzinfo=UTC)

CLEAN_FEATURES: dict[str, Any] = {
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


def make_facts(**overrides: Any) -> ApplicationFacts:
    values: dict[str, Any] = {
        "applicant_kind": "individual",
        "person": PersonFacts("张三", "110105199003070025", "13800138000"),
        "uscc": None,
        "bank_card": "6222020000000000000",
        "province": "北京",
        "monthly_income": Decimal("15000.00"),
        "vin": "LSVAU2186P2183294",
        "plate": None,
        "brand": "大众",
        "first_registration_date": date(2023, 9, 1),
        "mileage_km": 60_000,
        "asking_price": Decimal("100000.00"),
        "invoice_price": None,
        "fuel_type": "petrol",
        "seller_type": "dealer",
        "product_type": "direct_lease",
        "amount": Decimal("45000.00"),
        "term_months": 36,
        "down_payment": Decimal("55000.00"),
        "monthly_budget": None,
        "lead_source": "sp",
        "sp_grade": "B",
    }
    values.update(overrides)
    return ApplicationFacts(**values)


def make_context(features: dict[str, Any] | None = None, **facts: Any) -> DecisionContext:
    ctx = DecisionContext(make_facts(**facts), AT, AT.date())
    ctx.features.update(CLEAN_FEATURES if features is None else features)
    return ctx


def graph(rules: list[tuple[str, str, str]], outcome: str | None = None) -> dict[str, Any]:
    """A rulebook graph: (condition, code, severity) rows, collect, then the outcome node."""
    rows = [
        {
            "_id": f"r{i}",
            "condition": condition,
            "code": json.dumps(code),
            "severity": json.dumps(severity),
            "message_en": json.dumps(f"{code} en"),
            "message_zh": json.dumps(f"{code} 中文", ensure_ascii=False),
        }
        for i, (condition, code, severity) in enumerate(rules, 1)
    ]
    decide = outcome or (
        'some(reasons, #.severity == "decline") ? "decline" : '
        '(some(reasons, #.severity == "refer") ? "refer" : "approve")'
    )
    return {
        "nodes": [
            {"id": "in", "type": "inputNode", "name": "in", "content": {}},
            {
                "id": "rules",
                "type": "decisionTableNode",
                "name": "rules",
                "content": {
                    "hitPolicy": "collect",
                    "inputs": [{"id": "condition", "name": "Condition"}],
                    "outputs": [
                        {"id": f, "name": f, "field": f}
                        for f in ("code", "severity", "message_en", "message_zh")
                    ],
                    "rules": rows,
                    "passThrough": False,
                    "inputField": None,
                    "outputPath": "reasons",
                    "executionMode": "single",
                },
            },
            {
                "id": "outcome",
                "type": "expressionNode",
                "name": "outcome",
                "content": {
                    "expressions": [
                        {"id": "a", "key": "reasons", "value": "reasons"},
                        {"id": "b", "key": "outcome", "value": decide},
                    ],
                    "passThrough": False,
                    "inputField": None,
                    "outputPath": None,
                    "executionMode": "single",
                },
            },
            {"id": "out", "type": "outputNode", "name": "out", "content": {}},
        ],
        "edges": [
            {"id": "e1", "sourceId": "in", "targetId": "rules", "type": "edge"},
            {"id": "e2", "sourceId": "rules", "targetId": "outcome", "type": "edge"},
            {"id": "e3", "sourceId": "outcome", "targetId": "out", "type": "edge"},
        ],
    }


def document(
    key: str = "test/small",
    version: str = "1",
    rules: list[tuple[str, str, str]] | None = None,
    outcome: str | None = None,
) -> PolicyDocument:
    rules = rules if rules is not None else [("score != null and score > 5", "HIGH", "refer")]
    return PolicyDocument.from_graph(key, version, graph(rules, outcome))


@pytest.fixture(scope="session")
def engine() -> PolicyEngine:
    return PolicyEngine()


@pytest.fixture(scope="session")
def packaged() -> dict[str, PolicyDocument]:
    return {f.document.key: f.document for f in load_all(packaged_root())}


@pytest.fixture
def catalog(packaged: dict[str, PolicyDocument]) -> PolicyCatalog:
    return PolicyCatalog(packaged.values())
