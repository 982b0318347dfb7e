"""Logging in and out of a surface, through the auth service (throttle, Argon2, SP status).

A failed login is counted in its own committed transaction, as the API's token endpoint does,
so the page that answers cannot roll the count back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.orm import Session
from starlette.requests import Request

from autolease.audit import service as audit_service
from autolease.audit.service import Actor
from autolease.auth import service as auth_service
from autolease.auth.exceptions import LoginThrottled, SpNotActive
from autolease.auth.principal import Role
from autolease.db import session_scope
from autolease.runtime import Runtime
from autolease.web import csrf, sessions
from autolease.web.i18n import N_
from autolease.web.surface import Surface
from autolease.web.templates import ui_of


@dataclass(frozen=True)
class LoginOutcome:
    """`cookie_value` when a session started; otherwise `error` (a message id for the page)
    and the HTTP status to answer with."""

    cookie_value: str | None = None
    error: str | None = None
    status: int = 200
    retry_after_s: int | None = None


WRONG = N_("Wrong username or password.")
NOT_HERE = N_("This account cannot use these pages.")
THROTTLED = N_("Too many failed logins. Try again later.")
SP_INACTIVE = N_("Your service provider is not active.")


def log_in(
    request: Request, runtime: Runtime, surface: Surface, *, username: str, password: str
) -> LoginOutcome:
    """Check the credentials and start a session on this surface, audited (`web.login`)."""
    now = runtime.clock.now()
    attempt = auth_service.LoginAttempt(
        username=username,
        password=password,
        client_ip=request.client.host if request.client else None,
        at=now,
    )
    try:
        with session_scope(runtime.sessions) as session:
            user = auth_service.check_login(
                session,
                attempt=attempt,
                key_of=runtime.cipher.blind_index,
                limits=runtime.settings.security.login_throttle,
            )
            if user is None:
                return LoginOutcome(error=WRONG, status=401)
            if Role(user.role) not in surface.roles:
                return LoginOutcome(error=NOT_HERE, status=403)
            absolute = timedelta(hours=runtime.settings.web.absolute_hours)
            cookie_value, _ = sessions.start(
                session, user=user, now=now, ip=attempt.client_ip, absolute=absolute
            )
            audit_service.log(
                session,
                Actor(runtime.audit_key, f"user:{user.username}", now),
                "web.login",
                entity_type="staff_user",
                entity_id=user.username,
                payload={"surface": surface.name},
            )
    except LoginThrottled as exc:
        wait = int((exc.headers or {}).get("Retry-After", "60"))
        return LoginOutcome(error=THROTTLED, status=429, retry_after_s=wait)
    except SpNotActive:
        return LoginOutcome(error=SP_INACTIVE, status=403)
    return LoginOutcome(cookie_value=cookie_value)


def log_out(session: Session, request: Request, runtime: Runtime, surface: Surface) -> None:
    """End the request's session in the request's transaction, audited (`web.logout`)."""
    now = runtime.clock.now()
    row = sessions.end(session, cookie_value=request.cookies.get(sessions.COOKIE_NAME), now=now)
    principal = getattr(request.state, "web_principal", None)
    if row is not None and principal is not None:
        audit_service.log(
            session,
            Actor(runtime.audit_key, principal.principal.actor, now),
            "web.logout",
            entity_type="staff_user",
            entity_id=principal.username,
            payload={"surface": surface.name},
        )


def login_form_tokens(request: Request) -> tuple[str, str]:
    """(form token, cookie value) of a fresh login form (signed double-submit)."""
    return csrf.new_login_pair(ui_of(request).login_csrf_key)


def login_csrf_ok(request: Request, form_token: str | None) -> bool:
    cookie = request.cookies.get(csrf.LOGIN_COOKIE)
    return csrf.login_pair_valid(ui_of(request).login_csrf_key, form_token, cookie)


def safe_next(value: str | None, default: str) -> str:
    """A local path to go to after login or a toggle, never another site (open redirect)."""
    if not value or len(value) > 500 or not value.startswith("/") or value.startswith("//"):
        return default
    if "\\" in value or any(ord(c) < 32 for c in value) or "://" in value.split("?")[0]:
        return default
    return value
