"""The policy stage (pure): evaluate the active JDM policy and set the outcome.

The stage builds the policy input once (`autolease.decision.inputs`), resolves the champion
policy in force at ``ctx.as_of`` from the in-memory catalogue and evaluates it with zen-engine.
When a challenger is configured, the application's deterministic bucket decides whether it
is also evaluated: in *shadow* mode the champion still acts, in *live* mode the challenger
acts and the champion is kept in shadow. Every evaluation (role, whether it acted, policy
key/version/hash, input, outcome, reasons, compact engine trace) is left on the context for
`autolease.decision.service.record_evaluations` to store beside the decision.

Only the acting policy's reasons join ``ctx.reasons`` (stage ``policy``). If the engine fails
or a policy returns malformed output, the application is referred with ``POLICY_ERROR`` and
the error is stored with the evaluation: a broken policy never approves and never crashes
intake.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from typing import Any

from autolease.decision.catalog import PolicyCatalog
from autolease.decision.engine import (
    PolicyEngine,
    PolicyEvaluationError,
    PolicyOutputInvalid,
    PolicyResult,
)
from autolease.decision.exceptions import PolicyNotFound
from autolease.decision.inputs import build_policy_input
from autolease.decision.jdm import PolicyDocument
from autolease.decision.settings import ChallengerMode, DecisionSettings
from autolease.decision.split import in_challenger
from autolease.origination.pipeline import DecisionContext, Outcome, PolicyRef, Severity

STAGE = "policy"
EVALUATIONS_ATTR = "policy_evaluations"
APPLICATION_ID_ATTR = "application_id"
CHAMPION, CHALLENGER = "champion", "challenger"


@dataclass(frozen=True)
class PolicyEvaluation:
    """One policy's verdict on one application, as stored in ``decision_evaluation``."""

    role: str
    acted: bool
    policy: PolicyDocument
    input: dict[str, Any]
    outcome: str
    reasons: tuple[dict[str, str], ...]
    trace: dict[str, Any] | None
    error: str | None = None

    @property
    def ref(self) -> PolicyRef:
        return PolicyRef(self.policy.key, self.policy.version, self.policy.content_hash)


@dataclass(frozen=True)
class PolicyStage:
    """Pipeline stage ``policy``. Construct once per process (the engine caches parsed graphs)."""

    catalog: PolicyCatalog
    engine: PolicyEngine = field(default_factory=PolicyEngine)
    settings: DecisionSettings = field(default_factory=DecisionSettings)
    trace: bool = True
    name: str = STAGE

    def run(self, ctx: DecisionContext) -> str:
        values = build_policy_input(ctx.facts, ctx.features, ctx.reasons)
        champion = self.catalog.resolve(self.settings.policy_key, ctx.as_of)
        evaluations = [self._evaluate(CHAMPION, champion, values.values)]
        notes = [f"{champion.ref} {evaluations[0].outcome}"]
        challenger, problem = self._challenger_for(ctx)
        if problem:
            notes.append(problem)
        if challenger is not None:
            evaluations.append(self._evaluate(CHALLENGER, challenger, values.values))
            notes.append(f"challenger {challenger.ref} {evaluations[1].outcome}")
        live = challenger is not None and self.settings.challenger_mode == ChallengerMode.LIVE
        acting = len(evaluations) - 1 if live else 0
        evaluations = [_with_acted(e, i == acting) for i, e in enumerate(evaluations)]
        apply_evaluation(ctx, evaluations[acting])
        evaluations_of(ctx).extend(evaluations)
        if live:
            notes.append("challenger acts (live)")
        if values.unusable:
            notes.append("unusable values treated as missing: " + ", ".join(values.unusable))
        return "; ".join(notes)

    def _challenger_for(self, ctx: DecisionContext) -> tuple[PolicyDocument | None, str]:
        key = self.settings.challenger_key
        if key is None or not self.settings.challenger_active:
            return None, ""
        chosen = in_challenger(
            split_unit(ctx), seed=self.settings.split_seed, share=self.settings.challenger_share
        )
        if not chosen:
            return None, ""
        try:
            return self.catalog.resolve(key, ctx.as_of), ""
        except PolicyNotFound as err:
            return None, f"challenger skipped: {err.detail}"

    def _evaluate(
        self, role: str, policy: PolicyDocument, values: dict[str, Any]
    ) -> PolicyEvaluation:
        try:
            result = self.engine.evaluate(policy, values, trace=self.trace)
        except (PolicyEvaluationError, PolicyOutputInvalid) as err:
            return _failed(role, policy, values, str(err))
        return _evaluation(role, policy, values, result)


def _evaluation(
    role: str, policy: PolicyDocument, values: dict[str, Any], result: PolicyResult
) -> PolicyEvaluation:
    return PolicyEvaluation(
        role=role,
        acted=False,
        policy=policy,
        input=values,
        outcome=result.outcome,
        reasons=tuple(r.as_dict() for r in result.reasons),
        trace=result.trace,
    )


POLICY_ERROR = {
    "code": "POLICY_ERROR",
    "severity": "refer",
    "message_en": "the policy could not be evaluated; a reviewer must decide",
    "message_zh": "策略无法执行，需人工审核",
}


def _failed(
    role: str, policy: PolicyDocument, values: dict[str, Any], error: str
) -> PolicyEvaluation:
    return PolicyEvaluation(
        role=role,
        acted=False,
        policy=policy,
        input=values,
        outcome=Outcome.REFER.value,
        reasons=(POLICY_ERROR,),
        trace=None,
        error=error[:1000],
    )


def _with_acted(evaluation: PolicyEvaluation, acted: bool) -> PolicyEvaluation:
    return replace(evaluation, acted=acted)


def apply_evaluation(ctx: DecisionContext, evaluation: PolicyEvaluation) -> None:
    """Set outcome and policy on the context and add the policy's reasons (stage ``policy``).

    A policy names an earlier stage's refer by that stage's own code (``upstream_refer_codes``);
    the stage's reason, with its text, is already on the context, so it is not added twice.
    """
    ctx.policy = evaluation.ref
    ctx.outcome = Outcome(evaluation.outcome)
    earlier = {(r.code, r.severity.value) for r in ctx.reasons}
    for reason in evaluation.reasons:
        if (reason["code"], reason["severity"]) in earlier:
            continue
        ctx.add_reason(
            reason["code"],
            STAGE,
            Severity(reason["severity"]),
            reason["message_en"],
            reason["message_zh"],
        )


def evaluations_of(ctx: DecisionContext) -> list[PolicyEvaluation]:
    """The evaluations this stage left on the context (created empty when absent).

    Uses ``ctx.policy_evaluations`` when `DecisionContext` declares that field, otherwise an
    attribute of the same name set on the instance.
    """
    stored: list[PolicyEvaluation] = vars(ctx).setdefault(EVALUATIONS_ATTR, [])
    return stored


def split_unit(ctx: DecisionContext) -> str:
    """The champion/challenger unit: the application id when intake sets it on the context.

    Until then, a hash of the application's identity (ID number or USCC, VIN, amount, term)
    and submission instant: deterministic for the same application, different for another.
    """
    application_id = vars(ctx).get(APPLICATION_ID_ATTR)
    if isinstance(application_id, str) and application_id:
        return application_id
    facts = ctx.facts
    parts = (
        facts.person.id_number or "",
        facts.uscc or "",
        facts.vin,
        str(facts.amount),
        str(facts.term_months),
        ctx.as_of.isoformat(),
    )
    return "facts:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]
