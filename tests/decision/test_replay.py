from __future__ import annotations

from autolease.decision.engine import PolicyReason, PolicyResult
from autolease.decision.replay import Difference, EvaluationReplay, ReplayReport, compare

REASON = {"code": "A", "severity": "refer", "message_en": "a", "message_zh": "甲"}
RESULT = PolicyResult("refer", (PolicyReason("A", "refer", "a", "甲"),), {"n": {"order": 1}})


class TestCompare:
    def test_identical_is_empty(self) -> None:
        assert compare(
            stored_outcome="refer", stored_reasons=[REASON], stored_trace={"n": {"order": 1}},
            replayed=RESULT,
        ) == ()  # fmt: skip

    def test_every_difference_is_listed_in_order(self) -> None:
        differences = compare(
            stored_outcome="approve",
            stored_reasons=[],
            stored_trace={"n": {"order": 2}, "gone": {}},
            replayed=RESULT,
        )
        assert differences == (
            Difference("outcome", "approve", "refer"),
            Difference("reasons[0]", None, REASON),
            Difference("trace.gone", {}, None),
            Difference("trace.n", {"order": 2}, {"order": 1}),
        )

    def test_no_trace_on_either_side_is_not_compared(self) -> None:
        assert compare(
            stored_outcome="refer", stored_reasons=[REASON], stored_trace=None, replayed=RESULT
        ) == ()  # fmt: skip


class TestReplayReport:
    def test_matches_needs_every_evaluation_and_the_record(self) -> None:
        ok = EvaluationReplay("champion", True, "k", "1", "h", "refer", "refer")
        bad = EvaluationReplay("challenger", False, "c", "1", "h", "refer", "decline",
                               (Difference("outcome", "refer", "decline"),))  # fmt: skip
        assert ReplayReport("dec_1", (ok,)).matches
        assert not ReplayReport("dec_1", (ok, bad)).matches
        assert not ReplayReport("dec_1", (ok,), (Difference("decision.outcome", "a", "b"),)).matches
        body = ReplayReport("dec_1", (ok, bad)).as_dict()
        assert body["evaluations"][1]["differences"] == [
            {"field": "outcome", "stored": "refer", "replayed": "decline"}
        ]
