from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from autolease.auth.models import AccessToken, ApiKey, StaffUser
from autolease.dealer.models import ServiceProvider


def user_by_username(session: Session, username: str) -> StaffUser | None:
    return session.scalars(select(StaffUser).where(StaffUser.username == username)).first()


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


def token_by_hash(session: Session, token_hash: str) -> AccessToken | None:
    return session.scalars(select(AccessToken).where(AccessToken.token_hash == token_hash)).first()
