"""Rule listing and rule diffs of JDM graphs, and version bumps (pure)."""

from __future__ import annotations

import doctest
import json

from autolease.decision import diff, versions
from autolease.decision.files import load_one, packaged_root


def test_the_doctests_pass() -> None:
    for module in (diff, versions):
        assert doctest.testmod(module).failed == 0


def test_a_graph_has_no_difference_with_itself_and_every_rule_is_listed() -> None:
    graph = load_one(packaged_root(), "origination/approve").document.graph()
    listed = diff.rules(graph)
    assert listed[0].id == "r01"
    assert listed[0].condition == "applicant_age == null"
    assert (listed[0].code, listed[0].severity) == ("DATA_MISSING_APPLICANT_AGE", "refer")
    assert diff.diff(graph, graph) == []


def test_a_severity_change_is_a_change() -> None:
    graph = load_one(packaged_root(), "origination/approve").document.graph()
    edited = json.loads(json.dumps(graph))
    table = next(n for n in edited["nodes"] if n["type"] == "decisionTableNode")
    table["content"]["rules"][2]["severity"] = '"refer"'
    changes = diff.diff(graph, edited)
    assert [(c.change, c.id) for c in changes] == [("changed", "r03")]
    assert changes[0].before.endswith("(decline)")
    assert changes[0].after.endswith("(refer)")
