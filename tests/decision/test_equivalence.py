"""Input classes: what the analysis reads from graphs, and that class mates get one answer."""

from __future__ import annotations

import random
from typing import Any

import pytest

from autolease.decision.engine import PolicyEngine
from autolease.decision.equivalence import NEAR, InputClasses, input_classes
from autolease.decision.files import load_one, packaged_root
from autolease.decision.jdm import PolicyDocument
from tests.decision.test_differential import CLEAN, random_input

KEYS = ("origination/approve", "origination/approve-conservative")


def expression_graph(*expressions: str) -> dict[str, Any]:
    content = {"expressions": [{"key": f"e{i}", "value": e} for i, e in enumerate(expressions)]}
    return {"nodes": [{"type": "expressionNode", "content": content}]}


def classes_of(*expressions: str) -> InputClasses:
    classes = input_classes([expression_graph(*expressions)])
    assert classes is not None
    return classes


@pytest.fixture(scope="module")
def policies() -> list[PolicyDocument]:
    return [load_one(packaged_root(), key).document for key in KEYS]


@pytest.fixture(scope="module")
def classes(policies: list[PolicyDocument]) -> InputClasses:
    found = input_classes(p.graph() for p in policies)
    assert found is not None
    return found


class TestWhatTheAnalysisReads:
    def test_the_packaged_policies_compare_scores_with_their_bands(
        self, classes: InputClasses
    ) -> None:
        assert {0.4, 0.5, 0.6, 0.7} <= set(classes.cuts["ltv"])
        assert {0.08, 0.2} <= set(classes.cuts["credit_pd"])
        assert classes.cuts["fraud_score"] == (0.5, 0.8)
        assert classes.cuts["term_months"] == (12.0, 24.0, 36.0, 48.0)

    def test_fields_compared_with_text_or_booleans_are_exact(self, classes: InputClasses) -> None:
        assert {"credit_grade", "sp_grade", "court_dishonest", "upstream_worst"} <= classes.exact
        assert "credit_grade" not in classes.cuts

    def test_fields_no_rule_reads_are_neither(self, classes: InputClasses) -> None:
        for unread in ("credit_score", "ltv_on_asking_price", "upstream_codes"):
            assert unread not in classes.cuts
            assert unread not in classes.exact

    @pytest.mark.parametrize(
        ("expression", "cuts"),
        [
            ("x > 0.5", (0.5,)),
            ("1 < x", (1.0,)),
            ("x >= -2.5 and x < 3", (-2.5, 3.0)),
            ("x in [12, 24, 36]", (12.0, 24.0, 36.0)),
            ("not (x in [1, 2])", (1.0, 2.0)),
            ("(x > 1 or y == null) and x != 7", (1.0, 7.0)),
            ("x == null", ()),
        ],
    )
    def test_comparisons_with_number_literals_give_cuts(
        self, expression: str, cuts: tuple[float, ...]
    ) -> None:
        assert classes_of(expression).cuts["x"] == cuts

    @pytest.mark.parametrize(
        "expression",
        [
            "x * 2 > 1",
            "x > 1 + 2",
            "x > y",
            "abs(x) > 1",
            "not x > 1",
            "x > 1 ? true : false",
            "a ? x > 1 : false",
            "x in [1..5]",
            "x in allowed",
            'x == "5"',
            "x == true",
            "x.y > 1",
            "some(list, # > x)",
            "x > 1_000",
            "x > 1e3",
            "x",
        ],
    )
    def test_any_other_use_keys_the_field_exactly(self, expression: str) -> None:
        classes = classes_of(expression)
        assert "x" in classes.exact
        assert "x" not in classes.cuts

    def test_a_name_inside_a_string_is_not_a_use(self) -> None:
        classes = classes_of('"x * 2" == label')
        assert "x" not in classes.exact
        assert "x" not in classes.cuts

    @pytest.mark.parametrize(
        "graph",
        [
            expression_graph("$.x > 1"),
            expression_graph("`value ${x}`"),
            {"nodes": [{"type": "functionNode", "content": {"source": "return {}"}}]},
            {"nodes": [{"type": "switchNode", "content": {"statements": []}}]},
            {"nodes": [{"type": "decisionNode", "content": {"key": "other"}}]},
            {"nodes": [{"type": "expressionNode", "content": {"passThrough": True}}]},
            {"nodes": [{"type": "decisionTableNode", "content": {"inputField": "items"}}]},
            {"nodes": [{"type": "expressionNode", "content": {"executionMode": "loop"}}]},
            {"nodes": [{"type": "expressionNode", "content": {"expressions": ["x > 1"]}}]},
            {"nodes": [{"type": "decisionTableNode", "content": {"inputs": [{"field": "x"}]}}]},
        ],
    )
    def test_graphs_it_does_not_understand_give_no_classes(self, graph: dict[str, Any]) -> None:
        assert input_classes([graph]) is None

    def test_a_unary_cell_that_reads_the_whole_context_gives_no_classes(self) -> None:
        table = {
            "inputs": [{"id": "c1", "field": "x"}],
            "rules": [{"_id": "r1", "c1": '> $root["limit"]'}],
        }
        graph = {"nodes": [{"type": "decisionTableNode", "content": table}]}
        assert input_classes([graph]) is None

    def test_a_unary_column_keys_its_field_and_the_names_in_its_cells_exactly(self) -> None:
        table = {
            "inputs": [{"id": "c1", "field": "x"}, {"id": "c2"}],
            "outputs": [{"id": "o", "field": "o"}],
            "rules": [{"_id": "r1", "c1": "> limit", "c2": "z > 3", "o": '"A"'}],
        }
        classes = input_classes([{"nodes": [{"type": "decisionTableNode", "content": table}]}])
        assert classes is not None
        assert {"x", "limit"} <= classes.exact
        assert classes.cuts["z"] == (3.0,)


class TestKeys:
    def test_numbers_between_the_same_cuts_share_a_key(self) -> None:
        classes = classes_of("x > 0.5 and x < 0.8")
        assert classes.key({"x": 0.51}) == classes.key({"x": 0.79}) == classes.key({"x": 0.6})
        assert classes.key({"x": 0.49}) != classes.key({"x": 0.51})
        assert classes.key({"x": 0.81}) != classes.key({"x": 0.79})

    @pytest.mark.parametrize(
        "value", [0.5, 0.5 + 1e-12, 0.5 - 1e-12, float("nan"), float("inf"), 1e29, 2**64]
    )
    def test_values_at_a_cut_or_beyond_the_engine_are_their_own_key(self, value: float) -> None:
        classes = classes_of("x > 0.5")
        neighbour = 0.5 + 2 * NEAR if value < 1 else 0.9
        assert classes.key({"x": value}) != classes.key({"x": neighbour})
        if value == value:
            assert classes.key({"x": value}) == classes.key({"x": value})

    def test_types_and_unread_fields_stay_apart_where_the_engine_could_tell(self) -> None:
        classes = classes_of("flag == true", "x > 1")
        assert classes.key({"flag": True, "x": 2}) != classes.key({"flag": 1, "x": 2})
        assert classes.key({"flag": True, "x": 2, "n": 1}) == classes.key(
            {"flag": True, "x": 2, "n": 5}
        )
        assert classes.key({"x": 2, "n": 1}) != classes.key({"x": 2, "n": float("nan")})
        assert classes.key({"x": 2, "n": 1}) != classes.key({"x": 2, "n": "1"})
        assert classes.key({"x": 2}) != classes.key({"x": 2, "n": 1})


def class_mate(x: dict[str, Any], classes: InputClasses, rng: random.Random) -> dict[str, Any]:
    """Another input of ``x``'s class: numbers moved in their interval, unread fields changed."""
    y = dict(x)
    for name, value in x.items():
        if name in classes.cuts and type(value) in (int, float):
            y[name] = _same_interval(value, classes.cuts[name], rng)
        elif name not in classes.exact and name not in classes.cuts:
            y[name] = _same_type(value, rng)
    return y


def _same_interval(value: float, cuts: tuple[float, ...], rng: random.Random) -> float:
    low = max([c for c in cuts if c < value], default=value - 100)
    high = min([c for c in cuts if c > value], default=value + 100)
    if value in cuts or min(value - low, high - value) <= 2 * NEAR * max(1, abs(value)):
        return value
    moved = rng.uniform(low, high)
    while min(moved - low, high - moved) <= 2 * NEAR * max(1, abs(moved)):
        moved = rng.uniform(low, high)
    return round(moved) if type(value) is int and low < round(moved) < high else moved


def _same_type(value: Any, rng: random.Random) -> Any:
    if type(value) is float:
        return rng.uniform(-1e6, 1e6)
    if type(value) is int:
        return rng.randint(-(10**6), 10**6)
    if type(value) is str:
        return rng.choice(["M", "F", "?"])
    if type(value) is bool:
        return rng.random() < 0.5
    return value


class TestClassMatesGetOneAnswer:
    @pytest.mark.slow
    def test_on_3000_random_inputs_and_a_class_mate_of_each(
        self, policies: list[PolicyDocument], classes: InputClasses
    ) -> None:
        rng = random.Random(20261129)
        engine = PolicyEngine()
        moved = mismatches = 0
        for _ in range(3_000):
            x = random_input(rng)
            y = class_mate(x, classes, rng)
            assert classes.key(x) == classes.key(y)
            moved += x != y
            for policy in policies:
                if engine.decide(policy, x) != engine.decide(policy, y):
                    mismatches += 1
        assert moved > 2_500
        assert mismatches == 0

    def test_just_past_a_cut_the_engine_decides_and_the_key_keeps_it_apart(
        self, policies: list[PolicyDocument], classes: InputClasses
    ) -> None:
        engine = PolicyEngine()
        beyond = dict(CLEAN, ltv=0.71)
        at_float_edge = dict(CLEAN, ltv=0.7000000000000001)  # zen: not above 0.70
        assert engine.decide(policies[0], at_float_edge) != engine.decide(policies[0], beyond)
        assert classes.key(at_float_edge) != classes.key(beyond)
