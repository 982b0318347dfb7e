"""Policies, decision replay and review (prefix ``/v1``): add ``router`` to ``api.ROUTERS``."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query

from autolease.auth.dependencies import ActorDep, AuditorDep, StaffDep
from autolease.auth.principal import Role
from autolease.decision import service
from autolease.decision.catalog import Activation
from autolease.decision.dependencies import AnalystDep, DecisionsDep, ReviewerDep
from autolease.decision.jdm import PolicyDocument
from autolease.decision.schemas import (
    ActivateRequest,
    ActivationRead,
    PolicyRead,
    PolicyVersionCreate,
    PolicyVersionRead,
    ProposalRead,
    ReplayRead,
    ReviewRead,
    ReviewRequest,
)
from autolease.dependencies import RuntimeDep, SessionDep
from autolease.governance.service import models as governance_models
from autolease.governance.service import policies as governance_policies
from autolease.kit.ids import id_pattern
from autolease.origination.dependencies import ApplicationDep
from autolease.review.settings import review_settings

router = APIRouter(prefix="/v1", tags=["decisions"])

ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "missing or invalid credentials"},
    403: {"description": "this role may not do this"},
    404: {"description": "no such policy, version, decision or application"},
}


@router.get("/policies", response_model=list[PolicyRead], responses=ERRORS)
def list_policies(
    session: SessionDep, runtime: RuntimeDep, decisions: DecisionsDep, _: StaffDep
) -> list[PolicyRead]:
    """Every policy, its stored versions, the version in force now and scheduled activations."""
    summaries = service.list_policies(session, runtime=decisions, at=runtime.clock.now())
    return [
        PolicyRead(
            key=s.key,
            description=s.description,
            file_version=s.file_version,
            active_version=s.active_version,
            active_source=s.active_source,
            versions=[
                PolicyVersionRead.model_validate(v, from_attributes=True) for v in s.versions
            ],
            scheduled=[_activation(a) for a in s.scheduled],
        )
        for s in summaries
    ]


@router.get("/policies/proposals", response_model=list[ProposalRead], responses=ERRORS)
def list_proposals(
    session: SessionDep,
    _: AuditorDep,
    key: Annotated[str | None, Query(max_length=120)] = None,
    status: Annotated[Literal["pending", "approved", "rejected"] | None, Query()] = None,
) -> list[ProposalRead]:
    """Activation proposals (maker-checker), newest first; of one policy or status if given."""
    rows = governance_policies.proposals(session, key=key, status=status)
    return [ProposalRead.model_validate(r, from_attributes=True) for r in rows]


@router.post(
    "/policies/{key:path}/versions",
    response_model=PolicyVersionRead,
    status_code=201,
    responses={**ERRORS, 409: {"description": "version exists with other content"}},
)
def register_version(
    key: str,
    body: PolicyVersionCreate,
    session: SessionDep,
    decisions: DecisionsDep,
    _: AnalystDep,
    actor: ActorDep,
) -> PolicyVersionRead:
    """Upload a new version (JDM graph + its cases) without a deploy. Its cases must pass."""
    document = PolicyDocument.from_graph(
        key, body.version, body.content, description=body.description
    )
    row, _created = service.register_version(
        session,
        document=document,
        cases_text=body.cases,
        source="api",
        actor=actor,
        engine=decisions.engine,
    )
    return PolicyVersionRead.model_validate(row, from_attributes=True)


@router.post(
    "/policies/{key:path}/versions/{version}/proposals",
    response_model=ProposalRead,
    status_code=201,
    responses={**ERRORS, 422: {"description": "back-dated, or the version's cases fail"}},
)
def propose_activation(
    key: str,
    version: str,
    body: ActivateRequest,
    session: SessionDep,
    decisions: DecisionsDep,
    _: AnalystDep,
    actor: ActorDep,
) -> ProposalRead:
    """Propose activating a version (risk analysts; audited); another analyst approves it."""
    change = governance_policies.propose_activation(
        session,
        decisions,
        key=key,
        version=version,
        effective_from=body.effective_from,
        note=body.note,
        actor=actor,
    )
    return ProposalRead.model_validate(change, from_attributes=True)


@router.post(
    "/policies/{key:path}/versions/{version}/activate",
    response_model=ActivationRead,
    status_code=201,
    responses={
        **ERRORS,
        403: {"description": "not a risk analyst, or approving one's own proposal"},
        404: {"description": "no pending proposal of this version"},
    },
)
def activate(
    key: str,
    version: str,
    session: SessionDep,
    decisions: DecisionsDep,
    _: AnalystDep,
    actor: ActorDep,
) -> ActivationRead:
    """Approve the pending proposal of a version and schedule it (a second risk analyst)."""
    change = governance_models.pending_for(session, f"{key}@{version}", "policy")
    row = governance_policies.approve_activation(session, decisions, change.id, actor)
    return ActivationRead.model_validate(row, from_attributes=True)


@router.post(
    "/policies/{key:path}/versions/{version}/reject",
    response_model=ProposalRead,
    responses={
        **ERRORS,
        403: {"description": "not a risk analyst, or rejecting one's own proposal"},
        404: {"description": "no pending proposal of this version"},
    },
)
def reject(
    key: str, version: str, session: SessionDep, _: AnalystDep, actor: ActorDep
) -> ProposalRead:
    """Reject the pending proposal of a version (a risk analyst other than its proposer)."""
    change = governance_models.pending_for(session, f"{key}@{version}", "policy")
    row = governance_policies.reject_activation(session, change.id, actor)
    return ProposalRead.model_validate(row, from_attributes=True)


@router.get("/decisions/{decision_id}/replay", response_model=ReplayRead, responses=ERRORS)
def replay_decision(
    decision_id: Annotated[str, Path(json_schema_extra={"pattern": id_pattern("dec")})],
    session: SessionDep,
    decisions: DecisionsDep,
    _: StaffDep,
) -> dict[str, Any]:
    """Re-run a decision's stored policy input through its stored policy version."""
    return service.replay(session, decision_id=decision_id, engine=decisions.engine).as_dict()


@router.post(
    "/applications/{application_id}/review",
    response_model=ReviewRead,
    responses={**ERRORS, 409: {"description": "the application is not referred"}},
)
def review_application(
    body: ReviewRequest,
    app: ApplicationDep,
    session: SessionDep,
    runtime: RuntimeDep,
    principal: ReviewerDep,
    actor: ActorDep,
) -> ReviewRead:
    """A reviewer approves or declines a referred application, with a note (audited).

    A compatibility wrapper over the review workbench's verdict (one `review_verdict` record,
    four-eyes included); `POST /v1/review/cases/{application_id}/verdict` also takes a review
    reason code, a message to the SP, information requests and changed structures."""
    reviewed = service.review(
        session,
        app=app,
        verdict=service.Verdict(body.decision),
        note=body.note,
        actor=actor,
        role="reviewer" if principal.role is Role.REVIEWER else "staff",
        settings=review_settings(runtime.settings),
    )
    row = reviewed.verdict
    return ReviewRead(
        application_id=row.application_id,
        decision_id=reviewed.decision_id,
        verdict=row.verdict,
        note=row.internal_note,
        reviewer=row.reviewer,
        reviewed_at=row.reviewed_at,
        status=app.status,
    )


def _activation(a: Activation) -> ActivationRead:
    return ActivationRead(
        key=a.key,
        version=a.version,
        content_hash=a.content_hash,
        effective_from=a.effective_from,
        activated_by=a.activated_by,
        activated_at=a.activated_at,
    )
