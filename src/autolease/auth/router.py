from __future__ import annotations

import secrets
from datetime import timedelta

from fastapi import APIRouter, status

from autolease.audit import service as audit_service
from autolease.auth import service
from autolease.auth.dependencies import ActorDep, AdminDep, PrincipalDep
from autolease.auth.principal import Role
from autolease.auth.schemas import (
    ApiKeyCreate,
    ApiKeyIssued,
    ApiKeyRead,
    PrincipalRead,
    TokenRead,
    TokenRequest,
    UserCreate,
    UserRead,
)
from autolease.dependencies import RuntimeDep, SessionDep

router = APIRouter(prefix="/v1", tags=["auth"])


@router.post(
    "/auth/token",
    response_model=TokenRead,
    responses={
        401: {"description": "unknown user, wrong password or disabled user"},
        429: {"description": "too many failed attempts; retry after Retry-After seconds"},
    },
)
def login(body: TokenRequest, session: SessionDep, runtime: RuntimeDep) -> TokenRead:
    ttl = timedelta(minutes=runtime.settings.security.token_ttl_minutes)
    token, row, user = service.login(
        session,
        username=body.username,
        password=body.password,
        at=runtime.clock.now(),
        ttl=ttl,
        token_hex=secrets.token_hex,
    )
    return TokenRead(access_token=token, expires_at=row.expires_at, role=Role(user.role))


@router.get("/auth/me", response_model=PrincipalRead)
def me(principal: PrincipalDep) -> PrincipalRead:
    return PrincipalRead(
        kind=principal.kind, actor=principal.actor, role=principal.role, sp_code=principal.sp_code
    )


@router.post(
    "/users",
    response_model=UserRead,
    status_code=status.HTTP_201_CREATED,
    responses={404: {"description": "no such SP"}, 409: {"description": "username taken"}},
)
def create_user(body: UserCreate, session: SessionDep, _: AdminDep, actor: ActorDep) -> UserRead:
    user = service.create_user(
        session,
        username=body.username,
        display_name=body.display_name,
        role=body.role,
        password=body.password,
        sp_code=body.sp_code,
        at=actor.at,
    )
    audit_service.log(
        session,
        actor,
        "user.created",
        entity_type="staff_user",
        entity_id=user.username,
        payload={"role": user.role, "sp_code": body.sp_code},
    )
    return UserRead(
        username=user.username, display_name=user.display_name, role=body.role, sp_code=body.sp_code
    )


@router.post(
    "/sps/{code}/api-keys", response_model=ApiKeyIssued, status_code=status.HTTP_201_CREATED
)
def issue_api_key(
    code: str, body: ApiKeyCreate, session: SessionDep, _: AdminDep, actor: ActorDep
) -> ApiKeyIssued:
    new, row = service.issue_api_key(
        session, sp_code=code, label=body.label, at=actor.at, token_hex=secrets.token_hex
    )
    audit_service.log(
        session,
        actor,
        "api_key.issued",
        entity_type="service_provider",
        entity_id=code,
        payload={"prefix": row.prefix, "label": row.label},
    )
    return ApiKeyIssued(
        api_key=new.plaintext, prefix=row.prefix, label=row.label, created_at=row.created_at
    )


@router.get("/sps/{code}/api-keys", response_model=list[ApiKeyRead])
def list_api_keys(code: str, session: SessionDep, _: AdminDep) -> list[ApiKeyRead]:
    rows = service.list_api_keys(session, sp_code=code)
    return [ApiKeyRead.model_validate(r, from_attributes=True) for r in rows]


@router.delete("/sps/{code}/api-keys/{prefix}", response_model=ApiKeyRead)
def revoke_api_key(
    code: str, prefix: str, session: SessionDep, _: AdminDep, actor: ActorDep
) -> ApiKeyRead:
    row = service.revoke_api_key(session, sp_code=code, prefix=prefix, at=actor.at)
    audit_service.log(
        session,
        actor,
        "api_key.revoked",
        entity_type="service_provider",
        entity_id=code,
        payload={"prefix": prefix},
    )
    return ApiKeyRead.model_validate(row, from_attributes=True)
