from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, select, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from autolease.auth.models import AccessToken, ApiKey, LoginThrottle, StaffUser
from autolease.dealer.models import ServiceProvider


def user_by_username(session: Session, username: str) -> StaffUser | None:
    return session.scalars(select(StaffUser).where(StaffUser.username == username)).first()


def roles_by_username(session: Session, usernames: Sequence[str]) -> dict[str, str]:
    if not usernames:
        return {}
    query = select(StaffUser.username, StaffUser.role).where(StaffUser.username.in_(usernames))
    return {row.username: row.role for row in session.execute(query)}


def api_key_by_prefix(session: Session, prefix: str) -> ApiKey | None:
    return session.scalars(select(ApiKey).where(ApiKey.prefix == prefix)).first()


def api_key_with_sp(session: Session, prefix: str) -> tuple[ApiKey, ServiceProvider] | None:
    """The key and its SP in one round trip (every SP request authenticates this way)."""
    query = (
        select(ApiKey, ServiceProvider)
        .join(ServiceProvider, ServiceProvider.id == ApiKey.sp_id)
        .where(ApiKey.prefix == prefix)
    )
    row = session.execute(query).first()
    return (row[0], row[1]) if row is not None else None


def api_keys_of(session: Session, sp_id: int) -> Sequence[ApiKey]:
    return session.scalars(select(ApiKey).where(ApiKey.sp_id == sp_id).order_by(ApiKey.id)).all()


def revoke_tokens_of(session: Session, user_id: int, at: datetime) -> int:
    """Revoke every live access token of a user; how many."""
    result = session.execute(
        update(AccessToken)
        .where(AccessToken.user_id == user_id, AccessToken.revoked_at.is_(None))
        .values(revoked_at=at)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def token_by_hash(session: Session, token_hash: str) -> AccessToken | None:
    return session.scalars(select(AccessToken).where(AccessToken.token_hash == token_hash)).first()


ThrottleKey = tuple[str, str]  # (scope, key hash)


def login_throttles(
    session: Session, keys: Sequence[ThrottleKey], *, lock: bool = False
) -> dict[ThrottleKey, LoginThrottle]:
    query = select(LoginThrottle).where(
        tuple_(LoginThrottle.scope, LoginThrottle.key_hash).in_(list(keys))
    )
    rows = session.scalars(query.with_for_update() if lock else query).all()
    return {(r.scope, r.key_hash): r for r in rows}


def ensure_login_throttles(session: Session, keys: Sequence[ThrottleKey], at: datetime) -> None:
    """Insert the missing counters; one a concurrent worker inserted first is left alone."""
    dialect = sqlite if session.get_bind().dialect.name == "sqlite" else postgresql
    rows = [{"scope": s, "key_hash": k, "failures": 0, "window_started_at": at} for s, k in keys]
    session.execute(dialect.insert(LoginThrottle).values(rows).on_conflict_do_nothing())


def clear_login_throttle(session: Session, key: ThrottleKey) -> None:
    scope, key_hash = key
    session.execute(
        delete(LoginThrottle).where(
            LoginThrottle.scope == scope, LoginThrottle.key_hash == key_hash
        )
    )


def all_users(session: Session) -> Sequence[StaffUser]:
    """Every staff and SP user, by username."""
    return session.scalars(select(StaffUser).order_by(StaffUser.username)).all()
