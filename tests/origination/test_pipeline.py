"""Tests for the decision pipeline seam, the default stage list and the interim policy."""

from __future__ import annotations

import hashlib
import itertools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pytest

from autolease.decision.interim_policy import DEFINITION, POLICY, InterimPolicyStage
from autolease.identity.stage import IdentityStage
from autolease.origination.facts import build_facts
from autolease.origination.pipeline import (
    DecisionContext,
    Outcome,
    PipelineIncomplete,
    PolicyRef,
    Reason,
    Severity,
    StageTrace,
    run_pipeline,
)
from autolease.origination.schemas import ApplicationCreate
from autolease.origination.stages import NotYetAssessed, default_stages
from autolease.vehicle.stage import VehicleStage
from tests.factories import TODAY, make_body

AS_OF = datetime(2026, 11, 29, 2, 0, tzinfo=UTC)
FIXED_POLICY = PolicyRef("test/fixed", "1", "0" * 64)


def make_ctx(kind: str = "clean", seed: int = 1) -> DecisionContext:
    data = ApplicationCreate.model_validate(make_body(seed, kind))
    return DecisionContext(build_facts(data, sp_grade="B"), as_of=AS_OF, business_date=TODAY)


def counting_timer(step: float = 1.0) -> Callable[[], float]:
    return itertools.count(0.0, step).__next__


@dataclass
class FakeStage:
    """Adds the given reasons; optionally decides; records the order it ran in."""

    name: str
    codes: tuple[tuple[str, Severity], ...] = ()
    decides: bool = False
    note: str = ""
    log: list[str] = field(default_factory=list)

    def run(self, ctx: DecisionContext) -> str:
        self.log.append(self.name)
        for code, severity in self.codes:
            ctx.add_reason(code, self.name, severity, f"{code} en", f"{code} zh")
        if self.decides:
            ctx.outcome = Outcome.APPROVE
            ctx.policy = FIXED_POLICY
        return self.note


def add_reasons(ctx: DecisionContext, *severities: Severity) -> None:
    for i, severity in enumerate(severities):
        ctx.add_reason(f"R{i}", "test", severity, "en", "zh")


class TestReason:
    def test_as_dict_holds_every_field_with_plain_severity(self) -> None:
        reason = Reason("X_CODE", "vehicle", Severity.REFER, "english", "中文")
        assert reason.as_dict() == {
            "code": "X_CODE",
            "stage": "vehicle",
            "severity": "refer",
            "message_en": "english",
            "message_zh": "中文",
        }


class TestAddReason:
    def test_appends_a_reason_in_order(self) -> None:
        ctx = make_ctx()
        ctx.add_reason("A", "s", Severity.INFO, "a", "甲")
        ctx.add_reason("B", "s", Severity.DECLINE, "b", "乙")
        assert [(r.code, r.severity) for r in ctx.reasons] == [
            ("A", Severity.INFO),
            ("B", Severity.DECLINE),
        ]


class TestWorstSeverity:
    def test_no_reasons_is_info(self) -> None:
        assert make_ctx().worst_severity() == Severity.INFO

    def test_only_info_is_info(self) -> None:
        ctx = make_ctx()
        add_reasons(ctx, Severity.INFO, Severity.INFO)
        assert ctx.worst_severity() == Severity.INFO

    def test_refer_beats_info(self) -> None:
        ctx = make_ctx()
        add_reasons(ctx, Severity.INFO, Severity.REFER, Severity.INFO)
        assert ctx.worst_severity() == Severity.REFER

    def test_decline_beats_refer_whatever_the_order(self) -> None:
        ctx = make_ctx()
        add_reasons(ctx, Severity.DECLINE, Severity.REFER, Severity.INFO)
        assert ctx.worst_severity() == Severity.DECLINE

    def test_order_is_not_alphabetical(self) -> None:
        # Alphabetically "refer" > "info" > "decline"; the ranking must not follow that.
        ctx = make_ctx()
        add_reasons(ctx, Severity.REFER, Severity.DECLINE)
        assert ctx.worst_severity() == Severity.DECLINE


class TestRunPipeline:
    def test_runs_stages_in_the_given_order(self) -> None:
        log: list[str] = []
        stages = [
            FakeStage("b", log=log),
            FakeStage("a", log=log),
            FakeStage("c", decides=True, log=log),
        ]
        run_pipeline(stages, make_ctx(), counting_timer())
        assert log == ["b", "a", "c"]

    def test_records_one_trace_per_stage_with_the_codes_it_added(self) -> None:
        stages = [
            FakeStage("first", (("A1", Severity.INFO), ("A2", Severity.REFER))),
            FakeStage("quiet", note="nothing to say"),
            FakeStage("last", (("C1", Severity.DECLINE),), decides=True),
        ]
        ctx = run_pipeline(stages, make_ctx(), counting_timer())
        assert ctx.trace == [
            StageTrace("first", 1000.0, ("A1", "A2"), ""),
            StageTrace("quiet", 1000.0, (), "nothing to say"),
            StageTrace("last", 1000.0, ("C1",), ""),
        ]

    def test_duration_comes_from_the_injected_timer_in_milliseconds(self) -> None:
        stages = [FakeStage("only", decides=True)]
        ctx = run_pipeline(stages, make_ctx(), counting_timer(step=0.0025))
        assert ctx.trace[0].duration_ms == 2.5

    def test_duration_is_rounded_to_microseconds(self) -> None:
        ticks = iter([0.0, 0.0123456789])
        ctx = run_pipeline([FakeStage("only", decides=True)], make_ctx(), ticks.__next__)
        assert ctx.trace[0].duration_ms == 12.346

    def test_returns_the_same_context(self) -> None:
        ctx = make_ctx()
        assert run_pipeline([FakeStage("only", decides=True)], ctx, counting_timer()) is ctx

    def test_keeps_reasons_added_before_the_run_out_of_the_trace(self) -> None:
        ctx = make_ctx()
        ctx.add_reason("EARLY", "outside", Severity.INFO, "e", "e")
        run_pipeline([FakeStage("only", decides=True)], ctx, counting_timer())
        assert ctx.trace[0].reasons == ()
        assert [r.code for r in ctx.reasons] == ["EARLY"]

    def test_raises_when_no_stage_sets_outcome_and_policy(self) -> None:
        with pytest.raises(PipelineIncomplete, match="outcome and policy"):
            run_pipeline([FakeStage("a"), FakeStage("b")], make_ctx(), counting_timer())

    def test_raises_when_only_the_outcome_is_set(self) -> None:
        ctx = make_ctx()
        ctx.outcome = Outcome.APPROVE
        with pytest.raises(PipelineIncomplete):
            run_pipeline([FakeStage("a")], ctx, counting_timer())

    def test_raises_with_no_stages(self) -> None:
        with pytest.raises(PipelineIncomplete):
            run_pipeline([], make_ctx(), counting_timer())

    def test_incomplete_pipeline_still_ran_every_stage(self) -> None:
        ctx = make_ctx()
        with pytest.raises(PipelineIncomplete):
            run_pipeline([FakeStage("a"), FakeStage("b")], ctx, counting_timer())
        assert [t.stage for t in ctx.trace] == ["a", "b"]


class TestDefaultStages:
    def test_order_is_identity_vehicle_fraud_credit_policy_offers(self) -> None:
        names = [stage.name for stage in default_stages()]
        assert names == ["identity", "vehicle", "fraud", "credit", "policy", "offers"]

    def test_stage_types(self) -> None:
        stages = default_stages()
        assert isinstance(stages[0], IdentityStage)
        assert isinstance(stages[1], VehicleStage)
        assert isinstance(stages[4], InterimPolicyStage)
        assert all(isinstance(stages[i], NotYetAssessed) for i in (2, 3, 5))

    def test_clean_application_is_approved_with_a_full_trace(self) -> None:
        # No valuation model in a unit test: the vehicle stage notes it as info only here.
        vehicle = VehicleStage(unavailable_severity=Severity.INFO)
        ctx = run_pipeline(default_stages(vehicle=vehicle), make_ctx("clean"), counting_timer())
        assert ctx.outcome == Outcome.APPROVE
        assert ctx.policy == POLICY
        assert [t.stage for t in ctx.trace] == [
            "identity",
            "vehicle",
            "fraud",
            "credit",
            "policy",
            "offers",
        ]

    def test_over_price_application_is_referred_with_the_vehicle_reason(self) -> None:
        ctx = run_pipeline(default_stages(), make_ctx("over_price"), counting_timer())
        assert ctx.outcome == Outcome.REFER
        vehicle_trace = next(t for t in ctx.trace if t.stage == "vehicle")
        assert "AMOUNT_ABOVE_PRICE" in vehicle_trace.reasons


class TestNotYetAssessed:
    def test_adds_nothing_and_says_so(self) -> None:
        ctx = make_ctx()
        note = NotYetAssessed("fraud").run(ctx)
        assert note == "not assessed: this stage is not built yet"
        assert ctx.reasons == []
        assert ctx.features == {}
        assert ctx.outcome is None


class TestInterimPolicy:
    def test_policy_key_and_version(self) -> None:
        assert (POLICY.key, POLICY.version) == ("interim/approve-valid", "1")

    def test_content_hash_is_64_hex(self) -> None:
        assert re.fullmatch(r"[0-9a-f]{64}", POLICY.content_hash)

    def test_content_hash_is_the_sha256_of_the_definition(self) -> None:
        expected = hashlib.sha256(json.dumps(DEFINITION, sort_keys=True).encode()).hexdigest()
        assert POLICY.content_hash == expected

    def test_approves_with_no_reasons(self) -> None:
        ctx = make_ctx()
        InterimPolicyStage().run(ctx)
        assert ctx.outcome == Outcome.APPROVE

    def test_approves_with_only_info_reasons(self) -> None:
        ctx = make_ctx()
        add_reasons(ctx, Severity.INFO, Severity.INFO)
        InterimPolicyStage().run(ctx)
        assert ctx.outcome == Outcome.APPROVE

    def test_refers_with_a_refer_reason(self) -> None:
        ctx = make_ctx()
        add_reasons(ctx, Severity.INFO, Severity.REFER)
        InterimPolicyStage().run(ctx)
        assert ctx.outcome == Outcome.REFER

    def test_refers_rather_than_declines_with_a_decline_reason(self) -> None:
        ctx = make_ctx()
        add_reasons(ctx, Severity.DECLINE)
        InterimPolicyStage().run(ctx)
        assert ctx.outcome == Outcome.REFER

    def test_records_the_policy(self) -> None:
        ctx = make_ctx()
        InterimPolicyStage().run(ctx)
        assert ctx.policy == POLICY

    def test_note_names_the_policy_and_version(self) -> None:
        assert InterimPolicyStage().run(make_ctx()) == "temporary policy interim/approve-valid@1"

    def test_stage_name_is_policy(self) -> None:
        assert InterimPolicyStage().name == "policy"

    def test_adds_no_reasons(self) -> None:
        ctx = make_ctx()
        add_reasons(ctx, Severity.REFER)
        InterimPolicyStage().run(ctx)
        assert [r.code for r in ctx.reasons] == ["R0"]
