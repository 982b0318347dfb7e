"""Compare a stored policy evaluation with a fresh one (pure).

Replay re-runs the stored policy input through the stored policy version (found by key and
version, its content re-hashed and checked against the stored hash) and reports either a
match or exactly what differs: outcome, each reason (code, severity, messages) and each node
of the compact engine trace.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from autolease.decision.engine import PolicyResult


@dataclass(frozen=True)
class Difference:
    """One place where the replay disagrees with the record."""

    field: str
    stored: Any
    replayed: Any

    def as_dict(self) -> dict[str, Any]:
        return {"field": self.field, "stored": self.stored, "replayed": self.replayed}


@dataclass(frozen=True)
class EvaluationReplay:
    role: str
    acted: bool
    policy_key: str
    policy_version: str
    policy_hash: str
    stored_outcome: str
    replayed_outcome: str | None
    differences: tuple[Difference, ...] = field(default_factory=tuple)

    @property
    def matches(self) -> bool:
        return not self.differences


@dataclass(frozen=True)
class ReplayReport:
    decision_id: str
    evaluations: tuple[EvaluationReplay, ...]
    record_differences: tuple[Difference, ...] = ()

    @property
    def matches(self) -> bool:
        return not self.record_differences and all(e.matches for e in self.evaluations)

    def as_dict(self) -> dict[str, Any]:
        return {
            "decision_id": self.decision_id,
            "matches": self.matches,
            "record_differences": [d.as_dict() for d in self.record_differences],
            "evaluations": [
                {
                    "role": e.role,
                    "acted": e.acted,
                    "policy": {
                        "key": e.policy_key,
                        "version": e.policy_version,
                        "content_hash": e.policy_hash,
                    },
                    "stored_outcome": e.stored_outcome,
                    "replayed_outcome": e.replayed_outcome,
                    "matches": e.matches,
                    "differences": [d.as_dict() for d in e.differences],
                }
                for e in self.evaluations
            ],
        }


def compare(
    *,
    stored_outcome: str,
    stored_reasons: Sequence[Mapping[str, Any]],
    stored_trace: Mapping[str, Any] | None,
    replayed: PolicyResult,
) -> tuple[Difference, ...]:
    """Every difference between a stored evaluation and its replay, in a stable order.

    >>> from autolease.decision.engine import PolicyResult
    >>> compare(stored_outcome="approve", stored_reasons=[], stored_trace=None,
    ...         replayed=PolicyResult("refer", ()))
    (Difference(field='outcome', stored='approve', replayed='refer'),)
    """
    differences: list[Difference] = []
    if stored_outcome != replayed.outcome:
        differences.append(Difference("outcome", stored_outcome, replayed.outcome))
    differences.extend(_reason_differences(stored_reasons, [r.as_dict() for r in replayed.reasons]))
    if stored_trace is not None and replayed.trace is not None:
        differences.extend(_trace_differences(stored_trace, replayed.trace))
    return tuple(differences)


def _reason_differences(
    stored: Sequence[Mapping[str, Any]], replayed: Sequence[Mapping[str, Any]]
) -> list[Difference]:
    differences = []
    for index in range(max(len(stored), len(replayed))):
        before = dict(stored[index]) if index < len(stored) else None
        after = dict(replayed[index]) if index < len(replayed) else None
        if before != after:
            differences.append(Difference(f"reasons[{index}]", before, after))
    return differences


def _trace_differences(stored: Mapping[str, Any], replayed: Mapping[str, Any]) -> list[Difference]:
    return [
        Difference(f"trace.{node}", stored.get(node), replayed.get(node))
        for node in sorted(set(stored) | set(replayed))
        if stored.get(node) != replayed.get(node)
    ]
