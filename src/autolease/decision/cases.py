"""Policy case files (``<name>.cases.toml``) and running them (pure).

A case file sits beside each policy graph, names the policy's version, and lists inputs with
the outcome and reason codes the policy must give::

    [policy]
    version = "2026.12.1"
    description = "Default origination policy"

    [defaults]                 # a clean application; each case overrides some fields
    applicant_kind = "individual"
    applicant_age = 35

    [[case]]
    name = "under 18 is declined"
    input = { applicant_age = 17 }
    unset = ["credit_pd"]      # TOML has no null: listed fields are set to null
    outcome = "decline"
    reasons = ["APPLICANT_AGE_BELOW_MIN", "DATA_MISSING_CREDIT_PD"]   # exact set, or:
    # reasons_include = ["APPLICANT_AGE_BELOW_MIN"]                   # at least these
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from autolease.decision.engine import (
    OUTCOMES,
    PolicyEngine,
    PolicyEvaluationError,
    PolicyOutputInvalid,
)
from autolease.decision.exceptions import PolicyInvalid
from autolease.decision.jdm import PolicyDocument, check_version
from autolease.exceptions import FieldError


@dataclass(frozen=True)
class PolicyCase:
    name: str
    input: Mapping[str, Any]
    outcome: str
    reasons: frozenset[str] | None
    reasons_include: frozenset[str]


@dataclass(frozen=True)
class PolicyCases:
    version: str
    description: str
    cases: tuple[PolicyCase, ...]


@dataclass(frozen=True)
class CaseResult:
    case: str
    passed: bool
    expected_outcome: str
    outcome: str | None
    reasons: tuple[str, ...]
    problem: str = ""


def parse_cases(text: str, *, source: str) -> PolicyCases:
    """Parse a case file.

    Parameters
    ----------
    text : str
        TOML text.
    source : str
        Where it came from, for error messages.

    Returns
    -------
    PolicyCases

    Raises
    ------
    PolicyInvalid
        Naming the file and the field at fault.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise _invalid(source, "toml", f"{source} is not valid TOML: {err}") from err
    header = data.get("policy")
    if not isinstance(header, dict) or not isinstance(header.get("version"), str):
        raise _invalid(source, "policy.version", f'{source} needs [policy] version = "..."')
    check_version(header["version"])
    defaults = data.get("defaults", {})
    raw_cases = data.get("case", [])
    if not isinstance(defaults, dict) or not isinstance(raw_cases, list) or not raw_cases:
        raise _invalid(source, "case", f"{source} needs a [defaults] table and [[case]] entries")
    cases = tuple(_case(source, i, raw, defaults) for i, raw in enumerate(raw_cases, 1))
    names = [c.name for c in cases]
    if len(set(names)) != len(names):
        raise _invalid(source, "case.name", f"{source}: case names must be unique")
    return PolicyCases(header["version"], str(header.get("description", "")), cases)


def _case(source: str, index: int, raw: object, defaults: Mapping[str, Any]) -> PolicyCase:
    where = f"{source} case #{index}"
    if not isinstance(raw, dict) or not isinstance(raw.get("name"), str):
        raise _invalid(source, "case.name", f"{where} needs a name")
    overrides, unset = raw.get("input", {}), raw.get("unset", [])
    if not isinstance(overrides, dict) or not isinstance(unset, list):
        raise _invalid(source, "case.input", f"{where}: input must be a table, unset a list")
    outcome = raw.get("outcome")
    if outcome not in OUTCOMES:
        raise _invalid(source, "case.outcome", f"{where}: outcome must be one of {OUTCOMES}")
    reasons, include = raw.get("reasons"), raw.get("reasons_include", [])
    if (reasons is not None and not _strings(reasons)) or not _strings(include):
        raise _invalid(source, "case.reasons", f"{where}: reasons must be lists of codes")
    merged = {**defaults, **overrides} | dict.fromkeys(unset)
    return PolicyCase(
        raw["name"],
        merged,
        str(outcome),
        frozenset(reasons) if reasons is not None else None,
        frozenset(include),
    )


def _strings(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def run_case(engine: PolicyEngine, policy: PolicyDocument, case: PolicyCase) -> CaseResult:
    """Evaluate one case; a policy error is a failed case, not an exception."""
    try:
        result = engine.evaluate(policy, case.input)
    except (PolicyEvaluationError, PolicyOutputInvalid) as err:
        return CaseResult(case.name, False, case.outcome, None, (), str(err))
    codes = set(result.codes)
    problems = []
    if result.outcome != case.outcome:
        problems.append(f"outcome {result.outcome}, expected {case.outcome}")
    if case.reasons is not None and codes != case.reasons:
        missing, extra = sorted(case.reasons - codes), sorted(codes - case.reasons)
        problems.append(f"reasons missing {missing} extra {extra}")
    if not case.reasons_include <= codes:
        problems.append(f"reasons missing {sorted(case.reasons_include - codes)}")
    return CaseResult(
        case.name, not problems, case.outcome, result.outcome, result.codes, "; ".join(problems)
    )


def run_cases(
    engine: PolicyEngine, policy: PolicyDocument, cases: PolicyCases
) -> tuple[CaseResult, ...]:
    """Run every case of a policy's case file."""
    return tuple(run_case(engine, policy, case) for case in cases.cases)


def _invalid(source: str, field: str, message: str) -> PolicyInvalid:
    return PolicyInvalid(message, errors=[FieldError(field, "cases", message, "策略用例文件有误")])
