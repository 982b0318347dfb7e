from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response

from autolease.auth.dependencies import (
    ActorDep,
    ApiKeyHeader,
    AuthorizationHeader,
    PrincipalDep,
    actor_of,
    authenticate,
)
from autolease.auth.principal import Principal
from autolease.db import session_scope
from autolease.dependencies import RuntimeDep, SessionDep
from autolease.origination import service
from autolease.origination.dependencies import ApplicationDep, IdempotencyKey, mark_replayed
from autolease.origination.schemas import (
    ApplicationCreate,
    ApplicationPage,
    ApplicationRead,
    ApplicationStaffRead,
    ApplicationStatus,
    DecisionDetailRead,
    DecisionRead,
    WithdrawRequest,
)
from autolease.origination.service.audience import sees_all_reasons
from autolease.origination.service.views import decision_detail

router = APIRouter(prefix="/v1/applications", tags=["applications"])

ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "missing or invalid credentials"},
    404: {"description": "no such application for this caller"},
}


async def _submitter(
    runtime: RuntimeDep,
    authorization: AuthorizationHeader = None,
    x_api_key: ApiKeyHeader = None,
) -> Principal:
    """The caller, authenticated before FastAPI validates the body (a dependency that raises
    stops the request before the body's field errors are reported), so a stranger with a
    made-up key learns nothing of the fields. A short read of its own: the intake's
    transaction comes after."""
    with runtime.sessions() as session:
        return authenticate(session, runtime, authorization=authorization, x_api_key=x_api_key)


SubmitterDep = Annotated[Principal, Depends(_submitter)]


@router.post(
    "",
    response_model=ApplicationRead,
    status_code=201,
    responses={**ERRORS, 409: {"description": "Idempotency-Key reused with another body"}},
)
async def submit_application(
    body: ApplicationCreate,
    response: Response,
    runtime: RuntimeDep,
    principal: SubmitterDep,
    idempotency_key: IdempotencyKey = None,
) -> dict[str, Any]:
    # Decided inline on the event loop, not in the thread pool: a decision is GIL-bound
    # work, so threads only added hand-offs (one per sync dependency); inline served 20-35 %
    # more decisions/s (BENCHMARKS.md, End to end). No endpoint holds the database across an
    # await, so nothing this blocks can be holding what it waits for.
    with session_scope(runtime.sessions) as session:
        result = service.submit(
            session,
            data=body,
            principal=principal,
            actor=actor_of(runtime, principal),
            cipher=runtime.cipher,
            ids=runtime.ids,
            stages=runtime.stages,
            prefetchers=runtime.prefetchers,
            idempotency_key=idempotency_key,
        )
    response.status_code = result.status_code
    if result.replayed:
        mark_replayed(response)
    return result.body


@router.get("", response_model=ApplicationPage, responses=ERRORS)
def list_applications(
    session: SessionDep,
    principal: PrincipalDep,
    status: ApplicationStatus | None = None,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> ApplicationPage:
    return service.page(
        session,
        principal=principal,
        status=status.value if status else None,
        cursor=cursor,
        limit=limit,
    )


@router.get(
    "/{application_id}", response_model=ApplicationStaffRead | ApplicationRead, responses=ERRORS
)
def get_application(
    app: ApplicationDep, session: SessionDep, runtime: RuntimeDep, principal: PrincipalDep
) -> ApplicationStaffRead | ApplicationRead:
    """Staff see who moved it and their notes; an SP sees roles and no notes."""
    if sees_all_reasons(principal):
        return service.to_staff_read(session, app)
    return service.to_read(session, app, cipher=runtime.cipher)


@router.get(
    "/{application_id}/decision",
    response_model=DecisionDetailRead | DecisionRead,
    responses=ERRORS,
)
def get_decision(
    app: ApplicationDep, session: SessionDep, principal: PrincipalDep
) -> DecisionDetailRead | DecisionRead:
    """Staff see features and the stage trace; an SP sees the outcome and its reasons."""
    decision = service.decision_of(session, app=app)
    if sees_all_reasons(principal):
        return decision_detail(decision)
    return service.decision_read(decision)


@router.post(
    "/{application_id}/withdraw",
    response_model=ApplicationRead,
    responses={**ERRORS, 409: {"description": "not withdrawable in its current status"}},
)
def withdraw_application(
    body: WithdrawRequest,
    app: ApplicationDep,
    session: SessionDep,
    runtime: RuntimeDep,
    principal: PrincipalDep,
    actor: ActorDep,
) -> ApplicationRead:
    service.withdraw(session, app=app, principal=principal, actor=actor, note=body.note)
    staff = sees_all_reasons(principal)
    return service.to_read(session, app, cipher=runtime.cipher, staff=staff)
