from __future__ import annotations

from typing import Any

import pytest

from autolease.decision.engine import (
    PolicyEngine,
    PolicyEvaluationError,
    PolicyOutputInvalid,
    compact_trace,
    parse_result,
)
from autolease.decision.jdm import PolicyDocument
from tests.decision.conftest import document, graph


class TestEvaluate:
    def test_returns_outcome_and_reasons_with_messages(self, engine: PolicyEngine) -> None:
        result = engine.evaluate(document(), {"score": 9})
        assert result.outcome == "refer"
        assert result.codes == ("HIGH",)
        assert result.reasons[0].message_zh == "HIGH 中文"
        assert result.trace is None

    def test_no_rule_fires_approves(self, engine: PolicyEngine) -> None:
        assert engine.evaluate(document(), {"score": 1}).outcome == "approve"

    def test_missing_field_is_null_not_an_error(self, engine: PolicyEngine) -> None:
        assert engine.evaluate(document(), {}).outcome == "approve"

    def test_trace_is_compact_and_deterministic(self, engine: PolicyEngine) -> None:
        first = engine.evaluate(document(), {"score": 9}, trace=True).trace
        second = engine.evaluate(document(), {"score": 9}, trace=True).trace
        assert first == second
        assert first is not None
        assert first["rules"]["rules"] == [{"id": "r1", "index": 0, "values": {}}]
        assert first["outcome"]["results"]["outcome"] == "refer"
        assert "performance" not in str(first)

    def test_a_broken_outcome_expression_raises_an_evaluation_error(
        self, engine: PolicyEngine
    ) -> None:
        broken = document(outcome='"refer" +')
        with pytest.raises(PolicyEvaluationError, match="test/small@1"):
            engine.evaluate(broken, {"score": 1})

    def test_a_broken_table_cell_only_never_matches(self, engine: PolicyEngine) -> None:
        """zen treats a failing cell as no match: `lint` (run by policy test) catches it."""
        broken = document(rules=[("score >", "X", "refer")])
        assert engine.evaluate(broken, {"score": 1}).outcome == "approve"
        assert engine.lint(broken) != []

    def test_a_bad_outcome_raises_output_invalid(self, engine: PolicyEngine) -> None:
        odd = document(outcome='"maybe"')
        with pytest.raises(PolicyOutputInvalid, match="maybe"):
            engine.evaluate(odd, {"score": 1})

    def test_decide_agrees_with_evaluate(self, engine: PolicyEngine) -> None:
        doc = document(rules=[("a > 1", "A", "refer"), ("b > 1", "B", "decline")])
        for context in ({"a": 2, "b": 2}, {"a": 2}, {}):
            full = engine.evaluate(doc, context)
            assert engine.decide(doc, context) == (full.outcome, full.codes)

    def test_decide_many_agrees_with_decide_and_returns_failures_in_place(
        self, engine: PolicyEngine
    ) -> None:
        doc = document(rules=[("a > 1", "A", "refer"), ("b > 1", "B", "decline")])
        contexts: list[dict[str, Any]] = [{"a": 2, "b": 2}, {"a": 2}, {}]
        assert engine.decide_many(doc, contexts) == [engine.decide(doc, c) for c in contexts]
        broken_doc = document(outcome='"refer" +')
        broken = engine.decide_many(broken_doc, [{"score": 1}])
        assert isinstance(broken[0], PolicyEvaluationError)
        with pytest.raises(PolicyEvaluationError) as raised:
            engine.decide(broken_doc, {"score": 1})
        assert str(broken[0]) == str(raised.value)
        odd = engine.decide_many(document(outcome='"maybe"'), [{"score": 1}, {}])
        assert [type(d) for d in odd] == [PolicyOutputInvalid, PolicyOutputInvalid]
        assert "maybe" in str(odd[0])

    def test_decide_many_follows_decision_nodes_like_decide(self, engine: PolicyEngine) -> None:
        inner = document(rules=[("a > 1", "A", "refer")])
        engine.prepare(inner)
        position = {"x": 0, "y": 0}
        outer = PolicyDocument.from_graph(
            "test/outer",
            "1",
            {
                "nodes": [
                    {"id": "i", "type": "inputNode", "name": "in", "position": position},
                    {"id": "d", "type": "decisionNode", "name": "inner", "position": position,
                     "content": {"key": inner.content_hash}},
                    {"id": "o", "type": "outputNode", "name": "out", "position": position},
                ],
                "edges": [
                    {"id": "e1", "sourceId": "i", "targetId": "d", "type": "edge"},
                    {"id": "e2", "sourceId": "d", "targetId": "o", "type": "edge"},
                ],
            },
        )  # fmt: skip
        contexts: list[dict[str, Any]] = [{"a": 2}, {"a": 0}]
        assert engine.decide_many(outer, contexts) == [engine.decide(outer, c) for c in contexts]
        assert engine.decide_many(outer, contexts)[0] == ("refer", ("A",))

    def test_two_versions_with_the_same_key_stay_apart(self, engine: PolicyEngine) -> None:
        low = document(version="1", rules=[("score > 1", "HIGH", "refer")])
        high = document(version="2", rules=[("score > 100", "HIGH", "refer")])
        assert engine.evaluate(low, {"score": 50}).outcome == "refer"
        assert engine.evaluate(high, {"score": 50}).outcome == "approve"


class TestParseResult:
    @pytest.mark.parametrize(
        ("result", "message"),
        [
            (None, "no object"),
            ({"outcome": "yes"}, "outcome 'yes'"),
            ({"outcome": "approve", "reasons": "x"}, "not a list"),
            ({"outcome": "approve", "reasons": [1]}, "not an object"),
            ({"outcome": "refer", "reasons": [{"severity": "refer"}]}, "no code"),
            ({"outcome": "refer", "reasons": [{"code": "X", "severity": "bad"}]}, "severity"),
        ],
    )
    def test_malformed_results_are_refused(self, result: Any, message: str) -> None:
        with pytest.raises(PolicyOutputInvalid, match=message):
            parse_result(result)

    def test_missing_messages_fall_back_to_the_code(self) -> None:
        _, reasons = parse_result(
            {"outcome": "refer", "reasons": [{"code": "X", "severity": "refer"}]}
        )
        assert (reasons[0].message_en, reasons[0].message_zh) == ("X", "X")


class TestCompactTrace:
    def test_keeps_rules_and_results_drops_inputs_and_timings(self) -> None:
        raw = {
            "t": {"name": "t", "order": 1, "performance": "3µs", "input": {"a": 1},
                  "traceData": [{"index": 2, "reference_map": {"a": 1}, "rule": {"_id": "r3"}}]},
            "e": {"name": "e", "order": 2, "traceData": {"k": {"result": "v"}}},
        }  # fmt: skip
        assert compact_trace(raw) == {
            "t": {"name": "t", "order": 1, "rules": [{"id": "r3", "index": 2, "values": {"a": 1}}]},
            "e": {"name": "e", "order": 2, "results": {"k": "v"}},
        }


class TestLint:
    def test_reports_cells_that_do_not_parse(self, engine: PolicyEngine) -> None:
        broken = PolicyDocument.from_graph("a/b", "1", graph([("x >", "X", "refer")]))
        problems = engine.lint(broken)
        assert len(problems) == 1
        assert problems[0].startswith("rules/r1/condition")

    def test_packaged_policies_are_clean(
        self, engine: PolicyEngine, packaged: dict[str, PolicyDocument]
    ) -> None:
        assert {key: engine.lint(doc) for key, doc in packaged.items()} == {
            key: [] for key in packaged
        }
