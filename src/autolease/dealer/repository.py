from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from autolease.dealer.models import ServiceProvider, SpAllowedOrigin


def by_code(session: Session, code: str) -> ServiceProvider | None:
    return session.scalars(select(ServiceProvider).where(ServiceProvider.code == code)).first()


def all_sps(session: Session) -> Sequence[ServiceProvider]:
    return session.scalars(select(ServiceProvider).order_by(ServiceProvider.code)).all()


def origins_of(session: Session, sp_id: int) -> list[str]:
    query = select(SpAllowedOrigin.origin).where(SpAllowedOrigin.sp_id == sp_id)
    return list(session.scalars(query))


def replace_origins(session: Session, sp_id: int, origins: list[str], at: datetime) -> None:
    session.execute(delete(SpAllowedOrigin).where(SpAllowedOrigin.sp_id == sp_id))
    session.add_all(SpAllowedOrigin(sp_id=sp_id, origin=o, created_at=at) for o in origins)
    session.flush()


def origin_allowed(session: Session, origin: str) -> bool:
    """Whether any SP allows this (canonical) origin."""
    query = select(SpAllowedOrigin.id).where(SpAllowedOrigin.origin == origin).limit(1)
    return session.scalar(query) is not None
