from __future__ import annotations

from fastapi import APIRouter, status

from autolease.audit import service as audit_service
from autolease.auth.dependencies import ActorDep, AdminDep, PrincipalDep
from autolease.dealer import service
from autolease.dealer.exceptions import SpNotFound
from autolease.dealer.schemas import OriginsIn, OriginsRead, SpCreate, SpRead, SpUpdate
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


@router.get("/{code}/origins", response_model=OriginsRead)
def get_origins(code: str, session: SessionDep, _: AdminDep) -> OriginsRead:
    """The web origins whose pages may call the API for this SP (CORS allow-list)."""
    return OriginsRead(sp_code=code, origins=service.origins_of(session, code=code))


@router.put("/{code}/origins", response_model=OriginsRead)
def put_origins(
    code: str, body: OriginsIn, session: SessionDep, _: AdminDep, actor: ActorDep
) -> OriginsRead:
    """Replace the SP's allow-list of web origins (audited)."""
    origins = service.set_origins(session, code=code, origins=body.origins, at=actor.at)
    audit_service.log(
        session,
        actor,
        "sp.origins_set",
        entity_type="service_provider",
        entity_id=code,
        payload={"origins": origins},
    )
    return OriginsRead(sp_code=code, origins=origins)
