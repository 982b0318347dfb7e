"""Policies: versions, a rule-by-rule diff, the cases and their results, and activation under
maker-checker (one analyst proposes, another approves or rejects; both audited by the
governance service, the same as the API's)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from sqlalchemy.orm import Session
from starlette.responses import RedirectResponse, Response

from autolease.console.helpers import AnalystOnly, AnalystPage, problems, web_actor
from autolease.decision import service as decision_service
from autolease.decision.cases import CaseResult, parse_cases, run_cases
from autolease.decision.dependencies import DecisionsDep
from autolease.decision.diff import RuleChange, diff
from autolease.decision.jdm import PolicyDocument
from autolease.decision.service import DecisionRuntime, PolicySummary, ResolvedPolicy
from autolease.dependencies import RuntimeDep, SessionDep
from autolease.exceptions import AutoleaseError, FieldError, InputInvalid
from autolease.governance.service import policies as governance
from autolease.runtime import Runtime
from autolease.web.deps import CsrfDep
from autolease.web.errors import PageError
from autolease.web.templates import lang_of, render

router = APIRouter(prefix="/console/policies", include_in_schema=False)

Key = Annotated[str, Form(min_length=1, max_length=120)]
Version = Annotated[str, Form(min_length=1, max_length=40)]
Note = Annotated[str, Form(max_length=500)]
DONE = frozenset({"registered", "proposed", "approved", "rejected"})


@router.get("")
def index(
    request: Request,
    session: SessionDep,
    runtime: RuntimeDep,
    decisions: DecisionsDep,
    _: AnalystPage,
) -> Response:
    summaries = decision_service.list_policies(session, runtime=decisions, at=runtime.clock.now())
    pending = governance.proposals(session, status="pending")
    return render(request, "console/policies.html", {"policies": summaries, "pending": pending})


@dataclass(frozen=True)
class Comparison:
    before: str
    after: str
    changes: list[RuleChange]


def _summary(summaries: list[PolicySummary], key: str) -> PolicySummary:
    found = next((s for s in summaries if s.key == key), None)
    if found is None:
        raise PageError(404, "policy_not_found", f"no policy {key!r}")
    return found


def _document(
    session: Session, decisions: DecisionRuntime, key: str, version: str, at: datetime
) -> ResolvedPolicy:
    return decision_service.resolve_version(session, decisions, f"{key}@{version}", at=at)


def _compare(
    session: Session,
    decisions: DecisionRuntime,
    summary: PolicySummary,
    a: str,
    b: str,
    at: datetime,
) -> Comparison | None:
    versions = [v.version for v in summary.versions]
    if a not in versions or b not in versions:
        return None
    before = _document(session, decisions, summary.key, a, at).document
    after = _document(session, decisions, summary.key, b, at).document
    return Comparison(a, b, diff(before.graph(), after.graph()))


def _cases(
    session: Session, decisions: DecisionRuntime, key: str, version: str, at: datetime
) -> tuple[list[CaseResult], str | None]:
    resolved = _document(session, decisions, key, version, at)
    if resolved.cases_text is None:
        return [], "this version has no cases"
    try:
        cases = parse_cases(resolved.cases_text, source=f"{key}@{version} cases")
    except AutoleaseError as exc:
        return [], exc.detail
    return list(run_cases(decisions.engine, resolved.document, cases)), None


def _detail(
    request: Request,
    session: Session,
    runtime: Runtime,
    decisions: DecisionRuntime,
    key: str,
    *,
    a: str | None = None,
    b: str | None = None,
    cases: str | None = None,
    errors: list[str] | None = None,
    form: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    at = runtime.clock.now()
    summary = _summary(decision_service.list_policies(session, runtime=decisions, at=at), key)
    versions = [v.version for v in summary.versions]
    current = summary.active_version or (versions[-1] if versions else "")
    others = [v.version for v in summary.versions if v.version != current and v.created_at]
    newest = others[-1] if others else current
    a = a or current
    b = b or newest
    shown = cases if cases in versions else current
    results, cases_problem = _cases(session, decisions, key, shown, at) if shown else ([], None)
    done = request.query_params.get("done")
    context = {
        "policy": summary,
        "versions": versions,
        "newest": newest,
        "comparison": _compare(session, decisions, summary, a, b, at),
        "a": a,
        "b": b,
        "cases_version": shown,
        "results": results,
        "cases_problem": cases_problem,
        "proposals": governance.proposals(session, key=key)[:20],
        "errors": errors or [],
        "form": form or {},
        "done": done if done in DONE else None,
        "me": request.state.web_principal.principal.actor,
    }
    return render(request, "console/policy.html", context, status=status)


@router.get("/view/{key:path}")
def detail(
    request: Request,
    key: str,
    session: SessionDep,
    runtime: RuntimeDep,
    decisions: DecisionsDep,
    _: AnalystPage,
    a: Annotated[str | None, Query(max_length=40)] = None,
    b: Annotated[str | None, Query(max_length=40)] = None,
    cases: Annotated[str | None, Query(max_length=40)] = None,
) -> Response:
    return _detail(request, session, runtime, decisions, key, a=a, b=b, cases=cases)


def _back(key: str, done: str) -> Response:
    return RedirectResponse(f"/console/policies/view/{key}?done={done}", status_code=303)


def _refused(
    request: Request,
    session: Session,
    runtime: Runtime,
    decisions: DecisionRuntime,
    key: str,
    exc: AutoleaseError,
    form: dict[str, str] | None = None,
) -> Response:
    session.rollback()  # nothing of a refused change stays
    return _detail(
        request,
        session,
        runtime,
        decisions,
        key,
        errors=problems(exc, lang_of(request)),
        form=form,
        status=exc.status_code,
    )


@router.post("/versions")
def register_version(
    request: Request,
    session: SessionDep,
    runtime: RuntimeDep,
    decisions: DecisionsDep,
    principal: AnalystOnly,
    _: CsrfDep,
    key: Key,
    version: Version,
    content: Annotated[str, Form(min_length=2, max_length=500_000)],
    cases: Annotated[str, Form(min_length=1, max_length=500_000)],
    description: Note = "",
) -> Response:
    """Register a new version (its JDM graph and its cases; the cases must pass)."""
    form = {"version": version, "description": description, "content": content, "cases": cases}
    try:
        graph = _graph(content)
        document = PolicyDocument.from_graph(key, version, graph, description=description)
        decision_service.register_version(
            session,
            document=document,
            cases_text=cases,
            source="console",
            actor=web_actor(runtime, principal),
            engine=decisions.engine,
        )
    except AutoleaseError as exc:
        return _refused(request, session, runtime, decisions, key, exc, form)
    except ValueError as exc:
        wrapped = InputInvalid(
            str(exc), errors=[FieldError("content", "graph", str(exc), "策略图无效")]
        )
        return _refused(request, session, runtime, decisions, key, wrapped, form)
    return _back(key, "registered")


def _graph(content: str) -> object:
    try:
        return json.loads(content)
    except json.JSONDecodeError as exc:
        raise InputInvalid(
            "the graph is not JSON",
            errors=[FieldError("content", "json", f"not JSON: {exc.msg}", "不是有效的 JSON")],
        ) from None


@router.post("/proposals")
def propose(
    request: Request,
    session: SessionDep,
    runtime: RuntimeDep,
    decisions: DecisionsDep,
    principal: AnalystOnly,
    _: CsrfDep,
    key: Key,
    version: Version,
    effective_from: Annotated[str, Form(max_length=40)] = "",
    note: Note = "",
) -> Response:
    """Propose activating a version (the maker); audited ``policy.activation_proposed``."""
    try:
        governance.propose_activation(
            session,
            decisions,
            key=key,
            version=version,
            effective_from=_when(effective_from),
            note=note or None,
            actor=web_actor(runtime, principal),
        )
    except AutoleaseError as exc:
        form = {"propose_version": version, "effective_from": effective_from, "note": note}
        return _refused(request, session, runtime, decisions, key, exc, form)
    return _back(key, "proposed")


def _when(value: str) -> datetime | None:
    """The form's effective time: empty is now; a time without a zone is UTC."""
    if not value.strip():
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        raise InputInvalid(
            "effective_from is not a date and time",
            errors=[
                FieldError("effective_from", "format", "give a date and time", "请填写日期和时间")
            ],
        ) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


@router.post("/proposals/{change_id}/{verdict}")
def decide(
    request: Request,
    change_id: int,
    verdict: str,
    session: SessionDep,
    runtime: RuntimeDep,
    decisions: DecisionsDep,
    principal: AnalystOnly,
    _: CsrfDep,
    key: Key,
) -> Response:
    """Approve (which schedules the activation) or reject a proposal: the checker's step;
    the proposer is refused by the service."""
    if verdict not in ("approve", "reject"):
        raise PageError(404, "not_found", "no such action")
    actor = web_actor(runtime, principal)
    try:
        if verdict == "approve":
            governance.approve_activation(session, decisions, change_id, actor)
        else:
            governance.reject_activation(session, change_id, actor)
    except AutoleaseError as exc:
        return _refused(request, session, runtime, decisions, key, exc)
    return _back(key, "approved" if verdict == "approve" else "rejected")
