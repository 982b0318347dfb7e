"""Browser sessions: start at login, resolve on every request, end at logout. Never commits.

The cookie value is a random secret; the store keeps only its SHA-256. A session is refused
after `idle` without a request, after its absolute expiry, once revoked, or when the user is
disabled or the user's SP is suspended or terminated (`auth.service.principal_of_user`, the
same check as a staff token's).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from autolease.auth import service as auth_service
from autolease.auth.exceptions import InvalidCredentials, SpNotActive
from autolease.auth.models import StaffUser
from autolease.auth.principal import Principal, Role
from autolease.auth.secrets import sha256_hex
from autolease.web.models import WebSession

COOKIE_NAME = "autolease_session"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
DEFAULT_IDLE = timedelta(minutes=30)
DEFAULT_ABSOLUTE = timedelta(hours=12)


@dataclass(frozen=True)
class WebPrincipal:
    """Who a browser session belongs to: the same `Principal` the API uses, and the session."""

    principal: Principal
    session_id: int
    csrf_token: str
    username: str
    display_name: str

    @property
    def role(self) -> Role:
        return self.principal.role

    @property
    def sp_code(self) -> str | None:
        return self.principal.sp_code


def start(
    session: Session,
    *,
    user: StaffUser,
    now: datetime,
    ip: str | None = None,
    absolute: timedelta = DEFAULT_ABSOLUTE,
) -> tuple[str, str]:
    """A new session for a user whose password was checked (`auth.service.check_login`):
    (cookie value, CSRF token). `ip` is not stored (the login throttle already keyed it)."""
    del ip
    cookie_value = "ws_" + secrets.token_urlsafe(32)
    csrf_token = secrets.token_urlsafe(32)
    session.add(
        WebSession(
            token_hash=sha256_hex(cookie_value),
            user_id=user.id,
            csrf_token=csrf_token,
            created_at=now,
            last_seen_at=now,
            expires_at=now + absolute,
        )
    )
    session.flush()
    return cookie_value, csrf_token


def resolve(
    session: Session, cookie_value: str | None, now: datetime, idle: timedelta = DEFAULT_IDLE
) -> WebPrincipal | None:
    """The principal of a live session (its `last_seen_at` moved to `now`), else None."""
    row = _live_row(session, cookie_value, now, idle)
    if row is None:
        return None
    user = session.get(StaffUser, row.user_id)
    try:
        principal = auth_service.principal_of_user(session, user)
    except (InvalidCredentials, SpNotActive):
        return None
    assert user is not None
    row.last_seen_at = now
    session.flush()
    return WebPrincipal(principal, row.id, row.csrf_token, user.username, user.display_name)


def _live_row(
    session: Session, cookie_value: str | None, now: datetime, idle: timedelta
) -> WebSession | None:
    if not cookie_value or len(cookie_value) > 100 or not cookie_value.startswith("ws_"):
        return None
    row = session.scalars(
        select(WebSession).where(WebSession.token_hash == sha256_hex(cookie_value))
    ).one_or_none()
    if row is None or row.revoked_at is not None:
        return None
    if now >= row.expires_at or now - row.last_seen_at >= idle:
        return None
    return row


def end(session: Session, *, cookie_value: str | None, now: datetime) -> WebSession | None:
    """Revoke the session of this cookie (logout); the row, or None when there was none."""
    if not cookie_value:
        return None
    row = session.scalars(
        select(WebSession).where(WebSession.token_hash == sha256_hex(cookie_value))
    ).one_or_none()
    if row is not None and row.revoked_at is None:
        row.revoked_at = now
        session.flush()
    return row


def end_all(session: Session, *, user_id: int, now: datetime) -> int:
    """Revoke every live session of a user (disabled user, password reset); how many."""
    result = session.execute(
        update(WebSession)
        .where(WebSession.user_id == user_id, WebSession.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    return int(getattr(result, "rowcount", 0) or 0)
