from __future__ import annotations

from typing import Any

import pytest

from autolease.decision.catalog import PolicyCatalog
from autolease.decision.engine import PolicyEngine
from autolease.decision.jdm import PolicyDocument
from autolease.decision.settings import ChallengerMode, DecisionSettings
from autolease.decision.split import in_challenger
from autolease.decision.stage import PolicyStage, evaluations_of, split_unit
from autolease.origination.pipeline import Outcome, PolicyRef, Severity
from tests.decision.conftest import document, make_context

KEY, CONSERVATIVE = "origination/approve", "origination/approve-conservative"


def stage(catalog: PolicyCatalog, engine: PolicyEngine, **settings: Any) -> PolicyStage:
    return PolicyStage(catalog, engine, DecisionSettings(**settings))


class TestPolicyStage:
    def test_a_clean_application_is_approved_by_the_packaged_policy(
        self, catalog: PolicyCatalog, engine: PolicyEngine, packaged: dict[str, PolicyDocument]
    ) -> None:
        ctx = make_context()
        note = stage(catalog, engine).run(ctx)
        policy = packaged[KEY]
        assert ctx.outcome == Outcome.APPROVE
        assert ctx.policy == PolicyRef(KEY, policy.version, policy.content_hash)
        assert ctx.reasons == []
        assert note == f"{policy.ref} approve"

    def test_missing_features_refer_with_data_missing_reasons(
        self, catalog: PolicyCatalog, engine: PolicyEngine
    ) -> None:
        ctx = make_context({})
        stage(catalog, engine).run(ctx)
        codes = {r.code for r in ctx.reasons}
        assert ctx.outcome == Outcome.REFER
        assert {"DATA_MISSING_CREDIT_PD", "DATA_MISSING_FRAUD_SCORE"} <= codes
        assert {r.stage for r in ctx.reasons} == {"policy"}

    def test_a_decline_from_an_earlier_stage_declines(
        self, catalog: PolicyCatalog, engine: PolicyEngine
    ) -> None:
        ctx = make_context()
        ctx.add_reason("VIN_CHECK_FAILED", "vehicle", Severity.DECLINE, "bad VIN", "VIN错误")
        stage(catalog, engine).run(ctx)
        assert ctx.outcome == Outcome.DECLINE
        assert [r.code for r in ctx.reasons] == ["VIN_CHECK_FAILED", "STAGE_DECLINE"]

    def test_a_refer_from_an_earlier_stage_is_named_by_its_own_reason(
        self, catalog: PolicyCatalog, engine: PolicyEngine
    ) -> None:
        ctx = make_context()
        ctx.add_reason("SELFIE_MISSING", "identity", Severity.INFO, "no selfie", "未提供自拍")
        ctx.add_reason("AMOUNT_ABOVE_PRICE", "vehicle", Severity.REFER, "amount", "金额")
        stage(catalog, engine).run(ctx)
        assert ctx.outcome == Outcome.REFER
        assert [(r.code, r.stage) for r in ctx.reasons] == [
            ("SELFIE_MISSING", "identity"),
            ("AMOUNT_ABOVE_PRICE", "vehicle"),
        ]  # no generic STAGE_REFER, and the vehicle's reason is not repeated
        acted = evaluations_of(ctx)[0]
        assert [r["code"] for r in acted.reasons] == ["AMOUNT_ABOVE_PRICE"]

    def test_a_hard_decline_is_not_softened_by_refers(
        self, catalog: PolicyCatalog, engine: PolicyEngine
    ) -> None:
        ctx = make_context({**make_context().features, "court_dishonest": True, "fraud_score": 0.6})
        stage(catalog, engine).run(ctx)
        assert ctx.outcome == Outcome.DECLINE
        assert {"COURT_DISHONEST", "FRAUD_REFER_BAND"} <= {r.code for r in ctx.reasons}

    def test_unusable_values_are_named_in_the_note(
        self, catalog: PolicyCatalog, engine: PolicyEngine
    ) -> None:
        ctx = make_context({**make_context().features, "credit_pd": "0.03"})
        note = stage(catalog, engine).run(ctx)
        assert ctx.outcome == Outcome.REFER
        assert note.endswith("unusable values treated as missing: credit_pd")

    def test_the_evaluation_is_left_for_the_decision_record(
        self, catalog: PolicyCatalog, engine: PolicyEngine
    ) -> None:
        ctx = make_context()
        stage(catalog, engine).run(ctx)
        [evaluation] = evaluations_of(ctx)
        assert (evaluation.role, evaluation.acted, evaluation.outcome) == (
            "champion",
            True,
            "approve",
        )
        assert evaluation.input["applicant_age"] == 35
        assert evaluation.trace is not None

    def test_a_broken_policy_refers_with_policy_error(self, engine: PolicyEngine) -> None:
        broken = document(key=KEY, outcome='"x" +')
        ctx = make_context()
        PolicyStage(PolicyCatalog([broken]), engine).run(ctx)
        [evaluation] = evaluations_of(ctx)
        assert ctx.outcome == Outcome.REFER
        assert [r.code for r in ctx.reasons] == ["POLICY_ERROR"]
        assert evaluation.error is not None
        assert ctx.policy == PolicyRef(KEY, "1", broken.content_hash)


def _in_arm(share: float, seed: str = "s") -> tuple[str, str]:
    """Application ids, one inside and one outside the challenger share."""
    ids = [f"app_{i}" for i in range(200)]
    inside = next(i for i in ids if in_challenger(i, seed=seed, share=share))
    outside = next(i for i in ids if not in_challenger(i, seed=seed, share=share))
    return inside, outside


class TestChampionChallenger:
    @pytest.fixture
    def risky(self) -> dict[str, Any]:
        features = dict(make_context().features)
        features.update(ltv=0.55, credit_pd=0.06)  # approve by default, decline conservatively
        return features

    def _run(
        self, catalog: PolicyCatalog, engine: PolicyEngine, features: dict[str, Any], app_id: str,
        mode: ChallengerMode,
    ) -> Any:  # fmt: skip
        ctx = make_context(features)
        vars(ctx)["application_id"] = app_id
        stage(
            catalog, engine, challenger_key=CONSERVATIVE, challenger_share=0.5,
            challenger_mode=mode, split_seed="s",
        ).run(ctx)  # fmt: skip
        return ctx

    def test_shadow_stores_both_and_the_champion_acts(
        self, catalog: PolicyCatalog, engine: PolicyEngine, risky: dict[str, Any]
    ) -> None:
        inside, _ = _in_arm(0.5)
        ctx = self._run(catalog, engine, risky, inside, ChallengerMode.SHADOW)
        champion, challenger = evaluations_of(ctx)
        assert (champion.role, champion.acted, champion.outcome) == ("champion", True, "approve")
        assert (challenger.role, challenger.acted) == ("challenger", False)
        assert challenger.outcome == "decline"
        assert ctx.outcome == Outcome.APPROVE
        assert ctx.policy is not None
        assert ctx.policy.key == KEY

    def test_live_lets_the_challenger_act_and_keeps_the_champion_in_shadow(
        self, catalog: PolicyCatalog, engine: PolicyEngine, risky: dict[str, Any]
    ) -> None:
        inside, _ = _in_arm(0.5)
        ctx = self._run(catalog, engine, risky, inside, ChallengerMode.LIVE)
        champion, challenger = evaluations_of(ctx)
        assert (champion.acted, challenger.acted) == (False, True)
        assert ctx.outcome == Outcome.DECLINE
        assert ctx.policy is not None
        assert ctx.policy.key == CONSERVATIVE
        assert {r.stage for r in ctx.reasons} == {"policy"}

    def test_outside_the_share_only_the_champion_runs(
        self, catalog: PolicyCatalog, engine: PolicyEngine, risky: dict[str, Any]
    ) -> None:
        _, outside = _in_arm(0.5)
        ctx = self._run(catalog, engine, risky, outside, ChallengerMode.LIVE)
        assert [e.role for e in evaluations_of(ctx)] == ["champion"]
        assert ctx.outcome == Outcome.APPROVE

    def test_an_unknown_challenger_is_skipped_with_a_note(
        self, catalog: PolicyCatalog, engine: PolicyEngine
    ) -> None:
        ctx = make_context()
        note = stage(catalog, engine, challenger_key="x/none", challenger_share=1.0).run(ctx)
        assert ctx.outcome == Outcome.APPROVE
        assert "challenger skipped" in note
        assert len(evaluations_of(ctx)) == 1


class TestSplitUnit:
    def test_prefers_the_application_id(self) -> None:
        ctx = make_context()
        vars(ctx)["application_id"] = "app_42"
        assert split_unit(ctx) == "app_42"

    def test_falls_back_to_a_stable_hash_of_the_application(self) -> None:
        a, b = make_context(), make_context()
        assert split_unit(a) == split_unit(b)
        assert split_unit(a).startswith("facts:")
        assert split_unit(make_context(term_months=24)) != split_unit(a)


class TestDecisionSettings:
    def test_the_challenger_must_differ_from_the_champion(self) -> None:
        with pytest.raises(ValueError, match="must differ"):
            DecisionSettings(challenger_key=KEY)

    def test_share_is_bounded(self) -> None:
        with pytest.raises(ValueError, match="less than or equal to 1"):
            DecisionSettings(challenger_share=1.5)
