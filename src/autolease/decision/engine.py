"""Evaluate policy documents with zen-engine (pure: no DB, no clock, no network).

One process-wide `PolicyEngine` wraps one ``zen.ZenEngine`` whose loader returns a
pre-parsed ``ZenDecisionContent`` from an in-memory dict keyed by content hash; each version
is parsed once. Only the synchronous ``ZenEngine.evaluate(key, ctx, options)`` path is used:
``create_decision(...).evaluate()`` costs 10x more per call, and heavy ``async_evaluate``
use has crashed the interpreter at exit (see docs/decision.md). `PolicyEngine.decide_many`
(batches: the backtest) evaluates a self-contained graph on an engine with a static loader,
which saves the Python loader call per evaluation.

A policy graph must return ``{"outcome": "approve" | "refer" | "decline",
"reasons": [{"code", "severity", "message_en"?, "message_zh"?}, ...]}``.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import zen

from autolease.decision.exceptions import PolicyInvalid
from autolease.decision.jdm import PolicyDocument
from autolease.exceptions import FieldError

OUTCOMES = ("approve", "refer", "decline")
_TRACE: zen.DecisionEvaluateOptions = {"trace": True}
SEVERITIES = ("info", "refer", "decline")
Decided = tuple[str, tuple[str, ...]]
"""An outcome and its reason codes, in the policy's order."""


class PolicyOutputInvalid(ValueError):
    """A policy returned something other than an outcome and a list of reasons (a policy bug)."""


class PolicyEvaluationError(RuntimeError):
    """zen-engine failed while evaluating a policy (the message comes from the engine)."""


@dataclass(frozen=True)
class PolicyReason:
    code: str
    severity: str
    message_en: str
    message_zh: str

    def as_dict(self) -> dict[str, str]:
        return {
            "code": self.code,
            "severity": self.severity,
            "message_en": self.message_en,
            "message_zh": self.message_zh,
        }


@dataclass(frozen=True)
class PolicyResult:
    """What a policy said about one input, with the compact, deterministic engine trace."""

    outcome: str
    reasons: tuple[PolicyReason, ...]
    trace: dict[str, Any] | None = None

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(r.code for r in self.reasons)


class PolicyEngine:
    """A cached zen engine. Thread-safe: FastAPI runs sync routes in a thread pool."""

    def __init__(self) -> None:
        self._contents: dict[str, zen.ZenDecisionContent] = {}
        self._lock = threading.Lock()
        self._engine = zen.ZenEngine({"loader": self._load})
        self._batch: dict[str, zen.ZenEngine] = {}

    def _load(self, key: str) -> zen.ZenDecisionContent:
        return self._contents[key]

    def prepare(self, policy: PolicyDocument) -> str:
        """Parse a policy once; return the loader key (its content hash)."""
        key = policy.content_hash
        if key not in self._contents:
            try:
                parsed = zen.ZenDecisionContent(policy.content)
            except RuntimeError as err:
                raise PolicyInvalid(
                    f"zen-engine cannot load {policy.ref}: {_first_line(err)}",
                    errors=[
                        FieldError("content", "engine", str(err)[:300], "决策引擎无法加载策略")
                    ],
                ) from err
            with self._lock:
                self._contents.setdefault(key, parsed)
        return key

    def evaluate_raw(
        self, policy: PolicyDocument, context: Mapping[str, Any], *, trace: bool = False
    ) -> dict[str, Any]:
        """The bare ``ZenEngine.evaluate`` response (``result``, ``performance``, ``trace``)."""
        key = policy.content_hash
        if key not in self._contents:
            self.prepare(policy)
        payload = context if type(context) is dict else dict(context)
        try:
            response: dict[str, Any] = dict(
                self._engine.evaluate(key, payload, _TRACE if trace else None)
            )
        except RuntimeError as err:
            raise PolicyEvaluationError(f"{policy.ref}: {_first_line(err)}") from err
        return response

    def evaluate(
        self, policy: PolicyDocument, context: Mapping[str, Any], *, trace: bool = False
    ) -> PolicyResult:
        """Evaluate and parse the result.

        Parameters
        ----------
        policy : PolicyDocument
        context : mapping
            The policy input (see `autolease.decision.inputs.build_policy_input`).
        trace : bool
            Keep a compact engine trace (matched rules and expression results per node).

        Returns
        -------
        PolicyResult

        Raises
        ------
        PolicyEvaluationError
            The engine failed (for example, a broken expression).
        PolicyOutputInvalid
            The graph returned no valid outcome or reasons.
        """
        response = self.evaluate_raw(policy, context, trace=trace)
        outcome, reasons = parse_result(response.get("result"))
        compact = compact_trace(response["trace"]) if trace and "trace" in response else None
        return PolicyResult(outcome, reasons, compact)

    def decide(
        self, policy: PolicyDocument, context: Mapping[str, Any]
    ) -> tuple[str, tuple[str, ...]]:
        """Outcome and reason codes only (the batch path: no trace, no message objects).

        Same evaluation as `evaluate`; the result is checked as strictly, only not converted
        into `PolicyReason` objects.
        """
        return _outcome_and_codes(self.evaluate_raw(policy, context).get("result"))

    def decide_many(
        self, policy: PolicyDocument, contexts: Iterable[Mapping[str, Any]]
    ) -> list[Decided | PolicyEvaluationError | PolicyOutputInvalid]:
        """`decide` for each context in turn, with a failure returned in its place.

        The backtest's path: the same ``ZenEngine.evaluate`` call per context, in one tight
        loop (the engine's code and data stay in the CPU caches between calls), and an error
        of one context never stops the others.
        """
        key = self.prepare(policy)
        evaluate = self._batch_engine(policy, key).evaluate
        decided: list[Decided | PolicyEvaluationError | PolicyOutputInvalid] = []
        for context in contexts:
            try:
                response = evaluate(key, context if type(context) is dict else dict(context))
            except RuntimeError as err:
                decided.append(PolicyEvaluationError(f"{policy.ref}: {_first_line(err)}"))
                continue
            try:
                decided.append(_outcome_and_codes(response.get("result")))
            except PolicyOutputInvalid as err:
                decided.append(err)
        return decided

    def _batch_engine(self, policy: PolicyDocument, key: str) -> zen.ZenEngine:
        """The engine `decide_many` uses: for a self-contained graph, one with a static loader.

        zen-engine then calls no Python loader per evaluation (~3 µs less each, the same
        graph evaluated the same way). A graph with decision nodes loads other graphs by
        key, so it keeps the shared engine and its loader.
        """
        engine = self._batch.get(key)
        if engine is None:
            graph = policy.graph()
            if any(node.get("type") == "decisionNode" for node in graph.get("nodes", [])):
                engine = self._engine
            else:
                engine = zen.ZenEngine({"loader": {"type": "static", "content": {key: graph}}})
            with self._lock:
                engine = self._batch.setdefault(key, engine)
        return engine

    def lint(self, policy: PolicyDocument) -> list[str]:
        """Syntax problems in expression cells (unary cells of field columns are not checked)."""
        self.prepare(policy)
        return lint_graph(policy.graph())


def parse_result(result: object) -> tuple[str, tuple[PolicyReason, ...]]:
    """Check and convert a policy's raw result.

    >>> parse_result({"outcome": "refer", "reasons": [{"code": "X", "severity": "refer"}]})
    ('refer', (PolicyReason(code='X', severity='refer', message_en='X', message_zh='X'),))
    """
    outcome, raw = _outcome_and_reasons(result)
    return outcome, tuple(_reason(item) for item in raw)


def _outcome_and_codes(result: object) -> Decided:
    """Outcome and reason codes of a raw result, checked as strictly as `parse_result`."""
    outcome, reasons = _outcome_and_reasons(result)
    codes = []
    for item in reasons:
        if type(item) is not dict:
            _reason(item)  # raises the precise error
        code = item.get("code")
        if type(code) is not str or item.get("severity") not in SEVERITIES:
            _reason(item)
        codes.append(code)
    return outcome, tuple(codes)


def _outcome_and_reasons(result: object) -> tuple[str, list[Any]]:
    if type(result) is not dict and not isinstance(result, Mapping):
        raise PolicyOutputInvalid("the policy returned no object")
    outcome = result.get("outcome")
    if outcome not in OUTCOMES:
        raise PolicyOutputInvalid(f"the policy returned outcome {outcome!r}, not one of {OUTCOMES}")
    raw = result.get("reasons", [])
    if not isinstance(raw, list):
        raise PolicyOutputInvalid("the policy's 'reasons' is not a list")
    return str(outcome), raw


def _reason(item: object) -> PolicyReason:
    if type(item) is not dict and not isinstance(item, Mapping):
        raise PolicyOutputInvalid("a policy reason is not an object")
    code, severity = item.get("code"), item.get("severity")
    if not isinstance(code, str) or not code:
        raise PolicyOutputInvalid("a policy reason has no code")
    if severity not in SEVERITIES:
        raise PolicyOutputInvalid(
            f"reason {code} has severity {severity!r}, not one of {SEVERITIES}"
        )
    en, zh = item.get("message_en"), item.get("message_zh")
    return PolicyReason(
        code,
        str(severity),
        en if isinstance(en, str) else code,
        zh if isinstance(zh, str) else code,
    )


def compact_trace(trace: Mapping[str, Any]) -> dict[str, Any]:
    """Keep what explains a decision and is deterministic; drop timings and copied inputs.

    Per node (keyed by node id): name, order, and for tables the matched rules (id, index and
    the values they referenced), for expression nodes each key's result.
    """
    compact: dict[str, Any] = {}
    for node_id, node in trace.items():
        if not isinstance(node, Mapping):
            continue
        entry: dict[str, Any] = {"name": node.get("name"), "order": node.get("order")}
        data = node.get("traceData")
        if isinstance(data, list):
            entry["rules"] = [_rule_hit(hit) for hit in data if isinstance(hit, Mapping)]
        elif isinstance(data, Mapping):
            entry["results"] = {
                k: v.get("result") if isinstance(v, Mapping) else v for k, v in data.items()
            }
        compact[str(node_id)] = entry
    return compact


def _rule_hit(hit: Mapping[str, Any]) -> dict[str, Any]:
    rule = hit.get("rule")
    rule_id = rule.get("_id") if isinstance(rule, Mapping) else None
    return {"id": rule_id, "index": hit.get("index"), "values": hit.get("reference_map") or {}}


def lint_graph(graph: Mapping[str, Any]) -> list[str]:
    """Report standard-expression cells zen cannot parse, as ``node/rule/column: problem``."""
    problems: list[str] = []
    for node in graph.get("nodes", []):
        content = node.get("content") or {}
        if node.get("type") == "decisionTableNode":
            problems.extend(_lint_table(node.get("name", node.get("id")), content))
        elif node.get("type") == "expressionNode":
            for expr in content.get("expressions", []):
                problems.extend(_check(f"{node.get('name')}/{expr.get('key')}", expr.get("value")))
    return problems


def _lint_table(name: str, content: Mapping[str, Any]) -> list[str]:
    plain = [c["id"] for c in content.get("inputs", []) if not c.get("field")]
    plain += [c["id"] for c in content.get("outputs", [])]
    problems: list[str] = []
    for rule in content.get("rules", []):
        for column in plain:
            problems.extend(_check(f"{name}/{rule.get('_id')}/{column}", rule.get(column)))
    return problems


def _check(where: str, expression: object) -> list[str]:
    if not isinstance(expression, str) or not expression.strip():
        return []
    problem = zen.validate_expression(expression)
    return [] if problem is None else [f"{where}: {problem.get('source', problem)}"]


def _first_line(err: BaseException) -> str:
    text = str(err).strip()
    return text.splitlines()[0] if text else type(err).__name__
