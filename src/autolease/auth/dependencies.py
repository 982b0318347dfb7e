from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Annotated, Any

from fastapi import Depends, Header
from sqlalchemy.orm import Session

from autolease.audit.service import Actor
from autolease.auth import service
from autolease.auth.exceptions import KeyRateLimited, RoleNotAllowed
from autolease.auth.principal import Principal, Role
from autolease.auth.rate_limit import KeyRateLimiter
from autolease.dependencies import RuntimeDep, SessionDep
from autolease.exceptions import Unauthenticated
from autolease.runtime import Runtime

AuthorizationHeader = Annotated[str | None, Header()]
ApiKeyHeader = Annotated[str | None, Header()]
MISSING_CREDENTIAL = "send 'Authorization: Bearer <token or API key>'"


def get_principal(
    session: SessionDep,
    runtime: RuntimeDep,
    authorization: AuthorizationHeader = None,
    x_api_key: ApiKeyHeader = None,
) -> Principal:
    return authenticate(session, runtime, authorization=authorization, x_api_key=x_api_key)


def authenticate(
    session: Session, runtime: Runtime, *, authorization: str | None, x_api_key: str | None
) -> Principal:
    """The caller of a request from its credential headers (`X-Api-Key` wins)."""
    credential = credential_of(authorization=authorization, x_api_key=x_api_key)
    if not credential:
        raise Unauthenticated(MISSING_CREDENTIAL)
    principal = service.authenticate(session, bearer=credential, at=runtime.clock.now())
    if principal.kind == "api_key" and runtime.key_limiter is not None:
        _spend_token(runtime.key_limiter, principal, runtime)
    return principal


def _spend_token(limiter: KeyRateLimiter, principal: Principal, runtime: Runtime) -> None:
    wait = limiter.take(principal.actor, runtime.clock.now())
    if wait:
        raise KeyRateLimited(
            f"rate limit of {limiter.requests_per_minute} requests a minute for this API key; "
            f"try again in {wait} s",
            retry_after_s=wait,
        )


def credential_of(*, authorization: str | None, x_api_key: str | None) -> str | None:
    """The credential a request carries, before any look-up (the request guard asks too)."""
    if x_api_key is not None:
        return x_api_key
    if authorization is None:
        return None
    scheme, _, value = authorization.partition(" ")
    return value.strip() if scheme.lower() == "bearer" else None


def actor_of(runtime: Runtime, principal: Principal) -> Actor:
    return Actor(key=runtime.audit_key, name=principal.actor, at=runtime.clock.now())


PrincipalDep = Annotated[Principal, Depends(get_principal)]


def require_roles(*roles: Role) -> Callable[[Principal], Coroutine[Any, Any, Principal]]:
    allowed = frozenset(roles)

    async def check(principal: PrincipalDep) -> Principal:
        if principal.role not in allowed:
            raise RoleNotAllowed(f"role {principal.role.value!r} may not do this")
        return principal

    return check


AdminDep = Annotated[Principal, Depends(require_roles(Role.ADMIN))]
StaffDep = Annotated[
    Principal, Depends(require_roles(Role.ADMIN, Role.RISK_ANALYST, Role.REVIEWER))
]
AuditorDep = Annotated[Principal, Depends(require_roles(Role.ADMIN, Role.RISK_ANALYST))]


async def _actor(runtime: RuntimeDep, principal: PrincipalDep) -> Actor:
    return actor_of(runtime, principal)


ActorDep = Annotated[Actor, Depends(_actor)]
