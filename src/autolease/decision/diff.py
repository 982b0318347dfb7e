"""The rules of a JDM policy graph, and what changed between two versions (pure).

A rule is a row of a decision table: its ``_id`` (stable across edits in the GoRules JDM
editor), its condition (the input cells joined with "and", thresholds included), reason code
and severity. `diff` matches rules by table and id and lists those added, removed and changed.

>>> a = {"nodes": [{"type": "decisionTableNode", "name": "t", "content": {
...     "inputs": [{"id": "i", "field": "ltv"}],
...     "outputs": [{"id": "c", "field": "code"}, {"id": "s", "field": "severity"}],
...     "rules": [{"_id": "r1", "i": "> 0.8", "c": '"LTV_HIGH"', "s": '"decline"'}]}}]}
>>> b = {"nodes": [dict(a["nodes"][0], content=dict(a["nodes"][0]["content"], rules=[
...     {"_id": "r1", "i": "> 0.85", "c": '"LTV_HIGH"', "s": '"decline"'}]))]}
>>> [(c.change, c.code, c.before, c.after) for c in diff(a, b)]
[('changed', 'LTV_HIGH', 'ltv > 0.8 ⇒ LTV_HIGH (decline)', 'ltv > 0.85 ⇒ LTV_HIGH (decline)')]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal


@dataclass(frozen=True)
class Rule:
    table: str
    id: str
    condition: str
    code: str
    severity: str


@dataclass(frozen=True)
class RuleChange:
    change: Literal["added", "removed", "changed"]
    table: str
    id: str
    code: str
    before: str
    after: str


def rules(graph: dict[str, Any]) -> list[Rule]:
    """Every decision-table rule of a graph, in order."""
    out = []
    for node in graph.get("nodes", []):
        if node.get("type") == "decisionTableNode":
            out += _table_rules(str(node.get("name", node.get("id", ""))), node.get("content", {}))
    return out


def _table_rules(table: str, content: dict[str, Any]) -> list[Rule]:
    inputs = [(c["id"], c.get("field") or "") for c in content.get("inputs", [])]
    by_field = {c.get("field"): c["id"] for c in content.get("outputs", [])}
    out = []
    for rule in content.get("rules", []):
        cells = [_cell(field, str(rule.get(i))) for i, field in inputs if rule.get(i)]
        out.append(
            Rule(
                table,
                str(rule.get("_id", "")),
                " and ".join(cells) or "(always)",
                str(rule.get(by_field.get("code", ""), "")).strip('"'),
                str(rule.get(by_field.get("severity", ""), "")).strip('"'),
            )
        )
    return out


def _cell(field: str, value: str) -> str:
    """``field > 0.8`` for a unary cell, the expression itself when it names its fields."""
    return f"{field} {value}" if field and field not in value else value


def diff(before: dict[str, Any], after: dict[str, Any]) -> list[RuleChange]:
    """Rules added, removed and changed (condition, code or severity) from `before` to `after`."""
    old = {(r.table, r.id): r for r in rules(before)}
    new = {(r.table, r.id): r for r in rules(after)}
    changes = []
    for key, rule in old.items():
        if key not in new:
            changes.append(RuleChange("removed", rule.table, rule.id, rule.code, _text(rule), ""))
        elif _text(new[key]) != _text(rule):
            changes.append(
                RuleChange(
                    "changed", rule.table, rule.id, new[key].code, _text(rule), _text(new[key])
                )
            )
    for key, rule in new.items():
        if key not in old:
            changes.append(RuleChange("added", rule.table, rule.id, rule.code, "", _text(rule)))
    return changes


def _text(rule: Rule) -> str:
    """``condition ⇒ CODE (severity)``: what the rule tests and what it says."""
    return f"{rule.condition} ⇒ {rule.code} ({rule.severity})"
