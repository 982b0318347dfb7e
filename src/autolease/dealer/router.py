from __future__ import annotations

from fastapi import APIRouter, status

from autolease.audit import service as audit_service
from autolease.auth.dependencies import ActorDep, AdminDep, PrincipalDep
from autolease.dealer import service
from autolease.dealer.exceptions import SpNotFound
from autolease.dealer.schemas import SpCreate, SpRead, SpUpdate
from autolease.dependencies import SessionDep

router = APIRouter(prefix="/v1/sps", tags=["sps"])


@router.post(
    "",
    response_model=SpRead,
    status_code=status.HTTP_201_CREATED,
    responses={409: {"description": "code taken"}},
)
def create_sp(body: SpCreate, session: SessionDep, _: AdminDep, actor: ActorDep) -> SpRead:
    sp = service.create(session, data=body, at=actor.at)
    audit_service.log(
        session,
        actor,
        "sp.created",
        entity_type="service_provider",
        entity_id=sp.code,
        payload={"grade": sp.grade, "region": sp.region},
    )
    return service.to_read(sp)


@router.get("", response_model=list[SpRead])
def list_sps(session: SessionDep, principal: PrincipalDep) -> list[SpRead]:
    return [service.to_read(sp) for sp in service.list_all(session) if principal.can_see_sp(sp.id)]


@router.get("/{code}", response_model=SpRead)
def get_sp(code: str, session: SessionDep, principal: PrincipalDep) -> SpRead:
    sp = service.get_by_code(session, code=code)
    if not principal.can_see_sp(sp.id):
        raise SpNotFound(f"no SP with code {code!r}")
    return service.to_read(sp)


@router.patch("/{code}", response_model=SpRead)
def update_sp(
    code: str, body: SpUpdate, session: SessionDep, _: AdminDep, actor: ActorDep
) -> SpRead:
    sp = service.update(session, code=code, data=body)
    audit_service.log(
        session,
        actor,
        "sp.updated",
        entity_type="service_provider",
        entity_id=code,
        payload=body.model_dump(mode="json", exclude_none=True),
    )
    return service.to_read(sp)
