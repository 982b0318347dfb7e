from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from autolease.audit import service
from autolease.audit.schemas import AuditEventRead, AuditVerifyRead
from autolease.auth.dependencies import AdminDep, AuditorDep
from autolease.dependencies import RuntimeDep, SessionDep

router = APIRouter(prefix="/v1/audit", tags=["audit"])


@router.get("/events", response_model=list[AuditEventRead])
def list_events(
    session: SessionDep,
    _: AuditorDep,
    entity_id: str | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    before_seq: int | None = None,
) -> list[AuditEventRead]:
    rows = service.events(session, entity_id=entity_id, limit=limit, before_seq=before_seq)
    return [AuditEventRead.model_validate(r, from_attributes=True) for r in rows]


@router.get("/verify", response_model=AuditVerifyRead)
def verify(session: SessionDep, runtime: RuntimeDep, _: AdminDep) -> AuditVerifyRead:
    checked, problem = service.verify(session, key=runtime.audit_key)
    if problem is None:
        return AuditVerifyRead(records_checked=checked, intact=True)
    return AuditVerifyRead(
        records_checked=checked,
        intact=False,
        first_problem_seq=problem.seq,
        problem=problem.kind,
        detail=problem.detail,
    )
