from __future__ import annotations

import secrets
from datetime import timedelta

from fastapi import APIRouter, Request, status
from sqlalchemy.orm import Session

from autolease.audit import service as audit_service
from autolease.auth import service
from autolease.auth.dependencies import ActorDep, AdminDep, PrincipalDep
from autolease.auth.exceptions import InvalidCredentials
from autolease.auth.models import StaffUser
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
    UserStatusChange,
)
from autolease.db import session_scope
from autolease.dealer import service as dealer_service
from autolease.dependencies import RuntimeDep, SessionDep

router = APIRouter(prefix="/v1", tags=["auth"])


@router.post(
    "/auth/token",
    response_model=TokenRead,
    responses={
        401: {"description": "unknown user or wrong password, or the user's SP is not active"},
        429: {"description": "too many failed logins for this username or IP (Retry-After)"},
    },
)
def login(body: TokenRequest, request: Request, runtime: RuntimeDep) -> TokenRead:
    """A staff access token. Failed logins are counted per username and per client IP in
    their own committed transaction, so the 401 that follows cannot roll them back."""
    attempt = service.LoginAttempt(
        username=body.username,
        password=body.password,
        client_ip=request.client.host if request.client else None,
        at=runtime.clock.now(),
    )
    with session_scope(runtime.sessions) as session:
        issued = service.login(
            session,
            attempt=attempt,
            ttl=timedelta(minutes=runtime.settings.security.token_ttl_minutes),
            token_hex=secrets.token_hex,
            key_of=runtime.cipher.blind_index,
            limits=runtime.settings.security.login_throttle,
        )
    if issued is None:
        raise InvalidCredentials("unknown user or wrong password")
    return TokenRead(
        access_token=issued.token, expires_at=issued.row.expires_at, role=Role(issued.user.role)
    )


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
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        role=body.role,
        sp_code=body.sp_code,
        active=user.active,
    )


@router.post(
    "/users/{user_id}/status",
    response_model=UserRead,
    responses={
        404: {"description": "no such user"},
        422: {"description": "an admin may not disable their own account"},
    },
)
def set_user_status(
    user_id: int, body: UserStatusChange, session: SessionDep, admin: AdminDep, actor: ActorDep
) -> UserRead:
    """Disable (or re-enable) a user, audited. A disabled user cannot log in, and their live
    access tokens and browser sessions are refused from the next request."""
    user = service.set_user_active(
        session, user_id=user_id, active=body.active, acting_user_id=admin.user_id, actor=actor
    )
    return _user_read(session, user)


def _user_read(session: Session, user: StaffUser) -> UserRead:
    sp_code = dealer_service.get(session, sp_id=user.sp_id).code if user.sp_id else None
    return UserRead(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        role=Role(user.role),
        sp_code=sp_code,
        active=user.active,
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
