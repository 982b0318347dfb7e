"""Tests for autolease.credit.stage: the credit stage of the decision pipeline."""

from __future__ import annotations

from datetime import UTC, datetime

from autolease.credit.model import CreditModel
from autolease.credit.stage import CreditStage, factor_code
from autolease.identity.stage import IdentityStage
from autolease.origination.facts import build_facts
from autolease.origination.pipeline import DecisionContext, Severity
from autolease.origination.schemas import ApplicationCreate
from autolease.vehicle.stage import VehicleStage
from tests.factories import TODAY, make_body

AS_OF = datetime(2026, 11, 29, 2, 0, tzinfo=UTC)


def context(**stage_features: object) -> DecisionContext:
    facts = build_facts(ApplicationCreate.model_validate(make_body(2)), sp_grade="B")
    ctx = DecisionContext(facts, as_of=AS_OF, business_date=TODAY)
    IdentityStage().run(ctx)
    VehicleStage().run(ctx)
    ctx.features.update(stage_features)
    return ctx


class TestCreditStage:
    def test_writes_pd_score_grade_and_version(self, declared_model: CreditModel) -> None:
        ctx = context()
        note = CreditStage(declared_model).run(ctx)
        assert 0 < ctx.features["credit_pd"] < 1
        assert ctx.features["credit_grade"] in "ABCDE"
        assert isinstance(ctx.features["credit_score"], float)
        assert ctx.model_versions["credit"] == "credit_gbm@0001"
        assert note.startswith("credit_gbm@0001;")
        assert "inputs missing" in note

    def test_reasons_are_info_with_grade_and_factors(self, declared_model: CreditModel) -> None:
        ctx = context(hard_queries_90d=9)
        CreditStage(declared_model, top_reasons=2).run(ctx)
        credit = [r for r in ctx.reasons if r.stage == "credit"]
        assert all(r.severity == Severity.INFO for r in credit)
        assert credit[0].code == f"CREDIT_GRADE_{ctx.features['credit_grade']}"
        factor_codes = [r.code for r in credit[1:]]
        assert 1 <= len(factor_codes) <= 2
        assert all(code.startswith("CREDIT_FACTOR_") for code in factor_codes)
        assert "CREDIT_FACTOR_HARD_QUERIES_90D" in factor_codes
        assert ctx.features["credit_factors"][0] == "hard_queries_90d"
        assert "points" in credit[1].message_en
        assert "扣" in credit[1].message_zh

    def test_more_queries_never_lower_the_pd(self, declared_model: CreditModel) -> None:
        low, high = context(hard_queries_90d=0), context(hard_queries_90d=10)
        stage = CreditStage(declared_model)
        stage.run(low)
        stage.run(high)
        assert high.features["credit_pd"] > low.features["credit_pd"]

    def test_no_model_refers(self) -> None:
        ctx = context()
        note = CreditStage(None).run(ctx)
        assert [(r.code, r.severity) for r in ctx.reasons if r.stage == "credit"] == [
            ("CREDIT_MODEL_UNAVAILABLE", Severity.REFER)
        ]
        assert "credit_pd" not in ctx.features
        assert note == "no credit model"

    def test_disabled_adds_nothing(self, declared_model: CreditModel) -> None:
        ctx = context()
        before = len(ctx.reasons)
        note = CreditStage(declared_model, enabled=False).run(ctx)
        assert note == "credit assessment disabled in settings"
        assert len(ctx.reasons) == before
        assert "credit_pd" not in ctx.features
        assert "credit" not in ctx.model_versions


class TestFactorCode:
    def test_unsafe_characters(self) -> None:
        assert factor_code("Loan Amount (¥)") == "CREDIT_FACTOR_LOAN_AMOUNT"


class TestInThePipeline:
    def test_runs_between_vehicle_and_policy(self, declared_model: CreditModel) -> None:
        import json

        from autolease.decision.interim_policy import InterimPolicyStage
        from autolease.origination.pipeline import run_pipeline

        facts = build_facts(ApplicationCreate.model_validate(make_body(3)), sp_grade="A")
        ctx = DecisionContext(facts, as_of=AS_OF, business_date=TODAY)
        stages = (
            IdentityStage(),
            VehicleStage(),
            CreditStage(declared_model),
            InterimPolicyStage(),
        )
        ticks = iter(range(100))
        run_pipeline(stages, ctx, timer=lambda: float(next(ticks)))
        assert [t.stage for t in ctx.trace] == ["identity", "vehicle", "credit", "policy"]
        assert ctx.trace[2].reasons[0].startswith("CREDIT_GRADE_")
        assert ctx.outcome is not None
        json.dumps(ctx.features)
        assert json.loads(json.dumps(ctx.features))["credit_grade"] == ctx.features["credit_grade"]
